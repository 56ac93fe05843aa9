"""A whole session through the actions, buttons and every entity, in a real core."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import advance, call, press, state, value

# Some of these entities are off by default; the tests read them all.
pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default", "loaded")


async def test_idle_walker_shows_every_entity(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    registry = er.async_get(hass)
    entities = er.async_entries_for_config_entry(registry, loaded.entry_id)
    assert len(entities) == 39
    assert {entity.unique_id for entity in entities} == {
        f"{loaded.entry_id}_{entity.translation_key}" for entity in entities
    }
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), loaded.entry_id)
    assert [device.name for device in devices] == ["Alex"]
    assert all(entity.device_id == devices[0].id for entity in entities)
    assert value(hass, "sensor.alex_session_state") == "idle"
    assert value(hass, "sensor.alex_current_phase") == "unknown"
    assert value(hass, "binary_sensor.alex_session_active") == "off"
    assert value(hass, "sensor.alex_elapsed") == "0.0"
    assert value(hass, "sensor.alex_sessions_completed") == "0"
    assert value(hass, "sensor.alex_last_session") == "unknown"
    assert value(hass, "select.alex_program") == "backward_only"
    assert value(hass, "select.alex_voice_cues") == "off"  # no speaker, no satellite
    assert value(hass, "number.alex_duration") == "10"
    assert value(hass, "number.alex_speed") == "1.61"
    speed = state(hass, "number.alex_speed")
    assert speed.attributes[ATTR_UNIT_OF_MEASUREMENT] == "km/h"
    assert (speed.attributes["min"], speed.attributes["max"]) == (0.5, 6.5)
    assert registry.async_get("sensor.alex_longest_streak").entity_category == "diagnostic"
    assert registry.async_get("select.alex_program").entity_category == "config"


async def test_session_runs_changes_phase_and_completes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-03-04 09:00:00-08:00")
    response = await call(
        hass, "start_session", {"duration": 12, "program": "forward5_backward1", "speed": 1.6}
    )
    assert response["state"] == "running"
    assert response["target_minutes"] == 12
    assert response["direction"] == "forward"
    assert value(hass, "sensor.alex_session_state") == "running"
    assert value(hass, "sensor.alex_current_phase") == "forward"
    assert value(hass, "binary_sensor.alex_session_active") == "on"
    event = state(hass, "event.alex_session_event")
    assert event.attributes["event_type"] == "started"
    assert event.attributes["program"] == "forward5_backward1"

    session = state(hass, "sensor.alex_session_state")
    assert session.attributes["started_at"] == "2026-03-04T17:00:00+00:00"
    assert session.attributes["ends_at"] == "2026-03-04T17:12:00+00:00"
    assert session.attributes["remaining_seconds"] is None
    assert state(hass, "sensor.alex_current_phase").attributes["phase_ends_at"] == (
        "2026-03-04T17:05:00+00:00"
    )

    await advance(hass, freezer, 300)
    phase = state(hass, "sensor.alex_current_phase")
    assert phase.state == "backward"
    assert phase.attributes["phase_ends_at"] == "2026-03-04T17:06:00+00:00"
    assert state(hass, "event.alex_session_event").attributes["event_type"] == "phase_changed"
    # The figures of the last whole minute walked; the timestamps count the seconds between.
    assert float(value(hass, "sensor.alex_elapsed")) == 5.0
    assert state(hass, "sensor.alex_session_state").attributes["ends_at"] == (
        "2026-03-04T17:12:00+00:00"
    )
    await call(hass, "pause_session")
    assert float(value(hass, "sensor.alex_elapsed")) == 5.0
    assert float(value(hass, "sensor.alex_remaining")) == 7.0
    assert float(value(hass, "sensor.alex_progress")) == pytest.approx(41.7, abs=0.1)
    assert float(value(hass, "sensor.alex_minutes_today")) == 5.0
    paused = state(hass, "sensor.alex_session_state")
    assert (paused.attributes["ends_at"], paused.attributes["remaining_seconds"]) == (None, 420)
    phase = state(hass, "sensor.alex_current_phase")
    assert (phase.attributes["phase_ends_at"], phase.attributes["phase_remaining_seconds"]) == (
        None,
        60,
    )
    await advance(hass, freezer, 90)
    await call(hass, "resume_session")
    assert state(hass, "sensor.alex_session_state").attributes["ends_at"] == (
        "2026-03-04T17:13:30+00:00"
    )

    await advance(hass, freezer, 7 * 60)
    assert value(hass, "sensor.alex_session_state") == "completed"
    assert value(hass, "binary_sensor.alex_session_active") == "off"
    completed = state(hass, "event.alex_session_event")
    assert completed.attributes["event_type"] == "completed"
    assert completed.attributes["elapsed_minutes"] == 12
    assert value(hass, "sensor.alex_current_phase") == "unknown"
    assert float(value(hass, "sensor.alex_backward_minutes_today")) == 2.0
    assert float(value(hass, "sensor.alex_minutes_today")) == 12.0
    assert float(value(hass, "sensor.alex_backward_minutes_this_week")) == 2.0
    assert float(value(hass, "sensor.alex_minutes_this_week")) == 12.0
    assert value(hass, "sensor.alex_sessions_completed") == "1"
    assert value(hass, "sensor.alex_current_streak") == "1"
    assert value(hass, "sensor.alex_longest_streak") == "1"
    assert float(value(hass, "sensor.alex_weekly_goal_progress")) == pytest.approx(3.3, abs=0.1)
    assert value(hass, "sensor.alex_last_session") == "2026-03-04T17:13:30+00:00"
    energy = state(hass, "sensor.alex_session_energy")
    assert energy.attributes["met_source"] == "estimate"
    assert float(energy.state) > float(value(hass, "sensor.alex_extra_energy_vs_forward")) > 0


async def test_buttons_pause_resume_and_stop(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-03-04 18:00:00+00:00")  # not across local midnight, whenever it runs
    await press(hass, "start")
    await advance(hass, freezer, 60)
    await press(hass, "pause")
    session = state(hass, "sensor.alex_session_state")
    assert session.state == "paused"
    assert session.attributes["pause_reason"] == "user"
    await advance(hass, freezer, 600)
    assert float(value(hass, "sensor.alex_elapsed")) == 1.0
    await press(hass, "resume")
    assert value(hass, "sensor.alex_session_state") == "running"
    assert state(hass, "event.alex_session_event").attributes["after"] == "user"
    await advance(hass, freezer, 30)
    await press(hass, "stop")
    assert value(hass, "sensor.alex_session_state") == "stopped"
    assert float(value(hass, "sensor.alex_elapsed")) == 1.5
    assert float(value(hass, "sensor.alex_minutes_today")) == 1.5
    assert value(hass, "sensor.alex_sessions_completed") == "0"
    assert value(hass, "sensor.alex_current_streak") == "0"


async def test_action_responses(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    started = await call(hass, "start_session")
    assert (started["program"], started["target_minutes"]) == ("backward_only", 10)
    await advance(hass, freezer, 120)
    paused = await call(hass, "pause_session")
    assert (paused["state"], paused["pause_reason"], paused["elapsed_minutes"]) == (
        "paused",
        "user",
        2.0,
    )
    resumed = await call(hass, "resume_session")
    assert resumed["state"] == "running"
    stopped = await call(hass, "stop_session")
    assert stopped["state"] == "stopped"
    assert stopped["backward_minutes"] == 2.0
    assert stopped["kcal"] > 0


async def test_select_and_numbers_change_the_defaults(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": "select.alex_program", "option": "alternating_1_1"},
        blocking=True,
    )
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.alex_duration", "value": 25},
        blocking=True,
    )
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.alex_speed", "value": 3.2},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert loaded.options["program"] == "alternating_1_1"
    assert loaded.options["target_minutes"] == 25
    assert loaded.options["speed_mph"] == pytest.approx(1.988, abs=1e-3)
    assert value(hass, "select.alex_program") == "alternating_1_1"
    assert value(hass, "number.alex_duration") == "25"
    assert value(hass, "number.alex_speed") == "3.2"
    response = await call(hass, "start_session")
    assert (response["program"], response["target_minutes"]) == ("alternating_1_1", 25)


async def test_custom_program_in_select(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    hass.config_entries.async_update_entry(
        loaded, options={**loaded.options, "custom_programs": {"Hallway": "F2 B1"}}
    )
    await hass.async_block_till_done()
    program = state(hass, "select.alex_program")
    assert program.attributes["options"][-1] == "Hallway"
    response = await call(hass, "start_session", {"program": "Hallway"})
    assert response["program"] == "Hallway"
    assert response["direction"] == "forward"


async def test_changed_weight_applies_live(
    hass: HomeAssistant, loaded: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await call(hass, "start_session")
    await advance(hass, freezer, 60)
    before = float(value(hass, "sensor.alex_session_energy"))
    hass.config_entries.async_update_entry(loaded, options={**loaded.options, "weight_kg": 140.0})
    await hass.async_block_till_done()
    assert float(value(hass, "sensor.alex_session_energy")) == pytest.approx(before * 2, abs=0.2)
    assert value(hass, "sensor.alex_session_state") == "running"
