"""Reminder schedule: weekly days and times, quiet hours, nagging, snooze, skip-today, downtime grace.

All times are aware datetimes; the schedule is read in the time zone passed in (Home Assistant's), so
a reminder at 07:30 stays at 07:30 local time across daylight-saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
import re
from typing import Any, ClassVar

from .isodates import iso, parse_date, parse_datetime
from .names import shorten, visible
from .options import GRACE_MINUTES, NAG_MINUTES
from .saved import mapping, whole

_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
MAX_TIMES_PER_DAY = 6


class QuietMode(StrEnum):
    """What happens to a reminder that falls inside quiet hours."""

    POSTPONE = "postpone"
    SKIP = "skip"


class ReminderEvent(StrEnum):
    """What the reminders report for the event entity."""

    SENT = "reminder_sent"
    SNOOZED = "reminder_snoozed"
    SKIPPED = "reminder_skipped"


class SkipReason(StrEnum):
    """Why a due reminder was not sent."""

    GOAL_MET = "goal_met"
    NOT_NOW = "not_now"
    QUIET_HOURS = "quiet_hours"
    SKIPPED_TODAY = "skipped_today"
    TOO_LATE = "too_late"


class ReminderTimesError(ValueError):
    """A times text could not be read; ``token`` is the offending part (shortened, made visible)."""

    def __init__(self, token: str) -> None:
        token = shorten(visible(token))
        super().__init__(token)
        self.token = token


def parse_times(text: str) -> tuple[time, ...]:
    """Read ``07:30, 18:00`` into sorted times (at most six, no duplicates)."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    found: set[time] = set()
    for part in parts:
        match = _TIME.match(part)
        if match is None:
            raise ReminderTimesError(part)
        found.add(time(int(match.group(1)), int(match.group(2))))
    if len(found) > MAX_TIMES_PER_DAY:
        raise ReminderTimesError(parts[MAX_TIMES_PER_DAY])
    return tuple(sorted(found))


def format_times(times: tuple[time, ...]) -> str:
    """The text form of ``times``."""
    return ", ".join(t.strftime("%H:%M") for t in times)


def in_quiet_hours(moment: time, start: time | None, end: time | None) -> bool:
    """Whether ``moment`` is inside quiet hours [start, end), which may cross midnight."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


@dataclass(frozen=True, slots=True)
class Schedule:
    """When to remind, in local time."""

    days: frozenset[int] = frozenset()  # 0 = Monday … 6 = Sunday
    times: tuple[time, ...] = ()
    quiet_start: time | None = None
    quiet_end: time | None = None
    quiet_mode: QuietMode = QuietMode.POSTPONE
    nag_minutes: int = NAG_MINUTES.default
    nag_count: int = 0  # a bare schedule does not nag; the walker's comes with the option's default
    grace_minutes: int = GRACE_MINUTES.default

    @property
    def active(self) -> bool:
        """Whether anything is scheduled at all."""
        return bool(self.days and self.times)


def _local(day: date, at: time, zone: tzinfo) -> datetime:
    # Normalising through UTC turns a time inside a spring-forward gap into the hour after it.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC).astimezone(zone)


def next_occurrence(schedule: Schedule, after: datetime, zone: tzinfo) -> datetime | None:
    """The first scheduled moment strictly after ``after``, with quiet hours applied."""
    if not schedule.active:
        return None
    start = after.astimezone(zone).date()
    for offset in range(9):
        day = start + timedelta(days=offset)
        if day.weekday() not in schedule.days:
            continue
        for at in schedule.times:
            moment = _moved_out_of_quiet_hours(schedule, _local(day, at, zone), zone)
            if moment is not None and moment > after:
                return moment
    return None


def _moved_out_of_quiet_hours(
    schedule: Schedule, moment: datetime, zone: tzinfo
) -> datetime | None:
    if not in_quiet_hours(
        moment.timetz().replace(tzinfo=None), schedule.quiet_start, schedule.quiet_end
    ):
        return moment
    if schedule.quiet_mode is QuietMode.SKIP:
        return None
    assert schedule.quiet_start is not None
    assert schedule.quiet_end is not None
    end_day = moment.date()
    if schedule.quiet_start > schedule.quiet_end and moment.time() >= schedule.quiet_start:
        end_day += timedelta(days=1)  # quiet hours run past midnight: they end tomorrow
    return _local(end_day, schedule.quiet_end, zone)


@dataclass(frozen=True, slots=True)
class Conditions:
    """What the engine knows about the walker's day when a reminder falls due."""

    goal_met_today: bool = False
    not_now: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to do now: send (``repeat`` for a nag) or report a skip."""

    event: ReminderEvent
    reason: SkipReason | None = None
    repeat: int = 0


@dataclass(frozen=True, slots=True)
class ReminderSent:
    """A reminder went out: ``repeat`` counts the nags (0: the reminder), for ``minutes``."""

    type: ClassVar[ReminderEvent] = ReminderEvent.SENT
    repeat: int
    minutes: float


@dataclass(frozen=True, slots=True)
class ReminderSkipped:
    """A reminder that fell due was not sent, and why."""

    type: ClassVar[ReminderEvent] = ReminderEvent.SKIPPED
    reason: SkipReason | None


@dataclass(frozen=True, slots=True)
class ReminderSnoozed:
    """The walker will be reminded again at ``until``."""

    type: ClassVar[ReminderEvent] = ReminderEvent.SNOOZED
    until: datetime | None


type ReminderRecord = ReminderSent | ReminderSkipped | ReminderSnoozed


@dataclass(slots=True)
class Reminders:
    """The reminder state of one walker: the next scheduled time, a snooze, the nagging."""

    schedule: Schedule = field(default_factory=Schedule)
    next_at: datetime | None = None
    snoozed_until: datetime | None = None
    nag_at: datetime | None = None
    nags_sent: int = 0
    skipped_day: date | None = None

    def plan(self, now: datetime, zone: tzinfo) -> None:
        """Set the next scheduled reminder after ``now`` (keeps snooze and nagging)."""
        self.next_at = next_occurrence(self.schedule, now, zone)

    @property
    def due_at(self) -> datetime | None:
        """The next moment something must happen."""
        candidates = [t for t in (self.next_at, self.snoozed_until, self.nag_at) if t is not None]
        return min(candidates, default=None)

    def resume_after_downtime(
        self, now: datetime, zone: tzinfo, conditions: Conditions
    ) -> list[Outcome]:
        """At start-up: a reminder missed while down is sent once if within the grace window.

        Inside quiet hours it is moved to their end or skipped, like any other reminder.
        """
        outcomes: list[Outcome] = []
        missed = [t for t in (self.next_at, self.snoozed_until) if t is not None and t <= now]
        self.plan(now, zone)
        if missed:
            latest = max(missed)
            self.snoozed_until = None
            if now - latest <= timedelta(minutes=self.schedule.grace_minutes):
                outcomes = self._send(now, zone, conditions)
            else:
                outcomes = [Outcome(ReminderEvent.SKIPPED, SkipReason.TOO_LATE)]
        if self.nag_at is not None and self.nag_at <= now and not outcomes:
            outcomes = self.due(now, zone, conditions)
        return outcomes

    def due(self, now: datetime, zone: tzinfo, conditions: Conditions) -> list[Outcome]:
        """Call at ``due_at``: the reminder, a nag, a snoozed reminder, or a skip."""
        if self.snoozed_until is not None and self.snoozed_until <= now:
            self.snoozed_until = None
            return self._send(now, zone, conditions)
        if self.nag_at is not None and self.nag_at <= now:
            return self._nag(now, zone, conditions)
        if self.next_at is not None and self.next_at <= now:
            self.plan(now, zone)
            return self._send(now, zone, conditions)
        return []

    def _blocked(self, now: datetime, zone: tzinfo, conditions: Conditions) -> SkipReason | None:
        if self.skipped_day == now.astimezone(zone).date():
            return SkipReason.SKIPPED_TODAY
        if conditions.goal_met_today:
            return SkipReason.GOAL_MET
        if conditions.not_now:
            return SkipReason.NOT_NOW
        return None

    def _send(self, now: datetime, zone: tzinfo, conditions: Conditions) -> list[Outcome]:
        if (quiet := self._quiet_hours(now, zone, repeat=False)) is not None:
            return quiet
        if (reason := self._blocked(now, zone, conditions)) is not None:
            self.nag_at = None
            return [Outcome(ReminderEvent.SKIPPED, reason)]
        self.nags_sent = 0
        self._schedule_nag(now, zone)
        return [Outcome(ReminderEvent.SENT)]

    def _nag(self, now: datetime, zone: tzinfo, conditions: Conditions) -> list[Outcome]:
        self.nag_at = None
        if (quiet := self._quiet_hours(now, zone, repeat=True)) is not None:
            return quiet
        if (reason := self._blocked(now, zone, conditions)) is not None:
            return [Outcome(ReminderEvent.SKIPPED, reason)]
        self.nags_sent += 1
        self._schedule_nag(now, zone)
        return [Outcome(ReminderEvent.SENT, repeat=self.nags_sent)]

    def _schedule_nag(self, now: datetime, zone: tzinfo) -> None:
        self.nag_at = None
        if self.nags_sent < self.schedule.nag_count:
            self.nag_at = self._outside_quiet_hours(
                now + timedelta(minutes=self.schedule.nag_minutes), zone
            )

    def _outside_quiet_hours(self, moment: datetime, zone: tzinfo) -> datetime | None:
        """``moment``, or the end of the quiet hours it falls in; None when it is skipped instead.

        A reminder moved onto or past the next scheduled one is skipped too: that one covers it.
        """
        moved = _moved_out_of_quiet_hours(self.schedule, moment.astimezone(zone), zone)
        if moved is None or (moved > moment and self.next_at is not None and moved >= self.next_at):
            return None
        return moved

    def _quiet_hours(self, now: datetime, zone: tzinfo, *, repeat: bool) -> list[Outcome] | None:
        """What quiet hours make of a reminder (or repeat) due ``now``; None outside them.

        Inside them it waits for their end (an empty list: nothing now), or is skipped.
        """
        moved = self._outside_quiet_hours(now, zone)
        if moved is not None and moved <= now:
            return None
        if moved is None:
            self.nag_at = None
            return [Outcome(ReminderEvent.SKIPPED, SkipReason.QUIET_HOURS)]
        if repeat:
            self.nag_at = moved
        else:
            self.snoozed_until = moved  # waits like a snoozed reminder, across restarts too
        return []

    def answered(self) -> None:
        """A session started: stop nagging and forget a snooze."""
        self.nag_at = None
        self.snoozed_until = None

    def snooze(self, now: datetime, minutes: int) -> Outcome:
        """Remind again in ``minutes`` (replacing any nagging)."""
        self.nag_at = None
        self.snoozed_until = now + timedelta(minutes=minutes)
        return Outcome(ReminderEvent.SNOOZED)

    def skip_today(self, now: datetime, zone: tzinfo) -> Outcome:
        """No more reminders today."""
        self.skipped_day = now.astimezone(zone).date()
        self.nag_at = None
        self.snoozed_until = None
        return Outcome(ReminderEvent.SKIPPED, SkipReason.SKIPPED_TODAY)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready state (the schedule itself lives in the options)."""
        return {
            "next_at": iso(self.next_at),
            "snoozed_until": iso(self.snoozed_until),
            "nag_at": iso(self.nag_at),
            "nags_sent": self.nags_sent,
            "skipped_day": iso(self.skipped_day),
        }

    def restore(self, saved: object) -> None:
        """Take back saved state; raises ValueError/KeyError/TypeError on malformed data."""
        data = mapping(saved)
        self.next_at = parse_datetime(data["next_at"])
        self.snoozed_until = parse_datetime(data["snoozed_until"])
        self.nag_at = parse_datetime(data["nag_at"])
        self.nags_sent = whole(data["nags_sent"])
        self.skipped_day = parse_date(data["skipped_day"])
