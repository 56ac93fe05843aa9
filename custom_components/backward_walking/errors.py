"""The translated error every refusal of an action or command uses."""

from __future__ import annotations

from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN


def validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    """A ServiceValidationError with the message ``exceptions.<key>`` of the translations."""
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )
