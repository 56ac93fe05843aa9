"""Form schema and validation of the reminder schedule and the coach (options flow)."""

from __future__ import annotations

from datetime import time
from typing import Any

from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TimeSelector,
)
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .const import (
    CONF_NOT_NOW_ENTITIES,
    CONF_NOT_NOW_SENSOR,
    CONF_QUIET_END,
    CONF_QUIET_MODE,
    CONF_QUIET_START,
    CONF_REMINDER_DAYS,
    CONF_REMINDER_TIMES,
    WEEKDAYS,
)
from .core.options import COACH_ENABLED, NAG_MINUTES, NOT_NOW_BELOW, REMINDERS, REMINDERS_ENABLED
from .core.reminders import (
    MAX_TIMES_PER_DAY,
    QuietMode,
    format_times,
    parse_times,
)
from .flow_helpers import (
    check_form,
    entity_known,
    form_fields,
    form_placeholders,
    number_box,
    suggested,
)
from .flow_steps import StepContext

NOT_NOW_DOMAINS = ["input_boolean", "binary_sensor", "switch", "calendar"]
# Reminder times are time fields like quiet hours; they are stored as text ("07:30, 18:00") as
# before, so entries saved with the old text field read back unchanged.
TIME_FIELDS = tuple(f"reminder_time_{n}" for n in range(1, MAX_TIMES_PER_DAY + 1))


def stored_times(options: dict[str, Any]) -> tuple[time, ...]:
    """The stored reminder times (the text as saved by this form or by older versions)."""
    return parse_times(str(options.get(CONF_REMINDER_TIMES) or ""))


def time_fields(options: dict[str, Any]) -> tuple[str, ...]:
    """One time field per stored time and two empty ones to add more (up to six in all)."""
    return TIME_FIELDS[: max(2, len(stored_times(options)) + 2)]


def reminders_schema(context: StepContext) -> dict[vol.Marker, Any]:
    """Days, times, quiet hours, nagging, grace, 'not now' conditions and the coach."""
    options = context.options
    schedule: dict[vol.Marker, Any] = {
        suggested(CONF_REMINDER_DAYS, options, []): SelectSelector(
            SelectSelectorConfig(
                options=list(WEEKDAYS),
                multiple=True,
                translation_key="weekday",
                mode=SelectSelectorMode.LIST,
            )
        ),
        **{
            vol.Optional(
                key,
                description={"suggested_value": clock.strftime("%H:%M:%S")} if clock else None,
            ): TimeSelector()
            for key, clock in zip(
                time_fields(options),
                (*stored_times(options), *[None] * MAX_TIMES_PER_DAY),
                strict=False,
            )
        },
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
    not_now: dict[vol.Marker, Any] = {
        suggested(CONF_NOT_NOW_ENTITIES, options, []): EntitySelector(
            EntitySelectorConfig(domain=NOT_NOW_DOMAINS, multiple=True)
        ),
        suggested(CONF_NOT_NOW_SENSOR, options): EntitySelector(
            EntitySelectorConfig(domain="sensor")
        ),
        suggested(NOT_NOW_BELOW.key, options): number_box(NOT_NOW_BELOW.unit),
    }
    return form_fields(REMINDERS, options, {NAG_MINUTES.key: schedule, COACH_ENABLED.key: not_now})


def validate_reminders(context: StepContext, user_input: dict[str, Any]) -> dict[str, Any]:
    """Options from the reminders form."""
    hass, errors = context.hass, context.errors
    # The time fields accept only times of day (Home Assistant checks them before this).
    found = {
        time.fromisoformat(clock).replace(second=0)
        for key in TIME_FIELDS
        if (clock := _clock(user_input.get(key))) is not None
    }
    times = tuple(sorted(found))
    days = [day for day in WEEKDAYS if day in user_input.get(CONF_REMINDER_DAYS, [])]
    enabled = bool(user_input.get(REMINDERS_ENABLED.key))
    if enabled and (not days or not times) and not errors:
        errors["base"] = "schedule_incomplete"
    table = check_form(REMINDERS, user_input, errors)
    quiet = (_clock(user_input.get(CONF_QUIET_START)), _clock(user_input.get(CONF_QUIET_END)))
    if bool(quiet[0]) != bool(quiet[1]):
        errors[CONF_QUIET_END if quiet[0] else CONF_QUIET_START] = "quiet_incomplete"
    blocking = user_input.get(CONF_NOT_NOW_ENTITIES, [])
    if not all(entity_known(hass, e) for e in blocking):
        errors[CONF_NOT_NOW_ENTITIES] = "entity_invalid"
    sensor = user_input.get(CONF_NOT_NOW_SENSOR) or None
    below = user_input.get(NOT_NOW_BELOW.key)
    if sensor is not None and not entity_known(hass, sensor):
        errors[CONF_NOT_NOW_SENSOR] = "entity_invalid"
    elif (sensor is None) != (below is None):
        errors[NOT_NOW_BELOW.key if sensor else CONF_NOT_NOW_SENSOR] = "not_now_incomplete"
    elif below is not None and (below := NOT_NOW_BELOW.accept(below)) is None:
        errors[NOT_NOW_BELOW.key] = NOT_NOW_BELOW.error
    return {
        **table,
        CONF_REMINDER_DAYS: days,
        CONF_REMINDER_TIMES: format_times(times),
        CONF_QUIET_START: quiet[0],
        CONF_QUIET_END: quiet[1],
        CONF_QUIET_MODE: user_input[CONF_QUIET_MODE],
        CONF_NOT_NOW_ENTITIES: list(blocking),
        CONF_NOT_NOW_SENSOR: sensor,
        NOT_NOW_BELOW.key: below,
    }


def reminders_placeholders(context: StepContext) -> dict[str, str]:
    """The ranges the reminders form's texts name."""
    return form_placeholders(REMINDERS, NOT_NOW_BELOW)


def _clock(value: Any) -> str | None:
    """A time of day from the time field as ``HH:MM:SS`` (the field also lets ``7:30`` through)."""
    parsed = dt_util.parse_time(value) if isinstance(value, str) and value else None
    return parsed.strftime("%H:%M:%S") if parsed else None
