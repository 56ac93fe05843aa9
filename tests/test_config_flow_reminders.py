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
    "reminder_time_1": "18:00:00",
    "reminder_time_2": "7:30",
    "quiet_start": "22:00:00",
    "quiet_end": "07:00:00",
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
        ({"reminder_time_1": None, "reminder_time_2": None}, "base", "schedule_incomplete", ""),
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
    assert not detail
    assert "reminder_days" not in loaded.options


async def test_quiet_hours_are_stored_in_one_form(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """The time field lets ``7:30`` through; it is stored as ``07:30:00`` so it reads back."""
    result = await _options_step(hass, loaded, "reminders")
    done = await hass.config_entries.options.async_configure(
        result["flow_id"], {**REMINDERS_INPUT, "quiet_start": "21:30", "quiet_end": "7:05"}
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert (loaded.options["quiet_start"], loaded.options["quiet_end"]) == ("21:30:00", "07:05:00")
    schedule = loaded.runtime_data.settings.schedule
    assert (schedule.quiet_start, schedule.quiet_end) == (time(21, 30), time(7, 5))


async def test_reminder_times_are_time_fields_and_old_text_reads_back(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """Entries saved with the comma-separated text show one time field per stored time."""
    hass.config_entries.async_update_entry(
        loaded, options={**loaded.options, "reminder_times": "18:00, 07:30, 12:15"}
    )
    await hass.async_block_till_done()
    result = await _options_step(hass, loaded, "reminders")
    fields = {str(m): m for m in result["data_schema"].schema}
    times = [key for key in fields if key.startswith("reminder_time_")]
    assert times == [f"reminder_time_{n}" for n in range(1, 6)]
    assert "reminder_times" not in fields
    shown = [(fields[key].description or {}).get("suggested_value") for key in times]
    assert shown == ["07:30:00", "12:15:00", "18:00:00", None, None]
    assert type(result["data_schema"].schema[fields["reminder_time_1"]]).__name__ == (
        "TimeSelector"
    )
    done = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            **REMINDERS_INPUT,
            "reminder_time_1": "07:30:00",
            "reminder_time_3": "18:00:00",
            "reminder_time_4": "07:30:00",
            "reminder_time_5": "21:05:00",
        },
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options["reminder_times"] == "07:30, 18:00, 21:05"
    assert loaded.runtime_data.settings.schedule.times == (time(7, 30), time(18), time(21, 5))
    # Six times at most: the form never offers a seventh field.
    hass.config_entries.async_update_entry(
        loaded, options={**loaded.options, "reminder_times": "01:00, 02:00, 03:00, 04:00, 05:00"}
    )
    result = await _options_step(hass, loaded, "reminders")
    assert sum(str(m).startswith("reminder_time_") for m in result["data_schema"].schema) == 6
