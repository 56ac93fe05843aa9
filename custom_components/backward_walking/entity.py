"""The base of every Backward Walking entity: one device per walker, bound to its description."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import WalkerCoordinator
from .hub import BackwardWalkingConfigEntry, WalkerHub


class WalkerEntity[DescriptionT: EntityDescription](CoordinatorEntity[WalkerCoordinator]):
    """Shows part of the walker's view (the coordinator's data); never decides anything itself.

    The description's key is the entity key: it names the entity (translation key), its icon and
    its unique ID.
    """

    _attr_has_entity_name = True
    entity_description: DescriptionT
    _last_shown: object = None

    def __init__(
        self,
        entry: BackwardWalkingConfigEntry,
        coordinator: WalkerCoordinator,
        description: DescriptionT,
    ) -> None:
        """Follow the walker's coordinator, on the walker's device."""
        super().__init__(coordinator)
        self._entry = entry
        self.entity_description = description
        self._attr_translation_key = description.key
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.runtime_data.settings.name,
            manufacturer="Backward Walking",
            model="Retro-walking coach",
            # A walker is a device (the device page says "Device info"); walkers set up as a
            # service before are changed with it.
            entry_type=None,
        )

    @classmethod
    def for_each(
        cls, entry: BackwardWalkingConfigEntry, descriptions: Iterable[DescriptionT]
    ) -> list[Self]:
        """One entity per description, each following the walker's coordinator."""
        coordinator = entry.runtime_data.coordinator
        return [cls(entry, coordinator, description) for description in descriptions]

    @property
    def hub(self) -> WalkerHub:
        """The walker's hub: its commands and settings."""
        return self._entry.runtime_data

    def _shown(self) -> object:
        """What this entity shows of the view; its state is written only when this changed.

        None: nothing of the view (buttons, the event entity), so a new view never writes it.
        """
        return None

    @callback
    def _handle_coordinator_update(self) -> None:
        # A state write is a recorder row: most views change only a few entities, the others
        # skip building a state at all.
        shown = self._shown()
        if shown == self._last_shown:
            return
        self._last_shown = shown
        self.async_write_ha_state()
