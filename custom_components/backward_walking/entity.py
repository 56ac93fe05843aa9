"""Base classes of every Backward Walking entity: one device per walker, state from the hub's view."""

from __future__ import annotations

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import WalkerCoordinator
from .hub import WalkerHub


class WalkerDeviceEntity(Entity):
    """One of the walker's entities; on its own it shows nothing of the view (buttons, events)."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, hub: WalkerHub, key: str) -> None:
        """Name, icon and unique ID all derive from ``key``."""
        self.hub = hub
        self._attr_translation_key = key
        self._attr_unique_id = f"{hub.entry.entry_id}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, hub.entry.entry_id)},
            name=hub.settings.name,
            manufacturer="Backward Walking",
            model="Retro-walking coach",
            entry_type=DeviceEntryType.SERVICE,
        )


class WalkerEntity(CoordinatorEntity[WalkerCoordinator], WalkerDeviceEntity):
    """Shows part of the hub's current view; never decides anything itself."""

    _last_shown: object = None

    def __init__(self, hub: WalkerHub, key: str) -> None:
        """Follow the walker's coordinator; name, icon and unique ID derive from ``key``."""
        CoordinatorEntity.__init__(self, hub.coordinator)
        WalkerDeviceEntity.__init__(self, hub, key)

    def _shown(self) -> object:
        """What this entity shows of the view; writing is skipped while it stays the same."""
        return None

    @callback
    def _handle_coordinator_update(self) -> None:
        # Most views change only a few entities: the others skip building a state at all.
        shown = self._shown()
        if shown is not None and shown == self._last_shown:
            return
        self._last_shown = shown
        self.async_write_ha_state()
