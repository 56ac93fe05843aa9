"""Persistence of one walker: the session in progress and the bounded history.

A file that cannot be read is never deleted: it is moved aside, a repair issue tells the user where it
is, and the walker starts with an empty history so the integration still loads.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
import os
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.file import WriteError

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)
STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1


class UnreadableStoreError(Exception):
    """The stored data has a version or shape this release cannot read."""


class _WalkerStore(Store[dict[str, Any]]):
    on_write: Callable[[Exception | None], None] | None = None

    async def _async_write_data(self, *args: Any) -> None:
        # The arguments differ between Home Assistant releases; pass them on as they come.
        try:
            await super()._async_write_data(*args)
        except WriteError as err:
            self._report(err)
            raise  # Home Assistant logs it
        except OSError as err:
            # Raised before Home Assistant's own error handling (e.g. the folder cannot be made).
            self._report(err)
            return
        self._report(None)

    def _report(self, error: Exception | None) -> None:
        if self.on_write is not None:
            self.on_write(error)

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
        self.store = _WalkerStore(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}", minor_version=STORAGE_MINOR_VERSION
        )
        self.store.on_write = self._write_result
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
