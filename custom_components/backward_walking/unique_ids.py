"""Entity unique IDs of earlier releases, moved to today's so entity IDs and history stay."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .const import DOMAIN
from .core.options import NUMBER_DURATION

# (domain, key of an earlier release) → today's entity key. The session length's number was keyed
# by its option (target_minutes) until entity keys became their own constants.
RENAMED: dict[tuple[str, str], str] = {("number", "target_minutes"): NUMBER_DURATION}


async def async_migrate_unique_ids(hass: HomeAssistant, entry_id: str) -> None:
    """Give the walker's entities of earlier releases today's unique IDs (entity IDs are kept)."""
    registry = er.async_get(hass)
    prefix = f"{entry_id}_"

    def migrate(entity: er.RegistryEntry) -> dict[str, Any] | None:
        old_key = entity.unique_id.removeprefix(prefix)
        new_key = RENAMED.get((entity.domain, old_key))
        if entity.platform != DOMAIN or new_key is None or old_key == entity.unique_id:
            return None
        unique_id = prefix + new_key
        if registry.async_get_entity_id(entity.domain, DOMAIN, unique_id) is not None:
            return None  # both exist (set up by a newer release, then restored): keep today's
        return {"new_unique_id": unique_id}

    await er.async_migrate_entries(hass, entry_id, migrate)
