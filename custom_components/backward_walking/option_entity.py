"""Base of the number, select and switch entities: each shows and changes one option of the table."""

from __future__ import annotations

from homeassistant.helpers.entity import EntityDescription

from .entity import WalkerEntity
from .hub import WalkerHub


class OptionEntity[DescriptionT: EntityDescription](WalkerEntity):
    """An entity bound to its description; the description's key is the entity key."""

    entity_description: DescriptionT

    def __init__(self, hub: WalkerHub, description: DescriptionT) -> None:
        """Bind the description."""
        super().__init__(hub, description.key)
        self.entity_description = description
