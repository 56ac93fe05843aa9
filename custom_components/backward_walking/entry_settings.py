"""The walker's settings as read from the config entry's data and options."""

from __future__ import annotations

from datetime import time
from typing import Any

from homeassistant.const import CONF_NAME
from homeassistant.util import dt as dt_util

from .const import (
    CONF_ACTIVITY_SENSORS,
    CONF_CROSSING_SENSORS,
    CONF_CUSTOM_PROGRAMS,
    CONF_DISTANCE_SENSORS,
    CONF_EMERGENCY_NOTIFY,
    CONF_EMERGENCY_SCRIPT,
    CONF_FALL_SENSORS,
    CONF_HALLWAY,
    CONF_LIGHT_SENSORS,
    CONF_MEDIA_PLAYER,
    CONF_NOT_NOW_ENTITIES,
    CONF_NOT_NOW_SENSOR,
    CONF_OBSTACLE_SENSORS,
    CONF_PERSON,
    CONF_QUIET_END,
    CONF_QUIET_MODE,
    CONF_QUIET_START,
    CONF_REMINDER_DAYS,
    CONF_REMINDER_TIMES,
    CONF_SENSOR_DELAYS,
    CONF_TIER2_NOTIFY,
    CONF_TTS_ENTITY,
    CONF_VOICE_SATELLITE,
    CONF_WALKER_NOTIFY,
    CONF_WARN_ONLY_SENSORS,
    WEEKDAYS,
)
from .core.options import (
    GRACE_MINUTES,
    MIN_DISTANCE_M,
    MIN_LUX,
    NAG_COUNT,
    NAG_MINUTES,
    OPTIONS,
    read_options,
)
from .core.reminders import QuietMode, Schedule, parse_times
from .core.safety import Role, SensorRule, Thresholds
from .core.settings import WalkerSettings

ROLE_OPTIONS: dict[Role, str] = {
    Role.OBSTACLE: CONF_OBSTACLE_SENSORS,
    Role.DISTANCE: CONF_DISTANCE_SENSORS,
    Role.CROSSING: CONF_CROSSING_SENSORS,
    Role.LIGHT: CONF_LIGHT_SENSORS,
    Role.FALL: CONF_FALL_SENSORS,
    Role.ACTIVITY: CONF_ACTIVITY_SENSORS,
}


def _time(text: str | None) -> time | None:
    # Entries saved through the API before the flows stored HH:MM:SS may hold "7:30".
    return dt_util.parse_time(text) if text else None


def reminder_schedule(options: dict[str, Any]) -> Schedule:
    """The weekly reminder schedule from the options (nothing scheduled when none is set)."""
    return Schedule(
        days=frozenset(WEEKDAYS.index(day) for day in options.get(CONF_REMINDER_DAYS, [])),
        times=parse_times(options.get(CONF_REMINDER_TIMES, "")),
        quiet_start=_time(options.get(CONF_QUIET_START)),
        quiet_end=_time(options.get(CONF_QUIET_END)),
        quiet_mode=QuietMode(options.get(CONF_QUIET_MODE, QuietMode.POSTPONE)),
        nag_minutes=NAG_MINUTES.read(options),
        nag_count=NAG_COUNT.read(options),
        grace_minutes=GRACE_MINUTES.read(options),
    )


def sensor_rules(options: dict[str, Any]) -> tuple[SensorRule, ...]:
    """The configured sensors with their roles, delays and unavailable-only-warns choice."""
    delays: dict[str, float] = options.get(CONF_SENSOR_DELAYS, {})
    warn_only = set(options.get(CONF_WARN_ONLY_SENSORS, []))
    return tuple(
        SensorRule(entity_id, role, float(delays.get(entity_id, 0)), entity_id in warn_only)
        for role, key in ROLE_OPTIONS.items()
        for entity_id in options.get(key, [])
    )


def settings_from_entry(data: dict[str, Any], options: dict[str, Any]) -> WalkerSettings:
    """Settings from a config entry's data (identity) and options (everything changeable)."""
    values = read_options(options)
    return WalkerSettings(
        name=data[CONF_NAME],
        person=data.get(CONF_PERSON),
        **{row.field: values[row.key] for row in OPTIONS if row.field},
        custom_programs=dict(options.get(CONF_CUSTOM_PROGRAMS, {})),
        sensors=sensor_rules(options),
        thresholds=Thresholds(values[MIN_DISTANCE_M.key], values[MIN_LUX.key]),
        hallway=options.get(CONF_HALLWAY, ""),
        walker_notify=tuple(options.get(CONF_WALKER_NOTIFY, ())),
        emergency_notify=tuple(options.get(CONF_EMERGENCY_NOTIFY, ())),
        media_player=options.get(CONF_MEDIA_PLAYER) or None,
        tts_entity=options.get(CONF_TTS_ENTITY) or None,
        voice_satellite=options.get(CONF_VOICE_SATELLITE) or None,
        tier2_notify=tuple(options.get(CONF_TIER2_NOTIFY, ())),
        emergency_script=options.get(CONF_EMERGENCY_SCRIPT) or None,
        schedule=reminder_schedule(options),
        not_now_entities=tuple(options.get(CONF_NOT_NOW_ENTITIES, ())),
        not_now_sensor=options.get(CONF_NOT_NOW_SENSOR) or None,
        values=values,
    )
