"""Numbers: default target minutes and walking speed (in the user's unit system)."""

from __future__ import annotations

from homeassistant.components.number import NumberDeviceClass, NumberEntity, NumberMode
from homeassistant.const import EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import CONF_TARGET_MINUTES, OPT_SPEED_MPH, SPEED_MPH_RANGE, TARGET_MINUTES_RANGE
from .data import BackwardWalkingConfigEntry
from .entity import WalkerEntity
from .hub import WalkerHub

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The walker's target and speed numbers."""
    hub = entry.runtime_data
    async_add_entities([TargetMinutesNumber(hub), SpeedNumber(hub)])


class TargetMinutesNumber(WalkerEntity, NumberEntity):
    """Default session length."""

    _attr_entity_category = EntityCategory.CONFIG
    _attr_device_class = NumberDeviceClass.DURATION
    _attr_native_unit_of_measurement = UnitOfTime.MINUTES
    _attr_native_min_value = TARGET_MINUTES_RANGE[0]
    _attr_native_max_value = TARGET_MINUTES_RANGE[1]
    _attr_native_step = 1
    _attr_mode = NumberMode.BOX

    def __init__(self, hub: WalkerHub) -> None:
        """Bind to the hub."""
        super().__init__(hub, CONF_TARGET_MINUTES)

    def _shown(self) -> object:
        return self.native_value

    @property
    def native_value(self) -> float:
        """The default target."""
        return self.hub.settings.target_minutes

    async def async_set_native_value(self, value: float) -> None:
        """Store a new default target (range enforced by Home Assistant)."""
        self.hub.async_set_option(CONF_TARGET_MINUTES, int(value))


class SpeedNumber(WalkerEntity, NumberEntity):
    """Walking speed used for energy estimates, in km/h or mph."""

    _attr_entity_category = EntityCategory.CONFIG
    _attr_device_class = NumberDeviceClass.SPEED
    _attr_native_step = 0.1
    _attr_mode = NumberMode.BOX

    def __init__(self, hub: WalkerHub) -> None:
        """Bind to the hub; limits follow the user's unit system."""
        super().__init__(hub, "speed")
        units = hub.units
        self._attr_native_unit_of_measurement = units.speed
        self._attr_native_min_value, self._attr_native_max_value = units.speed_limits()

    def _shown(self) -> object:
        return self.native_value

    @property
    def native_value(self) -> float:
        """The default speed."""
        return self.hub.units.mph_to_display(self.hub.settings.speed_mph)

    async def async_set_native_value(self, value: float) -> None:
        """Store a new default speed."""
        mph = self.hub.units.mph_from_display(value)
        self.hub.async_set_option(
            OPT_SPEED_MPH, round(min(max(mph, SPEED_MPH_RANGE[0]), SPEED_MPH_RANGE[1]), 3)
        )
