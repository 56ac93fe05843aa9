"""The reminders and coach step of the options flow."""

from __future__ import annotations

from datetime import time
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .test_config_flow import _options_step

REMINDERS_INPUT: dict[str, Any] = {
    "reminders_enabled": True,
    "reminder_days": ["fri", "mon"],
    "reminder_times": ["18:00", "7:30"],
    "quiet_start": "22:00",
    "quiet_end": "07:00",
    "quiet_mode": "skip",
    "nag_minutes": 20,
    "nag_count": 1,
    "grace_minutes": 45,
    "not_now_entities": ["input_boolean.feeling_tired"],
    "not_now_sensor": "sensor.sleep_score",
    "not_now_below": 60,
    "coach_enabled": True,
    "sessions_per_week": 4,
}


@pytest.fixture(autouse=True)
def helpers(hass: HomeAssistant) -> None:
    hass.states.async_set("input_boolean.feeling_tired", "off")
    hass.states.async_set("sensor.sleep_score", "75")


async def test_reminders_step_saves_a_clean_schedule(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    result = await _options_step(hass, loaded, "reminders")
    assert result["step_id"] == "reminders"
    done = await hass.config_entries.options.async_configure(result["flow_id"], REMINDERS_INPUT)
    assert done["type"] is FlowResultType.CREATE_ENTRY
    options = loaded.options
    assert options["reminder_days"] == ["mon", "fri"]
    assert options["reminder_times"] == "07:30, 18:00"
    assert options["quiet_mode"] == "skip"
    assert options["sessions_per_week"] == 4
    assert options["quiet_start"] == "22:00:00"
    assert options["not_now_below"] == 60
    assert options["weight_kg"] == 70.0
    settings = loaded.runtime_data.settings
    assert settings.schedule.days == frozenset({0, 4})
    assert settings.coach_enabled
    # Switching reminders off needs no schedule.
    result = await _options_step(hass, loaded, "reminders")
    off = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "reminders_enabled": False,
            "quiet_mode": "postpone",
            "nag_minutes": 15,
            "nag_count": 0,
            "grace_minutes": 30,
            "coach_enabled": False,
            "sessions_per_week": 3,
        },
    )
    assert off["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options["reminder_times"] == ""


@pytest.mark.parametrize(
    ("change", "field", "error", "detail"),
    [
        ({"reminder_times": None}, "base", "schedule_incomplete", ""),
        ({"reminder_times": []}, "base", "schedule_incomplete", ""),
        *(
            ({"reminder_times": ["07:30", bad]}, "reminder_times", "time_invalid", str(bad))
            for bad in ("7.30", "24:00", "07:30:15", "7:5", "", "x" * 5, 730, True, None)
        ),
        (
            {"reminder_times": [f"0{n}:00" for n in range(1, 8)]},
            "reminder_times",
            "times_too_many",
            "",
        ),
        ({"quiet_start": "22:00:30"}, "quiet_start", "time_invalid", "22:00:30"),
        ({"quiet_end": "morning"}, "quiet_end", "time_invalid", "morning"),
        ({"reminder_days": []}, "base", "schedule_incomplete", ""),
        ({"quiet_end": None}, "quiet_end", "quiet_incomplete", ""),
        ({"quiet_start": None}, "quiet_start", "quiet_incomplete", ""),
        ({"nag_minutes": 0}, "nag_minutes", "nag_minutes_range", ""),
        ({"nag_count": 11}, "nag_count", "nag_count_range", ""),
        ({"grace_minutes": 241}, "grace_minutes", "grace_minutes_range", ""),
        ({"sessions_per_week": 15}, "sessions_per_week", "sessions_per_week_range", ""),
        ({"not_now_entities": ["input_boolean.nope"]}, "not_now_entities", "entity_invalid", ""),
        ({"not_now_below": None}, "not_now_below", "not_now_incomplete", ""),
        ({"not_now_sensor": None}, "not_now_sensor", "not_now_incomplete", ""),
        ({"not_now_sensor": "sensor.nowhere"}, "not_now_sensor", "entity_invalid", ""),
        *(
            ({"not_now_below": bad}, "not_now_below", "not_now_below_range", "")
            for bad in ("nan", float("nan"), "inf", float("inf"), -5, 1e300, 10**400, True, False)
        ),
        *(
            ({field: bad}, field, f"{field}_range", "")
            for field in ("nag_minutes", "nag_count", "grace_minutes", "sessions_per_week")
            for bad in ("nan", "inf", "-inf", "1e400", 1e400, 10**400, True, False, "ten")
        ),
    ],
)
async def test_reminders_errors(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    change: dict[str, Any],
    field: str,
    error: str,
    detail: str,
) -> None:
    result = await _options_step(hass, loaded, "reminders")
    data = {k: v for k, v in {**REMINDERS_INPUT, **change}.items() if v is not None}
    bad = await hass.config_entries.options.async_configure(result["flow_id"], data)
    assert bad["type"] is FlowResultType.FORM
    assert bad["errors"] == {field: error}
    assert bad["description_placeholders"]["detail"] == detail
    assert "reminder_days" not in loaded.options


async def test_quiet_hours_are_stored_in_one_form(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """Picked as ``21:30`` or typed as ``7:05``; stored as ``07:05:00`` as before, so it reads back."""
    result = await _options_step(hass, loaded, "reminders")
    done = await hass.config_entries.options.async_configure(
        result["flow_id"], {**REMINDERS_INPUT, "quiet_start": "21:30", "quiet_end": " 7:05"}
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert (loaded.options["quiet_start"], loaded.options["quiet_end"]) == ("21:30:00", "07:05:00")
    schedule = loaded.runtime_data.settings.schedule
    assert (schedule.quiet_start, schedule.quiet_end) == (time(21, 30), time(7, 5))
    result = await _options_step(hass, loaded, "reminders")
    shown = {
        str(m): (m.description or {}).get("suggested_value") for m in result["data_schema"].schema
    }
    assert (shown["quiet_start"], shown["quiet_end"]) == ("21:30", "07:05")


async def test_reminder_times_are_one_growing_list_of_whole_minutes(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """One field picks or types the times; the text stored by earlier releases reads back."""
    hass.config_entries.async_update_entry(
        loaded, options={**loaded.options, "reminder_times": "18:00, 7:30, 12:15"}
    )
    await hass.async_block_till_done()
    result = await _options_step(hass, loaded, "reminders")
    fields = {str(m): m for m in result["data_schema"].schema}
    assert not any(key.startswith("reminder_time_") for key in fields)
    assert (fields["reminder_times"].description or {})["suggested_value"] == [
        "07:30",
        "12:15",
        "18:00",
    ]
    picker = result["data_schema"].schema[fields["reminder_times"]]
    assert (picker.config["multiple"], picker.config["custom_value"]) == (True, True)
    assert picker.config["options"][:3] == ["00:00", "00:30", "01:00"]
    assert all(len(option) == 5 for option in picker.config["options"])  # no seconds
    assert result["description_placeholders"]["times_max"] == "6"
    done = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**REMINDERS_INPUT, "reminder_times": ["18:00", "07:30", " 7:30 ", "21:05", "06:00:00"]},
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options["reminder_times"] == "06:00, 07:30, 18:00, 21:05"
    assert loaded.runtime_data.settings.schedule.times == (
        time(6),
        time(7, 30),
        time(18),
        time(21, 5),
    )
    # A single time sent as text (not a list), as a client may.
    result = await _options_step(hass, loaded, "reminders")
    done = await hass.config_entries.options.async_configure(
        result["flow_id"], {**REMINDERS_INPUT, "reminder_times": "08:15"}
    )
    assert loaded.options["reminder_times"] == "08:15"
