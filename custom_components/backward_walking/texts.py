"""Texts of notifications and spoken prompts, from the ``common`` part of translations/<language>.json.

Home Assistant loads and caches an integration's translations by category, in its configured
language with English underneath for every key the language lacks. ``common`` is the category
hassfest accepts for an integration's own free strings (flat keys, ``{placeholder}`` syntax).
The language is read at send time, so a change applies without a reload.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.translation import (
    async_get_cached_translations,
    async_get_translations,
    async_translations_loaded,
)

from .const import DOMAIN
from .core.messages import Message
from .core.safety import Reason

CATEGORY = "common"
_PREFIX = f"component.{DOMAIN}.{CATEGORY}."


class Texts:
    """Message texts in one language."""

    def __init__(self, strings: Mapping[str, str]) -> None:
        """Bind to the flattened translations of the ``common`` category."""
        self._strings = strings

    def get(self, key: str, **values: Any) -> str:
        """The text for ``key`` with ``values`` filled in."""
        return self._strings[_PREFIX + key].format(**values)

    def reasons(self, reasons: Sequence[Reason], names: Mapping[str, str]) -> str:
        """The reasons in plain words, e.g. 'something is in the way (Hallway beam)'."""
        parts = [
            self.get(
                f"hazard_{reason.hazard.value}",
                name=names.get(reason.entity_id, reason.entity_id),
                reading=reason.reading,
            )
            for reason in reasons
        ]
        text = parts[0] if parts else ""
        for part in parts[1:]:
            text = self.get("reasons_and", earlier=text, later=part)
        return text[:1].upper() + text[1:]

    def title_and_body(self, message: Message, **values: Any) -> tuple[str, str]:
        """Title and body of ``message``."""
        return self.get(f"{message}_title", **values), self.get(f"{message}_body", **values)


async def async_texts(hass: HomeAssistant, language: str | None = None) -> Texts:
    """Texts in ``language`` (Home Assistant's current one), loaded if they are not cached yet."""
    chosen = language or hass.config.language
    return Texts(await async_get_translations(hass, chosen, CATEGORY, {DOMAIN}))


@callback
def cached_texts(hass: HomeAssistant) -> Texts | None:
    """Texts in the current language if they are cached (after a language change: once loaded)."""
    if not async_translations_loaded(hass, {DOMAIN}):
        return None
    return Texts(async_get_cached_translations(hass, hass.config.language, CATEGORY, DOMAIN))


@callback
def texts_now(hass: HomeAssistant) -> Texts:
    """Texts without waiting: the current language if cached, else English (cached at set-up)."""
    return cached_texts(hass) or Texts(async_get_cached_translations(hass, "en", CATEGORY, DOMAIN))
