"""Diagnostics: settings, session and history sizes, without who the walker is or their health data.

Redacted: identity (name, person, notify targets, hallway), body data (weight, MET override), the
walker's own programs (only their number is kept), when reminders come (days, times, quiet hours) and
when the session and the check-in started. What stays shows whether a setting is set, how many there
are and the states, which is what support needs.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant

from .const import (
    CONF_CUSTOM_PROGRAMS,
    CONF_EMERGENCY_NOTIFY,
    CONF_HALLWAY,
    CONF_MET_OVERRIDE,
    CONF_PERSON,
    CONF_PROGRAM,
    CONF_QUIET_END,
    CONF_QUIET_START,
    CONF_REMINDER_DAYS,
    CONF_REMINDER_TIMES,
    CONF_WALKER_NOTIFY,
    OPT_WEIGHT_KG,
)
from .core.programs import BUILTIN_PROGRAMS
from .hub import BackwardWalkingConfigEntry
from .view import path_attributes

TO_REDACT = {
    CONF_NAME,
    CONF_PERSON,
    CONF_WALKER_NOTIFY,
    CONF_EMERGENCY_NOTIFY,
    CONF_HALLWAY,
    OPT_WEIGHT_KG,
    CONF_MET_OVERRIDE,
    CONF_QUIET_START,
    CONF_QUIET_END,
    "walker",
    "title",
    "unique_id",
    "started_at",
    "deadline",
    "next_reminder",
}


def _program(key: Any) -> Any:
    """A built-in program's key as it is; the walker's own program names are private."""
    return key if key is None or key in BUILTIN_PROGRAMS else "custom"


def _options(options: dict[str, Any]) -> dict[str, Any]:
    """The options with counts in place of the walker's programs and reminder days and times."""
    times = options.get(CONF_REMINDER_TIMES, "")
    shaped = {
        **options,
        CONF_CUSTOM_PROGRAMS: {"count": len(options.get(CONF_CUSTOM_PROGRAMS, {}))},
        CONF_REMINDER_DAYS: {"count": len(options.get(CONF_REMINDER_DAYS, []))},
        CONF_REMINDER_TIMES: {"count": len([t for t in times.split(",") if t.strip()])},
    }
    if CONF_PROGRAM in options:
        shaped[CONF_PROGRAM] = _program(options[CONF_PROGRAM])
    return shaped


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: BackwardWalkingConfigEntry
) -> dict[str, Any]:
    """What support needs to understand a problem, without who the walker is."""
    hub = entry.runtime_data
    history = hub.engine.history
    session = hub.session_summary()
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": _options(dict(entry.options)),
            },
            "session": {**session, "program": _program(session.get("program"))},
            "safety": {
                **path_attributes(hub.view),
                "ladder": hub.engine.guard.ladder.to_dict(),
                "sensors": len(hub.settings.sensors),
            },
            "history": {
                "days_kept": len(history.days),
                "sessions_kept": len(history.sessions),
                "sessions_completed": history.sessions_completed,
                "longest_streak": history.longest_streak,
            },
        },
        TO_REDACT,
    )
