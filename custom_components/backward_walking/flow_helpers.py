"""Small form builders and checks shared by the config and options flows."""

from __future__ import annotations

import math
from typing import Any

from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
)
import voluptuous as vol

from .core.names import has_invisible


class _NumberBox(NumberSelector):
    """A number field whose value reaches the flow's own checks as it was sent.

    Home Assistant's number selector converts with ``float()``: ``True`` would become 1 and "nan",
    "inf" or 1e400 would pass as numbers. Passing the value on unchanged lets ``number_in`` refuse
    all of them with a translated message next to the field.
    """

    def __call__(self, data: Any) -> Any:
        return data


class CheckedChoices(SelectSelector):
    """A choice list whose values reach the flow's own checks as they were sent.

    The list offers no custom values, but a target can disappear while the form is open (or a
    client can send anything): the flow then answers with its translated error, not the selector's.
    """

    def __call__(self, data: Any) -> Any:
        """The value unchanged; the flow checks it."""
        return data


def number_box(unit: str | None = None, step: float = 1) -> NumberSelector:
    """A number field without min/max.

    Out-of-range values then reach validation and get a translated field error instead of the
    selector's untranslated one.
    """
    config = NumberSelectorConfig(mode=NumberSelectorMode.BOX, step=step)
    if unit:
        config["unit_of_measurement"] = unit
    return _NumberBox(config)


def finite(value: Any) -> float | None:
    """``value`` as a finite number; None for booleans, text that is no number, NaN and infinities."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def number_in(
    value: Any, limits: tuple[float, float], *, whole: bool = False, tolerance: float = 0
) -> float | None:
    """``value`` if it is a finite number within ``limits`` (and whole, if asked), else None."""
    number = finite(value)
    if number is None or not limits[0] - tolerance <= number <= limits[1] + tolerance:
        return None
    if whole and number != int(number):
        return None
    return number


def text_field(value: Any, max_length: int) -> str | None:
    """``value`` stripped, if it is text of at most ``max_length`` visible characters, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return None if len(text) > max_length or has_invisible(text) else text


def suggested(key: str, options: dict[str, Any], default: Any = None) -> vol.Optional:
    """An optional field showing the stored value (or ``default``) as a suggestion."""
    value = options.get(key, default)
    return vol.Optional(key, description={"suggested_value": value} if value is not None else None)
