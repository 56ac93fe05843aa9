"""Config, options and reconfigure flows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.const import DOMAIN

from .helpers import make_entry, value

TRANSLATIONS = Path(__file__).parents[1] / "custom_components/backward_walking/translations"


def _shown(result: Any) -> dict[str, Any]:
    return {
        str(m): m.description["suggested_value"]
        for m in result["data_schema"].schema
        if m.description and "suggested_value" in m.description
    }


USER_INPUT: dict[str, Any] = {
    "name": "Alex",
    "weight": 72.5,
    "target_minutes": 12,
    "program": "forward5_backward1",
    "speed": 1.6,
}


async def _finish(hass: HomeAssistant, flow_id: str) -> dict[str, Any]:
    """Accept the safety and alerts steps as they come (all optional)."""
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["step_id"] == "alerts"
    return dict(await hass.config_entries.flow.async_configure(flow_id, {}))


async def _walker(hass: HomeAssistant, flow_id: str, user_input: dict[str, Any]) -> dict[str, Any]:
    """Submit the first step; on success continue through the optional steps."""
    result = await hass.config_entries.flow.async_configure(flow_id, user_input)
    if result.get("step_id") == "safety":
        return await _finish(hass, flow_id)
    return dict(result)


async def _start(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["description_placeholders"]["speed_unit"] == "km/h"
    return str(result["flow_id"])


async def test_user_creates_a_walker_in_stored_units(hass: HomeAssistant) -> None:
    flow_id = await _start(hass)
    result = await _walker(hass, flow_id, USER_INPUT)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Alex"
    assert result["data"] == {"name": "Alex", "person": None}
    options = result["options"]
    assert options["weight_kg"] == 72.5
    assert options["target_minutes"] == 12
    assert options["program"] == "forward5_backward1"
    assert options["speed_mph"] == pytest.approx(1.6 / 1.609344, abs=1e-3)
    assert options["weekly_goal_minutes"] == 60


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"name": "   "}, "name", "name_invalid"),
        ({"name": "x" * 61}, "name", "name_invalid"),
        ({"person": "person.nobody"}, "person", "person_not_found"),
        ({"weight": 19}, "weight", "weight_range"),
        ({"weight": 301}, "weight", "weight_range"),
        ({"target_minutes": 0}, "target_minutes", "target_range"),
        ({"target_minutes": 121}, "target_minutes", "target_range"),
        ({"target_minutes": 10.5}, "target_minutes", "target_range"),
        ({"speed": 0.4}, "speed", "speed_range"),
        ({"speed": 6.6}, "speed", "speed_range"),
        *(
            ({field: bad}, field, error)
            for field, error in (
                ("weight", "weight_range"),
                ("target_minutes", "target_range"),
                ("speed", "speed_range"),
            )
            for bad in ("nan", "inf", "-inf", "1e400", 1e400, 10**400, True, False, "ten")
        ),
        *(
            ({"name": bad}, "name", "name_invalid")
            for bad in (
                "\x00",
                "Al\x00ex",
                "Alex\u200b",
                "\u200b",
                "Al\tex",
                "Al\nex",
                "\u202eAlex",
            )
        ),
    ],
)
async def test_user_field_errors(
    hass: HomeAssistant, change: dict[str, Any], field: str, error: str
) -> None:
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {**USER_INPUT, **change})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    assert hass.config_entries.async_entries(DOMAIN) == []
    fixed = await _walker(hass, flow_id, USER_INPUT)
    assert fixed["type"] is FlowResultType.CREATE_ENTRY


async def test_us_customary_units(hass: HomeAssistant) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["description_placeholders"]["weight_unit"] == "lb"
    assert result["description_placeholders"]["speed_max"] == "4"
    result = await _walker(hass, result["flow_id"], {**USER_INPUT, "weight": 160, "speed": 1.0})
    assert result["options"]["weight_kg"] == pytest.approx(72.575, abs=0.01)
    assert result["options"]["speed_mph"] == 1.0


def _default(result: Any, key: str) -> Any:
    marker = next(m for m in result["data_schema"].schema if str(m) == key)
    return marker.default()


async def test_metric_speeds_are_round_figures(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert _default(result, "speed") == 1.5
    placeholders = result["description_placeholders"]
    assert (placeholders["speed_min"], placeholders["speed_max"]) == ("0.5", "6.5")
    for speed, mph in ((6.5, 4.039), (0.5, 0.311), (1.5, 0.932)):
        flow_id = await _start(hass)
        result = await _walker(hass, flow_id, {**USER_INPUT, "name": f"W{speed}", "speed": speed})
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["options"]["speed_mph"] == mph


async def test_us_speeds_stay_in_mph(hass: HomeAssistant) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert _default(result, "speed") == 1.0
    assert result["description_placeholders"]["speed_min"] == "0.3"
    result = await _walker(hass, result["flow_id"], {**USER_INPUT, "weight": 160, "speed": 4.1})
    assert result["errors"] == {"speed": "speed_range"}


async def test_a_speed_stored_in_mph_reads_back_unchanged(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    for stored, shown in ((1.0, 1.61), (0.3, 0.48), (4.0, 6.44)):
        hass.config_entries.async_update_entry(
            loaded, options={**loaded.options, "speed_mph": stored}
        )
        await hass.async_block_till_done()
        assert value(hass, "number.alex_speed") == str(shown)
        result = await _options_step(hass, loaded, "walking")
        assert _default(result, "speed") == shown
        # Saved as shown (even when outside today's round limits), the stored mph stays exact.
        done = await hass.config_entries.options.async_configure(
            result["flow_id"], {**OPTIONS_INPUT, "speed": shown}
        )
        assert done["type"] is FlowResultType.CREATE_ENTRY
        assert loaded.options["speed_mph"] == stored
    result = await _options_step(hass, loaded, "walking")
    bad = await hass.config_entries.options.async_configure(
        result["flow_id"], {**OPTIONS_INPUT, "speed": 0.49}
    )
    assert bad["errors"] == {"speed": "speed_range"}


async def _options_step(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> dict[str, Any]:
    menu = await hass.config_entries.options.async_init(entry.entry_id)
    assert menu["type"] is FlowResultType.MENU
    assert menu["menu_options"] == ["walking", "safety", "alerts", "sensor_details", "reminders"]
    return dict(
        await hass.config_entries.options.async_configure(menu["flow_id"], {"next_step_id": step})
    )


OPTIONS_INPUT: dict[str, Any] = {
    "weight": 80,
    "target_minutes": 20,
    "program": "beginner_10",
    "speed": 2.0,
    "weekly_goal_minutes": 90,
}


async def test_options_change_everything(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    result = await _options_step(hass, loaded, "walking")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "walking"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**OPTIONS_INPUT, "met_override": 5.5, "custom_programs": "Hallway: f4 b30s\nEasy: B1 R1"},
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options["weight_kg"] == 80
    assert loaded.options["met_override"] == 5.5
    assert loaded.options["weekly_goal_minutes"] == 90
    assert loaded.options["custom_programs"] == {"Hallway": "F4 B30s", "Easy": "B1 R1"}
    # The form shows the walker's own programs as text the next time.
    again = await _options_step(hass, loaded, "walking")
    schema = again["data_schema"].schema
    suggested = {str(key): key.description for key in schema if key.description}
    assert suggested["custom_programs"] == {"suggested_value": "Hallway: F4 B30s\nEasy: B1 R1"}
    assert suggested["met_override"] == {"suggested_value": 5.5}
    # A custom program can become the default.
    result = await hass.config_entries.options.async_configure(
        again["flow_id"],
        {**OPTIONS_INPUT, "program": "Easy", "custom_programs": "Easy: B1 R1"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options["program"] == "Easy"
    assert loaded.options["met_override"] is None


@pytest.mark.parametrize(
    ("change", "field", "error", "detail"),
    [
        ({"met_override": 0.5}, "met_override", "met_range", ""),
        ({"met_override": 25}, "met_override", "met_range", ""),
        ({"weekly_goal_minutes": 0}, "weekly_goal_minutes", "goal_range", ""),
        ({"weight": 10}, "weight", "weight_range", ""),
        ({"custom_programs": "Mine: F5 x1"}, "custom_programs", "program_bad_token", "x1"),
        ({"custom_programs": "F5 B1"}, "custom_programs", "program_missing_name", "F5 B1"),
        ({"custom_programs": "A: B1\nA: B2"}, "custom_programs", "program_duplicate_name", "A"),
        ({"custom_programs": "Mine: b0"}, "custom_programs", "program_zero_duration", "b0"),
        (
            {"custom_programs": "X: B" + "9" * 400},
            "custom_programs",
            "program_segment_too_long",
            "B" + "9" * 38 + "…",
        ),
        (
            {"custom_programs": "N" * 41 + ": B1"},
            "custom_programs",
            "program_name_too_long",
            "N" * 39 + "…",
        ),
        (
            {"custom_programs": "\n".join(f"P{n}: B1" for n in range(1000))},
            "custom_programs",
            "program_too_many_programs",
            "20",
        ),
        (
            {"custom_programs": "Ea\u200bsy: B1"},
            "custom_programs",
            "program_bad_name",
            "Ea\\u200bsy",
        ),
        *(
            ({field: bad}, field, error, "")
            for field, error in (
                ("met_override", "met_range"),
                ("weekly_goal_minutes", "goal_range"),
                ("weight", "weight_range"),
                ("target_minutes", "target_range"),
                ("speed", "speed_range"),
            )
            for bad in ("nan", "inf", "-inf", 1e400, 10**400, True, False)
        ),
        ({"weekly_goal_minutes": 60.5}, "weekly_goal_minutes", "goal_range", ""),
    ],
)
async def test_options_field_errors(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    change: dict[str, Any],
    field: str,
    error: str,
    detail: str,
) -> None:
    before = dict(loaded.options)
    result = await _options_step(hass, loaded, "walking")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**OPTIONS_INPUT, **change}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    assert result["description_placeholders"]["detail"] == detail
    assert dict(loaded.options) == before


async def test_options_refuse_removing_the_default_program(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "program": "Easy", "custom_programs": {"Easy": "B1 R1"}}
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    result = await _options_step(hass, entry, "walking")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**OPTIONS_INPUT, "program": "Easy", "custom_programs": ""}
    )
    assert result["errors"] == {"program": "program_removed"}
    assert entry.options["custom_programs"] == {"Easy": "B1 R1"}


async def test_speed_number_limits_in_mph_for_us_users(hass: HomeAssistant) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    entry = make_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    speed = hass.states.get("number.alex_speed")
    assert speed is not None
    assert speed.state == "1.0"
    assert (speed.attributes["min"], speed.attributes["max"]) == (0.3, 4.0)


@pytest.mark.parametrize(
    ("text", "detail", "program"),
    [
        ("Easy: B1\nHallway: f4 , x9 b1", "x9", "Hallway"),
        ("Hallway: f4\u200b", "f4\\u200b", "Hallway"),
        ("N" * 38 + ": f2 zz", "zz", "N" * 38),
        ("Slow: b" + "1" * 45, "b" + "1" * 38 + "…", "Slow"),
    ],
)
async def test_program_errors_quote_what_was_typed(
    hass: HomeAssistant, loaded: MockConfigEntry, text: str, detail: str, program: str
) -> None:
    result = await _options_step(hass, loaded, "walking")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**OPTIONS_INPUT, "custom_programs": text}
    )
    assert result["errors"]["custom_programs"].startswith("program_")
    placeholders = result["description_placeholders"]
    assert (placeholders["detail"], placeholders["program"]) == (detail, program)
    assert _shown(result)["custom_programs"] == text  # the text stays as typed


def test_flow_errors_show_no_raw_markup() -> None:
    for language in ("en", "de"):
        strings = json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))
        for flow in ("config", "options"):
            for key, message in strings[flow]["error"].items():
                assert "`" not in message, (language, key)


def test_texts_a_new_user_reads() -> None:
    """Auto-resume does not read as automatic, repeats have a unit, MET is explained."""
    for language, paused, times, met in (
        ("en", "stays paused", "(times)", "metabolic equivalent"),
        ("de", "bleibt die Einheit pausiert", "(Mal)", "metabolisches Äquivalent"),
    ):
        strings = json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))
        for flow in ("config", "options"):
            assert paused in strings[flow]["step"]["alerts"]["data_description"]["auto_resume"]
        reminders = strings["options"]["step"]["reminders"]
        assert reminders["data"]["nag_count"].endswith(times)
        assert met in strings["options"]["step"]["walking"]["data_description"]["met_override"]
        details = strings["options"]["step"]["sensor_details"]["description"]
        assert "entity ID" not in details
        assert "Entitäts-ID" not in details
