"""Typed runtime data and the walker's settings as read from the config entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME

from .const import (
    CONF_CUSTOM_PROGRAMS,
    CONF_MET_OVERRIDE,
    CONF_PERSON,
    CONF_PROGRAM,
    CONF_TARGET_MINUTES,
    CONF_WEEKLY_GOAL,
    DEFAULT_SPEED_MPH,
    DEFAULT_TARGET_MINUTES,
    DEFAULT_WEEKLY_GOAL,
    DEFAULT_WEIGHT_KG,
    OPT_SPEED_MPH,
    OPT_WEIGHT_KG,
)
from .core.programs import BUILTIN_PROGRAMS, DEFAULT_PROGRAM, Program, parse_segments

if TYPE_CHECKING:
    from .hub import WalkerHub

type BackwardWalkingConfigEntry = ConfigEntry[WalkerHub]


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

    @classmethod
    def from_entry(cls, data: dict[str, Any], options: dict[str, Any]) -> WalkerSettings:
        """Settings from a config entry's data (identity) and options (everything changeable)."""
        return cls(
            name=data[CONF_NAME],
            person=data.get(CONF_PERSON),
            weight_kg=float(options.get(OPT_WEIGHT_KG, DEFAULT_WEIGHT_KG)),
            target_minutes=int(options.get(CONF_TARGET_MINUTES, DEFAULT_TARGET_MINUTES)),
            program=options.get(CONF_PROGRAM, DEFAULT_PROGRAM),
            speed_mph=float(options.get(OPT_SPEED_MPH, DEFAULT_SPEED_MPH)),
            met_override=options.get(CONF_MET_OVERRIDE),
            weekly_goal_minutes=int(options.get(CONF_WEEKLY_GOAL, DEFAULT_WEEKLY_GOAL)),
            custom_programs=dict(options.get(CONF_CUSTOM_PROGRAMS, {})),
        )

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
