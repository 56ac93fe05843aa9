"""The walker's settings as read from the config entry's data and options."""

from __future__ import annotations

from datetime import time
import math
from typing import Any

from homeassistant.const import CONF_NAME
from homeassistant.util import dt as dt_util

from .const import (
    CONF_ACTIVITY_SENSORS,
    CONF_AUTO_RESUME,
    CONF_CHECK_IN,
    CONF_CLEAR_HOLD,
    CONF_COACH_ENABLED,
    CONF_CRITICAL_ALERTS,
    CONF_CROSSING_SENSORS,
    CONF_CUSTOM_PROGRAMS,
    CONF_DISTANCE_SENSORS,
    CONF_EMERGENCY_NOTIFY,
    CONF_EMERGENCY_SCRIPT,
    CONF_FALL_SENSORS,
    CONF_GRACE_MINUTES,
    CONF_HALLWAY,
    CONF_INACTIVITY,
    CONF_LIGHT_SENSORS,
    CONF_MEDIA_PLAYER,
    CONF_MET_OVERRIDE,
    CONF_MIN_LUX,
    CONF_NAG_COUNT,
    CONF_NAG_MINUTES,
    CONF_NOT_NOW_BELOW,
    CONF_NOT_NOW_ENTITIES,
    CONF_NOT_NOW_SENSOR,
    CONF_OBSTACLE_SENSORS,
    CONF_PERSON,
    CONF_PROGRAM,
    CONF_QUIET_END,
    CONF_QUIET_MODE,
    CONF_QUIET_START,
    CONF_REALERT,
    CONF_REMINDER_DAYS,
    CONF_REMINDER_TIMES,
    CONF_REMINDERS_ENABLED,
    CONF_SENSOR_DELAYS,
    CONF_SESSIONS_PER_WEEK,
    CONF_TARGET_MINUTES,
    CONF_TIER2_AFTER,
    CONF_TIER2_NOTIFY,
    CONF_TTS_ENTITY,
    CONF_VOICE_SATELLITE,
    CONF_WALKER_NOTIFY,
    CONF_WARN_ONLY_SENSORS,
    CONF_WEEKLY_GOAL,
    DEFAULT_CHECK_IN,
    DEFAULT_CLEAR_HOLD,
    DEFAULT_GRACE_MINUTES,
    DEFAULT_INACTIVITY,
    DEFAULT_MIN_DISTANCE_M,
    DEFAULT_MIN_LUX,
    DEFAULT_NAG_COUNT,
    DEFAULT_NAG_MINUTES,
    DEFAULT_REALERT,
    DEFAULT_SESSIONS_PER_WEEK,
    DEFAULT_SPEED_MPH,
    DEFAULT_TARGET_MINUTES,
    DEFAULT_TIER2_AFTER,
    DEFAULT_WEEKLY_GOAL,
    DEFAULT_WEIGHT_KG,
    NOT_NOW_BELOW_RANGE,
    OPT_MIN_DISTANCE_M,
    OPT_SPEED_MPH,
    OPT_WEIGHT_KG,
    WEEKDAYS,
)
from .core.programs import DEFAULT_PROGRAM
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


def _score_limit(value: Any) -> float | None:
    """The 'not now' score threshold; a stored value that is not a sensible number is ignored."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    low, high = NOT_NOW_BELOW_RANGE
    return float(value) if math.isfinite(value) and low <= value <= high else None


def reminder_schedule(options: dict[str, Any]) -> Schedule:
    """The weekly reminder schedule from the options (nothing scheduled when none is set)."""
    return Schedule(
        days=frozenset(WEEKDAYS.index(day) for day in options.get(CONF_REMINDER_DAYS, [])),
        times=parse_times(options.get(CONF_REMINDER_TIMES, "")),
        quiet_start=_time(options.get(CONF_QUIET_START)),
        quiet_end=_time(options.get(CONF_QUIET_END)),
        quiet_mode=QuietMode(options.get(CONF_QUIET_MODE, QuietMode.POSTPONE)),
        nag_minutes=int(options.get(CONF_NAG_MINUTES, DEFAULT_NAG_MINUTES)),
        nag_count=int(options.get(CONF_NAG_COUNT, DEFAULT_NAG_COUNT)),
        grace_minutes=int(options.get(CONF_GRACE_MINUTES, DEFAULT_GRACE_MINUTES)),
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
    return WalkerSettings(
        name=data[CONF_NAME],
        person=data.get(CONF_PERSON),
        weight_kg=float(options.get(OPT_WEIGHT_KG, DEFAULT_WEIGHT_KG)),
        target_minutes=int(options.get(CONF_TARGET_MINUTES, DEFAULT_TARGET_MINUTES)),
        program=options.get(CONF_PROGRAM, DEFAULT_PROGRAM),
        speed_mph=float(options.get(OPT_SPEED_MPH, DEFAULT_SPEED_MPH)),
        met_override=options.get(CONF_MET_OVERRIDE),
        weekly_goal_minutes=int(options.get(CONF_WEEKLY_GOAL, DEFAULT_WEEKLY_GOAL)),
        custom_programs=dict(options.get(CONF_CUSTOM_PROGRAMS, {})),
        sensors=sensor_rules(options),
        thresholds=Thresholds(
            float(options.get(OPT_MIN_DISTANCE_M, DEFAULT_MIN_DISTANCE_M)),
            float(options.get(CONF_MIN_LUX, DEFAULT_MIN_LUX)),
        ),
        hallway=options.get(CONF_HALLWAY, ""),
        walker_notify=tuple(options.get(CONF_WALKER_NOTIFY, ())),
        emergency_notify=tuple(options.get(CONF_EMERGENCY_NOTIFY, ())),
        media_player=options.get(CONF_MEDIA_PLAYER) or None,
        tts_entity=options.get(CONF_TTS_ENTITY) or None,
        voice_satellite=options.get(CONF_VOICE_SATELLITE) or None,
        clear_hold_s=float(options.get(CONF_CLEAR_HOLD, DEFAULT_CLEAR_HOLD)),
        inactivity_s=float(options.get(CONF_INACTIVITY, DEFAULT_INACTIVITY)),
        check_in_s=float(options.get(CONF_CHECK_IN, DEFAULT_CHECK_IN)),
        realert_s=float(options.get(CONF_REALERT, DEFAULT_REALERT)),
        auto_resume=bool(options.get(CONF_AUTO_RESUME, False)),
        critical_alerts=bool(options.get(CONF_CRITICAL_ALERTS, True)),
        tier2_notify=tuple(options.get(CONF_TIER2_NOTIFY, ())),
        tier2_after=int(options.get(CONF_TIER2_AFTER, DEFAULT_TIER2_AFTER)),
        emergency_script=options.get(CONF_EMERGENCY_SCRIPT) or None,
        reminders_enabled=bool(options.get(CONF_REMINDERS_ENABLED, False)),
        schedule=reminder_schedule(options),
        not_now_entities=tuple(options.get(CONF_NOT_NOW_ENTITIES, ())),
        not_now_sensor=options.get(CONF_NOT_NOW_SENSOR) or None,
        not_now_below=_score_limit(options.get(CONF_NOT_NOW_BELOW)),
        coach_enabled=bool(options.get(CONF_COACH_ENABLED, False)),
        sessions_per_week=int(options.get(CONF_SESSIONS_PER_WEEK, DEFAULT_SESSIONS_PER_WEEK)),
    )
