"""Binary sensor: whether a session is in progress (running or paused)."""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .core.session import ACTIVE_STATES
from .data import BackwardWalkingConfigEntry
from .entity import WalkerEntity

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """The walker's session-active sensor."""
    async_add_entities([SessionActiveSensor(entry.runtime_data, "session_active")])


class SessionActiveSensor(WalkerEntity, BinarySensorEntity):
    """On while a session is running or paused."""

    @property
    def is_on(self) -> bool:
        """True between start and completion or stop."""
        return self.hub.view.state in ACTIVE_STATES
