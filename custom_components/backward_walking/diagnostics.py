"""Diagnostics: settings, session and history sizes, with the walker's identity redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant

from .const import CONF_EMERGENCY_NOTIFY, CONF_HALLWAY, CONF_PERSON, CONF_WALKER_NOTIFY
from .data import BackwardWalkingConfigEntry

TO_REDACT = {
    CONF_NAME,
    CONF_PERSON,
    CONF_WALKER_NOTIFY,
    CONF_EMERGENCY_NOTIFY,
    CONF_HALLWAY,
    "walker",
    "title",
    "unique_id",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: BackwardWalkingConfigEntry
) -> dict[str, Any]:
    """What support needs to understand a problem, without who the walker is."""
    hub = entry.runtime_data
    history = hub.engine.history
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "session": hub.session_summary(),
            "safety": {
                "verdict": hub.view.verdict.value,
                "reasons": list(hub.view.reasons),
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
