"""Statistics: totals, streaks, weekly goal, bounded history and round-trips."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, strategies as st
import pytest

from custom_components.backward_walking.core.stats import (
    DAYS_KEPT,
    SESSIONS_KEPT,
    History,
    LiveContribution,
    PauseEntry,
    SessionRecord,
    summarize,
)

MONDAY = date(2026, 3, 2)


def record(day: date, backward_s: float = 600, completed: bool = True) -> SessionRecord:
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    return SessionRecord(
        started_at=start,
        ended_at=start + timedelta(seconds=backward_s + 60),
        completed=completed,
        program="backward_only",
        target_s=backward_s + 60,
        speed_mph=1.0,
        backward_s=backward_s,
        forward_s=60,
        rest_s=0,
        kcal=40.0,
        extra_kcal=10.0,
        pauses=(PauseEntry("user", start.isoformat(), 30.0),),
    )


def test_today_week_and_goal() -> None:
    history = History()
    history.add(record(MONDAY), MONDAY)
    history.add(record(MONDAY + timedelta(days=2), 1200), MONDAY + timedelta(days=2))
    history.add(record(MONDAY - timedelta(days=1)), MONDAY - timedelta(days=1))  # last week
    summary = summarize(history, MONDAY + timedelta(days=2), weekly_goal_min=60)
    assert summary.today_backward_min == 20
    assert summary.today_total_min == 21
    assert summary.week_backward_min == 30
    assert summary.week_total_min == 32
    assert summary.weekly_goal_progress == 50
    assert summary.sessions_completed == 3
    assert summary.last_session_end == record(MONDAY - timedelta(days=1)).ended_at


def test_live_session_counts_today() -> None:
    live = LiveContribution(MONDAY, backward_s=300, total_s=360)
    summary = summarize(History(), MONDAY, 60, live)
    assert (summary.today_backward_min, summary.today_total_min) == (5, 6)
    assert summary.week_backward_min == 5
    yesterday = summarize(History(), MONDAY + timedelta(days=1), 60, live)
    assert (yesterday.today_backward_min, yesterday.week_backward_min) == (0, 5)


def test_streaks() -> None:
    history = History()
    for offset in (0, 1, 2, 4, 5):
        day = MONDAY + timedelta(days=offset)
        history.add(record(day), day)
    history.add(record(MONDAY + timedelta(days=6), completed=False), MONDAY + timedelta(days=6))
    # Day 6 had only a stopped session: the streak 4-5 is still running on day 6, broken on day 7.
    assert history.current_streak(MONDAY + timedelta(days=6)) == 2
    assert history.current_streak(MONDAY + timedelta(days=7)) == 0
    # A session dated before the run (clock stepped back) leaves the run alone.
    history.add(record(MONDAY + timedelta(days=3)), MONDAY + timedelta(days=3))
    assert history.current_streak(MONDAY + timedelta(days=6)) == 2
    summary = summarize(history, MONDAY + timedelta(days=7), 60)
    assert (summary.current_streak, summary.longest_streak) == (0, 3)
    assert summary.sessions_completed == 6


def test_history_stays_bounded() -> None:
    history = History()
    first = MONDAY - timedelta(days=DAYS_KEPT + 50)
    for offset in range(DAYS_KEPT + 51):
        day = first + timedelta(days=offset)
        history.add(record(day), day)
    assert len(history.days) == DAYS_KEPT + 1
    assert len(history.sessions) == SESSIONS_KEPT
    assert history.sessions_completed == DAYS_KEPT + 51
    assert history.longest_streak == DAYS_KEPT + 51


def test_round_trip() -> None:
    history = History()
    history.add(record(MONDAY), MONDAY)
    history.add(record(MONDAY, completed=False), MONDAY)
    assert History.from_dict(history.to_dict()) == history


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"days": {"not-a-date": {}}, "sessions": [], "sessions_completed": 0, "longest_streak": 0},
        {"days": {}, "sessions": [{"started_at": 1}], "sessions_completed": 0, "longest_streak": 0},
        {
            "days": {},
            "sessions": [],
            "sessions_completed": 0,
            "longest_streak": 0,
            "run_end": "x",
            "run_length": 1,
        },
        {
            "days": {"2026-01-01": {"bogus": 1}},
            "sessions": [],
            "sessions_completed": 0,
            "longest_streak": 0,
        },
    ],
)
def test_from_dict_rejects_bad_data(data: dict[str, object]) -> None:
    with pytest.raises((KeyError, ValueError, TypeError)):
        History.from_dict(data)


def test_zero_goal_means_no_progress() -> None:
    assert summarize(History(), MONDAY, 0).weekly_goal_progress == 0


@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.floats(0, 3600), st.booleans()), min_size=0, max_size=40
    )
)
def test_totals_equal_a_recomputation(entries: list[tuple[int, float, bool]]) -> None:
    history = History()
    for offset, backward_s, completed in sorted(entries):
        day = MONDAY + timedelta(days=offset)
        history.add(record(day, backward_s, completed), day)
    today = MONDAY + timedelta(days=60)
    summary = summarize(history, today, 60)
    week_start = today - timedelta(days=today.weekday())
    expected_week = sum(b for o, b, _ in entries if MONDAY + timedelta(days=o) >= week_start)
    assert summary.week_backward_min == pytest.approx(expected_week / 60)
    assert summary.sessions_completed == sum(c for _, _, c in entries)
    assert History.from_dict(history.to_dict()) == history
