"""Texts of notifications and spoken prompts, from the ``common`` part of translations/<language>.json.

Home Assistant loads and caches an integration's translations by category, in its configured
language with English underneath for every key the language lacks. ``common`` is the category
hassfest accepts for an integration's own free strings (flat keys, ``{placeholder}`` syntax).
The language is read at send time, so a change applies without a reload.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
import math
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.translation import (
    async_get_cached_translations,
    async_get_translations,
    async_translations_loaded,
)

from .const import DOMAIN
from .core.gate import OVERRIDABLE
from .core.messages import Message
from .core.names import visible
from .core.safety import MISSING, UNKNOWN_UNIT, Clearing, Hazard, Reason

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

    def reasons(
        self,
        reasons: Sequence[Reason],
        names: Mapping[str, str],
        ready_in_s: float | None = None,
    ) -> str:
        """The reasons in plain words, e.g. 'Something is in the way (Hallway beam)'.

        Sensors still being checked are one phrase, with the seconds until they are ready.
        """
        parts = [
            self.get(
                f"hazard_{reason.hazard.value}",
                name=names.get(reason.entity_id, reason.entity_id),
                reading=self.reading(reason.reading),
            )
            for reason in reasons
            if reason.hazard is not Hazard.CHECKING
        ]
        if any(reason.hazard is Hazard.CHECKING for reason in reasons):
            parts.append(self.checking(ready_in_s))
        text = parts[0] if parts else ""
        for part in parts[1:]:
            text = self.get("reasons_and", earlier=text, later=part)
        return text[:1].upper() + text[1:]

    def checking(self, ready_in_s: float | None) -> str:
        """The sensors are still being checked (ready in so many seconds, when known)."""
        if ready_in_s is None:
            return self.get("sensors_checking")
        return self.get("sensors_checking_ready", seconds=_whole_seconds(ready_in_s))

    def reading(self, reading: str) -> str:
        """A sensor's reading in words: 'missing' and 'unavailable' translated, others as read."""
        if reading in (MISSING, "unavailable", "unknown"):
            return self.get(f"reading_{reading}")
        if reading.endswith(UNKNOWN_UNIT):
            value = visible(reading.removesuffix(UNKNOWN_UNIT))
            return self.get("reading_unknown_unit", reading=value)
        return visible(reading)

    def path_refusal(
        self,
        walker: str,
        reasons: Sequence[Reason],
        names: Mapping[str, str],
        clearing: Sequence[Clearing],
        now: datetime,
    ) -> tuple[str, dict[str, str]]:
        """The message (its key and placeholders) of a start or resume the path refused.

        Only sensors being checked: when they are ready. Otherwise the reasons, and whether they
        must be cleared or may be overridden with ``force``.
        """
        ready = max((h.at for h in clearing if h.reason.hazard is Hazard.CHECKING), default=None)
        ready_in_s = None if ready is None else (ready - now).total_seconds()
        if all(reason.hazard is Hazard.CHECKING for reason in reasons):
            seconds = _whole_seconds(ready_in_s or 0)
            return "path_checking", {"walker": walker, "seconds": str(seconds)}
        holding = {h.reason: h.at for h in clearing}
        if all(reason in holding for reason in reasons):
            # Every sensor reads fine again: only the clear-hold is left.
            seconds = _whole_seconds((max(holding[r] for r in reasons) - now).total_seconds())
            return "path_clearing", {"walker": walker, "seconds": str(seconds)}
        overridable = all(reason.hazard in OVERRIDABLE for reason in reasons)
        return "path_not_clear", {
            "walker": walker,
            "reasons": self.reasons(reasons, names, ready_in_s),
            "advice": self.get("refusal_force" if overridable else "refusal_clear_first"),
        }

    def refusal_placeholders(self, key: str, placeholders: Mapping[str, str]) -> dict[str, str]:
        """A refusal's placeholders with the session's or check-in's ``state`` in words."""
        worded = dict(placeholders)
        if "state" in worded:
            kind = "check_in_state" if key.startswith("cannot_acknowledge") else "session_state"
            worded["state"] = self.get(f"{kind}_{worded['state']}")
        return worded

    def title_and_body(self, message: Message, **values: Any) -> tuple[str, str]:
        """Title and body of ``message``."""
        return self.get(f"{message}_title", **values), self.get(f"{message}_body", **values)


def _whole_seconds(seconds: float) -> int:
    """Seconds to wait, as people count them: at least one, rounded up."""
    return max(1, math.ceil(seconds))


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
