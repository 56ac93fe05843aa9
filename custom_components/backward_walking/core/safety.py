"""Hallway safety policy: sensor readings → verdict with reasons. Fails closed.

A sensor that is missing, ``unavailable``, ``unknown``, or not a number where a number is needed counts as
unsafe (or, if the user chose so for that sensor, as a warning). Hazards may be debounced per sensor and
the verdict only returns to clear after every hazard has been gone for the clear-hold time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
import math

from .units import distance_in_metres


class Role(StrEnum):
    """What a sensor tells about the path."""

    OBSTACLE = "obstacle"
    DISTANCE = "distance"
    CROSSING = "crossing"
    LIGHT = "light"
    FALL = "fall"
    ACTIVITY = "activity"


class Verdict(StrEnum):
    """How safe the path is, from best to worst."""

    CLEAR = "clear"
    WARNING = "warning"
    UNSAFE = "unsafe"
    FALL = "fall"

    @property
    def rank(self) -> int:
        """Order of severity: CLEAR < WARNING < UNSAFE < FALL."""
        return _RANK[self]


_RANK = {Verdict.CLEAR: 0, Verdict.WARNING: 1, Verdict.UNSAFE: 2, Verdict.FALL: 3}


class Hazard(StrEnum):
    """Why a sensor makes the path less than clear."""

    OBSTACLE = "obstacle"
    TOO_CLOSE = "too_close"
    CROSSING = "crossing"
    TOO_DARK = "too_dark"
    FALL = "fall"
    SENSOR_UNAVAILABLE = "sensor_unavailable"


# Hazards that `force` may override when starting: warnings and sensors that cannot be read.
OVERRIDABLE = frozenset({Hazard.CROSSING, Hazard.SENSOR_UNAVAILABLE})
_UNREADABLE_STATES = frozenset({"unavailable", "unknown", "none", ""})


@dataclass(frozen=True, slots=True)
class Reading:
    """The latest state of one sensor; ``state`` None means the entity does not exist."""

    state: str | None
    unit: str | None = None
    since: datetime | None = None


@dataclass(frozen=True, slots=True)
class SensorRule:
    """One configured sensor with its role and per-sensor options."""

    entity_id: str
    role: Role
    on_delay_s: float = 0.0
    unavailable_warns: bool = False


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Limits for the numeric roles."""

    min_distance_m: float = 1.0
    min_lux: float = 10.0


@dataclass(frozen=True, slots=True)
class Reason:
    """One thing wrong with the path: which sensor, which role, what it read."""

    entity_id: str
    role: Role
    hazard: Hazard
    reading: str
    severity: Verdict


@dataclass(frozen=True, slots=True)
class Assessment:
    """The verdict, its reasons (worst first) and when it may change without a new reading."""

    verdict: Verdict
    reasons: tuple[Reason, ...] = ()
    recheck_at: datetime | None = None

    @property
    def top_hazard(self) -> Hazard | None:
        """The most severe reason's hazard."""
        return self.reasons[0].hazard if self.reasons else None


CLEAR = Assessment(Verdict.CLEAR)


def _number(reading: Reading) -> float | None:
    try:
        value = float(reading.state or "")
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def judge(rule: SensorRule, reading: Reading | None, thresholds: Thresholds) -> Reason | None:
    """What one reading means for the path, ignoring debounce; None when it is fine."""
    state = None if reading is None else reading.state
    shown = "missing" if state is None else state

    def reason(hazard: Hazard, severity: Verdict, text: str = shown) -> Reason:
        return Reason(rule.entity_id, rule.role, hazard, text, severity)

    def unreadable(text: str = shown) -> Reason:
        severity = Verdict.WARNING if rule.unavailable_warns else Verdict.UNSAFE
        return reason(Hazard.SENSOR_UNAVAILABLE, severity, text)

    if reading is None or state is None or state.lower() in _UNREADABLE_STATES:
        return unreadable()
    if rule.role in (Role.OBSTACLE, Role.CROSSING, Role.FALL, Role.ACTIVITY):
        if state not in ("on", "off"):
            return unreadable()
        if state == "off" or rule.role is Role.ACTIVITY:
            return None
        return {
            Role.OBSTACLE: reason(Hazard.OBSTACLE, Verdict.UNSAFE),
            Role.CROSSING: reason(Hazard.CROSSING, Verdict.WARNING),
            Role.FALL: reason(Hazard.FALL, Verdict.FALL),
        }[rule.role]
    value = _number(reading)
    if value is None:
        return unreadable()
    text = f"{state} {reading.unit}" if reading.unit else state
    if rule.role is Role.DISTANCE:
        metres = distance_in_metres(value, reading.unit)
        if metres is None:
            return unreadable(f"{text} (unknown unit)")
        return (
            reason(Hazard.TOO_CLOSE, Verdict.UNSAFE, text)
            if metres < thresholds.min_distance_m
            else None
        )
    return reason(Hazard.TOO_DARK, Verdict.UNSAFE, text) if value < thresholds.min_lux else None


def _sort_key(reason: Reason) -> tuple[int, str]:
    return (-reason.severity.rank, reason.entity_id)


@dataclass(slots=True)
class PathMonitor:
    """Keeps debounce and clear-hold state across readings; call ``assess`` after every change."""

    rules: tuple[SensorRule, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)
    clear_hold_s: float = 5.0
    _pending_since: dict[str, datetime] = field(default_factory=dict)
    _held: Assessment = CLEAR
    _clear_since: datetime | None = None

    def assess(self, readings: Mapping[str, Reading | None], now: datetime) -> Assessment:
        """The verdict at ``now``; ``recheck_at`` says when to call again if nothing changes."""
        active: list[Reason] = []
        recheck: list[datetime] = []
        for rule in self.rules:
            found = judge(rule, readings.get(rule.entity_id), self.thresholds)
            if found is None:
                self._pending_since.pop(rule.entity_id, None)
                continue
            since = self._pending_since.setdefault(rule.entity_id, now)
            matures = since + timedelta(seconds=rule.on_delay_s)
            if matures <= now:
                active.append(found)
            else:
                recheck.append(matures)
        if active:
            active.sort(key=_sort_key)
            self._held = Assessment(active[0].severity, tuple(active))
            self._clear_since = None
            return Assessment(self._held.verdict, self._held.reasons, min(recheck, default=None))
        if self._held.verdict is not Verdict.CLEAR:
            if recheck:
                # A hazard reading still waiting out its delay is no reason to declare the path clear.
                self._clear_since = None
                return Assessment(self._held.verdict, self._held.reasons, min(recheck))
            if self._clear_since is None:
                self._clear_since = now
            ends = self._clear_since + timedelta(seconds=self.clear_hold_s)
            if now < ends:
                recheck.append(ends)
                return Assessment(self._held.verdict, self._held.reasons, min(recheck))
            self._held = CLEAR
            self._clear_since = None
        return Assessment(Verdict.CLEAR, (), min(recheck, default=None))


@dataclass(frozen=True, slots=True)
class StartGate:
    """Whether a session may start now, and what a forced start overrode."""

    allowed: bool
    blocking: tuple[Reason, ...] = ()
    overridden: tuple[Reason, ...] = ()


def gate_start(assessment: Assessment, force: bool) -> StartGate:
    """Refuse a start unless the path is clear; ``force`` overrides warnings and unreadable sensors only."""
    if assessment.verdict is Verdict.CLEAR:
        return StartGate(True)
    if not force:
        return StartGate(False, assessment.reasons)
    blocking = tuple(r for r in assessment.reasons if r.hazard not in OVERRIDABLE)
    if blocking:
        return StartGate(False, blocking)
    return StartGate(True, overridden=assessment.reasons)


def last_activity(
    readings: Mapping[str, Reading | None], activity_ids: tuple[str, ...], now: datetime
) -> datetime | None:
    """When the walker was last seen moving: now while any activity sensor is on."""
    latest: datetime | None = None
    for entity_id in activity_ids:
        reading = readings.get(entity_id)
        if reading is None or reading.since is None:
            continue
        seen = now if reading.state == "on" else reading.since
        latest = seen if latest is None or seen > latest else latest
    return latest
