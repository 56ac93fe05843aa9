"""Reminder schedule: days, times, quiet hours both ways, nagging, snooze, skip, grace, DST."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st
import pytest

from custom_components.backward_walking.core.reminders import (
    Conditions,
    QuietMode,
    ReminderEvent,
    Reminders,
    ReminderTimesError,
    Schedule,
    SkipReason,
    format_times,
    in_quiet_hours,
    next_occurrence,
    parse_times,
)

BERLIN = ZoneInfo("Europe/Berlin")
MON_WED_FRI = frozenset({0, 2, 4})


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def test_parse_times() -> None:
    assert parse_times("18:00, 7:30;07:30") == (time(7, 30), time(18, 0))
    assert format_times(parse_times("7:30,18:00")) == "07:30, 18:00"
    assert parse_times("") == ()
    for bad in ("25:00", "7.30", "noon", "07:60"):
        with pytest.raises(ReminderTimesError) as err:
            parse_times(f"08:00, {bad}")
        assert err.value.token == bad
    with pytest.raises(ReminderTimesError):
        parse_times(", ".join(f"0{h}:00" for h in range(7)))


@pytest.mark.parametrize(
    ("moment", "start", "end", "quiet"),
    [
        (time(23, 0), time(22, 0), time(7, 0), True),
        (time(3, 0), time(22, 0), time(7, 0), True),
        (time(7, 0), time(22, 0), time(7, 0), False),
        (time(12, 0), time(22, 0), time(7, 0), False),
        (time(13, 30), time(13, 0), time(15, 0), True),
        (time(15, 0), time(13, 0), time(15, 0), False),
        (time(12, 0), None, None, False),
        (time(12, 0), time(8, 0), time(8, 0), False),
    ],
)
def test_quiet_hours_both_ways(moment: time, start: time, end: time, quiet: bool) -> None:
    assert in_quiet_hours(moment, start, end) is quiet


def test_next_occurrence_on_the_right_days() -> None:
    schedule = Schedule(MON_WED_FRI, (time(7, 30), time(18, 0)))
    monday_8 = local("2026-03-02 08:00")
    assert next_occurrence(schedule, monday_8, BERLIN) == local("2026-03-02 18:00")
    assert next_occurrence(schedule, local("2026-03-02 18:00"), BERLIN) == local("2026-03-04 07:30")
    assert next_occurrence(schedule, local("2026-03-06 19:00"), BERLIN) == local("2026-03-09 07:30")
    assert next_occurrence(Schedule(), monday_8, BERLIN) is None


def test_quiet_hours_postpone_and_skip() -> None:
    late = Schedule(
        frozenset(range(7)), (time(22, 30),), quiet_start=time(22, 0), quiet_end=time(7, 0)
    )
    # 22:30 is quiet: postponed to 07:00 the next morning (quiet hours cross midnight).
    assert next_occurrence(late, local("2026-03-02 12:00"), BERLIN) == local("2026-03-03 07:00")
    early = Schedule(
        frozenset(range(7)), (time(6, 0),), quiet_start=time(22, 0), quiet_end=time(7, 0)
    )
    assert next_occurrence(early, local("2026-03-02 05:00"), BERLIN) == local("2026-03-02 07:00")
    skip = Schedule(
        frozenset(range(7)),
        (time(6, 0), time(9, 0)),
        quiet_start=time(22, 0),
        quiet_end=time(7, 0),
        quiet_mode=QuietMode.SKIP,
    )
    assert next_occurrence(skip, local("2026-03-02 05:00"), BERLIN) == local("2026-03-02 09:00")


def test_dst_keeps_local_time() -> None:
    schedule = Schedule(frozenset(range(7)), (time(7, 30),))
    # Europe/Berlin springs forward on 2026-03-29 and falls back on 2026-10-25.
    spring = next_occurrence(schedule, local("2026-03-28 08:00"), BERLIN)
    assert spring is not None
    assert spring.astimezone(UTC) == datetime(2026, 3, 29, 5, 30, tzinfo=UTC)
    autumn = next_occurrence(schedule, local("2026-10-24 08:00"), BERLIN)
    assert autumn is not None
    assert autumn.astimezone(UTC) == datetime(2026, 10, 25, 6, 30, tzinfo=UTC)
    # A time inside the spring-forward gap happens just after it.
    gap = next_occurrence(
        Schedule(frozenset(range(7)), (time(2, 30),)), local("2026-03-28 12:00"), BERLIN
    )
    assert gap is not None
    assert gap.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def make(nag_count: int = 2, **kwargs: object) -> tuple[Reminders, datetime]:
    schedule = Schedule(MON_WED_FRI, (time(18, 0),), nag_minutes=15, nag_count=nag_count, **kwargs)  # type: ignore[arg-type]
    reminders = Reminders(schedule)
    now = local("2026-03-02 12:00")
    reminders.plan(now, BERLIN)
    return reminders, now


OK = Conditions()


def test_send_then_nag_up_to_the_limit() -> None:
    reminders, _ = make()
    due = reminders.due_at
    assert due == local("2026-03-02 18:00")
    assert reminders.due(due, BERLIN, OK)[0].event is ReminderEvent.SENT
    assert reminders.next_at == local("2026-03-04 18:00")
    first = reminders.due(due + timedelta(minutes=15), BERLIN, OK)
    assert (first[0].event, first[0].repeat) == (ReminderEvent.SENT, 1)
    second = reminders.due(due + timedelta(minutes=30), BERLIN, OK)
    assert second[0].repeat == 2
    assert reminders.nag_at is None
    assert reminders.due_at == local("2026-03-04 18:00")


def test_answered_stops_nagging() -> None:
    reminders, _ = make()
    reminders.due(local("2026-03-02 18:00"), BERLIN, OK)
    reminders.answered()
    assert reminders.due_at == local("2026-03-04 18:00")


def test_skip_if_goal_met_not_now_or_skipped_today() -> None:
    reminders, _ = make()
    due = local("2026-03-02 18:00")
    assert reminders.due(due, BERLIN, Conditions(goal_met_today=True)) == [
        _skipped(SkipReason.GOAL_MET)
    ]
    assert reminders.nag_at is None
    reminders, _ = make()
    assert reminders.due(due, BERLIN, Conditions(not_now=True))[0].reason is SkipReason.NOT_NOW
    reminders, now = make()
    assert reminders.skip_today(now, BERLIN).reason is SkipReason.SKIPPED_TODAY
    assert reminders.due(due, BERLIN, OK)[0].reason is SkipReason.SKIPPED_TODAY
    assert reminders.due(local("2026-03-04 18:00"), BERLIN, OK)[0].event is ReminderEvent.SENT


def _skipped(reason: SkipReason):  # type: ignore[no-untyped-def]
    from custom_components.backward_walking.core.reminders import Outcome

    return Outcome(ReminderEvent.SKIPPED, reason)


def test_snooze() -> None:
    reminders, _ = make()
    reminders.due(local("2026-03-02 18:00"), BERLIN, OK)
    reminders.snooze(local("2026-03-02 18:01"), 15)
    assert reminders.nag_at is None
    assert reminders.due_at == local("2026-03-02 18:16")
    assert reminders.due(local("2026-03-02 18:16"), BERLIN, OK)[0].event is ReminderEvent.SENT
    assert reminders.snoozed_until is None


def test_nag_is_skipped_when_the_goal_is_met_meanwhile() -> None:
    reminders, _ = make()
    reminders.due(local("2026-03-02 18:00"), BERLIN, OK)
    outcome = reminders.due(local("2026-03-02 18:15"), BERLIN, Conditions(goal_met_today=True))
    assert outcome[0].reason is SkipReason.GOAL_MET
    assert reminders.nag_at is None


def test_downtime_grace() -> None:
    reminders, _ = make(grace_minutes=30)
    assert reminders.resume_after_downtime(local("2026-03-02 18:20"), BERLIN, OK)[0].event is (
        ReminderEvent.SENT
    )
    assert reminders.next_at == local("2026-03-04 18:00")
    late, _ = make(grace_minutes=30)
    [outcome] = late.resume_after_downtime(local("2026-03-02 19:00"), BERLIN, OK)
    assert outcome.reason is SkipReason.TOO_LATE
    # Several missed reminders never make a burst.
    gone, _ = make(grace_minutes=30)
    assert len(gone.resume_after_downtime(local("2026-03-09 18:10"), BERLIN, OK)) == 1
    assert gone.next_at == local("2026-03-11 18:00")
    nothing, _ = make()
    assert nothing.resume_after_downtime(local("2026-03-02 13:00"), BERLIN, OK) == []


def test_pending_nag_after_downtime() -> None:
    reminders, _ = make()
    reminders.due(local("2026-03-02 18:00"), BERLIN, OK)
    restored = Reminders(reminders.schedule)
    restored.restore(reminders.to_dict())
    assert restored.nag_at == local("2026-03-02 18:15")
    [nag] = restored.resume_after_downtime(local("2026-03-02 18:20"), BERLIN, OK)
    assert nag.repeat == 1


def test_round_trip_and_bad_data() -> None:
    reminders, now = make()
    reminders.snooze(now, 10)
    reminders.skip_today(now, BERLIN)
    copy = Reminders(reminders.schedule)
    copy.restore(reminders.to_dict())
    assert copy == reminders
    with pytest.raises((ValueError, KeyError)):
        copy.restore({"next_at": "soon"})


@given(
    st.sets(st.integers(0, 6), min_size=1),
    st.lists(st.times(), min_size=1, max_size=4),
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
)
def test_next_occurrence_is_after_and_on_a_chosen_day(
    days: set[int], times: list[time], after: datetime
) -> None:
    schedule = Schedule(
        frozenset(days), tuple(sorted({t.replace(second=0, microsecond=0) for t in times}))
    )
    start = after.replace(tzinfo=BERLIN)
    found = next_occurrence(schedule, start, BERLIN)
    assert found is not None
    assert found > start
    assert found - start <= timedelta(days=8)
    assert found.astimezone(BERLIN).weekday() in days


QUIET = {"quiet_start": time(21, 30), "quiet_end": time(8, 0)}


def _run(schedule: Schedule, until: str) -> list[tuple[str, str, int | str]]:
    """Answer every due moment from Monday noon until ``until``: (local time, event, repeat/reason)."""
    reminders = Reminders(schedule)
    reminders.plan(local("2026-03-02 12:00"), BERLIN)
    seen: list[tuple[str, str, int | str]] = []
    end = local(until)
    while (due := reminders.due_at) is not None and due <= end:
        for outcome in reminders.due(due, BERLIN, OK):
            detail = outcome.reason.value if outcome.reason else outcome.repeat
            seen.append((due.astimezone(BERLIN).strftime("%a %H:%M"), outcome.event.value, detail))
    return seen


SENT = ReminderEvent.SENT.value


@pytest.mark.parametrize(
    ("case", "schedule", "expected"),
    [
        (
            "no quiet hours: repeats every 45 minutes",
            Schedule(MON_WED_FRI, (time(21, 0),), nag_minutes=45, nag_count=2),
            [("Mon 21:00", SENT, 0), ("Mon 21:45", SENT, 1), ("Mon 22:30", SENT, 2)],
        ),
        (
            "postpone: the repeats wait for the end of quiet hours",
            Schedule(MON_WED_FRI, (time(21, 0),), nag_minutes=45, nag_count=2, **QUIET),
            [("Mon 21:00", SENT, 0), ("Tue 08:00", SENT, 1), ("Tue 08:45", SENT, 2)],
        ),
        (
            "skip: a repeat inside quiet hours is dropped",
            Schedule(
                MON_WED_FRI,
                (time(21, 0),),
                nag_minutes=45,
                nag_count=2,
                quiet_mode=QuietMode.SKIP,
                **QUIET,
            ),
            [("Mon 21:00", SENT, 0)],
        ),
        (
            "postpone onto the next reminder: that one covers it, one message at 08:00",
            Schedule(
                frozenset(range(7)), (time(8, 0), time(21, 0)), nag_minutes=45, nag_count=2, **QUIET
            ),
            [
                ("Mon 21:00", SENT, 0),
                ("Tue 08:00", SENT, 0),
                ("Tue 08:45", SENT, 1),
                ("Tue 09:30", SENT, 2),
            ],
        ),
        (
            "quiet hours in the afternoon",
            Schedule(
                MON_WED_FRI,
                (time(12, 30),),
                nag_minutes=30,
                nag_count=2,
                quiet_start=time(13, 0),
                quiet_end=time(15, 0),
            ),
            [("Mon 12:30", SENT, 0), ("Mon 15:00", SENT, 1), ("Mon 15:30", SENT, 2)],
        ),
    ],
)
def test_repeats_respect_quiet_hours(
    case: str, schedule: Schedule, expected: list[tuple[str, str, int | str]]
) -> None:
    assert _run(schedule, "2026-03-03 12:00") == expected, case


@pytest.mark.parametrize(
    ("case", "up_at", "mode", "times", "now", "later"),
    [
        ("before quiet hours: sent at once", "21:20", QuietMode.POSTPONE, (21,), [SENT], []),
        (
            "in quiet hours: waits for their end",
            "21:40",
            QuietMode.POSTPONE,
            (21,),
            [],
            ["Tue 08:00"],
        ),
        ("in quiet hours, skip mode", "21:40", QuietMode.SKIP, (21,), ["quiet_hours"], []),
        (
            "the morning reminder covers it",
            "21:40",
            QuietMode.POSTPONE,
            (8, 21),
            ["quiet_hours"],
            [],
        ),
        ("beyond the grace window", "22:30", QuietMode.POSTPONE, (21,), ["too_late"], []),
    ],
)
def test_catch_up_after_downtime_respects_quiet_hours(
    case: str,
    up_at: str,
    mode: QuietMode,
    times: tuple[int, ...],
    now: list[str],
    later: list[str],
) -> None:
    schedule = Schedule(
        MON_WED_FRI if times == (21,) else frozenset(range(7)),
        tuple(time(hour, 0) for hour in times),
        nag_count=0,
        grace_minutes=60,
        quiet_mode=mode,
        **QUIET,
    )
    reminders = Reminders(schedule)
    reminders.plan(local("2026-03-02 20:00"), BERLIN)  # then Home Assistant is down until up_at
    outcomes = reminders.resume_after_downtime(local(f"2026-03-02 {up_at}"), BERLIN, OK)
    assert [o.reason.value if o.reason else o.event.value for o in outcomes] == now, case
    waiting = reminders.snoozed_until
    assert ([waiting.astimezone(BERLIN).strftime("%a %H:%M")] if waiting else []) == later, case
    if waiting is not None:
        assert reminders.due_at == waiting
        assert [o.event for o in reminders.due(waiting, BERLIN, OK)] == [ReminderEvent.SENT]


def test_overdue_repeat_after_downtime_waits_for_the_end_of_quiet_hours() -> None:
    reminders = Reminders(
        Schedule(MON_WED_FRI, (time(21, 0),), nag_minutes=20, nag_count=2, **QUIET)
    )
    reminders.plan(local("2026-03-02 20:00"), BERLIN)
    reminders.due(local("2026-03-02 21:00"), BERLIN, OK)
    assert reminders.nag_at == local("2026-03-02 21:20")
    restored = Reminders(reminders.schedule)
    restored.restore(reminders.to_dict())
    assert restored.resume_after_downtime(local("2026-03-02 21:40"), BERLIN, OK) == []
    assert restored.nag_at == local("2026-03-03 08:00")
    [repeat] = restored.due(local("2026-03-03 08:00"), BERLIN, OK)
    assert (repeat.event, repeat.repeat) == (ReminderEvent.SENT, 1)
    # Quiet hours set while a repeat was pending still hold when it falls due.
    late = Reminders(Schedule(MON_WED_FRI, (time(21, 0),), nag_minutes=40, nag_count=1))
    late.plan(local("2026-03-02 20:00"), BERLIN)
    late.due(local("2026-03-02 21:00"), BERLIN, OK)
    late.schedule = Schedule(
        MON_WED_FRI, (time(21, 0),), nag_minutes=40, nag_count=1, quiet_mode=QuietMode.SKIP, **QUIET
    )
    [skipped] = late.due(local("2026-03-02 21:40"), BERLIN, OK)
    assert skipped.reason is SkipReason.QUIET_HOURS
    assert late.due_at == local("2026-03-04 21:00")
