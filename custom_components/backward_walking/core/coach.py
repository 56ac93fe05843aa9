"""Progression coach: the next session's length and speed, grown safely from the history.

Rules, week by week (weeks start on Monday, counted in backward minutes):

1. With no history the walker starts on the beginner plan: sessions of BEGINNER_SESSION_MIN minutes at
   BEGINNER_SPEED_MPH (about half a slow forward pace) and a weekly target of BEGINNER_WEEKLY_MIN.
2. A week is *clean* when it had at least one completed session and no session was paused for a hazard,
   a fall or a check-in, nor stopped early. After a clean week in which the target was reached, the
   target grows by GROWTH (10 %); after a clean week below target it holds.
3. After a week with one safety pause, check-in or early stop, the target holds; with two or more it
   steps back by GROWTH, never below the beginner target. A week without any session holds.
4. The suggested session is the weekly target spread over the planned sessions per week, between
   MIN_SESSION_MIN and MAX_SESSION_MIN minutes (retro-walking guidance: 10–20 minutes).
5. The suggested speed starts at the beginner speed and rises by SPEED_STEP_MPH after each clean week,
   up to the walker's own speed; it steps back by the same after a troubled week.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .stats import SessionRecord

BEGINNER_SESSION_MIN = 5.0
BEGINNER_WEEKLY_MIN = 15.0
BEGINNER_SPEED_MPH = 1.0
GROWTH = 0.10
MIN_SESSION_MIN = 5.0
MAX_SESSION_MIN = 20.0
SPEED_STEP_MPH = 0.1
TROUBLE_REASONS = frozenset({"hazard", "fall", "check_in"})


@dataclass(frozen=True, slots=True)
class WeekReview:
    """What one week looked like to the coach."""

    backward_min: float
    completed: int
    troubles: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The coach's advice for this week and the next session."""

    weekly_target_min: float
    session_min: float
    speed_mph: float
    week_backward_min: float

    @property
    def progress_pct(self) -> float:
        """Share of the weekly target walked so far, in %."""
        return self.week_backward_min / self.weekly_target_min * 100


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def review(sessions: Iterable[tuple[date, SessionRecord]]) -> dict[date, WeekReview]:
    """Group sessions by the week of their (local) start day."""
    weeks: dict[date, list[float]] = {}
    for day, record in sessions:
        entry = weeks.setdefault(week_start(day), [0.0, 0, 0])
        entry[0] += record.backward_s / 60
        entry[1] += int(record.completed)
        troubled = not record.completed or any(p.reason in TROUBLE_REASONS for p in record.pauses)
        entry[2] += int(troubled)
    return {week: WeekReview(v[0], int(v[1]), int(v[2])) for week, v in weeks.items()}


def next_target(target: float, week: WeekReview | None) -> tuple[float, int]:
    """The target after ``week`` and the speed step (+1, 0 or -1) it earns."""
    if week is None or (week.completed == 0 and week.troubles == 0):
        return target, 0
    if week.troubles >= 2:
        return max(target * (1 - GROWTH), BEGINNER_WEEKLY_MIN), -1
    if week.troubles == 1:
        return target, 0
    if week.backward_min >= target:
        return target * (1 + GROWTH), 1
    return target, 0


def suggest(
    weeks: dict[date, WeekReview],
    this_week: date,
    sessions_per_week: int,
    walker_speed_mph: float,
) -> Suggestion:
    """Replay the weeks up to ``this_week`` and advise."""
    target = BEGINNER_WEEKLY_MIN
    speed = min(BEGINNER_SPEED_MPH, walker_speed_mph)
    if weeks:
        week = min(weeks)
        while week < this_week:
            target, step = next_target(target, weeks.get(week))
            speed = min(max(speed + step * SPEED_STEP_MPH, 0.3), max(walker_speed_mph, 0.3))
            week += timedelta(days=7)
    current = weeks.get(this_week)
    per_session = target / max(sessions_per_week, 1)
    if not weeks:
        per_session = BEGINNER_SESSION_MIN
    session = min(max(per_session, MIN_SESSION_MIN), MAX_SESSION_MIN)
    return Suggestion(
        weekly_target_min=round(target, 1),
        session_min=round(session),
        speed_mph=round(speed, 2),
        week_backward_min=current.backward_min if current else 0.0,
    )


class WeeklyCoach:
    """The coach's advice for the walker's week, worked out again only when it can change."""

    __slots__ = ("_advice", "_key")

    def __init__(self) -> None:
        """Nothing worked out yet."""
        self._key: tuple[object, ...] | None = None
        self._advice: Suggestion | None = None

    def advice(
        self,
        sessions: Sequence[SessionRecord],
        today: date,
        local_date: Callable[[datetime], date],
        sessions_per_week: int,
        speed_mph: float,
    ) -> Suggestion:
        """The suggestion for the week of ``today``; worked out again when the history or plan changes."""
        this_week = week_start(today)
        key = (
            this_week,
            len(sessions),
            sessions[-1].ended_at if sessions else None,
            sessions_per_week,
            speed_mph,
        )
        if self._advice is None or self._key != key:
            weeks = review((local_date(r.started_at), r) for r in sessions)
            self._advice = suggest(weeks, this_week, sessions_per_week, speed_mph)
            self._key = key
        return self._advice
