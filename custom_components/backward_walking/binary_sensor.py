"""Binary sensor: whether a session is in progress (running or paused)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import BinarySensorDeviceClass, BinarySensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.safety import Verdict
from .core.session import ACTIVE_STATES
from .data import BackwardWalkingConfigEntry
from .entity import WalkerEntity

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The walker's session-active and path-safety sensors."""
    hub = entry.runtime_data
    async_add_entities([SessionActiveSensor(hub, "session_active"), PathSafetySensor(hub, "path")])


class SessionActiveSensor(WalkerEntity, BinarySensorEntity):
    """On while a session is running or paused."""

    def _shown(self) -> object:
        return self.is_on

    @property
    def is_on(self) -> bool:
        """True between start and completion or stop."""
        return self.hub.view.state in ACTIVE_STATES


class PathSafetySensor(WalkerEntity, BinarySensorEntity):
    """On (unsafe) whenever the path is not clear: warnings, hazards and unreadable sensors alike."""

    _attr_device_class = BinarySensorDeviceClass.SAFETY

    def _shown(self) -> object:
        return (self.is_on, self.extra_state_attributes)

    @property
    def is_on(self) -> bool:
        """Fails closed: anything but a clear verdict is unsafe."""
        return self.hub.view.verdict is not Verdict.CLEAR

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The verdict and every reason, worst first."""
        view = self.hub.view
        return {"verdict": view.verdict.value, "reasons": list(view.reasons)}
