"""Hallway safety policy: sensor readings → verdict with reasons. Fails closed.

A sensor that is missing, ``unavailable``, ``unknown``, or not a number where a number is needed counts as
unsafe (or, if the user chose so for that sensor, as a warning). Hazards may be debounced per sensor and
the verdict only returns to clear after every hazard has been gone for the clear-hold time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
import math

from .options import MIN_DISTANCE_M, MIN_LUX
from .saved import mapping
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
    CHECKING = "checking"  # reads fine, but not yet for the whole clear-hold time


_UNREADABLE_STATES = frozenset({"unavailable", "unknown", "none", ""})
# The readings of a sensor that does not exist and of a distance without a length unit.
MISSING = "missing"
UNKNOWN_UNIT = " (unknown unit)"


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

    min_distance_m: float = MIN_DISTANCE_M.default
    min_lux: float = MIN_LUX.default


@dataclass(frozen=True, slots=True)
class Reason:
    """One thing wrong with the path: which sensor, which role, what it read."""

    entity_id: str
    role: Role
    hazard: Hazard
    reading: str
    severity: Verdict


@dataclass(frozen=True, slots=True)
class Clearing:
    """A reason whose sensor reads fine again: it holds the path until ``at``, its hold's end.

    A sensor being checked (after a load) clears the same way: it is ready at ``at``.
    """

    reason: Reason
    at: datetime


@dataclass(frozen=True, slots=True)
class Assessment:
    """The verdict, its reasons (worst first) and when it may change without a new reading."""

    verdict: Verdict
    reasons: tuple[Reason, ...] = ()
    recheck_at: datetime | None = None
    # Fall sensors reading a fall right now (not merely held by the clear-hold): a new one is a fall.
    falling: frozenset[str] = frozenset()
    # The reasons in their clear-hold, in the order of ``reasons``: shown as "clearing… 4 s".
    clearing: tuple[Clearing, ...] = ()

    @property
    def shown(self) -> tuple[Verdict, tuple[Reason, ...], tuple[Clearing, ...]]:
        """What the entities show of the path (a change of it is written)."""
        return self.verdict, self.reasons, self.clearing

    @property
    def news(self) -> frozenset[tuple[str, str]]:
        """The warnings worth telling the walker about (a sensor still being checked is not one)."""
        return frozenset(
            (r.entity_id, r.hazard.value) for r in self.reasons if r.hazard is not Hazard.CHECKING
        )

    @property
    def top_hazard(self) -> Hazard | None:
        """The most severe reason's hazard."""
        return self.reasons[0].hazard if self.reasons else None


CLEAR = Assessment(Verdict.CLEAR)


def reason_to_dict(reason: Reason) -> dict[str, str]:
    """A reason as saved."""
    return {
        "entity_id": reason.entity_id,
        "role": reason.role.value,
        "hazard": reason.hazard.value,
        "reading": reason.reading,
        "severity": reason.severity.value,
    }


def reason_from_dict(saved: object) -> Reason:
    """A saved reason; raises KeyError/TypeError/ValueError on damaged data."""
    data = mapping(saved)
    return Reason(
        str(data["entity_id"]),
        Role(data["role"]),
        Hazard(data["hazard"]),
        str(data["reading"]),
        Verdict(data["severity"]),
    )


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
        return _unreadable(rule, MISSING)
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
    text = reading_text(reading)
    if role is Role.DISTANCE:
        metres = distance_in_metres(value, reading.unit)
        if metres is None:
            return _unreadable(rule, f"{text}{UNKNOWN_UNIT}")
        if metres < thresholds.min_distance_m:
            return Reason(rule.entity_id, role, Hazard.TOO_CLOSE, text, Verdict.UNSAFE)
        return None
    if value < thresholds.min_lux:
        return Reason(rule.entity_id, role, Hazard.TOO_DARK, text, Verdict.UNSAFE)
    return None


def _sort_key(reason: Reason) -> tuple[int, str]:
    return (-reason.severity.rank, reason.entity_id)


def reading_text(reading: Reading | None) -> str:
    """A reading as the reasons show it, e.g. ``off`` or ``250 cm``."""
    if reading is None or reading.state is None:
        return MISSING
    return f"{reading.state} {reading.unit}" if reading.unit else reading.state


@dataclass(slots=True)
class _Track:
    """One sensor in one role: what it reads now and what still holds the path.

    ``found`` is what the latest reading means (None: fine); ``shown`` is the reason that keeps the
    path from clearing until the sensor has read fine for the clear-hold time from ``clear_since``.
    """

    rule: SensorRule
    found: Reason | None
    found_since: datetime | None = None
    shown: Reason | None = None
    clear_since: datetime | None = None

    def take(self, found: Reason | None, now: datetime) -> None:
        if found is None:
            if self.found is not None or self.clear_since is None:
                self.clear_since = now
            self.found_since = None
        else:
            if self.found is None or self.found_since is None:
                self.found_since = now
            self.clear_since = None
        self.found = found

    def settle(self, hold_s: float, now: datetime) -> None:
        """Bring the track to ``now``: a hazard past its on-delay shows, a finished hold ends.

        After the clock stepped back, a hazard counts at once and a hold starts again from now.
        """
        if self.found is not None:
            if self.found_since is not None and self.found_since > now:
                self.found_since = now - timedelta(seconds=self.rule.on_delay_s)
            if self._matures(now) <= now:
                self.shown = self.found
        elif self.shown is not None:
            if self.clear_since is None or self.clear_since > now:
                self.clear_since = now
            if now >= self.clear_since + timedelta(seconds=hold_s):
                self.shown = None

    def status(self, hold_s: float, now: datetime) -> tuple[Reason | None, datetime | None]:
        """The reason that counts at ``now`` (None: none) and when that may change by itself."""
        if self.found is not None:
            matures = self._matures(now)
            if matures <= now:
                return self.found, None
            # A hazard still waiting out its delay: whatever held the path before keeps holding it.
            return self.shown, matures
        if self.shown is None:
            return None, None
        return self.shown, (self.clear_since or now) + timedelta(seconds=hold_s)

    def _matures(self, now: datetime) -> datetime:
        return (self.found_since or now) + timedelta(seconds=self.rule.on_delay_s)


@dataclass(slots=True)
class PathMonitor:
    """Judges each sensor when its reading changes; keeps per-sensor debounce and clear-hold state.

    ``update`` re-judges one sensor (the hot path costs one judgment, not one per sensor);
    ``assess`` turns the current judgments into a verdict at a given time. ``load`` starts every
    sensor as *checking*: the path is clear only once each has read fine for the whole clear-hold
    time. ``reconfigure`` changes the rules and keeps what every remaining sensor has shown.
    """

    rules: tuple[SensorRule, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)
    clear_hold_s: float = 5.0
    _tracks: dict[tuple[str, Role], _Track] = field(default_factory=dict, init=False)
    _by_entity: dict[str, list[_Track]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._index(self.rules, {})

    def _index(self, rules: tuple[SensorRule, ...], keep: dict[tuple[str, Role], _Track]) -> None:
        self.rules = rules
        self._tracks = {}
        self._by_entity = {}
        for rule in rules:
            key = (rule.entity_id, rule.role)
            track = keep.get(key)
            if track is None:
                # Until a reading arrives, a sensor is as unknown as a missing one.
                track = _Track(rule, _unreadable(rule, MISSING))
            track.rule = rule
            self._tracks[key] = track
            self._by_entity.setdefault(rule.entity_id, []).append(track)

    def update(self, entity_id: str, reading: Reading | None, now: datetime) -> Reason | None:
        """Judge the sensors fed by ``entity_id`` anew.

        Returns the worst reason that counts at once (no on-delay), so that a caller can act before
        assessing the whole path.
        """
        worst: Reason | None = None
        for track in self._by_entity.get(entity_id, ()):
            found = judge(track.rule, reading, self.thresholds)
            track.take(found, now)
            if (
                found is not None
                and not track.rule.on_delay_s
                and (worst is None or found.severity.rank > worst.severity.rank)
            ):
                worst = found
        return worst

    def load(
        self,
        readings: Mapping[str, Reading | None],
        now: datetime,
        held: Iterable[Reason] = (),
    ) -> None:
        """Take every sensor's reading; each one that reads fine is *checking* for the hold.

        ``held`` are the reasons that held the path when it was saved (a reload, a restart): a
        sensor that had one keeps it, not a mere *checking*, until it reads fine for the hold.
        """
        remembered = {(r.entity_id, r.role): r for r in held}
        self._check(self._tracks.values(), readings, now, remembered)

    def held(self) -> list[Reason]:
        """The reasons holding the path now (active or in their clear-hold), for saving."""
        return [
            t.shown
            for t in self._tracks.values()
            if t.shown and t.shown.hazard is not Hazard.CHECKING
        ]

    def reconfigure(
        self,
        rules: tuple[SensorRule, ...],
        thresholds: Thresholds,
        clear_hold_s: float,
        readings: Mapping[str, Reading | None],
        now: datetime,
    ) -> None:
        """New rules; a kept sensor keeps its state, an added one is *checking* like at load."""
        old = self._tracks
        self.thresholds, self.clear_hold_s = thresholds, clear_hold_s
        self._index(rules, old)
        added = [track for key, track in self._tracks.items() if key not in old]
        for track in self._tracks.values():
            if track not in added:
                track.take(judge(track.rule, readings.get(track.rule.entity_id), thresholds), now)
        self._check(added, readings, now)

    def _check(
        self,
        tracks: Iterable[_Track],
        readings: Mapping[str, Reading | None],
        now: datetime,
        remembered: Mapping[tuple[str, Role], Reason] | None = None,
    ) -> None:
        for track in tracks:
            rule = track.rule
            reading = readings.get(rule.entity_id)
            found = judge(rule, reading, self.thresholds)
            track.found, track.found_since, track.clear_since = None, None, None
            track.take(found, now)
            if (kept := (remembered or {}).get((rule.entity_id, rule.role))) is not None:
                track.shown = kept
            elif found is None:
                track.shown = Reason(
                    rule.entity_id,
                    rule.role,
                    Hazard.CHECKING,
                    reading_text(reading),
                    Verdict.WARNING,
                )

    def assess(self, readings: Mapping[str, Reading | None] | None, now: datetime) -> Assessment:
        """The verdict at ``now`` (after taking ``readings`` of every sensor, when given)."""
        if readings is not None:
            for entity_id in self._by_entity:
                self.update(entity_id, readings.get(entity_id), now)
        active: list[Reason] = []
        falling: set[str] = set()
        clearing: dict[Reason, datetime] = {}
        recheck: datetime | None = None
        for track in self._tracks.values():
            track.settle(self.clear_hold_s, now)
            reason, changes = track.status(self.clear_hold_s, now)
            if reason is not None:
                active.append(reason)
                if reason is track.found and reason.hazard is Hazard.FALL:
                    falling.add(track.rule.entity_id)
                if track.found is None and changes is not None:
                    clearing[reason] = changes
            if changes is not None and (recheck is None or changes < recheck):
                recheck = changes
        if not active:
            return Assessment(Verdict.CLEAR, (), recheck)
        active.sort(key=_sort_key)
        holds = tuple(Clearing(r, clearing[r]) for r in active if r in clearing)
        return Assessment(active[0].severity, tuple(active), recheck, frozenset(falling), holds)


def last_activity(
    readings: Mapping[str, Reading | None], activity_ids: tuple[str, ...], now: datetime
) -> datetime | None:
    """When the walker was last seen moving: now while any activity sensor is on."""
    latest: datetime | None = None
    for entity_id in activity_ids:
        reading = readings.get(entity_id)
        if reading is None or reading.since is None:
            continue
        # A clock that stepped back must not put the last movement in the future.
        seen = now if reading.state == "on" else min(reading.since, now)
        latest = seen if latest is None or seen > latest else latest
    return latest
