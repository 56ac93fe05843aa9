"""Diagnostics carry what support needs and nothing that identifies the walker."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from .helpers import call


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
        },
    )
    hass.states.async_set("binary_sensor.beam", "off")
    assert await hass.config_entries.async_setup(entry.entry_id)
    # Forced: the beam is still being checked for its clear-hold right after set-up.
    await call(hass, "start_session", {"force": True})
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["session"]["state"] == "running"
    assert diagnostics["entry"]["options"]["weight_kg"] == 70.0
    assert diagnostics["history"]["sessions_kept"] == 0
    text = json.dumps(diagnostics)
    assert "Alex" not in text
    assert "person.alex_smith" not in text
    assert "alex" not in text.lower()
    assert "daughter" not in text
    assert "Smith" not in text
    assert diagnostics["safety"]["sensors"] == 1
    assert diagnostics["safety"]["ladder"]["state"] == "idle"
