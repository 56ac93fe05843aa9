"""The translated error every refusal of an action or command uses."""

from __future__ import annotations

from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .core.effects import Refusal


def validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    """A ServiceValidationError with the message ``exceptions.<key>`` of the translations."""
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


class CommandRefusedError(ServiceValidationError):
    """The engine refused a walker's command; the refusal stays with it to be said in any language.

    Its message is in Home Assistant's language; a spoken answer words ``refusal`` (its reasons
    too) in the language it was asked in.
    """

    def __init__(
        self, refusal: Refusal, placeholders: dict[str, str], key: str | None = None
    ) -> None:
        """The refusal and its message (``key``, else the refusal's), reasons already worded."""
        super().__init__(
            translation_domain=DOMAIN,
            translation_key=key or refusal.key,
            translation_placeholders=placeholders,
        )
        self.refusal = refusal
