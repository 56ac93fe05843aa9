"""Diagnostics carry what support needs and nothing that identifies the walker."""

from __future__ import annotations

import json

from homeassistant.components.diagnostics import REDACTED
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from .helpers import call

PROGRAM = "Omas Knie-Reha nach OP (Dr. Weber)"


async def test_diagnostics_are_redacted(
    hass: HomeAssistant, entry: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    hass.states.async_set("person.alex_smith", "home")
    hass.config_entries.async_update_entry(
        entry,
        data={"name": "Alex Smith", "person": "person.alex_smith"},
        title="Alex Smith",
        options={
            **entry.options,
            "walker_notify": ["notify.mobile_app_alex_phone"],
            "emergency_notify": ["notify.mobile_app_daughter"],
            "hallway": "Smith residence upstairs",
            "obstacle_sensors": ["binary_sensor.beam"],
            "weight_kg": 83.7,
            "met_override": 4.35,
            "custom_programs": {PROGRAM: "F3 B1", "Abendrunde": "B2 R1"},
            "program": PROGRAM,
            "reminders_enabled": True,
            "reminder_days": ["tue", "sat"],
            "reminder_times": "06:47, 19:13",
            "quiet_start": "21:37:00",
            "quiet_end": "05:53:00",
        },
    )
    hass.states.async_set("binary_sensor.beam", "off")
    assert await hass.config_entries.async_setup(entry.entry_id)
    # Forced: the beam is still being checked for its clear-hold right after set-up.
    await call(hass, "start_session", {"force": True})
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["session"]["state"] == "running"
    assert diagnostics["history"]["sessions_kept"] == 0
    options = diagnostics["entry"]["options"]
    # Health data and habits are redacted; whether they are set and how many there are stays.
    assert options["weight_kg"] == REDACTED
    assert options["met_override"] == REDACTED
    assert options["custom_programs"] == {"count": 2}
    assert options["program"] == "custom"
    assert options["reminder_days"] == {"count": 2}
    assert options["reminder_times"] == {"count": 2}
    assert (options["quiet_start"], options["quiet_end"]) == (REDACTED, REDACTED)
    assert options["reminders_enabled"] is True
    assert options["target_minutes"] == 10
    session = diagnostics["session"]
    assert (session["program"], session["started_at"]) == ("custom", REDACTED)
    assert session["next_reminder"] == REDACTED
    for private in ("83.7", "4.35", "Omas", "Weber", "Abendrunde", "06:47", "19:13", "21:37"):
        assert private not in json.dumps(diagnostics)
    assert '"tue"' not in json.dumps(diagnostics)
    text = json.dumps(diagnostics)
    assert "Alex" not in text
    assert "person.alex_smith" not in text
    assert "alex" not in text.lower()
    assert "daughter" not in text
    assert "Smith" not in text
    assert diagnostics["safety"]["sensors"] == 1
    assert diagnostics["safety"]["ladder"]["state"] == "idle"


async def test_diagnostics_keep_built_in_programs_and_empty_settings(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, loaded)
    options = diagnostics["entry"]["options"]
    assert options["program"] == "backward_only"
    assert options["custom_programs"] == {"count": 0}
    assert options["reminder_times"] == {"count": 0}
    assert "met_override" not in options
    assert diagnostics["session"]["program"] is None
    assert diagnostics["session"]["started_at"] is None
