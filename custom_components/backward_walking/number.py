"""Numbers: default session length and walking speed (in the user's unit system)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.options import SPEED_MPH, TARGET_MINUTES, NumberOption
from .core.settings import WalkerSettings
from .display_units import WalkerUnits
from .entity import WalkerEntity
from .hub import BackwardWalkingConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class WalkerNumberDescription(NumberEntityDescription):
    """A number showing one option of the table, in the user's units."""

    option: NumberOption
    value_fn: Callable[[WalkerSettings], float]
    # The shown value → the stored option.
    set_fn: Callable[[float], float]


def _number(
    row: NumberOption, unit: str | None, limits: tuple[float, float], **kwargs: Any
) -> WalkerNumberDescription:
    """A number of the settings, typed into a box, within ``limits`` in ``unit``."""
    return WalkerNumberDescription(
        key=row.entity_key,
        option=row,
        entity_category=EntityCategory.CONFIG,
        native_unit_of_measurement=unit,
        native_min_value=limits[0],
        native_max_value=limits[1],
        native_step=row.step,
        mode=NumberMode.BOX,
        **kwargs,
    )


def numbers(units: WalkerUnits) -> tuple[WalkerNumberDescription, ...]:
    """The walker's numbers; limits, units and steps come from the option table."""
    return (
        _number(
            TARGET_MINUTES,
            TARGET_MINUTES.unit,
            TARGET_MINUTES.limits,
            device_class=NumberDeviceClass.DURATION,
            value_fn=lambda settings: settings.target_minutes,
            set_fn=TARGET_MINUTES.clamp,
        ),
        _number(
            SPEED_MPH,
            units.speed,
            units.speed_limits(),
            device_class=NumberDeviceClass.SPEED,
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
    async_add_entities(WalkerNumber.for_each(entry, numbers(entry.runtime_data.units)))


class WalkerNumber(WalkerEntity[WalkerNumberDescription], NumberEntity):
    """Shows and changes one option (Home Assistant keeps the value within the limits)."""

    entity_description: WalkerNumberDescription

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
