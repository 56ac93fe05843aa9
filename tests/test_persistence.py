"""Restart, periodic saves, unreadable storage and unload."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir, storage
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import advance, call, reload, state, value

# Some of these entities are off by default; the tests read them all.
pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")

# The real loader, taken before the test harness replaces it with an in-memory one.
REAL_LOAD = storage.Store._async_load


def stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    data: dict[str, Any] = hass_storage[f"backward_walking.{entry.entry_id}"]["data"]
    return data


async def test_restart_comes_back_paused_with_elapsed_time(
    hass: HomeAssistant, loaded: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await call(hass, "start_session", {"program": "forward5_backward1"})
    await advance(hass, freezer, 330)
    await reload(hass, loaded)
    session = state(hass, "sensor.alex_session_state")
    assert session.state == "paused"
    assert session.attributes["pause_reason"] == "restart"
    # The whole minutes walked; the seconds are in remaining_seconds, for the card.
    assert float(value(hass, "sensor.alex_elapsed")) == 5.0
    assert session.attributes["remaining_seconds"] == 270
    assert value(hass, "sensor.alex_current_phase") == "backward"
    await advance(hass, freezer, 120)
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert float(value(hass, "sensor.alex_elapsed")) == 5.0
    await call(hass, "resume_session")
    await advance(hass, freezer, 29)
    assert float(value(hass, "sensor.alex_elapsed")) == 5.0
    await advance(hass, freezer, 1)
    assert float(value(hass, "sensor.alex_elapsed")) == 6.0  # written on the minute
    await call(hass, "pause_session")
    assert float(value(hass, "sensor.alex_elapsed")) == 6.0


async def test_history_survives_a_restart(
    hass: HomeAssistant, loaded: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await call(hass, "start_session", {"duration": 1})
    await advance(hass, freezer, 60)
    await reload(hass, loaded)
    assert value(hass, "sensor.alex_session_state") == "completed"
    assert value(hass, "sensor.alex_sessions_completed") == "1"
    assert float(value(hass, "sensor.alex_backward_minutes_today")) == 1
    assert value(hass, "sensor.alex_current_streak") == "1"


async def test_running_session_is_saved_at_least_every_30_seconds(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    await call(hass, "start_session")
    await advance(hass, freezer, 5)
    assert stored(hass_storage, loaded)["session"]["state"] == "running"
    for seconds in (40, 80, 120):
        await advance(hass, freezer, 40)
        assert stored(hass_storage, loaded)["session"]["elapsed_s"] >= seconds - 30


async def test_stopping_home_assistant_saves_the_latest_time(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    await call(hass, "start_session")
    await advance(hass, freezer, 15)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await advance(hass, freezer, 1)
    assert stored(hass_storage, loaded)["session"]["elapsed_s"] == 16


def _saved_session(state_: str = "running") -> dict[str, Any]:
    return {
        "program_key": "backward_only",
        "segments": "B1",
        "target_s": 600,
        "speed_mph": 1.0,
        "started_at": "2026-03-04T17:00:00+00:00",
        "state": state_,
        "elapsed_s": 200.0,
        "ended_at": None,
        "segment_number": 3,
        "pauses": [],
    }


async def test_seeded_storage_restores(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    hass_storage[f"backward_walking.{entry.entry_id}"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"backward_walking.{entry.entry_id}",
        "data": {"session": _saved_session(), "history": None},
    }
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, "sensor.alex_session_state").attributes["pause_reason"] == "restart"
    assert float(value(hass, "sensor.alex_elapsed")) == 3.0  # 3:20 walked: 3 whole minutes
    assert not ir.async_get(hass).issues


@pytest.mark.parametrize(
    ("stored_data", "why"),
    [
        ({"version": 9, "data": {"session": None}}, "version 9"),
        ({"version": 1, "data": {"session": _saved_session("flying")}}, "unexpected content"),
        ({"version": 1, "data": {"history": {"days": 5}}}, "unexpected content"),
        ({"version": 1, "data": ["not", "an", "object"]}, "not an object"),
    ],
)
async def test_unreadable_storage_raises_a_repair_and_still_loads(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    stored_data: dict[str, Any],
    why: str,
) -> None:
    hass_storage[f"backward_walking.{entry.entry_id}"] = stored_data
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "idle"
    issue = ir.async_get(hass).async_get_issue(
        "backward_walking", f"store_unreadable_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_key == "store_unreadable"
    assert why in issue.translation_placeholders["error"]
    assert issue.translation_placeholders["walker"] == "Alex"
    # The walker works and saves a fresh file.
    await call(hass, "start_session")
    assert value(hass, "sensor.alex_session_state") == "running"


async def test_a_bug_in_restore_is_not_taken_for_a_damaged_file(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """Only KeyError, TypeError and ValueError mean damaged data; anything else is a bug and shows."""
    hass_storage[f"backward_walking.{entry.entry_id}"] = {
        "version": 1,
        "data": {"session": _saved_session()},
    }
    with patch(
        "custom_components.backward_walking.core.walker.Walker.restore",
        side_effect=AttributeError("a bug"),
    ):
        assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert not ir.async_get(hass).issues  # nothing was set aside as unreadable
    assert hass_storage[f"backward_walking.{entry.entry_id}"]["data"]["session"]


async def test_truncated_file_is_kept_aside(
    hass: HomeAssistant, entry: MockConfigEntry, tmp_path: Path
) -> None:
    hass.config.config_dir = str(tmp_path)
    path = Path(hass.config.path(".storage", f"backward_walking.{entry.entry_id}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    good = json.dumps({"version": 1, "data": {"session": _saved_session()}})
    path.write_text(good[: len(good) // 2])
    with patch.object(storage.Store, "_async_load", REAL_LOAD):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "idle"
    kept = list(path.parent.glob(f"{path.name}.corrupt.*"))
    assert len(kept) == 1
    assert kept[0].read_text() == good[: len(good) // 2]
    issue = ir.async_get(hass).async_get_issue(
        "backward_walking", f"store_unreadable_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders["error"] == "the file was not valid JSON"


async def test_bad_content_in_a_real_file_is_moved_aside(
    hass: HomeAssistant, entry: MockConfigEntry, tmp_path: Path
) -> None:
    hass.config.config_dir = str(tmp_path)
    path = Path(hass.config.path(".storage", f"backward_walking.{entry.entry_id}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 7, "minor_version": 1, "key": "x", "data": {}}))
    with patch.object(storage.Store, "_async_load", REAL_LOAD):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    kept = list(path.parent.glob(f"{path.name}.unreadable.*"))
    assert len(kept) == 1
    assert json.loads(kept[0].read_text())["version"] == 7
    issue = ir.async_get(hass).async_get_issue(
        "backward_walking", f"store_unreadable_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders["path"] == str(kept[0])


async def test_unload_leaves_no_timers_or_listeners(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    hub = loaded.runtime_data
    await call(hass, "start_session")
    await advance(hass, freezer, 12)
    assert await hass.config_entries.async_unload(loaded.entry_id)
    assert hub._unsub_wakeup is None
    assert hub._unsub_sensors is None
    assert hub.coordinator._listeners == {}
    assert hub._event_listeners == []
    saved = stored(hass_storage, loaded)
    await advance(hass, freezer, 120)
    assert stored(hass_storage, loaded) == saved
    assert value(hass, "sensor.alex_session_state") == "unavailable"


async def test_deleting_the_walker_deletes_the_history(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await call(hass, "start_session")
    await reload(hass, loaded)
    assert f"backward_walking.{loaded.entry_id}" in hass_storage
    assert await hass.config_entries.async_remove(loaded.entry_id)
    assert f"backward_walking.{loaded.entry_id}" not in hass_storage


async def test_a_transition_is_written_at_once(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """Found by the independent tester: a crash 0.1 s after a start lost the session."""
    await call(hass, "start_session")
    await hass.async_block_till_done()
    assert stored(hass_storage, loaded)["session"]["state"] == "running"
    await call(hass, "pause_session")
    await hass.async_block_till_done()
    assert stored(hass_storage, loaded)["session"]["state"] == "paused"
