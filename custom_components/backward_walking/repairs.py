"""Fix flows of the repair issues: a safety sensor that no longer exists is re-picked or removed."""

from __future__ import annotations

from typing import Any

from homeassistant import data_entry_flow
from homeassistant.components.repairs import RepairsFlow
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    EntityFilterSelectorConfig,
    EntitySelectorConfig,
)
import voluptuous as vol

from .entry_settings import ROLE_OPTIONS
from .flow_helpers import CheckedEntities
from .flow_safety import ROLE_FILTERS, is_own, own_entities
from .renames import renamed_options, without_sensor

CONF_REPLACEMENT = "replacement"


class MissingSensorFlow(RepairsFlow):
    """Choose another sensor in place of a missing one, or remove it from the walker's settings."""

    def __init__(self, entry_id: str, entity_id: str) -> None:
        """The walker and the sensor the issue is about."""
        self.entry_id = entry_id
        self.entity_id = entity_id

    def _placeholders(self) -> dict[str, str]:
        entry = self.hass.config_entries.async_get_entry(self.entry_id)
        return {"entity_id": self.entity_id, "walker": entry.title if entry else ""}

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Offer the two ways out."""
        if self.hass.config_entries.async_get_entry(self.entry_id) is None:
            return self.async_abort(reason="walker_gone")
        return self.async_show_menu(
            step_id="init",
            menu_options=["replace", "remove"],
            description_placeholders=self._placeholders(),
        )

    async def async_step_replace(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        """Pick the sensor that takes the missing one's place, in every role it had."""
        entry = self.hass.config_entries.async_get_entry(self.entry_id)
        if entry is None:
            return self.async_abort(reason="walker_gone")
        errors: dict[str, str] = {}
        domain = self.entity_id.split(".", 1)[0]
        if user_input is not None:
            new = user_input.get(CONF_REPLACEMENT)
            if is_own(self.hass, new):
                errors[CONF_REPLACEMENT] = "sensor_own"
            elif not (
                isinstance(new, str)
                and new.startswith(f"{domain}.")
                and (
                    self.hass.states.get(new) is not None
                    or er.async_get(self.hass).async_get(new) is not None
                )
            ):
                errors[CONF_REPLACEMENT] = "sensor_invalid"
            else:
                self.hass.config_entries.async_update_entry(
                    entry, options=renamed_options(dict(entry.options), self.entity_id, new)
                )
                return self.async_create_entry(data={})
        # The same kinds of sensor its roles accept (any binary sensor if one of them takes any).
        kinds = [
            ROLE_FILTERS[role][1]
            for role, key in ROLE_OPTIONS.items()
            if self.entity_id in entry.options.get(key, [])
        ]
        entity_filter = EntityFilterSelectorConfig(domain=domain)
        if kinds and all(kinds):
            entity_filter["device_class"] = sorted({c for kind in kinds if kind for c in kind})
        schema = vol.Schema(
            {
                vol.Required(CONF_REPLACEMENT): CheckedEntities(
                    EntitySelectorConfig(
                        filter=entity_filter, exclude_entities=own_entities(self.hass)
                    )
                )
            }
        )
        return self.async_show_form(
            step_id="replace",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
            description_placeholders=self._placeholders(),
        )

    async def async_step_remove(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        """Remove the sensor from the walker's settings (after a confirmation)."""
        entry = self.hass.config_entries.async_get_entry(self.entry_id)
        if entry is None:
            return self.async_abort(reason="walker_gone")
        if user_input is not None:
            self.hass.config_entries.async_update_entry(
                entry, options=without_sensor(dict(entry.options), self.entity_id)
            )
            return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="remove",
            data_schema=vol.Schema({}),
            description_placeholders=self._placeholders(),
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix flow of a fixable issue (only the missing-sensor issue is fixable)."""
    assert data is not None, issue_id
    return MissingSensorFlow(str(data["entry_id"]), str(data["entity_id"]))
