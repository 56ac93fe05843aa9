"""Small form builders shared by the config and options flows."""

from __future__ import annotations

from typing import Any

from homeassistant.helpers.selector import NumberSelector, NumberSelectorConfig, NumberSelectorMode
import voluptuous as vol


def number_box(unit: str | None = None, step: float = 1) -> NumberSelector:
    """A number field without min/max.

    Out-of-range values then reach validation and get a translated field error instead of the
    selector's untranslated one.
    """
    config = NumberSelectorConfig(mode=NumberSelectorMode.BOX, step=step)
    if unit:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


def suggested(key: str, options: dict[str, Any], default: Any = None) -> vol.Optional:
    """An optional field showing the stored value (or ``default``) as a suggestion."""
    value = options.get(key, default)
    return vol.Optional(key, description={"suggested_value": value} if value is not None else None)
