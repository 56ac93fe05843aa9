"""The six ways a household broke the safety promises, each replayed in a real core."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from .helpers import advance, call, reload, state, value
from .safety_helpers import ACTIVITY, FALL, LIGHT, OBSTACLE, Outside, setup_walker


def session(hass: HomeAssistant) -> tuple[str, str | None]:
    current = state(hass, "sensor.alex_session_state")
    return current.state, current.attributes.get("pause_reason")


async def flip(hass: HomeAssistant, entity_id: str, to: str) -> None:
    hass.states.async_set(entity_id, to)
    await hass.async_block_till_done()


def said(outside: Outside, title: str) -> list[dict[str, object]]:
    return [m for m in outside.to("walker_phone") if m["title"] == title]


async def change_target_minutes(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.alex_duration", "value": 12},
        blocking=True,
    )
    await hass.async_block_till_done()


@pytest.mark.parametrize("auto_resume", [False, True])
async def test_clear_hold_survives_an_option_change(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, auto_resume: bool
) -> None:
    await setup_walker(hass, freezer, auto_resume=auto_resume)
    await call(hass, "start_session")
    await flip(hass, OBSTACLE, "on")
    await flip(hass, OBSTACLE, "off")
    await advance(hass, freezer, 1)
    await change_target_minutes(hass)
    assert state(hass, "binary_sensor.alex_path").state == "on"
    assert said(outside, "Path clear") == []
    assert session(hass) == ("paused", "hazard")
    with pytest.raises(ServiceValidationError):
        await call(hass, "resume_session")
    await advance(hass, freezer, 3.5)
    assert session(hass) == ("paused", "hazard")
    await advance(hass, freezer, 1)
    assert state(hass, "binary_sensor.alex_path").state == "off"
    assert len(said(outside, "Path clear")) == 1
    assert session(hass)[0] == ("running" if auto_resume else "paused")


async def test_clear_hold_starts_again_after_a_reload(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, auto_resume=True)
    await call(hass, "start_session")
    await flip(hass, OBSTACLE, "on")
    await flip(hass, OBSTACLE, "off")
    await advance(hass, freezer, 4)
    await reload(hass, entry)
    # The hold counts from the reload: conservative, never earlier.
    await advance(hass, freezer, 2)
    assert state(hass, "binary_sensor.alex_path").state == "on"
    # The obstacle that was clearing still holds the path; the other sensors are being checked.
    assert state(hass, "binary_sensor.alex_path").attributes["reasons"][0]["hazard"] == "obstacle"
    with pytest.raises(ServiceValidationError):
        await call(hass, "resume_session")
    await advance(hass, freezer, 3.5)
    assert state(hass, "binary_sensor.alex_path").state == "off"
    # A reload is a restart: the walker resumes, never the engine by itself.
    assert session(hass) == ("paused", "hazard")


async def test_a_late_timer_never_swallows_the_completion(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer, inactivity_seconds=0)
    await call(hass, "start_session", {"duration": 1, "program": "backward_only"})
    # The wall clock passes the target before the completion timer runs, then a sensor changes.
    freezer.tick(timedelta(seconds=75))
    await flip(hass, OBSTACLE, "on")
    assert value(hass, "sensor.alex_session_state") == "completed"
    assert value(hass, "sensor.alex_sessions_completed") == "1"
    assert float(value(hass, "sensor.alex_minutes_today")) == pytest.approx(1.0)
    event = state(hass, "event.alex_session_event")
    assert event.attributes["event_type"] in ("completed", "hazard_detected")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_sessions_completed") == "1"


async def test_a_late_timer_asks_the_walker_before_the_contacts(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer, inactivity_seconds=60)
    await call(hass, "start_session", {"duration": 10})
    await flip(hass, ACTIVITY, "off")
    # Busy loop: 90 s pass before anything runs; then the beam changes.
    freezer.tick(timedelta(seconds=90))
    await flip(hass, OBSTACLE, "on")
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    assert said(outside, "Are you OK?")
    assert outside.to("carer_phone") == []
    await advance(hass, freezer, 61, step=10)
    assert value(hass, "sensor.alex_check_in") == "escalated"
    assert len(outside.to("carer_phone")) == 1


@pytest.mark.parametrize("paused_how", ["walker", "check_in_ok"])
async def test_a_fall_while_paused_opens_a_check_in(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, paused_how: str
) -> None:
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    if paused_how == "walker":
        await call(hass, "pause_session")
    else:
        await call(hass, "request_help")
        await call(hass, "acknowledge_emergency")
    await flip(hass, FALL, "on")
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    assert state(hass, "sensor.alex_check_in").attributes["cause"] == "fall"
    assert said(outside, "Are you OK?")


async def test_a_fall_during_a_restart_is_asked_about_at_start_up(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session")
    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.states.async_set(FALL, "on")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert session(hass) == ("paused", "restart")
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    assert said(outside, "Are you OK?")


async def test_need_help_stops_the_session_and_says_help(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    await call(hass, "start_session", {"duration": 1})
    await call(hass, "request_help")
    assert session(hass) == ("paused", "help")
    check_in = state(hass, "sensor.alex_check_in")
    assert (check_in.state, check_in.attributes["cause"]) == ("escalated", "help")
    event = state(hass, "event.alex_session_event")
    assert (event.attributes["event_type"], event.attributes["cause"]) == (
        "emergency_escalated",
        "help",
    )
    await advance(hass, freezer, 120, step=10)
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert "Alex asked for help" in outside.to("carer_phone")[0]["message"]


async def test_flapping_with_auto_resume_backs_off_and_says_every_pause(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer, auto_resume=True, clear_hold_seconds=2)
    await call(hass, "start_session", {"duration": 30})
    pauses = 0
    for _ in range(20):
        if value(hass, "sensor.alex_session_state") == "running":
            pauses += 1
        await flip(hass, OBSTACLE, "on")
        await advance(hass, freezer, 1)
        await flip(hass, OBSTACLE, "off")
        await advance(hass, freezer, 6, step=1)
    # Three hazard pauses within two minutes, then the walker resumes by hand.
    assert pauses == 3
    assert session(hass) == ("paused", "hazard")
    assert len(said(outside, "Resume when you are ready")) == 1
    stops = [s for s in outside.spoken if s.startswith("Alex, stop")]
    assert len(stops) == pauses
    assert (await call(hass, "resume_session"))["state"] == "running"


async def test_after_a_forced_start_the_walker_hears_the_path_is_clear(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    hass.states.async_set(LIGHT, "unavailable", {"friendly_name": "Hallway light"})
    await hass.async_block_till_done()
    await call(hass, "start_session", {"force": True})
    await flip(hass, OBSTACLE, "on")
    assert session(hass) == ("paused", "hazard")
    await flip(hass, OBSTACLE, "off")
    await advance(hass, freezer, 6)
    [clear] = said(outside, "Path clear")
    assert "Still overridden for this session: Hallway light" in clear["message"]
    assert state(hass, "binary_sensor.alex_path").attributes["verdict"] == "warning"
    assert (await call(hass, "resume_session"))["state"] == "running"


@pytest.mark.parametrize("answer", ["fall_then_ok", "help_then_on_it"])
async def test_no_auto_resume_after_a_fall_or_help_during_a_hazard_pause(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, answer: str
) -> None:
    """Found by the independent tester: the pause stayed 'hazard', so clearing resumed walking."""
    await setup_walker(hass, freezer, auto_resume=True, clear_hold_seconds=2)
    await call(hass, "start_session")
    await flip(hass, OBSTACLE, "on")
    assert session(hass) == ("paused", "hazard")
    if answer == "fall_then_ok":
        await flip(hass, FALL, "on")
        assert session(hass) == ("paused", "fall")
        await call(hass, "acknowledge_check_in")
        await flip(hass, FALL, "off")
    else:
        await call(hass, "request_help")
        assert session(hass) == ("paused", "help")
        await call(hass, "acknowledge_emergency")
    await flip(hass, OBSTACLE, "off")
    await advance(hass, freezer, 10)
    assert session(hass)[0] == "paused"


async def test_a_second_fall_during_the_hold_opens_a_new_check_in(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """Found by the independent tester: the held first fall hid the second one."""
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    await flip(hass, FALL, "on")
    await call(hass, "acknowledge_check_in")
    await flip(hass, FALL, "off")
    await advance(hass, freezer, 1)
    await flip(hass, FALL, "on")
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    assert len(said(outside, "Are you OK?")) == 2
    await advance(hass, freezer, 61, step=10)
    assert value(hass, "sensor.alex_check_in") == "escalated"


async def test_a_reload_keeps_the_obstacle_holding_the_path(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """Found by the independent tester: after a reload the obstacle became a forceable 'checking'."""
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session")
    await flip(hass, OBSTACLE, "on")
    await flip(hass, OBSTACLE, "off")
    await reload(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "resume_session", {"force": True})
    # Still the obstacle's hold, which force cannot shorten (said as "reads clear again: ready in").
    assert err.value.translation_key == "path_clearing"
    assert state(hass, "binary_sensor.alex_path").attributes["reasons"][0]["hazard"] == "obstacle"
    await advance(hass, freezer, 6)
    assert (await call(hass, "resume_session"))["state"] == "running"


async def test_the_auto_resume_back_off_survives_a_reload(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """Found by the independent tester: a reload reset the count of hazard pauses."""
    entry = await setup_walker(hass, freezer, auto_resume=True, clear_hold_seconds=1)
    await call(hass, "start_session", {"duration": 30})
    for _ in range(2):
        await flip(hass, OBSTACLE, "on")
        await flip(hass, OBSTACLE, "off")
        await advance(hass, freezer, 2, step=1)
        assert session(hass)[0] == "running"
    await reload(hass, entry)
    await advance(hass, freezer, 2, step=1)
    await call(hass, "resume_session")
    await flip(hass, OBSTACLE, "on")
    await flip(hass, OBSTACLE, "off")
    await advance(hass, freezer, 3, step=1)
    assert session(hass) == ("paused", "hazard")
    assert len(said(outside, "Resume when you are ready")) == 1
