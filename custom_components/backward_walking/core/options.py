"""The option table: every simple option's key, default, limits, unit, step, form and entity, once.

The flows build their fields and checks from it, the options are read into ``WalkerSettings`` by
it, the number, select and switch entities take their limits from it, and every clamp is its own.
Options of several parts (sensor roles, per-sensor delays, the reminder schedule, the walker's own
programs) keep their own parsers; their limits and defaults are rows here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
import math
from typing import Any

from .programs import DEFAULT_PROGRAM

# Forms (flow steps) a row's field is shown in; None: a dedicated parser shows it (unit conversion).
WALKING = "walking"
SAFETY = "safety"
ALERTS = "alerts"
REMINDERS = "reminders"

# Entity keys: name, icon and unique-ID suffix of the entities, independent of the option keys.
NUMBER_DURATION = "duration"
NUMBER_SPEED = "speed"
SELECT_PROGRAM = "program"
SELECT_COACHING = "coaching"
SWITCH_REMINDERS = "reminders"
SWITCH_COACH = "coach"

# Units as Home Assistant spells them (the core imports no Home Assistant).
MINUTES = "min"
SECONDS = "s"
LUX = "lx"


def finite(value: Any) -> float | None:
    """``value`` as a finite number; None for booleans, text that is no number, NaN and infinities."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def form_number(value: Any) -> float | None:
    """A form field's number: forms send numbers, so text (even "5") is no number here."""
    return None if isinstance(value, str) else finite(value)


def number_in(
    value: Any, limits: tuple[float, float], *, whole: bool = False, tolerance: float = 0
) -> float | None:
    """``value`` if it is a finite number within ``limits`` (and whole, if asked), else None."""
    number = finite(value)
    if number is None or not limits[0] - tolerance <= number <= limits[1] + tolerance:
        return None
    if whole and number != int(number):
        return None
    return number


@dataclass(frozen=True, kw_only=True)
class OptionSpec:
    """One option: its key in the entry's options, its default and where it shows."""

    key: str
    default: Any
    # The WalkerSettings field it fills; None: read with ``WalkerSettings.get(row)``.
    field: str | None = None
    form: str | None = None
    entity: str | None = None

    def read(self, options: Mapping[str, Any]) -> Any:
        """The stored value, or the default when it is missing."""
        return options.get(self.key, self.default)

    @property
    def entity_key(self) -> str:
        """The key of the entity showing this option (its unique-ID suffix and translation key)."""
        if self.entity is None:
            raise ValueError(f"option {self.key} has no entity")
        return self.entity


@dataclass(frozen=True, kw_only=True)
class NumberOption(OptionSpec):
    """A number between two limits (stored units)."""

    limits: tuple[float, float]
    # The flow's translated error for a value it refuses; the generic one points to the range that
    # the field's description shows ({key}_min–{key}_max).
    error: str = "number_range"
    unit: str | None = None
    step: float = 1
    whole: bool = False  # the flow refuses fractions (otherwise an integer option is rounded)
    integer: bool = False
    off: float | None = None  # a value outside the limits that switches the option off

    def accept(self, value: Any, *, tolerance: float = 0) -> int | float | None:
        """What a form field's ``value`` stores, or None when the option does not take it.

        A form sends numbers: text is refused, and so is a fraction for a whole-number option.
        """
        typed = form_number(value)
        if typed is None:
            return None
        number = number_in(
            typed, self.limits, whole=self.whole or self.integer, tolerance=tolerance
        )
        if number is None and typed == self.off:
            number = self.off
        if number is None:
            return None
        return round(number) if self.integer else number

    def clamp(self, value: float) -> int | float:
        """``value`` moved onto the limits when outside them."""
        number = min(max(value, self.limits[0]), self.limits[1])
        return round(number) if self.integer else number

    def read(self, options: Mapping[str, Any]) -> Any:
        """The stored number; the default when it is no number, clamped when out of range.

        An optional option (default None) ignores a value out of range instead.
        """
        value = options.get(self.key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return self.default
        if not math.isfinite(value):
            return self.default
        if value == self.off:
            return int(value) if self.integer else float(value)
        if self.default is None and not self.limits[0] <= value <= self.limits[1]:
            return None
        return self.clamp(float(value)) if self.integer else float(self.clamp(value))


@dataclass(frozen=True, kw_only=True)
class SwitchOption(OptionSpec):
    """On or off."""

    def read(self, options: Mapping[str, Any]) -> bool:
        """The stored choice as a boolean."""
        return bool(options.get(self.key, self.default))


@dataclass(frozen=True, kw_only=True)
class ChoiceOption(OptionSpec):
    """One of a few fixed choices; with no default, an unset option means what the settings say."""

    choices: tuple[str, ...]
    error: str = "choice_invalid"

    def accept(self, value: Any) -> str | None:
        """The stored choice, or None when ``value`` is none of the choices."""
        return value if isinstance(value, str) and value in self.choices else None

    def read(self, options: Mapping[str, Any]) -> str | None:
        """The stored choice; the default when it is missing or none of the choices."""
        return self.accept(options.get(self.key)) or self.default


class CoachingMode(StrEnum):
    """What the walker hears while walking: nothing, the changes of direction, or more."""

    OFF = "off"
    CHANGES = "changes"
    # Also halfway, one minute left, and the session's figures at the end.
    FULL = "full"


WEIGHT_KG = NumberOption(
    key="weight_kg", default=70.0, limits=(20.0, 300.0), step=0.1, error="weight_range",
    field="weight_kg",
)  # fmt: skip
TARGET_MINUTES = NumberOption(
    key="target_minutes", default=15, limits=(1, 120), unit=MINUTES, whole=True, integer=True,
    error="target_range", form=WALKING, field="target_minutes", entity=NUMBER_DURATION,
)  # fmt: skip
PROGRAM = OptionSpec(key="program", default=DEFAULT_PROGRAM, field="program", entity=SELECT_PROGRAM)
# Stored in mph: 0.3–4.0 mph for US users and 0.5–6.5 km/h (0.311–4.039 mph) for metric ones.
SPEED_MPH = NumberOption(
    key="speed_mph", default=1.0, limits=(0.3, 4.039), step=0.1, error="speed_range",
    field="speed_mph", entity=NUMBER_SPEED,
)  # fmt: skip
# Speed limits and a new walker's speed in each unit system: round figures in both.
SPEED_SHOWN: Mapping[str, tuple[float, float, float]] = {
    "mph": (0.3, 4.0, 1.0),  # lowest, highest, a new walker's speed
    "km/h": (0.5, 6.5, 1.5),
}
MET_OVERRIDE = NumberOption(
    key="met_override", default=None, limits=(1.0, 20.0), step=0.1, error="met_range",
    form=WALKING, field="met_override",
)  # fmt: skip
WEEKLY_GOAL = NumberOption(
    key="weekly_goal_minutes", default=60, limits=(1, 2000), unit=MINUTES, whole=True, integer=True,
    error="goal_range", form=WALKING, field="weekly_goal_minutes",
)  # fmt: skip

MIN_DISTANCE_M = NumberOption(
    key="min_distance_m", default=1.0, limits=(0.1, 10.0), error="distance_range",
)  # fmt: skip
MIN_LUX = NumberOption(
    key="min_lux", default=10.0, limits=(0.0, 1000.0), unit=LUX, error="lux_range",
    form=SAFETY,
)  # fmt: skip
# Per-sensor on-delays (one field per configured sensor, stored together under sensor_delays).
SENSOR_DELAY = NumberOption(
    key="sensor_delay", default=0, limits=(0, 300), unit=SECONDS, error="delay_range"
)

CLEAR_HOLD = NumberOption(
    key="clear_hold_seconds", default=5, limits=(0, 600), unit=SECONDS, integer=True,
    error="clear_hold_seconds_range", form=ALERTS, field="clear_hold_s",
)  # fmt: skip
INACTIVITY = NumberOption(
    key="inactivity_seconds", default=120, limits=(30, 3600), off=0, unit=SECONDS, integer=True,
    error="inactivity_seconds_range", form=ALERTS, field="inactivity_s",
)  # fmt: skip
CHECK_IN = NumberOption(
    key="check_in_seconds", default=60, limits=(15, 600), unit=SECONDS, integer=True,
    error="check_in_seconds_range", form=ALERTS, field="check_in_s",
)  # fmt: skip
REALERT = NumberOption(
    key="realert_seconds", default=120, limits=(30, 3600), unit=SECONDS, integer=True,
    error="realert_seconds_range", form=ALERTS, field="realert_s",
)  # fmt: skip
# Unset (None) means direction changes when a speaker or voice satellite is set (see settings.py).
COACHING = ChoiceOption(
    key="coaching", default=None, choices=tuple(CoachingMode), form=ALERTS, field="coaching",
    entity=SELECT_COACHING,
)  # fmt: skip
COACHING_LEAD = NumberOption(
    key="coaching_lead_seconds", default=5, limits=(0, 15), unit=SECONDS, integer=True,
    error="coaching_lead_seconds_range", form=ALERTS, field="coaching_lead_s",
)  # fmt: skip
AUTO_RESUME = SwitchOption(key="auto_resume", default=False, form=ALERTS, field="auto_resume")
CRITICAL_ALERTS = SwitchOption(
    key="critical_alerts", default=True, form=ALERTS, field="critical_alerts"
)
# The session on the lock screen: the walker's companion-app phones, and the contacts' if asked.
LOCK_SCREEN = SwitchOption(key="lock_screen", default=False, form=ALERTS, field="lock_screen")
LOCK_SCREEN_CONTACTS = SwitchOption(
    key="lock_screen_contacts", default=False, form=ALERTS, field="lock_screen_contacts"
)
# Unanswered re-alerts before the second tier is alerted.
TIER2_AFTER = NumberOption(
    key="tier2_after", default=2, limits=(1, 10), integer=True, error="tier2_after_range",
    form=ALERTS, field="tier2_after",
)  # fmt: skip

REMINDERS_ENABLED = SwitchOption(
    key="reminders_enabled", default=False, form=REMINDERS, field="reminders_enabled",
    entity=SWITCH_REMINDERS,
)  # fmt: skip
NAG_MINUTES = NumberOption(
    key="nag_minutes", default=15, limits=(1, 240), unit=MINUTES, integer=True,
    error="nag_minutes_range", form=REMINDERS,
)  # fmt: skip
NAG_COUNT = NumberOption(
    key="nag_count", default=2, limits=(0, 10), integer=True, error="nag_count_range",
    form=REMINDERS,
)  # fmt: skip
GRACE_MINUTES = NumberOption(
    key="grace_minutes", default=30, limits=(0, 240), unit=MINUTES, integer=True,
    error="grace_minutes_range", form=REMINDERS,
)  # fmt: skip
# A "not now" score threshold: scores (sleep, readiness, body battery) run from 0 to 100 or so.
NOT_NOW_BELOW = NumberOption(
    key="not_now_below", default=None, limits=(0.0, 1000.0), error="not_now_below_range",
    field="not_now_below",
)  # fmt: skip
COACH_ENABLED = SwitchOption(
    key="coach_enabled", default=False, form=REMINDERS, field="coach_enabled",
    entity=SWITCH_COACH,
)  # fmt: skip
SESSIONS_PER_WEEK = NumberOption(
    key="sessions_per_week", default=3, limits=(1, 14), integer=True,
    error="sessions_per_week_range", form=REMINDERS, field="sessions_per_week",
)  # fmt: skip

OPTIONS: tuple[OptionSpec, ...] = (
    WEIGHT_KG,
    TARGET_MINUTES,
    PROGRAM,
    SPEED_MPH,
    MET_OVERRIDE,
    WEEKLY_GOAL,
    MIN_DISTANCE_M,
    MIN_LUX,
    COACHING,
    COACHING_LEAD,
    CLEAR_HOLD,
    INACTIVITY,
    CHECK_IN,
    REALERT,
    AUTO_RESUME,
    CRITICAL_ALERTS,
    LOCK_SCREEN,
    LOCK_SCREEN_CONTACTS,
    TIER2_AFTER,
    REMINDERS_ENABLED,
    NAG_MINUTES,
    NAG_COUNT,
    GRACE_MINUTES,
    NOT_NOW_BELOW,
    COACH_ENABLED,
    SESSIONS_PER_WEEK,
)


def rows_of(form: str) -> tuple[OptionSpec, ...]:
    """The table's rows shown in ``form``, in table order."""
    return tuple(row for row in OPTIONS if row.form == form)


def read_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Every table option from the entry's options, by option key (defaults for missing ones)."""
    return {row.key: row.read(options) for row in OPTIONS}
