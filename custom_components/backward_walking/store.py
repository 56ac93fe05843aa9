"""Persistence of one walker: the session in progress and the bounded history.

A file that cannot be read is never deleted: it is moved aside, a repair issue tells the user where it
is, and the walker starts with an empty history so the integration still loads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
import logging
import os
from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)
STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1


class UnreadableStoreError(Exception):
    """The stored data has a version or shape this release cannot read."""


def _unwritable(path: str) -> OSError | None:
    """Why the folder of ``path`` cannot be written (read-only file system, permissions), if so.

    A missing folder is fine: Home Assistant creates it, and an error doing so reaches async_save.
    """
    folder = os.path.dirname(path)
    if os.path.isdir(folder) and not os.access(folder, os.W_OK):
        return PermissionError(f"{folder} cannot be written")
    return None


class _WalkerStore(Store[dict[str, Any]]):
    """The walker's file: private (0600) and written atomically, every write's outcome reported.

    Home Assistant's Store logs a failed write itself; to turn it into a repair issue, every write
    goes through the public ``async_save``, and ``async_delay_save`` plans one such save.
    """

    def __init__(
        self, hass: HomeAssistant, key: str, on_write: Callable[[Exception | None], None]
    ) -> None:
        super().__init__(
            hass,
            STORAGE_VERSION,
            key,
            private=True,
            atomic_writes=True,
            minor_version=STORAGE_MINOR_VERSION,
        )
        self._on_write = on_write
        self._data_func: Callable[[], dict[str, Any]] | None = None
        self._cancel_later: CALLBACK_TYPE | None = None
        self._cancel_final: CALLBACK_TYPE | None = None
        self._planned_at = 0.0
        self._removed = False
        # Saves run one after the other, in the order they were asked for: the folder check runs in
        # the executor, whose threads may finish in any order, and an older state written after a
        # newer one would bring back, after a restart, what had already changed.
        self._in_order = asyncio.Lock()

    async def async_save(self, data: dict[str, Any]) -> None:
        """Save now (or at Home Assistant's final write while it stops) and report the outcome."""
        self._cancel_planned()
        async with self._in_order:
            if self.removed():
                return  # a save started just before the walker was deleted must not bring it back
            problem = await self.hass.async_add_executor_job(_unwritable, self.path)
            if self.removed():
                return
            try:
                await super().async_save(data)
            except OSError as err:  # e.g. the .storage folder cannot be made
                problem = err
        self._on_write(problem)

    @callback
    def async_delay_save(self, data_func: Callable[[], dict[str, Any]], delay: float = 0) -> None:
        """Save what ``data_func`` returns once ``delay`` seconds have passed.

        Like Home Assistant's own: the data is taken when the save happens, calls before then only
        bring the save forward, never push it back, and a save still planned when Home Assistant
        stops happens at its final write.
        """
        self._data_func = data_func
        if delay <= 0:
            self._save_planned()  # a transition: written now, not on the next timer tick
            return
        when = self.hass.loop.time() + delay
        if self._cancel_later is not None and self._planned_at <= when:
            return
        if self._cancel_later is not None:
            self._cancel_later()
        self._planned_at = when
        self._cancel_later = async_call_later(
            self.hass, delay, HassJob(self._save_when_due, cancel_on_shutdown=True)
        )
        if self._cancel_final is None:
            self._cancel_final = self.hass.bus.async_listen_once(
                EVENT_HOMEASSISTANT_FINAL_WRITE, self._save_at_final_write
            )

    def removed(self) -> bool:
        """Whether the file was deleted (with its walker): nothing is written any more."""
        return self._removed

    async def async_remove(self) -> None:
        """Forget a planned save, then delete the file."""
        self._cancel_planned()
        self._removed = True
        await super().async_remove()

    @callback
    def _save_when_due(self, _now: datetime) -> None:
        self._cancel_later = None
        self._save_planned()

    @callback
    def _save_at_final_write(self, _event: Event) -> None:
        self._cancel_final = None
        self._save_planned()

    def _save_planned(self) -> None:
        data_func = self._data_func
        self._cancel_planned()
        if data_func is not None:
            self.hass.async_create_task(self.async_save(data_func()), f"{DOMAIN} save {self.key}")

    def _cancel_planned(self) -> None:
        self._data_func = None
        if self._cancel_later is not None:
            self._cancel_later()
            self._cancel_later = None
        if self._cancel_final is not None:
            self._cancel_final()
            self._cancel_final = None

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        if old_major_version > STORAGE_VERSION:
            raise UnreadableStoreError(f"version {old_major_version} is newer than this release")
        return old_data


class WalkerStorage:
    """Loads and saves one walker's file under ``.storage/backward_walking.<entry_id>``."""

    def __init__(self, hass: HomeAssistant, entry_id: str, walker_name: str) -> None:
        """Prepare the store; nothing is read until async_load."""
        self.hass = hass
        self.entry_id = entry_id
        self.walker_name = walker_name
        self.store = _WalkerStore(hass, f"{DOMAIN}.{entry_id}", self._write_result)
        self._write_failed = False

    @property
    def issue_id(self) -> str:
        """Repair issue raised when this walker's file could not be read."""
        return f"store_unreadable_{self.entry_id}"

    async def async_load(self) -> dict[str, Any]:
        """The stored data, or {} when there is none or it could not be read."""
        existed = await self.hass.async_add_executor_job(os.path.exists, self.store.path)
        try:
            data: object = await self.store.async_load()
        except (HomeAssistantError, NotImplementedError, UnreadableStoreError, OSError) as err:
            await self.async_set_aside(str(err))
            return {}
        if data is None:
            if existed:
                # Home Assistant moved an undecodable file aside already; tell the user here too.
                self._raise_issue("the file was not valid JSON", f"{self.store.path}.corrupt.*")
            return {}
        if not isinstance(data, dict):
            await self.async_set_aside("the data is not an object")
            return {}
        return data

    async def async_set_aside(self, why: str) -> None:
        """Move the unreadable file aside (kept, not deleted) and raise a repair issue."""
        aside = f"{self.store.path}.unreadable.{dt_util.utcnow().strftime('%Y%m%dT%H%M%S')}"
        try:
            await self.hass.async_add_executor_job(os.replace, self.store.path, aside)
        except FileNotFoundError:
            aside = self.store.path
        except OSError as err:
            _LOGGER.error("Could not move %s aside: %s", self.store.path, err)
            aside = self.store.path
        _LOGGER.error(
            "Stored data of walker %s could not be read (%s); kept as %s, starting empty",
            self.walker_name,
            why,
            aside,
        )
        self._raise_issue(why, aside)

    def _write_result(self, error: Exception | None) -> None:
        issue_id = f"store_unwritable_{self.entry_id}"
        if error is None:
            if self._write_failed:
                self._write_failed = False
                _LOGGER.info("Walking data of %s can be saved again", self.walker_name)
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        if not self._write_failed:
            self._write_failed = True
            _LOGGER.error("Walking data of %s could not be saved: %s", self.walker_name, error)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="store_unwritable",
                translation_placeholders={
                    "walker": self.walker_name,
                    "path": self.store.path,
                    "error": str(error),
                },
            )

    def _raise_issue(self, why: str, aside: str) -> None:
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self.issue_id,
            is_fixable=False,
            is_persistent=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key="store_unreadable",
            translation_placeholders={"walker": self.walker_name, "path": aside, "error": why},
        )
