"""The walker's push coordinator: the hub pushes every new view, nothing is ever polled."""

from __future__ import annotations

import logging

from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .data import BackwardWalkingConfigEntry
from .view import WalkerView

_LOGGER = logging.getLogger(__name__)


class WalkerCoordinator(DataUpdateCoordinator[WalkerView]):
    """Holds the walker's current view; the hub calls ``async_set_updated_data`` after a change."""

    config_entry: BackwardWalkingConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: BackwardWalkingConfigEntry, view: WalkerView
    ) -> None:
        """Start with ``view``; no update interval, as the engine wakes the hub itself."""
        super().__init__(hass, _LOGGER, config_entry=entry, name=entry.title, update_interval=None)
        self.data = view

    async def _async_update_data(self) -> WalkerView:
        # A refresh asked for (homeassistant.update_entity) has nothing to fetch: every change
        # is pushed the moment it happens.
        return self.data
