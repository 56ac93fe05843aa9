"""Config, options and reconfigure flows: one entry per walker."""

from __future__ import annotations

from functools import partial
from typing import Any
from uuid import uuid4

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME
from homeassistant.core import callback
import voluptuous as vol

from .const import DOMAIN
from .core.options import WEEKLY_GOAL
from .core.settings import WalkerSettings
from .display_units import WalkerUnits
from .flow_identity import LINKED_WALKER, identity_schema, validate_identity
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


class BackwardWalkingConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a walker, or change who the walker is."""

    VERSION = 1
    # 2: the unique ID is made once, when the walker is created (see async_migrate_entry).
    MINOR_VERSION = 2

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: BackwardWalkingConfigEntry) -> OptionsFlow:
        """The options flow for everything that can change."""
        return BackwardWalkingOptionsFlow()

    def __init__(self) -> None:
        """Collect the answers of the three steps; the last two are steps of the options' table."""
        self._typed: dict[str, Any] = {}
        self._identity: dict[str, Any] = {}
        self._options: dict[str, Any] = {}
        self._all_answered = False
        for step_id in SETUP_STEPS:
            setattr(self, f"async_step_{step_id}", partial(self._async_step, step_id))

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the walker and their walking defaults.

        No unique ID is set here: a set-up left open must not hold on to a name (or a person).
        """
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            identity = validate_identity(self.hass, user_input, errors, placeholders)
            options = check_walking(WalkerUnits.of(self.hass), user_input, errors)
            if not errors:
                self._typed, self._identity = user_input, identity
                self._options.update({WEEKLY_GOAL.key: WEEKLY_GOAL.default, **options})
                if self._all_answered:  # back here because a walker took the name meanwhile
                    return await self._async_create()
                return await self._async_step(SETUP_STEPS[0])
        return self._user_form(user_input or {}, errors, placeholders)

    def _user_form(
        self, typed: dict[str, Any], errors: dict[str, str], placeholders: dict[str, str]
    ) -> ConfigFlowResult:
        """The first step's form, showing what was typed (and the errors next to their fields)."""
        units = WalkerUnits.of(self.hass)
        schema = vol.Schema(
            {
                **identity_schema({}),
                **walking_fields(units, WalkerSettings(name=""), units.default_speed()),
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, typed),
            errors=errors,
            description_placeholders={
                **units_placeholders(units),
                LINKED_WALKER: "",
                **placeholders,
            },
        )

    async def _async_step(
        self, step_id: str, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A set-up step of the options' table, over no stored options; the last one creates."""
        context = StepContext(self.hass, dict(self._identity), {}, {})
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
        self._all_answered = True
        return await self._async_create()

    async def _async_create(self) -> ConfigFlowResult:
        """Create the walker, unless another one took the name or the person meanwhile."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        validate_identity(self.hass, self._identity, errors, placeholders)
        if errors:
            # The first step again, with what was typed there and the error next to its field.
            return self._user_form(self._typed, errors, placeholders)
        await self.async_set_unique_id(uuid4().hex)
        return self.async_create_entry(
            title=self._identity[CONF_NAME], data=self._identity, options=self._options
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the walker or link a different person; both apply at once, without a reload."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        placeholders = {"walker": entry.title, LINKED_WALKER: ""}
        if user_input is not None:
            identity = validate_identity(
                self.hass, user_input, errors, placeholders, entry.entry_id
            )
            if not errors:
                # The entry's update listener renames the device and applies both live.
                self.hass.config_entries.async_update_entry(
                    entry, title=identity[CONF_NAME], data=identity
                )
                return self.async_abort(reason="reconfigure_successful")
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(identity_schema(dict(entry.data))), user_input or {}
            ),
            errors=errors,
            description_placeholders=placeholders,
        )


class BackwardWalkingOptionsFlow(OptionsFlow):
    """Change walking settings, the safety sensors, alerts and per-sensor details."""

    def __init__(self) -> None:
        """One step method serves every step of the table, as in Home Assistant's schema flows."""
        self._flow_state: dict[str, Any] = {}
        for step_id in OPTIONS_STEPS:
            setattr(self, f"async_step_{step_id}", partial(self._async_step, step_id))

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose what to change (Home Assistant shows no placeholders in a menu's title)."""
        return self.async_show_menu(
            step_id="init",
            menu_options=list(OPTIONS_STEPS),
            description_placeholders={"walker": self.config_entry.title},
        )

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
