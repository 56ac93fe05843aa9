"""Form steps described by a table, in the shape of Home Assistant's ``SchemaFlowFormStep``.

A step is its fields, its check and the values its texts name. Unlike the schema flow helper, a
check reports an error per field (and keeps what was typed), which the walker's forms need.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
import voluptuous as vol


@dataclass(slots=True)
class StepContext:
    """What a step's functions read, and what its check reports."""

    hass: HomeAssistant
    # The entry's data (name, person) and stored options; both empty while a walker is set up.
    data: dict[str, Any]
    options: dict[str, Any]
    # Kept for the whole flow, like the schema flow helper's ``flow_state``.
    flow_state: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    # Values an error message names (the sensor, the program), over the step's own placeholders.
    error_placeholders: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FormStep:
    """A form: its fields, the options an answer stores (errors go to the context), its texts."""

    schema: Callable[[StepContext], dict[vol.Marker, Any]]
    validate: Callable[[StepContext, dict[str, Any]], dict[str, Any]]
    placeholders: Callable[[StepContext], dict[str, str]]


async def async_form_step(
    flow: ConfigFlow | OptionsFlow,
    step_id: str,
    step: FormStep,
    context: StepContext,
    user_input: dict[str, Any] | None,
    *,
    done: Callable[[dict[str, Any]], Awaitable[ConfigFlowResult]],
) -> ConfigFlowResult:
    """Hand an accepted answer's options to ``done``; else show the form with what was typed."""
    if user_input is not None:
        answer = step.validate(context, user_input)
        if not context.errors:
            return await done(answer)
    schema = vol.Schema(step.schema(context))
    return flow.async_show_form(
        step_id=step_id,
        data_schema=flow.add_suggested_values_to_schema(schema, user_input or {}),
        errors=context.errors,
        # Every step's title says whose settings these are.
        description_placeholders={
            "walker": str(context.data.get(CONF_NAME, "")),
            **step.placeholders(context),
            **context.error_placeholders,
        },
    )
