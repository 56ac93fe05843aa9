"""Statistics and bounded history: daily totals for two years plus the last sessions.

Days are local calendar dates chosen by the caller (the shell uses Home Assistant's time zone); a
session counts on the day it started. Weeks start on Monday.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .isodates import iso, parse_date
from .saved import mapping, whole

DAYS_KEPT = 730
SESSIONS_KEPT = 200


@dataclass(slots=True)
class DayTotals:
    """What one calendar day added up to."""

    backward_s: float = 0.0
    total_s: float = 0.0
    completed: int = 0
    stopped: int = 0
    kcal: float = 0.0

    @classmethod
    def from_dict(cls, saved: object) -> DayTotals:
        """Rebuild from JSON (missing figures are 0); raises TypeError/ValueError if damaged."""
        given = cls(**mapping(saved))
        return cls(
            float(given.backward_s),
            float(given.total_s),
            whole(given.completed),
            whole(given.stopped),
            float(given.kcal),
        )


@dataclass(frozen=True, slots=True)
class PauseEntry:
    """A pause as kept in the history."""

    reason: str
    started_at: str
    duration_s: float


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A finished session as kept in the history."""

    started_at: datetime
    ended_at: datetime
    completed: bool
    program: str
    target_s: float
    speed_mph: float
    backward_s: float
    forward_s: float
    rest_s: float
    kcal: float
    extra_kcal: float
    pauses: tuple[PauseEntry, ...] = ()

    @property
    def total_s(self) -> float:
        """All time spent walking or resting in the session."""
        return self.backward_s + self.forward_s + self.rest_s

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat()
        data["ended_at"] = self.ended_at.isoformat()
        data["pauses"] = [asdict(pause) for pause in self.pauses]
        return data

    @classmethod
    def from_dict(cls, saved: object) -> SessionRecord:
        """Rebuild from JSON; raises KeyError/TypeError/ValueError on malformed data."""
        data = mapping(saved)
        return cls(
            started_at=datetime.fromisoformat(data["started_at"]),
            ended_at=datetime.fromisoformat(data["ended_at"]),
            completed=bool(data["completed"]),
            program=str(data["program"]),
            target_s=float(data["target_s"]),
            speed_mph=float(data["speed_mph"]),
            backward_s=float(data["backward_s"]),
            forward_s=float(data["forward_s"]),
            rest_s=float(data["rest_s"]),
            kcal=float(data["kcal"]),
            extra_kcal=float(data["extra_kcal"]),
            pauses=tuple(
                PauseEntry(str(p["reason"]), str(p["started_at"]), float(p["duration_s"]))
                for p in data["pauses"]
            ),
        )


@dataclass(frozen=True, slots=True)
class LiveContribution:
    """The session in progress, counted in today's figures before it is finished."""

    day: date
    backward_s: float
    total_s: float


@dataclass(frozen=True, slots=True)
class Summary:
    """The figures the entities show."""

    today_backward_min: float
    today_total_min: float
    week_backward_min: float
    week_total_min: float
    sessions_completed: int
    current_streak: int
    longest_streak: int
    last_session_end: datetime | None
    weekly_goal_progress: float


@dataclass(slots=True)
class History:
    """Bounded history of one walker; small forever (≈ 730 days + 200 sessions)."""

    days: dict[date, DayTotals] = field(default_factory=dict)
    sessions: list[SessionRecord] = field(default_factory=list)
    sessions_completed: int = 0
    longest_streak: int = 0
    # The latest run of consecutive days with a completed session, kept apart from ``days`` so that
    # streaks longer than the kept days are still counted.
    run_end: date | None = None
    run_length: int = 0

    @property
    def last_session_end(self) -> datetime | None:
        """When the most recent finished session ended."""
        return self.sessions[-1].ended_at if self.sessions else None

    def add(self, record: SessionRecord, day: date) -> None:
        """Count a finished session on ``day`` and keep the history bounded."""
        totals = self.days.setdefault(day, DayTotals())
        totals.backward_s += record.backward_s
        totals.total_s += record.total_s
        totals.kcal += record.kcal
        if record.completed:
            totals.completed += 1
            self.sessions_completed += 1
            self._extend_run(day)
        else:
            totals.stopped += 1
        self.sessions.append(record)
        self.prune(day)

    def _extend_run(self, day: date) -> None:
        if self.run_end is not None and day <= self.run_end:
            return  # same day, or a day before the run (clock stepped back): the run is unchanged
        if self.run_end == day - timedelta(days=1):
            self.run_length += 1
        else:
            self.run_length = 1
        self.run_end = day
        self.longest_streak = max(self.longest_streak, self.run_length)

    def current_streak(self, today: date) -> int:
        """The running streak; a day without a session yet does not break it until the day is over."""
        if self.run_end is None or self.run_end < today - timedelta(days=1):
            return 0
        return self.run_length

    def prune(self, today: date) -> None:
        """Drop days older than DAYS_KEPT and all but the last SESSIONS_KEPT sessions."""
        oldest = today - timedelta(days=DAYS_KEPT)
        for day in [day for day in self.days if day < oldest]:
            del self.days[day]
        del self.sessions[:-SESSIONS_KEPT]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "days": {day.isoformat(): asdict(totals) for day, totals in sorted(self.days.items())},
            "sessions": [record.to_dict() for record in self.sessions],
            "sessions_completed": self.sessions_completed,
            "longest_streak": self.longest_streak,
            "run_end": iso(self.run_end),
            "run_length": self.run_length,
        }

    @classmethod
    def from_dict(cls, saved: object) -> History:
        """Rebuild from JSON; raises ValueError, KeyError or TypeError on malformed data."""
        data = mapping(saved)
        days = {
            date.fromisoformat(key): DayTotals.from_dict(value)
            for key, value in mapping(data["days"]).items()
        }
        sessions = [SessionRecord.from_dict(item) for item in data["sessions"]]
        run_end = parse_date(data["run_end"])
        return cls(
            days,
            sessions,
            whole(data["sessions_completed"]),
            whole(data["longest_streak"]),
            run_end,
            whole(data["run_length"]),
        )


def summarize(
    history: History,
    today: date,
    weekly_goal_min: float,
    live: LiveContribution | None = None,
) -> Summary:
    """Today's and this week's figures, streaks and goal progress, the live session included."""
    week_start = today - timedelta(days=today.weekday())
    today_totals = history.days.get(today, DayTotals())
    week = [totals for day, totals in history.days.items() if week_start <= day <= today]
    today_backward, today_total = today_totals.backward_s, today_totals.total_s
    week_backward = sum(totals.backward_s for totals in week)
    week_total = sum(totals.total_s for totals in week)
    if live is not None and week_start <= live.day <= today:
        week_backward += live.backward_s
        week_total += live.total_s
        if live.day == today:
            today_backward += live.backward_s
            today_total += live.total_s
    streak = history.current_streak(today)
    progress = week_backward / 60 / weekly_goal_min * 100 if weekly_goal_min > 0 else 0.0
    return Summary(
        today_backward_min=today_backward / 60,
        today_total_min=today_total / 60,
        week_backward_min=week_backward / 60,
        week_total_min=week_total / 60,
        sessions_completed=history.sessions_completed,
        current_streak=streak,
        longest_streak=max(history.longest_streak, streak),
        last_session_end=history.last_session_end,
        weekly_goal_progress=progress,
    )
