"""Form schema and validation of the reminder schedule and the coach (options flow)."""

from __future__ import annotations

from datetime import time
from typing import Any

from homeassistant.const import UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TimeSelector,
)
import voluptuous as vol

from .const import (
    CONF_COACH_ENABLED,
    CONF_GRACE_MINUTES,
    CONF_NAG_COUNT,
    CONF_NAG_MINUTES,
    CONF_NOT_NOW_BELOW,
    CONF_NOT_NOW_ENTITIES,
    CONF_NOT_NOW_SENSOR,
    CONF_QUIET_END,
    CONF_QUIET_MODE,
    CONF_QUIET_START,
    CONF_REMINDER_DAYS,
    CONF_REMINDER_TIMES,
    CONF_REMINDERS_ENABLED,
    CONF_SESSIONS_PER_WEEK,
    DEFAULT_GRACE_MINUTES,
    DEFAULT_NAG_COUNT,
    DEFAULT_NAG_MINUTES,
    DEFAULT_SESSIONS_PER_WEEK,
    GRACE_MINUTES_RANGE,
    NAG_COUNT_RANGE,
    NAG_MINUTES_RANGE,
    SESSIONS_PER_WEEK_RANGE,
    WEEKDAYS,
)
from .core.reminders import QuietMode, ReminderTimesError, format_times, parse_times
from .flow_helpers import number_box, suggested

NOT_NOW_DOMAINS = ["input_boolean", "binary_sensor", "switch", "calendar"]
_NUMBERS = {
    CONF_NAG_MINUTES: (DEFAULT_NAG_MINUTES, NAG_MINUTES_RANGE, UnitOfTime.MINUTES),
    CONF_NAG_COUNT: (DEFAULT_NAG_COUNT, NAG_COUNT_RANGE, None),
    CONF_GRACE_MINUTES: (DEFAULT_GRACE_MINUTES, GRACE_MINUTES_RANGE, UnitOfTime.MINUTES),
    CONF_SESSIONS_PER_WEEK: (DEFAULT_SESSIONS_PER_WEEK, SESSIONS_PER_WEEK_RANGE, None),
}


def reminders_schema(options: dict[str, Any]) -> dict[vol.Marker, Any]:
    """Days, times, quiet hours, nagging, grace, 'not now' conditions and the coach."""
    schema: dict[vol.Marker, Any] = {
        vol.Required(CONF_REMINDERS_ENABLED, default=options.get(CONF_REMINDERS_ENABLED, False)): (
            BooleanSelector()
        ),
        suggested(CONF_REMINDER_DAYS, options, []): SelectSelector(
            SelectSelectorConfig(
                options=list(WEEKDAYS),
                multiple=True,
                translation_key="weekday",
                mode=SelectSelectorMode.LIST,
            )
        ),
        suggested(CONF_REMINDER_TIMES, options, ""): TextSelector(),
        suggested(CONF_QUIET_START, options): TimeSelector(),
        suggested(CONF_QUIET_END, options): TimeSelector(),
        vol.Required(CONF_QUIET_MODE, default=options.get(CONF_QUIET_MODE, QuietMode.POSTPONE)): (
            SelectSelector(
                SelectSelectorConfig(
                    options=[mode.value for mode in QuietMode],
                    translation_key="quiet_mode",
                    mode=SelectSelectorMode.DROPDOWN,
                )
            )
        ),
    }
    for key, (default, _range, unit) in _NUMBERS.items():
        if key == CONF_SESSIONS_PER_WEEK:
            continue
        schema[vol.Required(key, default=options.get(key, default))] = number_box(unit)
    schema[suggested(CONF_NOT_NOW_ENTITIES, options, [])] = EntitySelector(
        EntitySelectorConfig(domain=NOT_NOW_DOMAINS, multiple=True)
    )
    schema[suggested(CONF_NOT_NOW_SENSOR, options)] = EntitySelector(
        EntitySelectorConfig(domain="sensor")
    )
    schema[suggested(CONF_NOT_NOW_BELOW, options)] = number_box(None)
    schema[vol.Required(CONF_COACH_ENABLED, default=options.get(CONF_COACH_ENABLED, False))] = (
        BooleanSelector()
    )
    default = options.get(CONF_SESSIONS_PER_WEEK, DEFAULT_SESSIONS_PER_WEEK)
    schema[vol.Required(CONF_SESSIONS_PER_WEEK, default=default)] = number_box(None)
    return schema


def validate_reminders(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> tuple[dict[str, Any], str]:
    """Options from the reminders form, and the text an error points at."""
    detail = ""
    times: tuple[time, ...] = ()
    try:
        times = parse_times(str(user_input.get(CONF_REMINDER_TIMES, "")))
    except ReminderTimesError as err:
        errors[CONF_REMINDER_TIMES] = "times_invalid"
        detail = err.token
    days = [day for day in WEEKDAYS if day in user_input.get(CONF_REMINDER_DAYS, [])]
    enabled = bool(user_input[CONF_REMINDERS_ENABLED])
    if enabled and (not days or not times) and CONF_REMINDER_TIMES not in errors:
        errors["base"] = "schedule_incomplete"
    quiet = (user_input.get(CONF_QUIET_START), user_input.get(CONF_QUIET_END))
    if bool(quiet[0]) != bool(quiet[1]):
        errors[CONF_QUIET_END if quiet[0] else CONF_QUIET_START] = "quiet_incomplete"
    for key, (_default, (low, high), _unit) in _NUMBERS.items():
        if not low <= user_input[key] <= high:
            errors[key] = f"{key}_range"
    registry = er.async_get(hass)
    blocking = user_input.get(CONF_NOT_NOW_ENTITIES, [])
    if not all(
        hass.states.get(e) is not None or registry.async_get(e) is not None for e in blocking
    ):
        errors[CONF_NOT_NOW_ENTITIES] = "entity_invalid"
    sensor, below = user_input.get(CONF_NOT_NOW_SENSOR), user_input.get(CONF_NOT_NOW_BELOW)
    if (sensor is None) != (below is None):
        errors[CONF_NOT_NOW_BELOW if sensor else CONF_NOT_NOW_SENSOR] = "not_now_incomplete"
    return {
        CONF_REMINDERS_ENABLED: enabled,
        CONF_REMINDER_DAYS: days,
        CONF_REMINDER_TIMES: format_times(times),
        CONF_QUIET_START: quiet[0] or None,
        CONF_QUIET_END: quiet[1] or None,
        CONF_QUIET_MODE: user_input[CONF_QUIET_MODE],
        **{key: int(user_input[key]) for key in _NUMBERS},
        CONF_NOT_NOW_ENTITIES: list(blocking),
        CONF_NOT_NOW_SENSOR: sensor,
        CONF_NOT_NOW_BELOW: below,
        CONF_COACH_ENABLED: bool(user_input[CONF_COACH_ENABLED]),
    }, detail
