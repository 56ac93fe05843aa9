"""Form schemas and validation of the safety settings, shared by the config and options flows."""

from __future__ import annotations

from collections import Counter
from typing import Any

from homeassistant.const import UnitOfLength
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    EntityFilterSelectorConfig,
    EntitySelector,
    EntitySelectorConfig,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import voluptuous as vol

from .const import (
    CONF_EMERGENCY_NOTIFY,
    CONF_EMERGENCY_SCRIPT,
    CONF_HALLWAY,
    CONF_MEDIA_PLAYER,
    CONF_MIN_DISTANCE,
    CONF_SENSOR_DELAYS,
    CONF_TIER2_NOTIFY,
    CONF_TTS_ENTITY,
    CONF_VOICE_SATELLITE,
    CONF_WALKER_NOTIFY,
    CONF_WARN_ONLY_SENSORS,
    DOMAIN,
    NAME_MAX_LENGTH,
)
from .core.options import (
    ALERTS,
    COACHING,
    MIN_DISTANCE_M,
    MIN_LUX,
    SAFETY,
    SENSOR_DELAY,
    TIER2_AFTER,
)
from .core.safety import Role
from .core.units import distance_in_metres, metres_in
from .entry_settings import ROLE_OPTIONS
from .flow_helpers import (
    CheckedChoices,
    CheckedEntities,
    check_form,
    entity_known,
    form_fields,
    form_number,
    form_placeholders,
    limits_shown,
    number_box,
    suggested,
    text_field,
)
from .flow_steps import StepContext

_PRESENCE = ["motion", "occupancy", "presence"]
# Which entities each role accepts: (domain, device classes or None for any).
ROLE_FILTERS: dict[Role, tuple[str, list[str] | None]] = {
    Role.OBSTACLE: ("binary_sensor", None),
    Role.DISTANCE: ("sensor", ["distance"]),
    Role.CROSSING: ("binary_sensor", _PRESENCE),
    Role.LIGHT: ("sensor", ["illuminance"]),
    Role.FALL: ("binary_sensor", None),
    Role.ACTIVITY: ("binary_sensor", _PRESENCE),
}


def distance_unit(hass: HomeAssistant) -> str:
    """Centimetres, or inches in the US customary system."""
    return (
        UnitOfLength.INCHES
        if hass.config.units is US_CUSTOMARY_SYSTEM
        else UnitOfLength.CENTIMETERS
    )


def safety_placeholders(context: StepContext) -> dict[str, str]:
    """Values the safety forms and their errors show."""
    unit = distance_unit(context.hass)
    low, high = (round(metres_in(m, unit)) for m in MIN_DISTANCE_M.limits)
    return {
        "distance_unit": unit,
        "distance_min": str(low),
        "distance_max": str(high),
        "detail": "",
        **form_placeholders(SAFETY),
    }


def own_entities(hass: HomeAssistant) -> list[str]:
    """Every walker's own entities: the pickers leave them out, as no role can take them."""
    registry = er.async_get(hass)
    return [
        entity.entity_id
        for entry in hass.config_entries.async_entries(DOMAIN)
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
    ]


def safety_schema(context: StepContext) -> dict[vol.Marker, Any]:
    """Sensors by role (never a walker's own), thresholds and the hallway's name."""
    options = context.options
    fields: dict[vol.Marker, Any] = {}
    own = own_entities(context.hass)
    for role, key in ROLE_OPTIONS.items():
        domain, classes = ROLE_FILTERS[role]
        entity_filter = EntityFilterSelectorConfig(domain=domain)
        if classes:
            entity_filter["device_class"] = classes
        fields[suggested(key, options, [])] = CheckedEntities(
            EntitySelectorConfig(filter=entity_filter, multiple=True, exclude_entities=own)
        )
    unit = distance_unit(context.hass)
    distance = round(metres_in(MIN_DISTANCE_M.read(options), unit))
    fields[vol.Required(CONF_MIN_DISTANCE, default=distance)] = number_box(unit)
    return form_fields(
        SAFETY,
        options,
        {MIN_LUX.key: fields, "": {suggested(CONF_HALLWAY, options): TextSelector()}},
    )


def is_own(hass: HomeAssistant, entity_id: object) -> bool:
    """Whether ``entity_id`` is one of this integration's own entities (any walker's).

    None can watch a path: the path sensor as an obstacle would hold the path unsafe for ever.
    """
    entry = er.async_get(hass).async_get(entity_id) if isinstance(entity_id, str) else None
    return entry is not None and entry.platform == DOMAIN


def fits_role(hass: HomeAssistant, entity_id: object, role: Role) -> bool:
    """Whether an entity may watch the path in ``role``.

    It must exist, be of the role's domain and, where the role needs one, of its device class (as
    far as Home Assistant knows it), and it must not be one of this integration's own entities.
    """
    domain, classes = ROLE_FILTERS[role]
    if not isinstance(entity_id, str) or not entity_id.startswith(f"{domain}."):
        return False
    entry = er.async_get(hass).async_get(entity_id)
    state = hass.states.get(entity_id)
    if (entry is None and state is None) or (entry is not None and entry.platform == DOMAIN):
        return False
    known_class = (entry and (entry.device_class or entry.original_device_class)) or (
        state and state.attributes.get("device_class")
    )
    return classes is None or known_class is None or known_class in classes


def validate_safety(context: StepContext, user_input: dict[str, Any]) -> dict[str, Any]:
    """Options from the safety form; every sensor must exist and fit its role."""
    hass, errors = context.hass, context.errors
    result: dict[str, Any] = {}
    for role, key in ROLE_OPTIONS.items():
        chosen = user_input.get(key, [])
        if isinstance(chosen, list) and any(is_own(hass, e) for e in chosen):
            errors[key] = "sensor_own"
            continue
        if not isinstance(chosen, list) or not all(fits_role(hass, e, role) for e in chosen):
            errors[key] = "sensor_invalid"
            continue
        result[key] = list(dict.fromkeys(chosen))
    typed = form_number(user_input.get(CONF_MIN_DISTANCE))
    metres = None if typed is None else distance_in_metres(typed, distance_unit(hass))
    if metres is None or MIN_DISTANCE_M.accept(metres, tolerance=0.005) is None:
        errors[CONF_MIN_DISTANCE] = MIN_DISTANCE_M.error
    hallway = text_field(user_input.get(CONF_HALLWAY, ""), NAME_MAX_LENGTH)
    if hallway is None:
        errors[CONF_HALLWAY] = "hallway_invalid"
    result.update(
        {
            MIN_DISTANCE_M.key: None if metres is None else round(metres, 3),
            **check_form(SAFETY, user_input, errors),
            CONF_HALLWAY: hallway,
        }
    )
    return result


def notify_targets(hass: HomeAssistant) -> list[str]:
    """Legacy notify services and notify entities a message can go to."""
    services = [
        f"notify.{name}"
        for name in hass.services.async_services().get("notify", {})
        if name not in ("send_message", "persistent_notification")
    ]
    return sorted({*services, *hass.states.async_entity_ids("notify")})


def _target_fields(
    options: dict[str, Any], targets: list[str], *keys: str
) -> dict[vol.Marker, Any]:
    """Pickers of notify targets; none while there is nothing to pick and nothing stored.

    An empty picker only hides its own hint (why it is empty) under its empty list; the step's
    description says where messages go without targets and how a phone becomes one.
    """
    picker = CheckedChoices(
        SelectSelectorConfig(
            options=targets,
            multiple=True,
            custom_value=False,  # a typed value could never pass the check below
            mode=SelectSelectorMode.DROPDOWN,
        )
    )
    return {suggested(key, options, []): picker for key in keys if targets or options.get(key)}


def alerts_schema(context: StepContext) -> dict[vol.Marker, Any]:
    """Who is told, the speaker, and the timings of the escalation ladder."""
    options = context.options
    targets = notify_targets(context.hass)
    people: dict[vol.Marker, Any] = {
        **_target_fields(options, targets, CONF_WALKER_NOTIFY, CONF_EMERGENCY_NOTIFY),
        suggested(CONF_MEDIA_PLAYER, options): EntitySelector(
            EntitySelectorConfig(domain="media_player")
        ),
        suggested(CONF_TTS_ENTITY, options): EntitySelector(EntitySelectorConfig(domain="tts")),
        suggested(CONF_VOICE_SATELLITE, options): EntitySelector(
            EntitySelectorConfig(domain="assist_satellite")
        ),
    }
    script = EntitySelector(EntitySelectorConfig(domain="script"))
    return form_fields(
        ALERTS,
        options,
        {
            COACHING.key: people,
            TIER2_AFTER.key: _target_fields(options, targets, CONF_TIER2_NOTIFY),
            "": {suggested(CONF_EMERGENCY_SCRIPT, options): script},
        },
    )


def validate_alerts(context: StepContext, user_input: dict[str, Any]) -> dict[str, Any]:
    """Options from the alerts form."""
    hass, errors = context.hass, context.errors
    known = set(notify_targets(hass))
    result: dict[str, Any] = {}
    for key in (CONF_WALKER_NOTIFY, CONF_EMERGENCY_NOTIFY, CONF_TIER2_NOTIFY):
        chosen = user_input.get(key, [])
        if not isinstance(chosen, list) or not all(t in known for t in chosen):
            errors[key] = "notify_invalid"
        else:
            result[key] = list(dict.fromkeys(chosen))
    picked = {key: user_input.get(key) or None for key in _PICKED_ENTITIES}
    for key, entity_id in picked.items():
        if entity_id is not None and not entity_known(hass, entity_id):
            errors[key] = "entity_invalid"
    player, tts = picked[CONF_MEDIA_PLAYER], picked[CONF_TTS_ENTITY]
    if bool(player) != bool(tts):
        errors[CONF_MEDIA_PLAYER if not player else CONF_TTS_ENTITY] = "tts_incomplete"
    result.update({**picked, **check_form(ALERTS, user_input, errors)})
    return result


# The single entities the alerts form picks (each of the kind its selector asks for).
_PICKED_ENTITIES = (CONF_MEDIA_PLAYER, CONF_TTS_ENTITY, CONF_VOICE_SATELLITE, CONF_EMERGENCY_SCRIPT)


def alerts_placeholders(context: StepContext) -> dict[str, str]:
    """The ranges the alerts form's texts name."""
    return form_placeholders(ALERTS)


def configured_sensors(options: dict[str, Any]) -> list[str]:
    """Every sensor chosen for any role, once."""
    return list(dict.fromkeys(e for key in ROLE_OPTIONS.values() for e in options.get(key, [])))


def sensor_labels(hass: HomeAssistant, options: dict[str, Any]) -> dict[str, str]:
    """Each configured sensor's field label (its friendly name) → its entity ID.

    Two sensors with the same name are told apart by their entity IDs; a sensor without a name (or
    without a state) is labelled by its entity ID.
    """
    registry = er.async_get(hass)
    names: dict[str, str] = {}
    for entity_id in configured_sensors(options):
        state = hass.states.get(entity_id)
        entry = registry.async_get(entity_id)
        name = (state and state.attributes.get("friendly_name")) or (
            entry and (entry.name or entry.original_name)
        )
        names[entity_id] = str(name or entity_id)
    counts = Counter(names.values())
    return {
        name if counts[name] == 1 or name == entity_id else f"{name} ({entity_id})": entity_id
        for entity_id, name in names.items()
    }


_LABELS = "sensor_labels"


def _labels(context: StepContext) -> dict[str, str]:
    """The per-sensor fields as first shown in this flow (names may change meanwhile).

    Without any sensor there is nothing to set: the step ends with ``no_sensors``.
    """
    if not configured_sensors(context.options):
        raise AbortFlow("no_sensors")
    if _LABELS not in context.flow_state:
        context.flow_state[_LABELS] = sensor_labels(context.hass, context.options)
    labels: dict[str, str] = context.flow_state[_LABELS]
    return labels


def details_schema(context: StepContext) -> dict[vol.Marker, Any]:
    """Per sensor (labelled by name): an on-delay in seconds, and which sensors only warn."""
    options = context.options
    labels = _labels(context)
    sensors = configured_sensors(options)
    delays = options.get(CONF_SENSOR_DELAYS, {})
    schema: dict[vol.Marker, Any] = {
        suggested(CONF_WARN_ONLY_SENSORS, options, []): EntitySelector(
            EntitySelectorConfig(include_entities=sensors, multiple=True)
        )
    }
    for label, entity_id in labels.items():
        schema[vol.Required(label, default=delays.get(entity_id, SENSOR_DELAY.default))] = (
            number_box(SENSOR_DELAY.unit)
        )
    return schema


def validate_details(context: StepContext, user_input: dict[str, Any]) -> dict[str, Any]:
    """Options from the details form; an error names the sensor it is about."""
    # The selector already limits the warn-only choice to the configured sensors.
    warn_only = user_input.get(CONF_WARN_ONLY_SENSORS, [])
    delays: dict[str, float] = {}
    for label, entity_id in _labels(context).items():
        delay = SENSOR_DELAY.accept(user_input.get(label, SENSOR_DELAY.default))
        if delay is None:
            context.errors["base"] = SENSOR_DELAY.error
            context.error_placeholders["detail"] = label
        elif delay:
            delays[entity_id] = delay
    return {CONF_WARN_ONLY_SENSORS: list(warn_only), CONF_SENSOR_DELAYS: delays}


def details_placeholders(context: StepContext) -> dict[str, str]:
    """The delay's range, and no sensor named until an error names one."""
    return {"detail": "", **limits_shown((SENSOR_DELAY,))}
