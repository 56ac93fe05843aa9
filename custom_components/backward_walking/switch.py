"""Switches: reminders on/off and the progression coach on/off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.options import COACH_ENABLED, REMINDERS_ENABLED, SwitchOption
from .core.settings import WalkerSettings
from .entity import WalkerEntity
from .hub import BackwardWalkingConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class WalkerSwitchDescription(SwitchEntityDescription):
    """A switch turning one option of the table on or off."""

    option: SwitchOption
    value_fn: Callable[[WalkerSettings], bool]


def _switch(
    row: SwitchOption, value_fn: Callable[[WalkerSettings], bool]
) -> WalkerSwitchDescription:
    return WalkerSwitchDescription(
        key=row.entity_key, option=row, entity_category=EntityCategory.CONFIG, value_fn=value_fn
    )


SWITCHES: tuple[WalkerSwitchDescription, ...] = (
    _switch(REMINDERS_ENABLED, lambda settings: settings.reminders_enabled),
    _switch(COACH_ENABLED, lambda settings: settings.coach_enabled),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The walker's reminder and coach switches."""
    async_add_entities(WalkerSwitch.for_each(entry, SWITCHES))


class WalkerSwitch(WalkerEntity[WalkerSwitchDescription], SwitchEntity):
    """Turns one of the walker's on/off options on or off."""

    entity_description: WalkerSwitchDescription

    def _shown(self) -> object:
        return self.is_on

    @property
    def is_on(self) -> bool:
        """Whether the option is on."""
        return self.entity_description.value_fn(self.hub.settings)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch the option on."""
        self.hub.async_set_option(self.entity_description.option.key, True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the option off."""
        self.hub.async_set_option(self.entity_description.option.key, False)
