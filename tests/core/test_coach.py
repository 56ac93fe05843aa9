"""Coach rules as tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from custom_components.backward_walking.core.coach import (
    BEGINNER_SESSION_MIN,
    BEGINNER_SPEED_MPH,
    BEGINNER_WEEKLY_MIN,
    WeekReview,
    next_target,
    review,
    suggest,
    week_start,
)
from custom_components.backward_walking.core.stats import PauseEntry, SessionRecord

MONDAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("target", "week", "expected", "step"),
    [
        (20, None, 20, 0),  # no session: hold
        (20, WeekReview(0, 0, 0), 20, 0),
        (20, WeekReview(25, 3, 0), 22, 1),  # clean, reached: +10 %
        (20, WeekReview(20, 2, 0), 22, 1),
        (20, WeekReview(12, 2, 0), 20, 0),  # clean, below target: hold
        (20, WeekReview(30, 3, 1), 20, 0),  # one safety pause or early stop: hold
        (20, WeekReview(30, 3, 2), 18, -1),  # two or more: step back 10 %
        (16, WeekReview(30, 1, 3), BEGINNER_WEEKLY_MIN, -1),  # never below the beginner plan
        (20, WeekReview(0, 0, 1), 20, 0),
    ],
)
def test_weekly_rules(target: float, week: WeekReview | None, expected: float, step: int) -> None:
    new, speed_step = next_target(target, week)
    assert new == pytest.approx(expected)
    assert speed_step == step


def record(
    day: date, minutes: float, completed: bool = True, pause: str | None = None
) -> SessionRecord:
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    return SessionRecord(
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        completed=completed,
        program="backward_only",
        target_s=minutes * 60,
        speed_mph=1.0,
        backward_s=minutes * 60,
        forward_s=0,
        rest_s=0,
        kcal=1,
        extra_kcal=0,
        pauses=(PauseEntry(pause, start.isoformat(), 10),) if pause else (),
    )


def test_beginner_plan_without_history() -> None:
    advice = suggest({}, MONDAY, 3, walker_speed_mph=2.0)
    assert (advice.weekly_target_min, advice.session_min, advice.speed_mph) == (
        BEGINNER_WEEKLY_MIN,
        BEGINNER_SESSION_MIN,
        BEGINNER_SPEED_MPH,
    )
    assert advice.progress_pct == 0
    slow = suggest({}, MONDAY, 3, walker_speed_mph=0.6)
    assert slow.speed_mph == 0.6


def test_progression_over_weeks() -> None:
    sessions = []
    for week in range(4):  # four clean weeks, 3 × 6 min each
        for day in (0, 2, 4):
            when = MONDAY + timedelta(days=7 * week + day)
            sessions.append((when, record(when, 6)))
    weeks = review(sessions)
    assert weeks[MONDAY] == WeekReview(18, 3, 0)
    advice = suggest(weeks, MONDAY + timedelta(days=28), 3, walker_speed_mph=2.0)
    # Target 15 → 16.5 → 18.15 after two weeks reaching it; 18 walked < 18.15 then holds it.
    assert advice.weekly_target_min == pytest.approx(18.2, abs=0.1)
    assert advice.session_min == 6
    assert advice.speed_mph == pytest.approx(1.2)


def test_trouble_steps_back_speed_and_target() -> None:
    when = MONDAY
    sessions = [
        (when, record(when, 10, pause="hazard")),
        (when + timedelta(days=1), record(when + timedelta(days=1), 3, completed=False)),
    ]
    advice = suggest(review(sessions), MONDAY + timedelta(days=7), 3, walker_speed_mph=2.0)
    assert advice.weekly_target_min == BEGINNER_WEEKLY_MIN
    assert advice.speed_mph == pytest.approx(0.9)


def test_current_week_progress_and_session_bounds() -> None:
    sessions = [(MONDAY, record(MONDAY, 10))]
    advice = suggest(review(sessions), MONDAY, 1, walker_speed_mph=1.0)
    assert advice.week_backward_min == 10
    assert advice.progress_pct == pytest.approx(10 / BEGINNER_WEEKLY_MIN * 100)
    assert advice.session_min == BEGINNER_WEEKLY_MIN  # 15 min in one session, within 5–20


def test_week_start() -> None:
    assert week_start(date(2026, 3, 8)) == MONDAY
    assert week_start(MONDAY) == MONDAY
