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


_BINARY_ROLES = frozenset({Role.OBSTACLE, Role.CROSSING, Role.FALL, Role.ACTIVITY})
_BINARY_HAZARDS = {
    Role.OBSTACLE: (Hazard.OBSTACLE, Verdict.UNSAFE),
    Role.CROSSING: (Hazard.CROSSING, Verdict.WARNING),
    Role.FALL: (Hazard.FALL, Verdict.FALL),
}


def _unreadable(rule: SensorRule, shown: str) -> Reason:
    severity = Verdict.WARNING if rule.unavailable_warns else Verdict.UNSAFE
    return Reason(rule.entity_id, rule.role, Hazard.SENSOR_UNAVAILABLE, shown, severity)


def judge(rule: SensorRule, reading: Reading | None, thresholds: Thresholds) -> Reason | None:
    """What one reading means for the path, ignoring debounce; None when it is fine."""
    state = None if reading is None else reading.state
    if state is None or reading is None:
        return _unreadable(rule, "missing")
    role = rule.role
    if role in _BINARY_ROLES:
        if state == "off":
            return None
        if state != "on":
            return _unreadable(rule, state)
        if role is Role.ACTIVITY:
            return None
        hazard, severity = _BINARY_HAZARDS[role]
        return Reason(rule.entity_id, role, hazard, state, severity)
    if state.lower() in _UNREADABLE_STATES:
        return _unreadable(rule, state)
    value = _number(reading)
    if value is None:
        return _unreadable(rule, state)
    text = f"{state} {reading.unit}" if reading.unit else state
    if role is Role.DISTANCE:
        metres = distance_in_metres(value, reading.unit)
        if metres is None:
            return _unreadable(rule, f"{text} (unknown unit)")
        if metres < thresholds.min_distance_m:
            return Reason(rule.entity_id, role, Hazard.TOO_CLOSE, text, Verdict.UNSAFE)
        return None
    if value < thresholds.min_lux:
        return Reason(rule.entity_id, role, Hazard.TOO_DARK, text, Verdict.UNSAFE)
    return None


def _sort_key(reason: Reason) -> tuple[int, str]:
    return (-reason.severity.rank, reason.entity_id)


@dataclass(slots=True)
class PathMonitor:
    """Judges each sensor when its reading changes; keeps debounce and clear-hold state.

    ``update`` re-judges one sensor (the hot path costs one judgment, not one per sensor);
    ``assess`` turns the current judgments into a verdict at a given time.
    """

    rules: tuple[SensorRule, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)
    clear_hold_s: float = 5.0
    _by_entity: dict[str, list[int]] = field(default_factory=dict, init=False)
    _found: dict[int, Reason] = field(default_factory=dict, init=False)
    _since: dict[int, datetime] = field(default_factory=dict, init=False)
    _held: Assessment = CLEAR
    _clear_since: datetime | None = None

    def __post_init__(self) -> None:
        for index, rule in enumerate(self.rules):
            self._by_entity.setdefault(rule.entity_id, []).append(index)
            # Until a reading arrives, a sensor is as unknown as a missing one.
            self._found[index] = _unreadable(rule, "missing")

    def update(self, entity_id: str, reading: Reading | None, now: datetime) -> Reason | None:
        """Judge the sensors fed by ``entity_id`` anew.

        Returns the worst reason that counts at once (no on-delay), so that a caller can act before
        assessing the whole path.
        """
        worst: Reason | None = None
        for index in self._by_entity.get(entity_id, ()):
            found = judge(self.rules[index], reading, self.thresholds)
            if found is None:
                self._found.pop(index, None)
                self._since.pop(index, None)
                continue
            self._found[index] = found
            self._since.setdefault(index, now)
            if not self.rules[index].on_delay_s and (
                worst is None or found.severity.rank > worst.severity.rank
            ):
                worst = found
        return worst

    def assess(self, readings: Mapping[str, Reading | None] | None, now: datetime) -> Assessment:
        """The verdict at ``now`` (after taking ``readings`` of every sensor, when given)."""
        if readings is not None:
            for entity_id in self._by_entity:
                self.update(entity_id, readings.get(entity_id), now)
        active: list[Reason] = []
        recheck: list[datetime] = []
        for index, found in self._found.items():
            delay = self.rules[index].on_delay_s
            matures = (
                self._since.setdefault(index, now) + timedelta(seconds=delay) if delay else now
            )
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
