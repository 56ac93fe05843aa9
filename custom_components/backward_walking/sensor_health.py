"""Repair issues for configured sensors: one that no longer exists, one unavailable for over an hour."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .const import DOMAIN, SENSOR_UNAVAILABLE_REPAIR_SECONDS

_UNREADABLE = ("unavailable", "unknown")


class SensorHealth:
    """Watches the configured sensors' existence and availability for the user to fix."""

    def __init__(self, hass: HomeAssistant, entry_id: str, walker: str) -> None:
        """Nothing is checked until ``check`` is called."""
        self.hass = hass
        self.entry_id = entry_id
        self.walker = walker
        self._timers: dict[str, CALLBACK_TYPE] = {}

    def issue_id(self, kind: str, entity_id: str) -> str:
        """The repair issue of ``kind`` for ``entity_id``."""
        return f"{kind}_{self.entry_id}_{entity_id}"

    @callback
    def check(self, entity_id: str, state: State | None) -> None:
        """Update the issues of one sensor from its current state."""
        missing = state is None and er.async_get(self.hass).async_get(entity_id) is None
        self._set_issue("sensor_missing", entity_id, missing)
        if state is None or state.state not in _UNREADABLE:
            self._cancel(entity_id)
            self._set_issue("sensor_unavailable", entity_id, False)
            return
        if entity_id not in self._timers:
            due = state.last_changed + timedelta(seconds=SENSOR_UNAVAILABLE_REPAIR_SECONDS)
            self._timers[entity_id] = async_track_point_in_utc_time(
                self.hass, self._make_expiry(entity_id), max(due, dt_util.utcnow())
            )

    def _make_expiry(self, entity_id: str) -> Callable[[datetime], None]:
        @callback
        def expired(_now: datetime) -> None:
            self._timers.pop(entity_id, None)
            self._set_issue("sensor_unavailable", entity_id, True)

        return expired

    def _cancel(self, entity_id: str) -> None:
        if (unsub := self._timers.pop(entity_id, None)) is not None:
            unsub()

    @callback
    def async_stop(self) -> None:
        """Cancel every pending check (on unload)."""
        for unsub in self._timers.values():
            unsub()
        self._timers.clear()

    def _set_issue(self, kind: str, entity_id: str, present: bool) -> None:
        issue_id = self.issue_id(kind, entity_id)
        if not present:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=kind,
            translation_placeholders={"walker": self.walker, "entity_id": entity_id},
        )
