"""Binary sensors: whether a session is in progress, and whether the path behind the walker is safe."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.safety import Verdict
from .core.session import ACTIVE_STATES
from .entity import WalkerEntity
from .hub import BackwardWalkingConfigEntry
from .view import WalkerView, path_attributes

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class WalkerBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor and how it reads the hub's view."""

    is_on_fn: Callable[[WalkerView], bool]
    attributes_fn: Callable[[WalkerView], dict[str, Any]] | None = None


BINARY_SENSORS: tuple[WalkerBinarySensorDescription, ...] = (
    # On between start and completion or stop, paused included.
    WalkerBinarySensorDescription(
        key="session_active", is_on_fn=lambda view: view.state in ACTIVE_STATES
    ),
    # On (unsafe) whenever the path is not clear: warnings, hazards and unreadable sensors alike.
    WalkerBinarySensorDescription(
        key="path",
        device_class=BinarySensorDeviceClass.SAFETY,
        is_on_fn=lambda view: view.verdict is not Verdict.CLEAR,
        attributes_fn=path_attributes,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The walker's session-active and path-safety sensors."""
    async_add_entities(WalkerBinarySensor.for_each(entry, BINARY_SENSORS))


class WalkerBinarySensor(WalkerEntity[WalkerBinarySensorDescription], BinarySensorEntity):
    """A binary sensor showing one fact of the walker's view."""

    entity_description: WalkerBinarySensorDescription

    def _shown(self) -> object:
        return (self.is_on, self.extra_state_attributes)

    @property
    def is_on(self) -> bool:
        """Fails closed for the path: anything but a clear verdict is on (unsafe)."""
        return self.entity_description.is_on_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The verdict and every reason, worst first (the path)."""
        attributes_fn = self.entity_description.attributes_fn
        return attributes_fn(self.coordinator.data) if attributes_fn else None
