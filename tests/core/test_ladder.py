"""Check-in ladder: answer, no answer, need help, re-alerts, acknowledge, persistence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.backward_walking.core.ladder import (
    CheckInAnswered,
    CheckInCause,
    CheckInEvent,
    CheckInOk,
    CheckInQuestion,
    CheckInState,
    CheckInStep,
    CheckInTimings,
    CheckInView,
    EmergencyAcknowledged,
    EmergencyAlert,
    EscalationCause,
    Ladder,
    NotOpen,
)
from custom_components.backward_walking.core.messages import Channel, SafetyEvent
from custom_components.backward_walking.core.safety import (
    Assessment,
    Hazard,
    Reason,
    Role,
    Verdict,
)

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
FALLEN = Reason("b.fall", Role.FALL, Hazard.FALL, "on", Verdict.FALL)
PATH = Assessment(Verdict.FALL, (FALLEN,))
TIMINGS = CheckInTimings(check_in_s=60, realert_s=120)
VOICE = replace(TIMINGS, ask_again=True)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def steps(announced: list[CheckInStep] | NotOpen) -> list[str]:
    """What a transition did, by name: its event, a second question, or a re-alert."""
    assert not isinstance(announced, NotOpen)
    names = []
    for item in announced:
        if isinstance(item, CheckInEvent):
            names.append(str(item.type))
        elif isinstance(item, CheckInQuestion) and item.again:
            names.append("check_in_asked_again")
        elif isinstance(item, EmergencyAlert) and item.repeat:
            names.append("emergency_realert")
    return names


def saved(ladder: Ladder, key: str) -> object:
    return ladder.to_dict()[key]


def test_answered_check_in() -> None:
    ladder = Ladder(TIMINGS)
    assert steps(ladder.request(CheckInCause.FALL, T0, PATH)) == ["check_in_requested"]
    assert (ladder.view.state, ladder.view.deadline) == (CheckInState.AWAITING_RESPONSE, at(60))
    assert ladder.request(CheckInCause.INACTIVITY, at(1), PATH) == []
    assert ladder.tick(at(59), PATH) == []
    assert steps(ladder.answer_ok(PATH, None)) == ["check_in_acknowledged"]
    assert ladder.view == CheckInView()


def test_no_answer_escalates_and_repeats_until_acknowledged() -> None:
    ladder = Ladder(TIMINGS)
    ladder.request(CheckInCause.INACTIVITY, T0, PATH)
    assert steps(ladder.tick(at(60), PATH)) == ["emergency_escalated"]
    view = ladder.view
    assert (view.state, view.escalation) == (CheckInState.ESCALATED, EscalationCause.NO_ANSWER)
    assert ladder.tick(at(100), PATH) == []
    assert steps(ladder.tick(at(180), PATH)) == ["emergency_realert"]
    # A long gap (HA was busy or down) gives one re-alert, not a burst.
    assert steps(ladder.tick(at(2000), PATH)) == ["emergency_realert"]
    assert ladder.view.deadline == at(2120)
    assert ladder.answer_ok(PATH, None) == NotOpen(CheckInState.ESCALATED)
    assert steps(ladder.acknowledge_emergency(at(2001), PATH, "Anna")) == ["emergency_acknowledged"]
    assert ladder.view.state is CheckInState.IDLE


def test_need_help() -> None:
    ladder = Ladder()
    ladder.request(CheckInCause.FALL, T0, PATH)
    assert steps(ladder.need_help(at(5), PATH)) == ["emergency_escalated"]
    assert ladder.view.escalation is EscalationCause.NEED_HELP
    assert ladder.need_help(at(6), PATH) == []
    # Help asked for without an open check-in escalates too.
    fresh = Ladder()
    assert steps(fresh.need_help(T0, PATH)) == ["emergency_escalated"]
    assert fresh.view.cause is CheckInCause.HELP


def test_answers_that_do_not_fit() -> None:
    ladder = Ladder()
    assert ladder.answer_ok(PATH, "Anna") == NotOpen(CheckInState.IDLE)
    assert ladder.acknowledge_emergency(T0, PATH, "Anna") == NotOpen(CheckInState.IDLE)
    assert ladder.tick(T0, PATH) == []


def test_what_each_transition_announces() -> None:
    """The events carry the path at that moment; the messages what their texts need."""
    ladder = Ladder(replace(TIMINGS, tier2_after=0))
    requested = ladder.request(CheckInCause.FALL, T0, PATH)
    details = (CheckInCause.FALL, None, T0, None, Verdict.FALL, (FALLEN,))
    assert requested == [
        CheckInEvent(SafetyEvent.CHECK_IN_REQUESTED, *details),
        CheckInQuestion(Channel.NOTIFY_WALKER),
        CheckInQuestion(Channel.SPEAK),
    ]
    escalated = ladder.tick(at(60), PATH)
    assert escalated == [
        CheckInEvent(
            SafetyEvent.EMERGENCY_ESCALATED,
            CheckInCause.FALL,
            EscalationCause.NO_ANSWER,
            T0,
            None,
            Verdict.FALL,
            (FALLEN,),
        ),
        EmergencyAlert(CheckInCause.FALL, EscalationCause.NO_ANSWER, T0, None, repeat=False),
    ]
    # With no re-alert left unanswered before the second tier, the first re-alert reaches it.
    assert ladder.tick(at(180), PATH) == [
        EmergencyAlert(CheckInCause.FALL, EscalationCause.NO_ANSWER, T0, 2, repeat=True)
    ]
    clear = Assessment(Verdict.CLEAR)
    acknowledged = ladder.acknowledge_emergency(at(200), clear, "Anna")
    assert acknowledged == [
        CheckInAnswered(
            SafetyEvent.EMERGENCY_ACKNOWLEDGED,
            CheckInCause.FALL,
            EscalationCause.NO_ANSWER,
            T0,
            2,
            Verdict.CLEAR,
            (),
            "Anna",
        ),
        EmergencyAcknowledged("Anna", at(200), 2),
    ]
    ladder.request(CheckInCause.INACTIVITY, at(300), clear)
    assert ladder.answer_ok(clear, None) == [
        CheckInAnswered(
            SafetyEvent.CHECK_IN_ACKNOWLEDGED,
            CheckInCause.INACTIVITY,
            None,
            at(300),
            None,
            Verdict.CLEAR,
            (),
            None,
        ),
        CheckInOk(None),
    ]


def test_round_trip() -> None:
    ladder = Ladder()
    ladder.request(CheckInCause.FALL, T0, PATH)
    ladder.tick(at(60), PATH)
    restored = Ladder()
    restored.restore(ladder.to_dict())
    assert (restored.view, restored.to_dict()) == (ladder.view, ladder.to_dict())
    idle = Ladder()
    idle.restore(Ladder().to_dict())
    assert idle.view.state is CheckInState.IDLE


@pytest.mark.parametrize(
    "data",
    [
        {"state": "panic", "cause": None, "escalation": None, "started_at": None, "deadline": None},
        {
            "state": "escalated",
            "cause": None,
            "escalation": None,
            "started_at": None,
            "deadline": None,
        },
        {"state": "idle"},
        ["state", "idle"],
        {"state": "idle", "cause": None, "escalation": None, "started_at": 5, "deadline": None},
        {
            "state": "escalated",
            "cause": "fall",
            "escalation": "no_answer",
            "started_at": None,
            "deadline": "2026-03-01T08:00:00+00:00",
            "realerts": 1e400,
        },
    ],
)
def test_restore_rejects_bad_data(data: object) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        Ladder().restore(data)


def test_unanswered_realerts_are_counted_and_kept() -> None:
    ladder = Ladder(TIMINGS)
    ladder.need_help(T0, PATH)
    assert saved(ladder, "realerts") == 0
    ladder.tick(at(120), PATH)
    ladder.tick(at(240), PATH)
    assert saved(ladder, "realerts") == 2
    copy = Ladder()
    copy.restore(ladder.to_dict())
    assert saved(copy, "realerts") == 2
    # Saved before re-alerts were counted: none counted.
    old = {k: v for k, v in ladder.to_dict().items() if k != "realerts"}
    copy.restore(old)
    assert saved(copy, "realerts") == 0
    ladder.acknowledge_emergency(at(250), PATH, None)
    assert saved(ladder, "realerts") == 0


def test_voice_asks_again_once_at_half_time() -> None:
    ladder = Ladder(VOICE)
    announced = ladder.request(CheckInCause.FALL, T0, PATH)
    assert CheckInQuestion(Channel.ASK) in announced  # the satellite asks instead of the speaker
    assert ladder.due_at == at(30)
    assert ladder.tick(at(29), PATH) == []
    assert ladder.tick(at(30), PATH) == [CheckInQuestion(Channel.ASK, again=True)]
    assert (saved(ladder, "ask_again_at"), ladder.due_at) == (None, at(60))
    assert ladder.tick(at(45), PATH) == []
    assert steps(ladder.tick(at(60), PATH)) == ["emergency_escalated"]


def test_voice_never_asks_again_after_the_deadline_or_an_answer() -> None:
    late = Ladder(VOICE)
    late.request(CheckInCause.FALL, T0, PATH)
    # A wake-up that comes after the deadline escalates and does not ask first.
    assert steps(late.tick(at(61), PATH)) == ["emergency_escalated"]
    assert saved(late, "ask_again_at") is None
    answered = Ladder(VOICE)
    answered.request(CheckInCause.FALL, T0, PATH)
    answered.answer_ok(PATH, None)
    assert (saved(answered, "ask_again_at"), answered.tick(at(30), PATH)) == (None, [])
    helped = Ladder(VOICE)
    helped.request(CheckInCause.FALL, T0, PATH)
    helped.need_help(at(10), PATH)
    assert (saved(helped, "ask_again_at"), helped.tick(at(30), PATH)) == (None, [])


def test_without_voice_nothing_happens_at_half_time() -> None:
    ladder = Ladder(TIMINGS)
    ladder.request(CheckInCause.FALL, T0, PATH)
    assert (saved(ladder, "ask_again_at"), ladder.due_at, ladder.tick(at(30), PATH)) == (
        None,
        at(60),
        [],
    )


def test_ask_again_after_the_clock_stepped_back() -> None:
    ladder = Ladder(VOICE)
    ladder.request(CheckInCause.FALL, at(1000), PATH)
    # The clock went back 1000 s: the countdown restarts from now, the question halfway through.
    assert ladder.tick(T0, PATH) == []
    assert (ladder.view.deadline, ladder.due_at) == (at(60), at(30))
    assert steps(ladder.tick(at(30), PATH)) == ["check_in_asked_again"]


def test_ask_again_survives_a_restore_and_older_files_have_none() -> None:
    ladder = Ladder(VOICE)
    ladder.request(CheckInCause.FALL, T0, PATH)
    kept = ladder.to_dict()
    back = Ladder(VOICE)
    back.restore(kept)
    assert steps(back.tick(at(30), PATH)) == ["check_in_asked_again"]
    old = Ladder(VOICE)
    old.restore({k: v for k, v in kept.items() if k != "ask_again_at"})
    assert (saved(old, "ask_again_at"), old.tick(at(30), PATH), steps(old.tick(at(60), PATH))) == (
        None,
        [],
        ["emergency_escalated"],
    )


def test_no_second_question_once_the_satellite_was_removed() -> None:
    ladder = Ladder(VOICE)
    ladder.request(CheckInCause.FALL, T0, PATH)
    ladder.configure(TIMINGS)  # the walker's settings changed during the check-in
    assert (ladder.tick(at(30), PATH), saved(ladder, "ask_again_at")) == ([], None)
    assert steps(ladder.tick(at(60), PATH)) == ["emergency_escalated"]


def test_the_view_says_which_question_waits() -> None:
    ladder = Ladder(TIMINGS)
    assert ladder.view.awaiting_since is None
    ladder.request(CheckInCause.FALL, T0, PATH)
    assert ladder.view.awaiting_since == T0
    ladder.need_help(at(5), PATH)
    assert (ladder.view.started_at, ladder.view.awaiting_since) == (T0, None)


def test_the_view_says_why_the_check_in_opened_and_keeps_it_over_a_restore() -> None:
    falling = Assessment(Verdict.FALL, (FALLEN,), falling=frozenset({"b.fall", "b.mat"}))
    fell = Ladder(TIMINGS)
    fell.request(CheckInCause.FALL, T0, falling)
    assert (fell.view.fall_sensors, fell.view.no_movement_s) == (("b.fall", "b.mat"), None)
    still = Ladder(TIMINGS)
    still.request(CheckInCause.INACTIVITY, T0, PATH, no_movement_s=121.5)
    assert (still.view.fall_sensors, still.view.no_movement_s) == ((), 121.5)
    still.need_help(at(5), PATH)  # the emergency keeps why the question was asked
    assert still.view.no_movement_s == 121.5
    for ladder in (fell, still):
        back = Ladder(TIMINGS)
        back.restore(ladder.to_dict())
        assert back.view == ladder.view
    older = Ladder(TIMINGS)
    kept = fell.to_dict()
    older.restore({k: v for k, v in kept.items() if k not in ("fall_sensors", "no_movement_s")})
    assert (older.view.fall_sensors, older.view.no_movement_s) == ((), None)
    assert fell.acknowledge_emergency(at(1), PATH, None) == NotOpen(CheckInState.AWAITING_RESPONSE)
    fell.answer_ok(PATH, None)
    assert (fell.view.fall_sensors, fell.view.no_movement_s) == ((), None)


@pytest.mark.parametrize("damaged", [{"fall_sensors": 5}, {"no_movement_s": "long"}])
def test_a_damaged_why_is_refused(damaged: dict[str, object]) -> None:
    ladder = Ladder(TIMINGS)
    ladder.request(CheckInCause.FALL, T0, PATH)
    with pytest.raises((ValueError, TypeError)):
        Ladder().restore({**ladder.to_dict(), **damaged})
