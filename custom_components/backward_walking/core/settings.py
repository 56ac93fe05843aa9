"""What the user chose for one walker, in stored units (kg, mph): the engine's rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..const import (
    DEFAULT_CHECK_IN,
    DEFAULT_CLEAR_HOLD,
    DEFAULT_INACTIVITY,
    DEFAULT_REALERT,
    DEFAULT_SESSIONS_PER_WEEK,
    DEFAULT_SPEED_MPH,
    DEFAULT_TARGET_MINUTES,
    DEFAULT_TIER2_AFTER,
    DEFAULT_WEEKLY_GOAL,
    DEFAULT_WEIGHT_KG,
)
from .programs import BUILTIN_PROGRAMS, DEFAULT_PROGRAM, Program, parse_segments
from .reminders import Schedule
from .safety import SensorRule, Thresholds


@dataclass(frozen=True, slots=True)
class WalkerSettings:
    """Everything the user chose for one walker, in stored units (kg, mph)."""

    name: str
    person: str | None = None
    weight_kg: float = DEFAULT_WEIGHT_KG
    target_minutes: int = DEFAULT_TARGET_MINUTES
    program: str = DEFAULT_PROGRAM
    speed_mph: float = DEFAULT_SPEED_MPH
    met_override: float | None = None
    weekly_goal_minutes: int = DEFAULT_WEEKLY_GOAL
    custom_programs: dict[str, str] = field(default_factory=dict)
    sensors: tuple[SensorRule, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    hallway: str = ""
    walker_notify: tuple[str, ...] = ()
    emergency_notify: tuple[str, ...] = ()
    media_player: str | None = None
    tts_entity: str | None = None
    # Asks the walker at a check-in and listens for "I'm OK" or "help" (Home Assistant ≥ 2025.7).
    voice_satellite: str | None = None
    clear_hold_s: float = DEFAULT_CLEAR_HOLD
    inactivity_s: float = DEFAULT_INACTIVITY
    check_in_s: float = DEFAULT_CHECK_IN
    realert_s: float = DEFAULT_REALERT
    auto_resume: bool = False
    # Emergency messages ring even on a muted phone (companion app); off: time-sensitive only.
    critical_alerts: bool = True
    # Second-tier contacts join after this many unanswered re-alerts; a script runs on escalation.
    tier2_notify: tuple[str, ...] = ()
    tier2_after: int = DEFAULT_TIER2_AFTER
    emergency_script: str | None = None
    reminders_enabled: bool = False
    schedule: Schedule = field(default_factory=Schedule)
    not_now_entities: tuple[str, ...] = ()
    not_now_sensor: str | None = None
    not_now_below: float | None = None
    coach_enabled: bool = False
    sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK

    @property
    def sensor_ids(self) -> tuple[str, ...]:
        """Every configured sensor once, in configuration order."""
        return tuple(dict.fromkeys(rule.entity_id for rule in self.sensors))

    @property
    def programs(self) -> dict[str, Program]:
        """Built-in programs followed by the walker's own."""
        own = {
            name: Program(name, parse_segments(compact))
            for name, compact in self.custom_programs.items()
        }
        return {**BUILTIN_PROGRAMS, **own}

    @property
    def default_program(self) -> Program:
        """The chosen default program; falls back to the first built-in if it was removed."""
        return self.programs.get(self.program, BUILTIN_PROGRAMS[DEFAULT_PROGRAM])
