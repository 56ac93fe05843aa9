"""Follow entity-ID renames in the walker's settings, so a renamed sensor stays monitored.

Renaming an entity is an everyday action in Home Assistant. The registry announces it
(``EVENT_ENTITY_REGISTRY_UPDATED`` with ``old_entity_id``); the entity then removes its old state and
writes the new one. Between the two the sensor has no state under either ID, which the monitor
would judge *missing* (unsafe, so a running session pauses). The follower therefore:

- rewrites every option that names the old ID (roles, warn-only, delays, not-now, speaker, TTS,
  notify entities) and logs it;
- hands the hub the new settings at once, but without a renamed sensor whose new state does not
  exist yet (*pending*): the hub stops watching the old ID before its removal reaches it (state
  trackers hear of a change only on the next turn of the event loop, registry listeners at once),
  and takes the new ID when its first state arrives, like a sensor added in the options.
"""

from __future__ import annotations

from datetime import datetime
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.event import async_call_later, async_track_state_change_event

from .const import (
    CONF_EMERGENCY_NOTIFY,
    CONF_MEDIA_PLAYER,
    CONF_NOT_NOW_ENTITIES,
    CONF_NOT_NOW_SENSOR,
    CONF_SENSOR_DELAYS,
    CONF_TTS_ENTITY,
    CONF_VOICE_SATELLITE,
    CONF_WALKER_NOTIFY,
    CONF_WARN_ONLY_SENSORS,
    DOMAIN,
)
from .core.settings import WalkerSettings
from .entry_settings import ROLE_OPTIONS, settings_from_entry
from .hub import BackwardWalkingConfigEntry, WalkerHub
from .identity import WalkerName

_LOGGER = logging.getLogger(__name__)
# How long a renamed sensor may go without a state before it counts as missing (fails closed).
RENAME_GRACE_SECONDS = 10

_ID_LISTS = (
    *ROLE_OPTIONS.values(),
    CONF_WARN_ONLY_SENSORS,
    CONF_NOT_NOW_ENTITIES,
    CONF_WALKER_NOTIFY,
    CONF_EMERGENCY_NOTIFY,
)
_SENSOR_LISTS = (*ROLE_OPTIONS.values(), CONF_WARN_ONLY_SENSORS)
_SINGLE_IDS = (CONF_NOT_NOW_SENSOR, CONF_MEDIA_PLAYER, CONF_TTS_ENTITY, CONF_VOICE_SATELLITE)


def referenced(options: dict[str, Any]) -> set[str]:
    """Every entity ID the options name."""
    ids = {e for key in _ID_LISTS for e in options.get(key, []) if isinstance(e, str)}
    ids.update(value for key in _SINGLE_IDS if isinstance(value := options.get(key), str))
    ids.update(options.get(CONF_SENSOR_DELAYS, {}))
    return ids


def renamed_options(options: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """``options`` with every mention of ``old`` replaced by ``new`` (lists stay free of doubles)."""
    result = dict(options)
    for key in _ID_LISTS:
        if old in (values := options.get(key, [])):
            result[key] = list(dict.fromkeys(new if e == old else e for e in values))
    for key in _SINGLE_IDS:
        if options.get(key) == old:
            result[key] = new
    delays: dict[str, float] = options.get(CONF_SENSOR_DELAYS, {})
    if old in delays:
        result[CONF_SENSOR_DELAYS] = {new if e == old else e: d for e, d in delays.items()}
    return result


def without_sensor(options: dict[str, Any], entity_id: str) -> dict[str, Any]:
    """``options`` without the safety sensor ``entity_id`` (roles, warn-only and its delay)."""
    result = dict(options)
    for key in _SENSOR_LISTS:
        if entity_id in (values := options.get(key, [])):
            result[key] = [e for e in values if e != entity_id]
    delays: dict[str, float] = options.get(CONF_SENSOR_DELAYS, {})
    if entity_id in delays:
        result[CONF_SENSOR_DELAYS] = {e: d for e, d in delays.items() if e != entity_id}
    return result


@callback
def clear_stale_repairs(hass: HomeAssistant, entry_id: str, sensor_ids: tuple[str, ...]) -> None:
    """Delete the missing-sensor repairs of sensors the walker's settings no longer name."""
    prefix = f"sensor_missing_{entry_id}_"
    for domain, issue_id in list(ir.async_get(hass).issues):
        if (
            domain == DOMAIN
            and issue_id.startswith(prefix)
            and issue_id.removeprefix(prefix) not in sensor_ids
        ):
            ir.async_delete_issue(hass, DOMAIN, issue_id)


class RenameFollower:
    """Keeps one walker's settings in line with entity-ID renames."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: BackwardWalkingConfigEntry,
        hub: WalkerHub,
        names: WalkerName,
    ) -> None:
        """Nothing is watched until ``async_start``."""
        self.hass = hass
        self.entry = entry
        self.hub = hub
        self.names = names
        self.pending: set[str] = set()
        self._unsub_states: dict[str, CALLBACK_TYPE] = {}
        self._unsub_grace: CALLBACK_TYPE | None = None

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Listen to renames."""
        unsub_registry = self.hass.bus.async_listen(
            er.EVENT_ENTITY_REGISTRY_UPDATED, self._async_registry_updated
        )
        self.track()

        @callback
        def stop() -> None:
            unsub_registry()
            for unsub in self._unsub_states.values():
                unsub()
            self._unsub_states.clear()
            if self._unsub_grace is not None:
                self._unsub_grace()
                self._unsub_grace = None

        return stop

    def settings(self) -> WalkerSettings:
        """The settings the hub should use now: renamed sensors join once their state exists."""
        options = dict(self.entry.options)
        for key in ROLE_OPTIONS.values():
            if any(e in self.pending for e in options.get(key, [])):
                options[key] = [e for e in options[key] if e not in self.pending]
        return settings_from_entry(dict(self.entry.data), options)

    @callback
    def track(self) -> None:
        """Watch for the first state of each renamed sensor that has none yet."""
        ids = set(self.pending)
        for entity_id in set(self._unsub_states) - ids:
            self._unsub_states.pop(entity_id)()
        for entity_id in sorted(ids - set(self._unsub_states)):
            self._unsub_states[entity_id] = async_track_state_change_event(
                self.hass, entity_id, self._async_state_changed
            )

    async def async_entry_updated(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Options, a new name and a new person apply live: a reload would pause a session.

        A rename of the entry's title is checked first (``identity.py``); when that changes the
        entry, this listener runs once more, with the name made one again.
        """
        if self.names.reconcile():
            return
        self._apply()

    @callback
    def _async_registry_updated(self, event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        data: dict[str, Any] = dict(event.data)
        old = data.get("old_entity_id")
        options = dict(self.entry.options)
        if data["action"] != "update" or old is None or old not in referenced(options):
            return
        new = data["entity_id"]
        _LOGGER.info(
            "%s was renamed to %s; the settings of walker %s now use the new ID",
            old,
            new,
            self.entry.data.get(CONF_NAME, self.entry.title),
        )
        self.pending.discard(old)
        if self.hass.states.get(new) is None:
            self.pending.add(new)
            if self._unsub_grace is not None:
                self._unsub_grace()
            self._unsub_grace = async_call_later(
                self.hass, RENAME_GRACE_SECONDS, self._async_grace_over
            )
        # The update listener applies the same settings again later; nothing changes then.
        self.hass.config_entries.async_update_entry(
            self.entry, options=renamed_options(options, old, new)
        )
        self._apply()

    @callback
    def _async_state_changed(self, event: Event[EventStateChangedData]) -> None:
        entity_id = event.data["entity_id"]
        if event.data["new_state"] is not None and entity_id in self.pending:
            self.pending.discard(entity_id)
            self._apply()

    @callback
    def _async_grace_over(self, _now: datetime) -> None:
        """A renamed sensor that still has no state is judged like any other: missing."""
        self._unsub_grace = None
        if self.pending:
            self.pending.clear()
            self._apply()

    @callback
    def _apply(self) -> None:
        self.track()
        settings = self.settings()
        self.hub.async_update_settings(settings)
        clear_stale_repairs(self.hass, self.entry.entry_id, settings.sensor_ids)
