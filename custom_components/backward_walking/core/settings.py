"""What the user chose for one walker, in stored units (kg, mph): the engine's rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import options as table
from .programs import BUILTIN_PROGRAMS, DEFAULT_PROGRAM, Program, parse_segments
from .reminders import Schedule
from .safety import SensorRule, Thresholds


@dataclass(frozen=True, slots=True)
class WalkerSettings:
    """Everything the user chose for one walker, in stored units (kg, mph)."""

    name: str
    person: str | None = None
    weight_kg: float = table.WEIGHT_KG.default
    target_minutes: int = table.TARGET_MINUTES.default
    program: str = table.PROGRAM.default
    speed_mph: float = table.SPEED_MPH.default
    met_override: float | None = None
    weekly_goal_minutes: int = table.WEEKLY_GOAL.default
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
    # Spoken coaching as chosen (None: not chosen, see ``coaching_mode``) and its lead time.
    coaching: str | None = table.COACHING.default
    coaching_lead_s: float = table.COACHING_LEAD.default
    clear_hold_s: float = table.CLEAR_HOLD.default
    inactivity_s: float = table.INACTIVITY.default
    check_in_s: float = table.CHECK_IN.default
    realert_s: float = table.REALERT.default
    auto_resume: bool = table.AUTO_RESUME.default
    # Emergency messages ring even on a muted phone (companion app); off: time-sensitive only.
    critical_alerts: bool = table.CRITICAL_ALERTS.default
    # The running session as an ongoing notification on the walker's (and the contacts') phones.
    lock_screen: bool = table.LOCK_SCREEN.default
    lock_screen_contacts: bool = table.LOCK_SCREEN_CONTACTS.default
    # Second-tier contacts join after this many unanswered re-alerts; a script runs on escalation.
    tier2_notify: tuple[str, ...] = ()
    tier2_after: int = table.TIER2_AFTER.default
    emergency_script: str | None = None
    reminders_enabled: bool = table.REMINDERS_ENABLED.default
    schedule: Schedule = field(default_factory=lambda: Schedule(nag_count=table.NAG_COUNT.default))
    not_now_entities: tuple[str, ...] = ()
    not_now_sensor: str | None = None
    not_now_below: float | None = None
    coach_enabled: bool = table.COACH_ENABLED.default
    sessions_per_week: int = table.SESSIONS_PER_WEEK.default
    # Every option of the table by key, as read (missing: default; out of range: clamped).
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sensor_ids(self) -> tuple[str, ...]:
        """Every configured sensor once, in configuration order."""
        return tuple(dict.fromkeys(rule.entity_id for rule in self.sensors))

    @property
    def coaching_mode(self) -> table.CoachingMode:
        """The spoken coaching in force: as chosen, else on when there is something to speak on.

        Not chosen, it is the changes of direction when a speaker (with a text-to-speech engine)
        or a voice satellite is set, and off otherwise; once chosen, the choice stays.
        """
        if self.coaching is not None:
            return table.CoachingMode(self.coaching)
        speaks = (self.media_player and self.tts_entity) or self.voice_satellite
        return table.CoachingMode.CHANGES if speaks else table.CoachingMode.OFF

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


@dataclass(frozen=True, slots=True)
class EngineTimings:
    """The engine's own rhythm, in seconds (not the walker's choices)."""

    # A message about the same hazard reaches the walker at most once per this interval.
    message_repeat_s: float = 60.0
    # While walking, the elapsed time is saved at least this often.
    save_interval_s: float = 30.0
    # A sensor unavailable or unknown for this long gets a repair issue.
    repair_after_s: float = 3600.0
