"""The walker's file: private, written atomically through Store's public calls, gone with the walker."""

from __future__ import annotations

import asyncio
from pathlib import Path
import stat
import threading
import time
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir, storage
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.const import DOMAIN
from custom_components.backward_walking.store import WalkerStorage, _unwritable, _WalkerStore

from .helpers import advance, call, real_files


def test_only_public_store_calls_are_wrapped() -> None:
    """Home Assistant's private write path changes between releases; it is left alone."""
    private_overrides = {
        name
        for name in vars(_WalkerStore)
        if name.startswith("_") and not name.startswith("__") and hasattr(storage.Store, name)
    }
    assert private_overrides == {"_async_migrate_func"}  # the documented way to migrate


async def test_the_file_is_private_and_written_whole(
    hass: HomeAssistant, entry: MockConfigEntry, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    hass.config.config_dir = str(tmp_path)
    path = tmp_path / ".storage" / f"backward_walking.{entry.entry_id}"
    path.parent.mkdir()
    path.write_text('{"version": 1, "minor_version": 1, "key": "x", "data": {}}')
    path.chmod(0o644)  # as older releases wrote it
    with real_files():
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        await call(hass, "start_session")
        await advance(hass, freezer, 5)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert '"state": "running"' in path.read_text() or '"state":"running"' in path.read_text()
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    store = WalkerStorage(hass, entry.entry_id, "Alex").store
    assert (store._private, store._atomic_writes) == (True, True)


async def test_a_read_only_folder_raises_the_repair(
    hass: HomeAssistant, loaded: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    issue_id = f"store_unwritable_{loaded.entry_id}"
    with patch(
        "custom_components.backward_walking.store._unwritable",
        return_value=PermissionError("/config/.storage cannot be written"),
    ):
        await call(hass, "start_session")
        await advance(hass, freezer, 5)
        issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
        assert issue is not None
        assert "cannot be written" in issue.translation_placeholders["error"]
    await call(hass, "pause_session")
    await advance(hass, freezer, 5)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


def test_unwritable(tmp_path: Path) -> None:
    folder = tmp_path / ".storage"
    assert _unwritable(str(folder / "file")) is None  # not there yet: Home Assistant makes it
    folder.mkdir()
    assert _unwritable(str(folder / "file")) is None
    with patch("os.access", return_value=False):  # a read-only file system
        assert isinstance(_unwritable(str(folder / "file")), PermissionError)


async def test_delayed_saves_come_forward_never_later(
    hass: HomeAssistant, hass_storage: dict[str, Any], freezer: FrozenDateTimeFactory
) -> None:
    store = WalkerStorage(hass, "standalone", "Alex").store
    key = f"{DOMAIN}.standalone"
    store.async_delay_save(lambda: {"n": 1}, 10)
    store.async_delay_save(lambda: {"n": 2}, 60)  # does not push the save back
    await advance(hass, freezer, 9)
    assert key not in hass_storage
    await advance(hass, freezer, 2)
    assert hass_storage[key]["data"] == {"n": 2}  # the newest data, taken when saving
    store.async_delay_save(lambda: {"n": 3}, 30)
    store.async_delay_save(lambda: {"n": 4}, 0)  # brings it forward
    await advance(hass, freezer, 1)
    assert hass_storage[key]["data"] == {"n": 4}


async def test_a_planned_save_happens_at_the_final_write(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    store = WalkerStorage(hass, "standalone", "Alex").store
    store.async_delay_save(lambda: {"n": 1}, 600)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert hass_storage[f"{DOMAIN}.standalone"]["data"] == {"n": 1}


@pytest.mark.parametrize("delay", [0, 1])
async def test_a_planned_save_does_not_bring_a_removed_file_back(
    hass: HomeAssistant, hass_storage: dict[str, Any], freezer: FrozenDateTimeFactory, delay: float
) -> None:
    store = WalkerStorage(hass, "standalone", "Alex").store
    await store.async_save({"n": 0})
    assert f"{DOMAIN}.standalone" in hass_storage
    store.async_delay_save(lambda: {"n": 1}, delay)
    await store.async_remove()
    await advance(hass, freezer, 5)
    assert f"{DOMAIN}.standalone" not in hass_storage


async def test_saves_are_written_in_the_order_they_were_asked_for(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """The folder check of an earlier save may finish after a later one's: the newer state wins.

    Found on the newest Home Assistant: a reload right after an escalation came back idle, because
    the older state was written last.
    """
    store = WalkerStorage(hass, "standalone", "Alex").store
    first_checked = threading.Event()

    def slow_first(path: str) -> OSError | None:
        if not first_checked.is_set():
            first_checked.set()
            time.sleep(0.2)  # the executor thread of the first save is the slower one
        return None

    with patch("custom_components.backward_walking.store._unwritable", slow_first):
        older = hass.async_create_task(store.async_save({"state": "awaiting_response"}))
        await asyncio.sleep(0)
        newer = hass.async_create_task(store.async_save({"state": "escalated"}))
        await asyncio.gather(older, newer)
    assert hass_storage[f"{DOMAIN}.standalone"]["data"] == {"state": "escalated"}
