"""Select: the default interval program."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import CONF_PROGRAM
from .data import BackwardWalkingConfigEntry
from .entity import WalkerEntity
from .errors import validation_error

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The walker's program select."""
    async_add_entities([ProgramSelect(entry.runtime_data, CONF_PROGRAM)])


class ProgramSelect(WalkerEntity, SelectEntity):
    """Built-in programs (translated) and the walker's own (shown by their names)."""

    _attr_entity_category = EntityCategory.CONFIG

    def _shown(self) -> object:
        return (self.current_option, tuple(self.options))

    @property
    def options(self) -> list[str]:
        """Every program the walker can choose."""
        return list(self.hub.settings.programs)

    @property
    def current_option(self) -> str:
        """The program sessions start with by default."""
        return self.hub.settings.default_program.key

    async def async_select_option(self, option: str) -> None:
        """Store the new default; it applies to the next session."""
        programs = self.hub.settings.programs
        if option not in programs:
            raise validation_error(
                "unknown_program",
                walker=self.hub.settings.name,
                program=option,
                known=", ".join(programs),
            )
        self.hub.async_set_option(CONF_PROGRAM, option)
