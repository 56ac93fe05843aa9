"""Snapshots of every platform's entities and of the diagnostics, so any change shows up in review.

Each entity is reduced to what a user or an automation sees and what stays put between Home Assistant
versions (the registry's own serialisation gains fields from release to release): its entity ID,
unique ID, translation key, category, device class, unit, whether it starts disabled, its state and
its attributes. Update with ``scripts/test tests/test_snapshots.py --snapshot-update`` and review the
diff of tests/snapshots/.
"""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from .helpers import advance, call
from .safety_helpers import install_outside, set_clear_hallway, setup_walker

START = "2026-11-23 09:00:00+00:00"
PLATFORMS = ["binary_sensor", "button", "event", "number", "select", "sensor", "switch"]


def _entities(hass: HomeAssistant, entry: MockConfigEntry, platform: str) -> dict[str, Any]:
    """What each of the walker's entities of ``platform`` shows, by entity ID."""
    registry = er.async_get(hass)
    shown: dict[str, Any] = {}
    for item in sorted(
        er.async_entries_for_config_entry(registry, entry.entry_id), key=lambda e: e.entity_id
    ):
        if item.domain != platform:
            continue
        state = hass.states.get(item.entity_id)
        shown[item.entity_id] = {
            "unique_id": item.unique_id.replace(entry.entry_id, "<entry_id>"),
            "translation_key": item.translation_key,
            "entity_category": item.entity_category,
            "device_class": item.original_device_class,
            "unit": item.unit_of_measurement,
            "disabled_by": item.disabled_by,
            "state": state.state if state else None,
            # Newer Home Assistant keys some attributes by an enum; what is stored is the text.
            "attributes": {str(k): v for k, v in state.attributes.items()} if state else None,
        }
    return shown


@pytest.fixture
async def walker(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> MockConfigEntry:
    """A walker with the demo hallway, every entity enabled, at a fixed time."""
    freezer.move_to(START)
    await hass.config.async_set_time_zone("Europe/Berlin")
    set_clear_hallway(hass)
    install_outside(hass)
    return await setup_walker(hass, freezer, "Alex")


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platform", PLATFORMS)
async def test_idle_entities(
    hass: HomeAssistant,
    walker: MockConfigEntry,
    platform: str,
    snapshot: SnapshotAssertion,
) -> None:
    assert _entities(hass, walker, platform) == snapshot


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platform", ["binary_sensor", "sensor"])
async def test_walking_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    walker: MockConfigEntry,
    platform: str,
    snapshot: SnapshotAssertion,
) -> None:
    await call(hass, "start_session", {"duration": 10, "program": "alternating_1_1"})
    await advance(hass, freezer, 150, step=30)
    assert _entities(hass, walker, platform) == snapshot


async def test_diagnostics(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, snapshot: SnapshotAssertion
) -> None:
    # Real time: the diagnostics view cannot serialise a frozen clock; what changes with time
    # (when the session started) is redacted.
    set_clear_hallway(hass)
    install_outside(hass)
    walker = await setup_walker(hass, None, "Alex", clear_hold_seconds=0)
    await call(hass, "start_session", {"duration": 10})
    await call(hass, "pause_session")
    assert await get_diagnostics_for_config_entry(hass, hass_client, walker) == snapshot
