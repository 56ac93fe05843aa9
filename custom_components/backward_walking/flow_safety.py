"""Form schemas and validation of the safety settings, shared by the config and options flows."""

from __future__ import annotations

from collections import Counter
from typing import Any

from homeassistant.const import LIGHT_LUX, UnitOfLength, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    BooleanSelector,
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
    CHECK_IN_RANGE,
    CLEAR_HOLD_RANGE,
    CONF_AUTO_RESUME,
    CONF_CHECK_IN,
    CONF_CLEAR_HOLD,
    CONF_CRITICAL_ALERTS,
    CONF_EMERGENCY_NOTIFY,
    CONF_EMERGENCY_SCRIPT,
    CONF_HALLWAY,
    CONF_INACTIVITY,
    CONF_MEDIA_PLAYER,
    CONF_MIN_DISTANCE,
    CONF_MIN_LUX,
    CONF_REALERT,
    CONF_SENSOR_DELAYS,
    CONF_TIER2_AFTER,
    CONF_TIER2_NOTIFY,
    CONF_TTS_ENTITY,
    CONF_VOICE_SATELLITE,
    CONF_WALKER_NOTIFY,
    CONF_WARN_ONLY_SENSORS,
    DEFAULT_CHECK_IN,
    DEFAULT_CLEAR_HOLD,
    DEFAULT_INACTIVITY,
    DEFAULT_MIN_DISTANCE_M,
    DEFAULT_MIN_LUX,
    DEFAULT_REALERT,
    DEFAULT_TIER2_AFTER,
    DOMAIN,
    INACTIVITY_RANGE,
    MIN_DISTANCE_M_RANGE,
    MIN_LUX_RANGE,
    NAME_MAX_LENGTH,
    OPT_MIN_DISTANCE_M,
    REALERT_RANGE,
    SENSOR_DELAY_RANGE,
    TIER2_AFTER_RANGE,
)
from .core.safety import Role
from .core.units import distance_in_metres, metres_in
from .flow_helpers import CheckedChoices, finite, number_box, number_in, suggested, text_field
from .options import ROLE_OPTIONS

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
_ALERT_DEFAULTS = {
    CONF_CLEAR_HOLD: DEFAULT_CLEAR_HOLD,
    CONF_INACTIVITY: DEFAULT_INACTIVITY,
    CONF_CHECK_IN: DEFAULT_CHECK_IN,
    CONF_REALERT: DEFAULT_REALERT,
}
_ALERT_RANGES = {
    CONF_CLEAR_HOLD: CLEAR_HOLD_RANGE,
    CONF_INACTIVITY: INACTIVITY_RANGE,
    CONF_CHECK_IN: CHECK_IN_RANGE,
    CONF_REALERT: REALERT_RANGE,
    CONF_TIER2_AFTER: TIER2_AFTER_RANGE,
}


def distance_unit(hass: HomeAssistant) -> str:
    """Centimetres, or inches in the US customary system."""
    return (
        UnitOfLength.INCHES
        if hass.config.units is US_CUSTOMARY_SYSTEM
        else UnitOfLength.CENTIMETERS
    )


def placeholders(hass: HomeAssistant, detail: str = "") -> dict[str, str]:
    """Values the safety forms and their errors show."""
    unit = distance_unit(hass)
    low, high = (round(metres_in(m, unit)) for m in MIN_DISTANCE_M_RANGE)
    return {
        "distance_unit": unit,
        "distance_min": str(low),
        "distance_max": str(high),
        "detail": detail,
    }


def safety_schema(hass: HomeAssistant, options: dict[str, Any]) -> dict[vol.Marker, Any]:
    """Sensors by role, thresholds and the hallway's name."""
    schema: dict[vol.Marker, Any] = {}
    for role, key in ROLE_OPTIONS.items():
        domain, classes = ROLE_FILTERS[role]
        entity_filter = EntityFilterSelectorConfig(domain=domain)
        if classes:
            entity_filter["device_class"] = classes
        schema[suggested(key, options, [])] = EntitySelector(
            EntitySelectorConfig(filter=entity_filter, multiple=True)
        )
    unit = distance_unit(hass)
    distance = round(metres_in(options.get(OPT_MIN_DISTANCE_M, DEFAULT_MIN_DISTANCE_M), unit))
    schema[vol.Required(CONF_MIN_DISTANCE, default=distance)] = number_box(unit)
    schema[vol.Required(CONF_MIN_LUX, default=options.get(CONF_MIN_LUX, DEFAULT_MIN_LUX))] = (
        number_box(LIGHT_LUX)
    )
    schema[suggested(CONF_HALLWAY, options)] = TextSelector()
    return schema


def fits_role(hass: HomeAssistant, entity_id: object, role: Role) -> bool:
    """Whether an entity may watch the path in ``role``.

    It must exist, be of the role's domain and, where the role needs one, of its device class (as
    far as Home Assistant knows it), and it must not be one of this integration's own entities: the
    path sensor as an obstacle would hold the path unsafe for ever.
    """
    domain, classes = ROLE_FILTERS[role]
    if not isinstance(entity_id, str) or not entity_id.startswith(f"{domain}."):
        return False
    entry = er.async_get(hass).async_get(entity_id)
    state = hass.states.get(entity_id)
    if entry is None and state is None:
        return False
    if entry is not None and entry.platform == DOMAIN:
        return False
    known_class = (entry and (entry.device_class or entry.original_device_class)) or (
        state and state.attributes.get("device_class")
    )
    return classes is None or known_class is None or known_class in classes


def validate_safety(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """Options from the safety form; every sensor must exist and fit its role."""
    result: dict[str, Any] = {}
    for role, key in ROLE_OPTIONS.items():
        chosen = user_input.get(key, [])
        if not isinstance(chosen, list) or not all(fits_role(hass, e, role) for e in chosen):
            errors[key] = "sensor_invalid"
            continue
        result[key] = list(dict.fromkeys(chosen))
    typed = finite(user_input.get(CONF_MIN_DISTANCE))
    metres = None if typed is None else distance_in_metres(typed, distance_unit(hass))
    if metres is None or number_in(metres, MIN_DISTANCE_M_RANGE, tolerance=0.005) is None:
        errors[CONF_MIN_DISTANCE] = "distance_range"
    lux = number_in(user_input.get(CONF_MIN_LUX), MIN_LUX_RANGE)
    if lux is None:
        errors[CONF_MIN_LUX] = "lux_range"
    hallway = text_field(user_input.get(CONF_HALLWAY, ""), NAME_MAX_LENGTH)
    if hallway is None:
        errors[CONF_HALLWAY] = "hallway_invalid"
    result.update(
        {
            OPT_MIN_DISTANCE_M: None if metres is None else round(metres, 3),
            CONF_MIN_LUX: lux,
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


def alerts_schema(hass: HomeAssistant, options: dict[str, Any]) -> dict[vol.Marker, Any]:
    """Who is told, the speaker, and the timings of the escalation ladder."""
    targets = CheckedChoices(
        SelectSelectorConfig(
            options=notify_targets(hass),
            multiple=True,
            custom_value=False,  # a typed value could never pass the check below
            mode=SelectSelectorMode.DROPDOWN,
        )
    )
    schema: dict[vol.Marker, Any] = {
        suggested(CONF_WALKER_NOTIFY, options, []): targets,
        suggested(CONF_EMERGENCY_NOTIFY, options, []): targets,
        suggested(CONF_MEDIA_PLAYER, options): EntitySelector(
            EntitySelectorConfig(domain="media_player")
        ),
        suggested(CONF_TTS_ENTITY, options): EntitySelector(EntitySelectorConfig(domain="tts")),
        suggested(CONF_VOICE_SATELLITE, options): EntitySelector(
            EntitySelectorConfig(domain="assist_satellite")
        ),
    }
    for key, default in _ALERT_DEFAULTS.items():
        schema[vol.Required(key, default=options.get(key, default))] = number_box(
            UnitOfTime.SECONDS
        )
    schema[vol.Required(CONF_AUTO_RESUME, default=options.get(CONF_AUTO_RESUME, False))] = (
        BooleanSelector()
    )
    schema[vol.Required(CONF_CRITICAL_ALERTS, default=options.get(CONF_CRITICAL_ALERTS, True))] = (
        BooleanSelector()
    )
    schema[suggested(CONF_TIER2_NOTIFY, options, [])] = targets
    schema[
        vol.Required(CONF_TIER2_AFTER, default=options.get(CONF_TIER2_AFTER, DEFAULT_TIER2_AFTER))
    ] = number_box()
    schema[suggested(CONF_EMERGENCY_SCRIPT, options)] = EntitySelector(
        EntitySelectorConfig(domain="script")
    )
    return schema


def validate_alerts(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """Options from the alerts form."""
    known = set(notify_targets(hass))
    result: dict[str, Any] = {}
    for key in (CONF_WALKER_NOTIFY, CONF_EMERGENCY_NOTIFY, CONF_TIER2_NOTIFY):
        chosen = user_input.get(key, [])
        if not isinstance(chosen, list) or not all(t in known for t in chosen):
            errors[key] = "notify_invalid"
        else:
            result[key] = list(dict.fromkeys(chosen))
    player, tts = user_input.get(CONF_MEDIA_PLAYER), user_input.get(CONF_TTS_ENTITY)
    if bool(player) != bool(tts):
        errors[CONF_MEDIA_PLAYER if not player else CONF_TTS_ENTITY] = "tts_incomplete"
    for key, limits in _ALERT_RANGES.items():
        value = user_input.get(key)
        seconds = number_in(value, limits)
        if seconds is None and key == CONF_INACTIVITY:
            seconds = number_in(value, (0, 0))  # 0 switches the inactivity check off
        if seconds is None:
            errors[key] = f"{key}_range"
        else:
            result[key] = round(seconds)
    result.update(
        {
            CONF_MEDIA_PLAYER: player or None,
            CONF_TTS_ENTITY: tts or None,
            CONF_VOICE_SATELLITE: user_input.get(CONF_VOICE_SATELLITE) or None,
            CONF_AUTO_RESUME: bool(user_input[CONF_AUTO_RESUME]),
            CONF_CRITICAL_ALERTS: bool(user_input.get(CONF_CRITICAL_ALERTS, True)),
            CONF_EMERGENCY_SCRIPT: user_input.get(CONF_EMERGENCY_SCRIPT) or None,
        }
    )
    return result


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


def details_schema(options: dict[str, Any], labels: dict[str, str]) -> dict[vol.Marker, Any]:
    """Per sensor (labelled by name): an on-delay in seconds, and which sensors only warn."""
    sensors = configured_sensors(options)
    delays = options.get(CONF_SENSOR_DELAYS, {})
    schema: dict[vol.Marker, Any] = {
        suggested(CONF_WARN_ONLY_SENSORS, options, []): EntitySelector(
            EntitySelectorConfig(include_entities=sensors, multiple=True)
        )
    }
    for label, entity_id in labels.items():
        schema[vol.Required(label, default=delays.get(entity_id, 0))] = number_box(
            UnitOfTime.SECONDS
        )
    return schema


def validate_details(
    user_input: dict[str, Any], errors: dict[str, str], labels: dict[str, str]
) -> tuple[dict[str, Any], str]:
    """Options from the details form, and the name of the sensor an error is about."""
    # The selector already limits the warn-only choice to the configured sensors.
    warn_only = user_input.get(CONF_WARN_ONLY_SENSORS, [])
    delays: dict[str, float] = {}
    detail = ""
    for label, entity_id in labels.items():
        delay = number_in(user_input.get(label, 0), SENSOR_DELAY_RANGE)
        if delay is None:
            errors["base"] = "delay_range"
            detail = label
        elif delay:
            delays[entity_id] = delay
    return {CONF_WARN_ONLY_SENSORS: list(warn_only), CONF_SENSOR_DELAYS: delays}, detail
