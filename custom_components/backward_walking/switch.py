"""Switches: reminders on/off and the progression coach on/off."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import CONF_COACH_ENABLED, CONF_REMINDERS_ENABLED
from .data import BackwardWalkingConfigEntry
from .entity import WalkerEntity
from .hub import WalkerHub

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The walker's reminder and coach switches."""
    hub = entry.runtime_data
    async_add_entities(
        [
            OptionSwitch(hub, "reminders", CONF_REMINDERS_ENABLED),
            OptionSwitch(hub, "coach", CONF_COACH_ENABLED),
        ]
    )


class OptionSwitch(WalkerEntity, SwitchEntity):
    """Turns one of the walker's boolean options on or off."""

    _attr_entity_category = EntityCategory.CONFIG

    def __init__(self, hub: WalkerHub, key: str, option: str) -> None:
        """Bind to the option it switches."""
        super().__init__(hub, key)
        self._option = option

    def _shown(self) -> object:
        return self.is_on

    @property
    def is_on(self) -> bool:
        """Whether the option is on."""
        return bool(getattr(self.hub.settings, self._option))

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch the option on."""
        self.hub.async_set_option(self._option, True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the option off."""
        self.hub.async_set_option(self._option, False)
