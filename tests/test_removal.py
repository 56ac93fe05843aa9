"""Deleting a walker deletes its history file and its repair issues, and nothing of other walkers."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from custom_components.backward_walking.const import DOMAIN

from .helpers import advance, call, value
from .safety_helpers import OBSTACLE, Outside, setup_walker


async def test_removing_the_walker_removes_its_file_and_issues(
    hass: HomeAssistant,
    outside: Outside,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = await setup_walker(hass, freezer, obstacle_sensors=[OBSTACLE, "binary_sensor.gone"])
    other = await setup_walker(hass, freezer, "Robin", obstacle_sensors=["binary_sensor.gone"])
    storage_ = entry.runtime_data._storage
    storage_._write_result(OSError("disk full"))
    storage_._raise_issue("test", "somewhere")
    issues = ir.async_get(hass)
    mine = {i for d, i in issues.issues if d == DOMAIN and entry.entry_id in i}
    assert {i.split(entry.entry_id)[0] for i in mine} == {
        "sensor_missing_",
        "store_unwritable_",
        "store_unreadable_",
    }
    await call(hass, "start_session", {"config_entry_id": entry.entry_id, "force": True})
    assert value(hass, "sensor.alex_session_state") == "running"
    await hass.config_entries.async_remove(entry.entry_id)
    await advance(hass, freezer, 60)
    assert not {i for d, i in issues.issues if d == DOMAIN and entry.entry_id in i}
    assert f"{DOMAIN}.{entry.entry_id}" not in hass_storage
    # The other walker's issues stay.
    assert issues.async_get_issue(DOMAIN, f"sensor_missing_{other.entry_id}_binary_sensor.gone")
