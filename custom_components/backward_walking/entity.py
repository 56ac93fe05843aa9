"""Base class of every Backward Walking entity: one device per walker, state from the hub's view."""

from __future__ import annotations

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity

from .const import DOMAIN
from .hub import WalkerHub


class WalkerEntity(Entity):
    """Shows part of the hub's current view; never decides anything itself."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _follows_view = True
    _last_shown: object = None

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

    def _shown(self) -> object:
        """What this entity shows of the view; writing is skipped while it stays the same."""
        return None

    async def async_added_to_hass(self) -> None:
        """Write state whenever what this entity shows of the hub's view changes."""
        await super().async_added_to_hass()
        if self._follows_view:
            self.async_on_remove(self.hub.async_add_listener(self._async_view_changed))

    @callback
    def _async_view_changed(self) -> None:
        shown = self._shown()
        if shown is not None and shown == self._last_shown:
            return
        self._last_shown = shown
        self.async_write_ha_state()
