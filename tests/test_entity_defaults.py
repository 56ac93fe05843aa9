"""What a new user sees on the walker's device page: no near-twins, no cut names, no 'Unknown' coach."""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import make_entry, value

TRANSLATIONS = (
    Path(__file__).parent.parent / "custom_components" / "backward_walking" / "translations"
)
COACH = ("suggested_duration", "suggested_speed", "weekly_target", "weekly_target_progress")
OFF_BY_DEFAULT = (
    "sensor.alex_backward_minutes_today",
    "sensor.alex_backward_minutes_this_week",
    "sensor.alex_extra_energy_vs_forward",
    "sensor.alex_longest_streak",
)


@pytest.mark.usefixtures("loaded")
async def test_what_most_users_do_not_need_is_off_by_default(hass: HomeAssistant) -> None:
    registry = er.async_get(hass)
    for entity_id in OFF_BY_DEFAULT:
        entry = registry.async_get(entity_id)
        assert entry is not None, entity_id
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        assert hass.states.get(entity_id) is None
    assert value(hass, "sensor.alex_minutes_today") == "0.0"


@pytest.mark.usefixtures("loaded")
async def test_the_coach_figures_are_off_while_the_coach_is(hass: HomeAssistant) -> None:
    """Not four "Unavailable" rows on the device page of everyone who never uses the coach."""
    registry = er.async_get(hass)
    for key in COACH:
        entry = registry.async_get(f"sensor.alex_{key}")
        assert entry is not None, key
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        assert hass.states.get(f"sensor.alex_{key}") is None


async def test_settings_names_fit_beside_their_controls(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """Names of numbers, selects and switches are cut after about 12 characters on the device page."""
    for path in TRANSLATIONS.glob("*.json"):
        entities = json.loads(path.read_text(encoding="utf-8"))["entity"]
        for platform in ("number", "select", "switch"):
            for key, text in entities[platform].items():
                assert len(text["name"]) <= 12, (path.name, platform, key, text["name"])
    assert hass.states.get("number.alex_duration") is not None
    assert hass.states.get("number.alex_speed") is not None


async def test_a_walker_is_a_device_not_a_service(hass: HomeAssistant) -> None:
    """The integration page said "2 services" and "Add service", the device page "Service info"."""
    manifest = json.loads((TRANSLATIONS.parent / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["integration_type"] == "device"
    entry = make_entry()
    entry.add_to_hass(hass)
    devices = dr.async_get(hass)
    # As an earlier release registered it.
    devices.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={("backward_walking", entry.entry_id)},
        name="Alex",
        entry_type=dr.DeviceEntryType.SERVICE,
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    [device] = dr.async_entries_for_config_entry(devices, entry.entry_id)
    assert device.entry_type is None
    assert (device.name, device.manufacturer, device.model) == (
        "Alex",
        "Backward Walking",
        "Retro-walking coach",
    )
