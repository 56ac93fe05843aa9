"""Small form builders and checks shared by the config and options flows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import voluptuous as vol

from .core.names import has_invisible
from .core.options import (
    ChoiceOption,
    NumberOption,
    OptionSpec,
    SwitchOption,
    finite,
    form_number,
    number_in,
    rows_of,
)

__all__ = ["finite", "form_number", "number_in"]


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


class CheckedEntities(EntitySelector):
    """An entity picker whose choice reaches the flow's own checks as it was sent.

    The picker leaves out what no role can take (a walker's own entities); sent anyway (by a
    client, or from a form opened before), it gets the flow's translated error, not the
    selector's English one.
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


def text_field(value: Any, max_length: int) -> str | None:
    """``value`` stripped, if it is text of at most ``max_length`` visible characters, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return None if len(text) > max_length or has_invisible(text) else text


def entity_known(hass: HomeAssistant, entity_id: str) -> bool:
    """Whether ``entity_id`` exists: it has a state, or a registry entry (disabled, not loaded)."""
    return hass.states.get(entity_id) is not None or er.async_get(hass).async_is_registered(
        entity_id
    )


def suggested(key: str, options: Mapping[str, Any], default: Any = None) -> vol.Optional:
    """An optional field showing the stored value (or ``default``) as a suggestion."""
    value = options.get(key, default)
    return vol.Optional(key, description={"suggested_value": value} if value is not None else None)


def option_field(row: OptionSpec, options: Mapping[str, Any]) -> tuple[vol.Marker, Any]:
    """A table row's form field, showing the stored value (or the row's default)."""
    value = options.get(row.key, row.default)
    if isinstance(row, ChoiceOption):
        # Left empty, the option stays unset and its meaning follows the other settings.
        return suggested(row.key, options), CheckedChoices(
            SelectSelectorConfig(
                options=list(row.choices), translation_key=row.key, mode=SelectSelectorMode.LIST
            )
        )
    if isinstance(row, NumberOption):
        box = number_box(row.unit, row.step)
        if row.default is None:  # optional: an empty field leaves the option unset
            return suggested(row.key, options), box
        return vol.Required(row.key, default=value), box
    return vol.Required(row.key, default=value), BooleanSelector()


def form_fields(
    form: str,
    options: Mapping[str, Any],
    before: Mapping[str, dict[vol.Marker, Any]] | None = None,
) -> dict[vol.Marker, Any]:
    """The table's fields of ``form`` in table order; ``before[key]`` fields go before ``key``'s.

    ``before[""]`` fields go last: every field a step builds itself has its place, and a row
    added to the table shows up in its form without touching the step.
    """
    placed = dict(before or {})
    schema: dict[vol.Marker, Any] = {}
    for row in rows_of(form):
        schema.update(placed.pop(row.key, {}))
        marker, selector = option_field(row, options)
        schema[marker] = selector
    schema.update(placed.pop("", {}))
    assert not placed, f"fields placed before rows not in {form}: {list(placed)}"
    return schema


def check_option(row: OptionSpec, user_input: Mapping[str, Any], errors: dict[str, str]) -> Any:
    """What a row's field stores; sets the row's error (and returns None) when it is refused."""
    value = user_input.get(row.key, row.default)
    if isinstance(row, SwitchOption):
        return bool(value)
    if isinstance(row, ChoiceOption):
        if value is None or value == "":
            return None
        if (chosen := row.accept(value)) is None:
            errors[row.key] = row.error
        return chosen
    assert isinstance(row, NumberOption)
    if value is None and row.default is None:
        return None
    stored = row.accept(value)
    if stored is None:
        errors[row.key] = row.error
    return stored


def check_form(form: str, user_input: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The options every table field of ``form`` stores (refused ones set their errors)."""
    return {row.key: check_option(row, user_input, errors) for row in rows_of(form)}


def limits_shown(rows: Iterable[OptionSpec]) -> dict[str, str]:
    """``{key}_min``, ``{key}_max`` (and ``{key}_off``) of number rows, for the forms' texts.

    The translations name every range through these, so a range is written only in the table.
    """
    shown: dict[str, str] = {}
    for row in rows:
        if isinstance(row, NumberOption):
            shown[f"{row.key}_min"], shown[f"{row.key}_max"] = (f"{x:g}" for x in row.limits)
            if row.off is not None:
                shown[f"{row.key}_off"] = f"{row.off:g}"
    return shown


def form_placeholders(form: str, *rows: OptionSpec) -> dict[str, str]:
    """The limits of ``form``'s table fields and of the ``rows`` a step checks itself."""
    return limits_shown((*rows_of(form), *rows))
