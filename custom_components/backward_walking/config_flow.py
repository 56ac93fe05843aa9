"""Config, options and reconfigure flows: one entry per walker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)
from homeassistant.util import slugify
import voluptuous as vol

from .const import (
    CONF_CUSTOM_PROGRAMS,
    CONF_PERSON,
    CONF_PROGRAM,
    CONF_SPEED,
    CONF_WEIGHT,
    DOMAIN,
    NAME_MAX_LENGTH,
)
from .core.names import name_key, shorten, visible
from .core.options import (
    ALERTS,
    NOT_NOW_BELOW,
    PROGRAM,
    REMINDERS,
    SENSOR_DELAY,
    SPEED_MPH,
    TARGET_MINUTES,
    WALKING,
    WEEKLY_GOAL,
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
from .data import BackwardWalkingConfigEntry
from .flow_helpers import (
    check_form,
    check_option,
    form_fields,
    form_number,
    form_placeholders,
    limits_shown,
    number_box,
    number_in,
    option_field,
    text_field,
)
from .flow_reminders import reminders_schema, validate_reminders
from .flow_safety import (
    alerts_schema,
    configured_sensors,
    details_schema,
    placeholders as safety_placeholders,
    safety_schema,
    sensor_labels,
    validate_alerts,
    validate_details,
    validate_safety,
)
from .options import settings_from_entry
from .units import WalkerUnits

# Conversions between unit systems round; a value that rounds onto a limit is still accepted.
_TOLERANCE = 0.01


def _identity_schema(defaults: dict[str, Any]) -> dict[vol.Marker, Any]:
    person = defaults.get(CONF_PERSON)
    return {
        vol.Required(CONF_NAME, default=defaults.get(CONF_NAME, vol.UNDEFINED)): TextSelector(),
        vol.Optional(
            CONF_PERSON, description={"suggested_value": person} if person else None
        ): EntitySelector(EntitySelectorConfig(domain="person")),
    }


def _walking_schema(
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


_SEGMENT_ERRORS = ("bad_token", "zero_duration", "segment_too_long")


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


def _placeholders(units: WalkerUnits, detail: str = "", program: str = "") -> dict[str, str]:
    return {
        "weight_min": f"{units.kg_to_display(WEIGHT_KG.limits[0]):g}",
        "weight_max": f"{units.kg_to_display(WEIGHT_KG.limits[1]):g}",
        "weight_unit": units.weight,
        "speed_min": f"{units.speed_limits()[0]:g}",
        "speed_max": f"{units.speed_limits()[1]:g}",
        "speed_unit": units.speed,
        "detail": detail,
        "program": program,
        **form_placeholders(WALKING),
    }


def _converted(value: Any, convert: Callable[[float], float], row: NumberOption) -> float | None:
    """A number in the user's unit, converted and within the row's limits (clamped onto them)."""
    number = form_number(value)
    if number is None or (stored := row.accept(convert(number), tolerance=_TOLERANCE)) is None:
        return None
    return round(row.clamp(stored), 3)


def _name_taken(hass: HomeAssistant, name: str, own_entry_id: str | None) -> bool:
    """Whether another walker has this name, ignoring case and width (linked to a person or not)."""
    key = name_key(name)
    return any(
        name_key(str(entry.data.get(CONF_NAME, entry.title))) == key
        for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=False)
        if entry.entry_id != own_entry_id
    )


def _validate_identity(
    hass: HomeAssistant,
    user_input: dict[str, Any],
    errors: dict[str, str],
    own_entry_id: str | None = None,
) -> dict[str, Any]:
    name = text_field(user_input.get(CONF_NAME), NAME_MAX_LENGTH)
    if not name:
        errors[CONF_NAME] = "name_invalid"
    elif _name_taken(hass, name, own_entry_id):
        errors[CONF_NAME] = "name_taken"
    person = user_input.get(CONF_PERSON) or None
    if person is not None and (
        not isinstance(person, str)
        or not person.startswith("person.")
        or hass.states.get(person) is None
    ):
        errors[CONF_PERSON] = "person_not_found"
    return {CONF_NAME: name, CONF_PERSON: person}


def _validate_walking(
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


def _unique_id(identity: dict[str, Any]) -> str:
    return str(identity[CONF_PERSON] or slugify(identity[CONF_NAME]))


class BackwardWalkingConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a walker, or change who the walker is."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: BackwardWalkingConfigEntry) -> OptionsFlow:
        """The options flow for everything that can change."""
        return BackwardWalkingOptionsFlow()

    def __init__(self) -> None:
        """Collect the answers of the three steps."""
        self._identity: dict[str, Any] = {}
        self._options: dict[str, Any] = {}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the walker and their walking defaults."""
        units = WalkerUnits.of(self.hass)
        errors: dict[str, str] = {}
        defaults = WalkerSettings(name="")
        if user_input is not None:
            identity = _validate_identity(self.hass, user_input, errors)
            options = _validate_walking(units, user_input, errors)
            if not errors:
                await self.async_set_unique_id(_unique_id(identity))
                self._abort_if_unique_id_configured()
                self._identity = identity
                self._options = {**options, WEEKLY_GOAL.key: WEEKLY_GOAL.default}
                return await self.async_step_safety()
        schema = vol.Schema(
            {**_identity_schema({}), **_walking_schema(units, defaults, units.default_speed())}
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
            description_placeholders=_placeholders(units),
        )

    async def async_step_safety(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the hallway's sensors (all optional) and their thresholds."""
        errors: dict[str, str] = {}
        if user_input is not None:
            options = validate_safety(self.hass, user_input, errors)
            if not errors:
                self._options.update(options)
                return await self.async_step_alerts()
        return self.async_show_form(
            step_id="safety",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(safety_schema(self.hass, {})), user_input or {}
            ),
            errors=errors,
            description_placeholders=safety_placeholders(self.hass),
        )

    async def async_step_alerts(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose who is told, the speaker and the check-in timings."""
        errors: dict[str, str] = {}
        if user_input is not None:
            options = validate_alerts(self.hass, user_input, errors)
            if not errors:
                return self.async_create_entry(
                    title=self._identity[CONF_NAME],
                    data=self._identity,
                    options={**self._options, **options},
                )
        return self.async_show_form(
            step_id="alerts",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(alerts_schema(self.hass, {})), user_input or {}
            ),
            errors=errors,
            description_placeholders=form_placeholders(ALERTS),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the walker or link a different person."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            identity = _validate_identity(self.hass, user_input, errors, entry.entry_id)
            if not errors:
                unique_id = _unique_id(identity)
                for other in self._async_current_entries(include_ignore=False):
                    if other.unique_id == unique_id and other.entry_id != entry.entry_id:
                        return self.async_abort(reason="already_configured")
                # The entry's update listener reloads the walker when its identity changed.
                self.hass.config_entries.async_update_entry(
                    entry, unique_id=unique_id, title=identity[CONF_NAME], data=identity
                )
                return self.async_abort(reason="reconfigure_successful")
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(_identity_schema(dict(entry.data))), user_input or {}
            ),
            errors=errors,
        )


class BackwardWalkingOptionsFlow(OptionsFlow):
    """Change walking settings, the safety sensors, alerts and per-sensor details."""

    def __init__(self) -> None:
        """No form shown yet."""
        # The per-sensor fields as last shown (label → entity ID): names may change meanwhile.
        self._labels: dict[str, str] = {}

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose what to change."""
        return self.async_show_menu(
            step_id="init",
            menu_options=["walking", "safety", "alerts", "sensor_details", "reminders"],
        )

    def _save(self, changes: dict[str, Any]) -> ConfigFlowResult:
        return self.async_create_entry(data={**self.config_entry.options, **changes})

    async def async_step_safety(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The hallway's sensors by role and the thresholds."""
        options = dict(self.config_entry.options)
        errors: dict[str, str] = {}
        if user_input is not None:
            changes = validate_safety(self.hass, user_input, errors)
            if not errors:
                return self._save(changes)
        return self.async_show_form(
            step_id="safety",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(safety_schema(self.hass, options)), user_input or {}
            ),
            errors=errors,
            description_placeholders=safety_placeholders(self.hass),
        )

    async def async_step_alerts(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Notification targets, speaker, timings and auto-resume."""
        errors: dict[str, str] = {}
        if user_input is not None:
            changes = validate_alerts(self.hass, user_input, errors)
            if not errors:
                return self._save(changes)
        return self.async_show_form(
            step_id="alerts",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(alerts_schema(self.hass, dict(self.config_entry.options))),
                user_input or {},
            ),
            errors=errors,
            description_placeholders=form_placeholders(ALERTS),
        )

    async def async_step_sensor_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Per-sensor on-delay and whether an unavailable sensor only warns."""
        options = dict(self.config_entry.options)
        if not configured_sensors(options):
            return self.async_abort(reason="no_sensors")
        errors: dict[str, str] = {}
        detail = ""
        if user_input is None:
            self._labels = sensor_labels(self.hass, options)
        if user_input is not None:
            changes, detail = validate_details(user_input, errors, self._labels)
            if not errors:
                return self._save(changes)
        return self.async_show_form(
            step_id="sensor_details",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(details_schema(options, self._labels)), user_input or {}
            ),
            errors=errors,
            description_placeholders={"detail": detail, **limits_shown((SENSOR_DELAY,))},
        )

    async def async_step_reminders(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Reminder days and times, quiet hours, nagging, 'not now' conditions and the coach."""
        errors: dict[str, str] = {}
        if user_input is not None:
            changes = validate_reminders(self.hass, user_input, errors)
            if not errors:
                return self._save(changes)
        schema = vol.Schema(reminders_schema(dict(self.config_entry.options)))
        return self.async_show_form(
            step_id="reminders",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
            description_placeholders=form_placeholders(REMINDERS, NOT_NOW_BELOW),
        )

    async def async_step_walking(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Weight, defaults, MET override, weekly goal and the walker's own programs."""
        units = WalkerUnits.of(self.hass)
        entry = self.config_entry
        settings = settings_from_entry(dict(entry.data), dict(entry.options))
        errors: dict[str, str] = {}
        detail = program = ""
        if user_input is not None:
            options = _validate_walking(units, user_input, errors, settings.speed_mph)
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
            if not errors.get(CONF_CUSTOM_PROGRAMS) and (
                options[CONF_PROGRAM] not in BUILTIN_PROGRAMS
                and options[CONF_PROGRAM] not in custom
            ):
                errors[CONF_PROGRAM] = "program_removed"
            if not errors:
                return self._save({**options, CONF_CUSTOM_PROGRAMS: custom})
        first = _walking_schema(units, settings, units.mph_to_display(settings.speed_mph))
        own = vol.Optional(
            CONF_CUSTOM_PROGRAMS,
            description={"suggested_value": format_program_lines(settings.custom_programs)},
        )
        fields = form_fields(
            WALKING, settings.values, {"": {own: TextSelector(TextSelectorConfig(multiline=True))}}
        )
        # The set-up's fields come first, as in the set-up (the session length is one of both).
        schema = vol.Schema({**first, **fields})
        return self.async_show_form(
            step_id="walking",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
            description_placeholders=_placeholders(units, detail, program),
        )
