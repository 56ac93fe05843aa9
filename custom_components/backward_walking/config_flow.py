"""Config, options and reconfigure flows: one entry per walker."""

from __future__ import annotations

from functools import partial
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import EntitySelector, EntitySelectorConfig, TextSelector
from homeassistant.util import slugify
import voluptuous as vol

from .const import CONF_PERSON, DOMAIN, NAME_MAX_LENGTH
from .core.names import name_key
from .core.options import WEEKLY_GOAL
from .core.settings import WalkerSettings
from .display_units import WalkerUnits
from .flow_helpers import text_field
from .flow_reminders import reminders_placeholders, reminders_schema, validate_reminders
from .flow_safety import (
    alerts_placeholders,
    alerts_schema,
    details_placeholders,
    details_schema,
    safety_placeholders,
    safety_schema,
    validate_alerts,
    validate_details,
    validate_safety,
)
from .flow_steps import FormStep, StepContext, async_form_step
from .flow_walking import (
    check_walking,
    units_placeholders,
    validate_walking,
    walking_fields,
    walking_placeholders,
    walking_schema,
)
from .hub import BackwardWalkingConfigEntry

# Configure's steps, in the menu's order; the set-up asks SETUP_STEPS after the walker's own.
OPTIONS_STEPS: dict[str, FormStep] = {
    "walking": FormStep(walking_schema, validate_walking, walking_placeholders),
    "safety": FormStep(safety_schema, validate_safety, safety_placeholders),
    "alerts": FormStep(alerts_schema, validate_alerts, alerts_placeholders),
    "sensor_details": FormStep(details_schema, validate_details, details_placeholders),
    "reminders": FormStep(reminders_schema, validate_reminders, reminders_placeholders),
}
SETUP_STEPS = ("safety", "alerts")


def _identity_schema(defaults: dict[str, Any]) -> dict[vol.Marker, Any]:
    person = defaults.get(CONF_PERSON)
    return {
        vol.Required(CONF_NAME, default=defaults.get(CONF_NAME, vol.UNDEFINED)): TextSelector(),
        vol.Optional(
            CONF_PERSON, description={"suggested_value": person} if person else None
        ): EntitySelector(EntitySelectorConfig(domain="person")),
    }


def _name_taken(hass: HomeAssistant, name: str, own_entry_id: str | None) -> bool:
    """Whether another walker has this name, ignoring case and width (linked to a person or not)."""
    key = name_key(name)
    return any(
        name_key(str(entry.data.get(CONF_NAME, entry.title))) == key
        for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=False)
        if entry.entry_id != own_entry_id
    )


def _validate_identity(
    hass: HomeAssistant,
    user_input: dict[str, Any],
    errors: dict[str, str],
    own_entry_id: str | None = None,
) -> dict[str, Any]:
    name = text_field(user_input.get(CONF_NAME), NAME_MAX_LENGTH)
    if not name:
        errors[CONF_NAME] = "name_invalid"
    elif _name_taken(hass, name, own_entry_id):
        errors[CONF_NAME] = "name_taken"
    person = user_input.get(CONF_PERSON) or None
    if person is not None and (
        not isinstance(person, str)
        or not person.startswith("person.")
        or hass.states.get(person) is None
    ):
        errors[CONF_PERSON] = "person_not_found"
    return {CONF_NAME: name, CONF_PERSON: person}


def _unique_id(identity: dict[str, Any]) -> str:
    return str(identity[CONF_PERSON] or slugify(identity[CONF_NAME]))


class BackwardWalkingConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a walker, or change who the walker is."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: BackwardWalkingConfigEntry) -> OptionsFlow:
        """The options flow for everything that can change."""
        return BackwardWalkingOptionsFlow()

    def __init__(self) -> None:
        """Collect the answers of the three steps; the last two are steps of the options' table."""
        self._identity: dict[str, Any] = {}
        self._options: dict[str, Any] = {}
        for step_id in SETUP_STEPS:
            setattr(self, f"async_step_{step_id}", partial(self._async_step, step_id))

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the walker and their walking defaults."""
        units = WalkerUnits.of(self.hass)
        errors: dict[str, str] = {}
        defaults = WalkerSettings(name="")
        if user_input is not None:
            identity = _validate_identity(self.hass, user_input, errors)
            options = check_walking(units, user_input, errors)
            if not errors:
                await self.async_set_unique_id(_unique_id(identity))
                self._abort_if_unique_id_configured()
                self._identity = identity
                self._options = {**options, WEEKLY_GOAL.key: WEEKLY_GOAL.default}
                return await self._async_step(SETUP_STEPS[0])
        schema = vol.Schema(
            {**_identity_schema({}), **walking_fields(units, defaults, units.default_speed())}
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
            description_placeholders=units_placeholders(units),
        )

    async def _async_step(
        self, step_id: str, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A set-up step of the options' table, over no stored options; the last one creates."""
        context = StepContext(self.hass, {}, {}, {})
        return await async_form_step(
            self,
            step_id,
            OPTIONS_STEPS[step_id],
            context,
            user_input,
            done=partial(self._next, step_id),
        )

    async def _next(self, step_id: str, options: dict[str, Any]) -> ConfigFlowResult:
        self._options.update(options)
        later = SETUP_STEPS[SETUP_STEPS.index(step_id) + 1 :]
        if later:
            return await self._async_step(later[0])
        return self.async_create_entry(
            title=self._identity[CONF_NAME], data=self._identity, options=self._options
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the walker or link a different person."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            identity = _validate_identity(self.hass, user_input, errors, entry.entry_id)
            if not errors:
                unique_id = _unique_id(identity)
                for other in self._async_current_entries(include_ignore=False):
                    if other.unique_id == unique_id and other.entry_id != entry.entry_id:
                        return self.async_abort(reason="already_configured")
                # The entry's update listener reloads the walker when its identity changed.
                self.hass.config_entries.async_update_entry(
                    entry, unique_id=unique_id, title=identity[CONF_NAME], data=identity
                )
                return self.async_abort(reason="reconfigure_successful")
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(_identity_schema(dict(entry.data))), user_input or {}
            ),
            errors=errors,
        )


class BackwardWalkingOptionsFlow(OptionsFlow):
    """Change walking settings, the safety sensors, alerts and per-sensor details."""

    def __init__(self) -> None:
        """One step method serves every step of the table, as in Home Assistant's schema flows."""
        self._flow_state: dict[str, Any] = {}
        for step_id in OPTIONS_STEPS:
            setattr(self, f"async_step_{step_id}", partial(self._async_step, step_id))

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose what to change."""
        return self.async_show_menu(step_id="init", menu_options=list(OPTIONS_STEPS))

    async def _async_step(
        self, step_id: str, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show a step's form; an accepted answer changes only that step's options."""
        entry = self.config_entry
        context = StepContext(self.hass, dict(entry.data), dict(entry.options), self._flow_state)
        return await async_form_step(
            self, step_id, OPTIONS_STEPS[step_id], context, user_input, done=self._async_save
        )

    async def _async_save(self, changes: dict[str, Any]) -> ConfigFlowResult:
        return self.async_create_entry(data={**self.config_entry.options, **changes})
