"""Safety and alert steps of the config flow, and the safety parts of the options flow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.backward_walking.const import DOMAIN

from .helpers import add_walker
from .safety_helpers import (
    ACTIVITY,
    CROSSING,
    DISTANCE,
    FALL,
    LIGHT,
    OBSTACLE,
    install_outside,
    set_clear_hallway,
)
from .test_config_flow import USER_INPUT, _options_step

SAFETY_INPUT: dict[str, Any] = {
    "obstacle_sensors": [OBSTACLE],
    "distance_sensors": [DISTANCE],
    "crossing_sensors": [CROSSING],
    "light_sensors": [LIGHT],
    "fall_sensors": [FALL],
    "activity_sensors": [ACTIVITY],
    "min_distance": 80,
    "min_lux": 15,
    "hallway": " upstairs hallway ",
}
ALERTS_INPUT: dict[str, Any] = {
    "walker_notify": ["notify.walker_phone"],
    "emergency_notify": ["notify.carer_phone", "notify.carer_phone"],
    "media_player": "media_player.hallway_speaker",
    "tts_entity": "tts.home",
    "clear_hold_seconds": 10,
    "inactivity_seconds": 0,
    "check_in_seconds": 45,
    "realert_seconds": 300,
    "auto_resume": True,
}


@pytest.fixture(autouse=True)
def hallway(hass: HomeAssistant) -> None:
    set_clear_hallway(hass)
    install_outside(hass)


async def _to_safety(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], USER_INPUT)
    assert result["step_id"] == "safety"
    assert result["description_placeholders"]["distance_unit"] == "cm"
    return str(result["flow_id"])


async def test_config_flow_with_the_whole_hallway(hass: HomeAssistant) -> None:
    flow_id = await _to_safety(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, SAFETY_INPUT)
    assert result["step_id"] == "alerts"
    schema_keys = [str(key) for key in result["data_schema"].schema]
    assert schema_keys[:2] == ["walker_notify", "emergency_notify"]
    result = await hass.config_entries.flow.async_configure(flow_id, ALERTS_INPUT)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    options = result["options"]
    assert options["obstacle_sensors"] == [OBSTACLE]
    assert options["min_distance_m"] == 0.8
    assert options["min_lux"] == 15
    assert options["hallway"] == "upstairs hallway"
    assert options["emergency_notify"] == ["notify.carer_phone"]
    assert options["inactivity_seconds"] == 0
    assert options["auto_resume"] is True
    assert options["weight_kg"] == 72.5


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"obstacle_sensors": ["binary_sensor.nowhere"]}, "obstacle_sensors", "sensor_invalid"),
        ({"distance_sensors": [OBSTACLE]}, "distance_sensors", "sensor_invalid"),
        ({"light_sensors": ["light.hallway"]}, "light_sensors", "sensor_invalid"),
        ({"min_distance": 5}, "min_distance", "distance_range"),
        ({"min_distance": 1001}, "min_distance", "distance_range"),
        ({"min_lux": -1}, "min_lux", "lux_range"),
        ({"min_lux": 1001}, "min_lux", "lux_range"),
        ({"hallway": "h" * 61}, "hallway", "hallway_invalid"),
        *(
            ({"hallway": bad}, "hallway", "hallway_invalid")
            for bad in ("up\nstairs", "up\tstairs", "\x00", "hall\u200bway", "\u2066hall")
        ),
        *(
            ({field: bad}, field, error)
            for field, error in (("min_distance", "distance_range"), ("min_lux", "lux_range"))
            for bad in ("nan", "inf", "-inf", "1e400", 1e400, 10**400, True, False, "ten", None)
        ),
    ],
)
async def test_safety_errors(
    hass: HomeAssistant, change: dict[str, Any], field: str, error: str
) -> None:
    flow_id = await _to_safety(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {**SAFETY_INPUT, **change})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}


async def test_a_registered_but_not_yet_loaded_sensor_is_accepted(hass: HomeAssistant) -> None:
    er.async_get(hass).async_get_or_create(
        "binary_sensor", "zha", "beam-2", suggested_object_id="beam_two"
    )
    flow_id = await _to_safety(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**SAFETY_INPUT, "obstacle_sensors": ["binary_sensor.beam_two"]}
    )
    assert result["step_id"] == "alerts"


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"walker_notify": ["notify.nobody"]}, "walker_notify", "notify_invalid"),
        ({"emergency_notify": ["sms"]}, "emergency_notify", "notify_invalid"),
        ({"tts_entity": None}, "tts_entity", "tts_incomplete"),
        ({"media_player": None}, "media_player", "tts_incomplete"),
        ({"clear_hold_seconds": 601}, "clear_hold_seconds", "clear_hold_seconds_range"),
        ({"inactivity_seconds": 10}, "inactivity_seconds", "inactivity_seconds_range"),
        ({"check_in_seconds": 5}, "check_in_seconds", "check_in_seconds_range"),
        ({"realert_seconds": 3601}, "realert_seconds", "realert_seconds_range"),
        ({"inactivity_seconds": 0.5}, "inactivity_seconds", "inactivity_seconds_range"),
        *(
            ({field: bad}, field, f"{field}_range")
            for field in (
                "clear_hold_seconds",
                "inactivity_seconds",
                "check_in_seconds",
                "realert_seconds",
            )
            for bad in ("nan", "inf", "-inf", "1e400", 1e400, 10**400, True, False, "ten")
        ),
    ],
)
async def test_alerts_errors(
    hass: HomeAssistant, change: dict[str, Any], field: str, error: str
) -> None:
    flow_id = await _to_safety(hass)
    await hass.config_entries.flow.async_configure(flow_id, SAFETY_INPUT)
    data = {k: v for k, v in {**ALERTS_INPUT, **change}.items() if v is not None}
    result = await hass.config_entries.flow.async_configure(flow_id, data)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    assert hass.config_entries.async_entries(DOMAIN) == []


async def test_speaker_and_tts_may_both_be_left_out(hass: HomeAssistant) -> None:
    flow_id = await _to_safety(hass)
    await hass.config_entries.flow.async_configure(flow_id, SAFETY_INPUT)
    data = {k: v for k, v in ALERTS_INPUT.items() if k not in ("media_player", "tts_entity")}
    result = await hass.config_entries.flow.async_configure(flow_id, data)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"]["media_player"] is None


async def test_inches_in_us_customary_units(hass: HomeAssistant) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**USER_INPUT, "weight": 160, "speed": 1.0}
    )
    assert result["description_placeholders"]["distance_unit"] == "in"
    assert result["description_placeholders"]["distance_max"] == "394"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**SAFETY_INPUT, "min_distance": 36}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], ALERTS_INPUT)
    assert result["options"]["min_distance_m"] == pytest.approx(0.914, abs=0.001)


async def test_options_safety_and_alerts(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    result = await _options_step(hass, loaded, "safety")
    assert result["step_id"] == "safety"
    bad = await hass.config_entries.options.async_configure(
        result["flow_id"], {**SAFETY_INPUT, "min_lux": 5000}
    )
    assert bad["errors"] == {"min_lux": "lux_range"}
    done = await hass.config_entries.options.async_configure(result["flow_id"], SAFETY_INPUT)
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options["fall_sensors"] == [FALL]
    assert loaded.options["weight_kg"] == 70.0
    result = await _options_step(hass, loaded, "alerts")
    bad = await hass.config_entries.options.async_configure(
        result["flow_id"], {**ALERTS_INPUT, "check_in_seconds": 1}
    )
    assert bad["errors"] == {"check_in_seconds": "check_in_seconds_range"}
    done = await hass.config_entries.options.async_configure(result["flow_id"], ALERTS_INPUT)
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options["check_in_seconds"] == 45
    assert loaded.options["fall_sensors"] == [FALL]
    # The forms show the stored values next time.
    again = await _options_step(hass, loaded, "safety")
    suggested = {str(k): k.description for k in again["data_schema"].schema if k.description}
    assert suggested["fall_sensors"] == {"suggested_value": [FALL]}
    assert loaded.runtime_data.settings.check_in_s == 45


async def test_sensor_details(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    nothing = await _options_step(hass, loaded, "sensor_details")
    assert nothing["type"] is FlowResultType.ABORT
    assert nothing["reason"] == "no_sensors"
    hass.config_entries.async_update_entry(
        loaded, options={**loaded.options, "obstacle_sensors": [OBSTACLE], "light_sensors": [LIGHT]}
    )
    result = await _options_step(hass, loaded, "sensor_details")
    # Fields are labelled by the sensors' names, not their entity IDs.
    beam, light = "Hallway beam", "Hallway light"
    assert [str(k) for k in result["data_schema"].schema] == ["warn_only_sensors", beam, light]
    bad = await hass.config_entries.options.async_configure(
        result["flow_id"], {"warn_only_sensors": [], beam: 400, light: 0}
    )
    assert bad["errors"] == {"base": "delay_range"}
    assert bad["description_placeholders"]["detail"] == beam
    for wrong in ("nan", float("inf"), 10**400, True, "soon"):
        bad = await hass.config_entries.options.async_configure(
            result["flow_id"], {"warn_only_sensors": [], beam: 1, light: wrong}
        )
        assert bad["errors"] == {"base": "delay_range"}
        assert bad["description_placeholders"]["detail"] == light
    done = await hass.config_entries.options.async_configure(
        result["flow_id"], {"warn_only_sensors": [LIGHT], beam: 2, light: 0}
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options["sensor_delays"] == {OBSTACLE: 2.0}
    assert loaded.options["warn_only_sensors"] == [LIGHT]
    rules = {rule.entity_id: rule for rule in loaded.runtime_data.settings.sensors}
    assert rules[OBSTACLE].on_delay_s == 2
    assert rules[LIGHT].unavailable_warns


async def test_sensor_details_labels_for_twins_and_nameless_sensors(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    named = registry.async_get_or_create(
        "binary_sensor", "zha", "mat", suggested_object_id="mat", original_name="Floor mat"
    )
    hass.states.async_set("binary_sensor.beam_two", "off", {"friendly_name": "Hallway beam"})
    hass.states.async_set("binary_sensor.no_name", "off")
    obstacles = [OBSTACLE, "binary_sensor.beam_two", "binary_sensor.no_name", named.entity_id]
    hass.config_entries.async_update_entry(
        loaded, options={**loaded.options, "obstacle_sensors": obstacles}
    )
    result = await _options_step(hass, loaded, "sensor_details")
    assert [str(k) for k in result["data_schema"].schema][1:] == [
        f"Hallway beam ({OBSTACLE})",
        "Hallway beam (binary_sensor.beam_two)",
        "binary_sensor.no_name",
        "Floor mat",
    ]
    # A name changed while the form is open: the fields stay as they were shown.
    hass.states.async_set(OBSTACLE, "off", {"friendly_name": "Renamed beam"})
    done = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            f"Hallway beam ({OBSTACLE})": 1,
            "Hallway beam (binary_sensor.beam_two)": 2,
            "binary_sensor.no_name": 0,
            "Floor mat": 4,
        },
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options["sensor_delays"] == {
        OBSTACLE: 1,
        "binary_sensor.beam_two": 2,
        named.entity_id: 4,
    }


def _shown(result: Any) -> dict[str, Any]:
    """What the form shows in each field: the suggested value, else the default."""
    shown: dict[str, Any] = {}
    for marker in result["data_schema"].schema:
        if marker.description and "suggested_value" in marker.description:
            shown[str(marker)] = marker.description["suggested_value"]
        elif callable(getattr(marker, "default", None)) and marker.default is not vol.UNDEFINED:
            shown[str(marker)] = marker.default()
    return shown


async def test_a_wrong_value_keeps_the_other_safety_fields(hass: HomeAssistant) -> None:
    flow_id = await _to_safety(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**SAFETY_INPUT, "min_distance": 5}
    )
    assert result["errors"] == {"min_distance": "distance_range"}
    shown = _shown(result)
    for key in ("obstacle_sensors", "light_sensors", "activity_sensors", "min_lux", "hallway"):
        assert shown[key] == SAFETY_INPUT[key]
    assert shown["min_distance"] == 5


async def test_a_wrong_value_keeps_the_other_alert_fields(hass: HomeAssistant) -> None:
    flow_id = await _to_safety(hass)
    await hass.config_entries.flow.async_configure(flow_id, SAFETY_INPUT)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**ALERTS_INPUT, "check_in_seconds": 1}
    )
    assert result["errors"] == {"check_in_seconds": "check_in_seconds_range"}
    shown = _shown(result)
    assert shown["inactivity_seconds"] == 0
    assert shown["auto_resume"] is True
    assert shown["walker_notify"] == ["notify.walker_phone"]
    assert shown["tts_entity"] == "tts.home"


async def test_options_forms_keep_valid_edits_next_to_a_wrong_one(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    result = await _options_step(hass, loaded, "safety")
    bad = await hass.config_entries.options.async_configure(
        result["flow_id"], {**SAFETY_INPUT, "min_lux": 5000}
    )
    shown = _shown(bad)
    assert shown["fall_sensors"] == [FALL]
    assert shown["hallway"] == SAFETY_INPUT["hallway"]
    assert shown["min_lux"] == 5000
    result = await _options_step(hass, loaded, "alerts")
    bad = await hass.config_entries.options.async_configure(
        result["flow_id"], {**ALERTS_INPUT, "realert_seconds": 1}
    )
    assert _shown(bad)["auto_resume"] is True
    assert _shown(bad)["emergency_notify"] == ALERTS_INPUT["emergency_notify"]
    hass.config_entries.async_update_entry(
        loaded, options={**loaded.options, "obstacle_sensors": [OBSTACLE], "light_sensors": [LIGHT]}
    )
    result = await _options_step(hass, loaded, "sensor_details")
    labels = [str(k) for k in result["data_schema"].schema]
    bad = await hass.config_entries.options.async_configure(
        result["flow_id"], {"warn_only_sensors": [LIGHT], labels[1]: 400, labels[2]: 7}
    )
    assert bad["errors"] == {"base": "delay_range"}
    shown = _shown(bad)
    assert shown["warn_only_sensors"] == [LIGHT]
    assert shown[labels[2]] == 7
    assert shown[labels[1]] == 400


async def test_notify_targets_offer_no_custom_values_and_explain_the_panel(
    hass: HomeAssistant,
) -> None:
    flow_id = await _to_safety(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, SAFETY_INPUT)
    schema = result["data_schema"].schema
    targets = {str(k): v for k, v in schema.items()}["walker_notify"]
    assert targets.config["custom_value"] is False
    assert "notify.walker_phone" in targets.config["options"]
    strings = json.loads(
        (
            Path(__file__).parents[1] / "custom_components/backward_walking/translations/en.json"
        ).read_text(encoding="utf-8")
    )
    for flow in ("config", "options"):
        step = strings[flow]["step"]["alerts"]
        assert "notifications panel" in step["description"]
        assert "Companion app" in step["description"]
        assert "notifications panel" in step["data_description"]["walker_notify"]
    # Without any targets the walker is still set up; alerts then become persistent notifications.
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**ALERTS_INPUT, "walker_notify": [], "emergency_notify": []}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_the_walkers_own_entities_and_wrong_kinds_are_refused(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """Found by the independent tester: the path sensor as an obstacle held the path unsafe for ever."""
    hass.states.async_set("sensor.hallway_lux", "120", {"device_class": "illuminance"})
    for change, field, error in (
        ({"obstacle_sensors": ["binary_sensor.alex_path"]}, "obstacle_sensors", "sensor_own"),
        (
            {"activity_sensors": ["binary_sensor.alex_session_active"]},
            "activity_sensors",
            "sensor_own",
        ),
        ({"distance_sensors": ["sensor.hallway_lux"]}, "distance_sensors", "sensor_invalid"),
        ({"light_sensors": ["sensor.alex_elapsed"]}, "light_sensors", "sensor_own"),
    ):
        result = await hass.config_entries.options.async_init(loaded.entry_id)
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"next_step_id": "safety"}
        )
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"min_distance": 100, "min_lux": 10, **change}
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {field: error}


async def test_the_pickers_leave_out_every_walkers_own_entities(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """The obstacle picker offered the walkers' Path and Session sensors, which it then refused."""
    await add_walker(hass, "Rosa")
    result = await hass.config_entries.options.async_init(loaded.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "safety"}
    )
    pickers = {str(key): selector for key, selector in result["data_schema"].schema.items()}
    for role in ("obstacle", "distance", "crossing", "light", "fall", "activity"):
        excluded = set(pickers[f"{role}_sensors"].config["exclude_entities"])
        for own in ("binary_sensor.alex_path", "binary_sensor.rosa_path", "sensor.rosa_elapsed"):
            assert own in excluded, (role, own)
        assert not any(e.startswith(("binary_sensor.hallway", "sensor.hallway")) for e in excluded)


async def test_without_any_notify_target_no_empty_picker_is_offered(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """An empty picker hid its own hint; the step's description says what happens without one."""
    for service in ("walker_phone", "carer_phone"):
        hass.services.async_remove("notify", service)
    result = await _options_step(hass, loaded, "alerts")
    fields = {str(key) for key in result["data_schema"].schema}
    assert not fields & {"walker_notify", "emergency_notify", "tier2_notify"}
    timings = {k: v for k, v in ALERTS_INPUT.items() if not k.endswith("_notify")}
    done = await hass.config_entries.options.async_configure(result["flow_id"], timings)
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options["walker_notify"] == []
    # A contact stored before its phone went away is still shown, to be seen and changed.
    hass.config_entries.async_update_entry(
        loaded, options={**loaded.options, "emergency_notify": ["notify.carer_phone"]}
    )
    result = await _options_step(hass, loaded, "alerts")
    fields = {str(key) for key in result["data_schema"].schema}
    assert fields & {"walker_notify", "emergency_notify"} == {"emergency_notify"}
    kept = await hass.config_entries.options.async_configure(
        result["flow_id"], {**timings, "emergency_notify": ["notify.carer_phone"]}
    )
    assert kept["errors"] == {"emergency_notify": "notify_invalid"}
