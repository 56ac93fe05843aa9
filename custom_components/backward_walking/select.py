"""Selects: the default interval program and the spoken coaching."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.options import COACHING, PROGRAM, CoachingMode, OptionSpec
from .core.settings import WalkerSettings
from .entity import WalkerEntity
from .hub import BackwardWalkingConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class WalkerSelectDescription(SelectEntityDescription):
    """A select showing one option of the table."""

    option: OptionSpec
    options_fn: Callable[[WalkerSettings], list[str]]
    value_fn: Callable[[WalkerSettings], str]


SELECTS: tuple[WalkerSelectDescription, ...] = (
    # Built-in programs (translated) and the walker's own (shown by their names).
    WalkerSelectDescription(
        key=PROGRAM.entity_key,
        option=PROGRAM,
        entity_category=EntityCategory.CONFIG,
        options_fn=lambda settings: list(settings.programs),
        value_fn=lambda settings: settings.default_program.key,
    ),
    # What is said while walking: switched from the dashboard, the choice is stored and stays.
    WalkerSelectDescription(
        key=COACHING.entity_key,
        option=COACHING,
        entity_category=EntityCategory.CONFIG,
        options_fn=lambda settings: [mode.value for mode in CoachingMode],
        value_fn=lambda settings: settings.coaching_mode.value,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The walker's program and coaching selects."""
    async_add_entities(WalkerSelect.for_each(entry, SELECTS))


class WalkerSelect(WalkerEntity[WalkerSelectDescription], SelectEntity):
    """Shows and changes one option among the choices the settings allow."""

    entity_description: WalkerSelectDescription

    def _shown(self) -> object:
        return (self.current_option, tuple(self.options))

    @property
    def options(self) -> list[str]:
        """Every choice there is."""
        return self.entity_description.options_fn(self.hub.settings)

    @property
    def current_option(self) -> str:
        """The current choice."""
        return self.entity_description.value_fn(self.hub.settings)

    async def async_select_option(self, option: str) -> None:
        """Store the new choice (Home Assistant has checked it is one of the options).

        A program applies to the next session, the coaching at once.
        """
        self.hub.async_set_option(self.entity_description.option.key, option)
