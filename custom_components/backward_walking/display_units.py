"""The user's unit system: kg or lb for weight, mph or km/h for speed (stored as kg and mph)."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.const import UnitOfMass, UnitOfSpeed
from homeassistant.core import HomeAssistant
from homeassistant.util.unit_conversion import MassConverter, SpeedConverter
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM

from .core.options import SPEED_MPH, SPEED_SHOWN


@dataclass(frozen=True, slots=True)
class WalkerUnits:
    """Display units and conversions to and from the stored kg / mph."""

    weight: str
    speed: str

    @classmethod
    def of(cls, hass: HomeAssistant) -> WalkerUnits:
        """Units matching Home Assistant's configured unit system."""
        if hass.config.units is US_CUSTOMARY_SYSTEM:
            return cls(UnitOfMass.POUNDS, UnitOfSpeed.MILES_PER_HOUR)
        return cls(UnitOfMass.KILOGRAMS, UnitOfSpeed.KILOMETERS_PER_HOUR)

    def kg_from_display(self, value: float) -> float:
        """Display weight → kg."""
        return MassConverter.convert(value, self.weight, UnitOfMass.KILOGRAMS)

    def kg_to_display(self, kg: float) -> float:
        """kg → display weight, rounded for forms."""
        return round(MassConverter.convert(kg, UnitOfMass.KILOGRAMS, self.weight), 1)

    def mph_from_display(self, value: float) -> float:
        """Display speed → mph."""
        return SpeedConverter.convert(value, self.speed, UnitOfSpeed.MILES_PER_HOUR)

    def mph_to_display(self, mph: float) -> float:
        """mph → display speed, rounded for forms."""
        return round(SpeedConverter.convert(mph, UnitOfSpeed.MILES_PER_HOUR, self.speed), 2)

    def speed_limits(self) -> tuple[float, float]:
        """The lowest and highest walking speed, in display units (forms, the number, actions)."""
        low, high, _new = SPEED_SHOWN[self.speed]
        return low, high

    def default_speed(self) -> float:
        """A new walker's speed, in display units."""
        return SPEED_SHOWN[self.speed][2]

    def speed_mph(self, value: float) -> float:
        """A display speed within ``speed_limits`` → mph for storage (rounded, within the range)."""
        mph = round(self.mph_from_display(value), 3)
        return SPEED_MPH.clamp(mph)
