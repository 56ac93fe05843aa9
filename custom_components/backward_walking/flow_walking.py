"""Form fields and checks of the walking settings: the set-up's defaults and Configure → Walking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)
import voluptuous as vol

from .const import CONF_CUSTOM_PROGRAMS, CONF_PROGRAM, CONF_SPEED, CONF_WEIGHT
from .core.names import shorten, visible
from .core.options import (
    PROGRAM,
    SPEED_MPH,
    TARGET_MINUTES,
    WALKING,
    WEIGHT_KG,
    NumberOption,
)
from .core.programs import (
    BUILTIN_PROGRAMS,
    ProgramSyntaxError,
    format_program_lines,
    format_segments,
    parse_program_lines,
    parse_segments,
)
from .core.settings import WalkerSettings
from .display_units import WalkerUnits
from .entry_settings import settings_from_entry
from .flow_helpers import (
    check_form,
    check_option,
    form_fields,
    form_number,
    form_placeholders,
    number_box,
    number_in,
    option_field,
)
from .flow_steps import StepContext

# Conversions between unit systems round; a value that rounds onto a limit is still accepted.
_TOLERANCE = 0.01
_SEGMENT_ERRORS = ("bad_token", "zero_duration", "segment_too_long")


def walking_fields(
    units: WalkerUnits, settings: WalkerSettings, speed: float
) -> dict[vol.Marker, Any]:
    """Weight, session length, program and speed: the set-up's fields and the first of Walking."""
    programs = list(settings.programs)
    target, target_box = option_field(TARGET_MINUTES, {TARGET_MINUTES.key: settings.target_minutes})
    return {
        vol.Required(CONF_WEIGHT, default=units.kg_to_display(settings.weight_kg)): number_box(
            units.weight, WEIGHT_KG.step
        ),
        target: target_box,
        vol.Required(
            CONF_PROGRAM,
            default=settings.program if settings.program in programs else PROGRAM.default,
        ): SelectSelector(
            SelectSelectorConfig(
                options=programs, translation_key=CONF_PROGRAM, mode=SelectSelectorMode.DROPDOWN
            )
        ),
        vol.Required(CONF_SPEED, default=speed): number_box(units.speed, SPEED_MPH.step),
    }


def units_placeholders(units: WalkerUnits) -> dict[str, str]:
    """The walking forms' ranges and units; no program part named until an error names one."""
    return {
        "weight_min": f"{units.kg_to_display(WEIGHT_KG.limits[0]):g}",
        "weight_max": f"{units.kg_to_display(WEIGHT_KG.limits[1]):g}",
        "weight_unit": units.weight,
        "speed_min": f"{units.speed_limits()[0]:g}",
        "speed_max": f"{units.speed_limits()[1]:g}",
        "speed_unit": units.speed,
        "detail": "",
        "program": "",
        **form_placeholders(WALKING),
    }


def _converted(value: Any, convert: Callable[[float], float], row: NumberOption) -> float | None:
    """A number in the user's unit, converted and within the row's limits (clamped onto them)."""
    number = form_number(value)
    if number is None or (stored := row.accept(convert(number), tolerance=_TOLERANCE)) is None:
        return None
    return round(row.clamp(stored), 3)


def check_walking(
    units: WalkerUnits,
    user_input: dict[str, Any],
    errors: dict[str, str],
    stored_mph: float | None = None,
) -> dict[str, Any]:
    """The walking options; a speed left as shown keeps the stored mph, even outside the limits."""
    weight_kg = _converted(user_input.get(CONF_WEIGHT), units.kg_from_display, WEIGHT_KG)
    if weight_kg is None:
        errors[CONF_WEIGHT] = WEIGHT_KG.error
    target = check_option(TARGET_MINUTES, user_input, errors)
    speed = form_number(user_input.get(CONF_SPEED))
    speed_mph: float | None = None
    if stored_mph is not None and speed == units.mph_to_display(stored_mph):
        speed_mph = stored_mph
    elif speed is not None and number_in(speed, units.speed_limits()) is not None:
        speed_mph = units.speed_mph(speed)
    else:
        errors[CONF_SPEED] = SPEED_MPH.error
    return {
        WEIGHT_KG.key: weight_kg,
        TARGET_MINUTES.key: target,
        PROGRAM.key: user_input.get(CONF_PROGRAM, PROGRAM.default),
        SPEED_MPH.key: speed_mph,
    }


def _fails_with(part: str, code: str) -> bool:
    try:
        parse_segments(part)
    except ProgramSyntaxError as err:
        return err.code == code
    return False


def _typed(text: str, err: ProgramSyntaxError) -> tuple[str, str]:
    """The part of ``text`` an error is about, as the user typed it, and its program's name.

    The parser reports a segment upper-cased and after the program's name ("Walk: X9"); the form
    quotes the segment as typed ("x9") and names the program separately.
    """
    if err.code not in _SEGMENT_ERRORS:
        return err.token, ""
    lines = [line.partition(":") for line in text.splitlines()]
    typed = (
        (shorten(visible(part)), shorten(visible(name.strip())))
        for name, _, body in lines
        for part in body.replace(",", " ").split()
        # The parser's report: the line's name, then the part upper-cased, each made visible.
        if shorten(visible(f"{name.strip()}: {shorten(visible(part.upper()))}")) == err.token
        and _fails_with(part, err.code)  # a long name cuts the report short: which part fails
    )
    return next(typed, (err.token, ""))


def _settings(context: StepContext) -> WalkerSettings:
    return settings_from_entry(context.data, context.options)


def walking_schema(context: StepContext) -> dict[vol.Marker, Any]:
    """The set-up's fields first, as in the set-up (the session length is one of both)."""
    units = WalkerUnits.of(context.hass)
    settings = _settings(context)
    first = walking_fields(units, settings, units.mph_to_display(settings.speed_mph))
    own = vol.Optional(
        CONF_CUSTOM_PROGRAMS,
        description={"suggested_value": format_program_lines(settings.custom_programs)},
    )
    fields = form_fields(
        WALKING, settings.values, {"": {own: TextSelector(TextSelectorConfig(multiline=True))}}
    )
    return {**first, **fields}


def validate_walking(context: StepContext, user_input: dict[str, Any]) -> dict[str, Any]:
    """Weight, defaults, MET override, weekly goal and the walker's own programs."""
    errors = context.errors
    options = check_walking(
        WalkerUnits.of(context.hass), user_input, errors, _settings(context).speed_mph
    )
    options.update(
        (key, value)
        for key, value in check_form(WALKING, user_input, errors).items()
        if key != TARGET_MINUTES.key  # the set-up's field, checked with the others above
    )
    custom: dict[str, str] = {}
    text = str(user_input.get(CONF_CUSTOM_PROGRAMS, ""))
    try:
        parsed = parse_program_lines(text)
        custom = {name: format_segments(segments) for name, segments in parsed.items()}
    except ProgramSyntaxError as err:
        errors[CONF_CUSTOM_PROGRAMS] = f"program_{err.code}"
        detail, program = _typed(text, err)
        context.error_placeholders.update(detail=detail, program=program)
    if not errors.get(CONF_CUSTOM_PROGRAMS) and (
        options[CONF_PROGRAM] not in BUILTIN_PROGRAMS and options[CONF_PROGRAM] not in custom
    ):
        errors[CONF_PROGRAM] = "program_removed"
    return {**options, CONF_CUSTOM_PROGRAMS: custom}


def walking_placeholders(context: StepContext) -> dict[str, str]:
    """The ranges and units the walking texts name."""
    return units_placeholders(WalkerUnits.of(context.hass))
