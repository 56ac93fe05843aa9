"""Numbers: default session length and walking speed (in the user's unit system)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.options import NUMBER_DURATION, NUMBER_SPEED, SPEED_MPH, TARGET_MINUTES, NumberOption
from .core.settings import WalkerSettings
from .data import BackwardWalkingConfigEntry
from .entity import WalkerEntity
from .hub import WalkerHub
from .units import WalkerUnits

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class WalkerNumberDescription(NumberEntityDescription):
    """A number showing one option of the table, in the user's units."""

    option: NumberOption
    value_fn: Callable[[WalkerSettings], float]
    # The shown value → the stored option.
    set_fn: Callable[[float], float]


def numbers(units: WalkerUnits) -> tuple[WalkerNumberDescription, ...]:
    """The walker's numbers; limits and step come from the option table."""
    return (
        WalkerNumberDescription(
            key=NUMBER_DURATION,
            option=TARGET_MINUTES,
            entity_category=EntityCategory.CONFIG,
            device_class=NumberDeviceClass.DURATION,
            native_unit_of_measurement=TARGET_MINUTES.unit,
            native_min_value=TARGET_MINUTES.limits[0],
            native_max_value=TARGET_MINUTES.limits[1],
            native_step=TARGET_MINUTES.step,
            mode=NumberMode.BOX,
            value_fn=lambda settings: settings.target_minutes,
            set_fn=TARGET_MINUTES.clamp,
        ),
        WalkerNumberDescription(
            key=NUMBER_SPEED,
            option=SPEED_MPH,
            entity_category=EntityCategory.CONFIG,
            device_class=NumberDeviceClass.SPEED,
            native_unit_of_measurement=units.speed,
            native_min_value=units.speed_limits()[0],
            native_max_value=units.speed_limits()[1],
            native_step=SPEED_MPH.step,
            mode=NumberMode.BOX,
            value_fn=lambda settings: units.mph_to_display(settings.speed_mph),
            set_fn=units.speed_mph,
        ),
    )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The walker's session length and speed numbers."""
    hub = entry.runtime_data
    async_add_entities(WalkerNumber(hub, description) for description in numbers(hub.units))


class WalkerNumber(WalkerEntity, NumberEntity):
    """Shows and changes one option (Home Assistant keeps the value within the limits)."""

    entity_description: WalkerNumberDescription

    def __init__(self, hub: WalkerHub, description: WalkerNumberDescription) -> None:
        """Bind the description."""
        super().__init__(hub, description.key)
        self.entity_description = description

    def _shown(self) -> object:
        return self.native_value

    @property
    def native_value(self) -> float:
        """The option's current value."""
        return self.entity_description.value_fn(self.hub.settings)

    async def async_set_native_value(self, value: float) -> None:
        """Store a new value; it applies at once."""
        description = self.entity_description
        self.hub.async_set_option(description.option.key, description.set_fn(value))
