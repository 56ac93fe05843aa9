"""The walker's identity in the set-up and in Reconfigure: a name and an optional person.

A name or a person another walker already has is refused next to its field, with what was typed
kept, so the form is never lost (``identity.py`` holds the rules).
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import EntitySelector, EntitySelectorConfig, TextSelector
import voluptuous as vol

from .const import CONF_PERSON, NAME_MAX_LENGTH
from .flow_helpers import text_field
from .identity import name_error, walker_of_person

# The walker a person is already linked to, named by the person field's error.
LINKED_WALKER = "linked_walker"


def identity_schema(defaults: dict[str, Any]) -> dict[vol.Marker, Any]:
    """The name and person fields, showing ``defaults`` (the walker's own, in Reconfigure)."""
    person = defaults.get(CONF_PERSON)
    return {
        vol.Required(CONF_NAME, default=defaults.get(CONF_NAME, vol.UNDEFINED)): TextSelector(),
        vol.Optional(
            CONF_PERSON, description={"suggested_value": person} if person else None
        ): EntitySelector(EntitySelectorConfig(domain="person")),
    }


def validate_identity(
    hass: HomeAssistant,
    user_input: dict[str, Any],
    errors: dict[str, str],
    placeholders: dict[str, str],
    own_entry_id: str | None = None,
) -> dict[str, Any]:
    """The name and person typed, with an error next to each field that cannot be taken."""
    typed = user_input.get(CONF_NAME)
    if (error := name_error(hass, typed, own_entry_id)) is not None:
        errors[CONF_NAME] = error
    person = user_input.get(CONF_PERSON) or None
    if person is not None and (
        not isinstance(person, str)
        or not person.startswith("person.")
        or hass.states.get(person) is None
    ):
        errors[CONF_PERSON] = "person_not_found"
    elif person is not None and (other := walker_of_person(hass, person, own_entry_id)):
        errors[CONF_PERSON] = "person_taken"
        placeholders[LINKED_WALKER] = other
    return {CONF_NAME: text_field(typed, NAME_MAX_LENGTH), CONF_PERSON: person}
