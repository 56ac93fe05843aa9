"""Form schema and validation of the reminder schedule and the coach (options flow)."""

from __future__ import annotations

from datetime import time
import re
from typing import Any

from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
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
from .core.names import shorten, visible
from .core.options import COACH_ENABLED, NAG_MINUTES, NOT_NOW_BELOW, REMINDERS, REMINDERS_ENABLED
from .core.reminders import (
    MAX_TIMES_PER_DAY,
    QuietMode,
    format_times,
    parse_times,
)
from .flow_helpers import (
    CheckedChoices,
    check_form,
    entity_known,
    form_fields,
    form_placeholders,
    number_box,
    suggested,
)
from .flow_steps import StepContext

NOT_NOW_DOMAINS = ["input_boolean", "binary_sensor", "switch", "calendar"]
# Times of day are whole minutes, on a 24-hour clock: picked from the half hours or typed
# ("07:45"), in a list that grows as times are added. Reminder times are stored as text
# ("07:30, 18:00") and quiet hours as "22:00:00", as before, so stored entries read back unchanged.
HALF_HOURS = [f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in (0, 30)]
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(?::00)?")


def read_clock(value: Any) -> time | None:
    """A time of day as picked or typed ("7:30", "07:30", or "07:30:00" as stored), else None."""
    match = _CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
    return time(int(match.group(1)), int(match.group(2))) if match else None


def _clock_picker(*, multiple: bool = False) -> CheckedChoices:
    return CheckedChoices(
        SelectSelectorConfig(
            options=HALF_HOURS,
            multiple=multiple,
            custom_value=True,
            mode=SelectSelectorMode.DROPDOWN,
        )
    )


def _shown_clock(options: dict[str, Any], key: str) -> vol.Optional:
    clock = read_clock(options.get(key))
    shown = clock.strftime("%H:%M") if clock else None
    return vol.Optional(key, description={"suggested_value": shown} if shown else None)


def stored_times(options: dict[str, Any]) -> tuple[time, ...]:
    """The stored reminder times (the text as saved by this form or by older versions)."""
    return parse_times(str(options.get(CONF_REMINDER_TIMES) or ""))


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
        suggested(
            CONF_REMINDER_TIMES,
            {CONF_REMINDER_TIMES: [t.strftime("%H:%M") for t in stored_times(options)] or None},
        ): _clock_picker(multiple=True),
        _shown_clock(options, CONF_QUIET_START): _clock_picker(),
        _shown_clock(options, CONF_QUIET_END): _clock_picker(),
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
    times = _times(context, user_input.get(CONF_REMINDER_TIMES))
    days = [day for day in WEEKDAYS if day in user_input.get(CONF_REMINDER_DAYS, [])]
    enabled = bool(user_input.get(REMINDERS_ENABLED.key))
    if enabled and (not days or not times) and not errors:
        errors["base"] = "schedule_incomplete"
    table = check_form(REMINDERS, user_input, errors)
    quiet = tuple(_quiet(context, user_input, key) for key in (CONF_QUIET_START, CONF_QUIET_END))
    if bool(quiet[0]) != bool(quiet[1]) and not errors.keys() & {CONF_QUIET_START, CONF_QUIET_END}:
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
    """The ranges the reminders form's texts name; no time named until an error names one."""
    return {
        "times_max": str(MAX_TIMES_PER_DAY),
        "detail": "",
        **form_placeholders(REMINDERS, NOT_NOW_BELOW),
    }


def _times(context: StepContext, chosen: Any) -> tuple[time, ...]:
    """The reminder times chosen, sorted and once each; an error names one that is no time."""
    values = chosen if isinstance(chosen, list) else [] if chosen in (None, "") else [chosen]
    found: set[time] = set()
    for value in values:
        if (clock := read_clock(value)) is None:
            context.errors[CONF_REMINDER_TIMES] = "time_invalid"
            context.error_placeholders["detail"] = shorten(visible(str(value)))
            return ()
        found.add(clock)
    if len(found) > MAX_TIMES_PER_DAY:
        context.errors[CONF_REMINDER_TIMES] = "times_too_many"
        return ()
    return tuple(sorted(found))


def _quiet(context: StepContext, user_input: dict[str, Any], key: str) -> str | None:
    """A quiet hour's end as stored (``22:00:00``), None when left empty."""
    value = user_input.get(key)
    if value in (None, ""):
        return None
    if (clock := read_clock(value)) is None:
        context.errors[key] = "time_invalid"
        context.error_placeholders["detail"] = shorten(visible(str(value)))
        return None
    return clock.strftime("%H:%M:%S")
