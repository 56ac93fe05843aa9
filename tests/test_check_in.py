"""The fall-safety ladder in a real core: check-in, answers, escalation, re-alerts, restarts."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest

from .helpers import advance, answered, call, reload, state, value
from .safety_helpers import (
    ACTIVITY,
    FALL,
    OBSTACLE,
    Outside,
    add_phone,
    setup_walker,
)


def mobile_action(hass: HomeAssistant, action: str, webhook_id: str = "abc123") -> None:
    """Fire a notification-button event without a user (as an automation would), naming the phone.

    A tap from a real companion app carries only the action and its user's context; see
    test_emergency_people.py for that.
    """
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": action, "webhook_id": webhook_id, "device_id": f"app-{webhook_id}"},
    )


async def fall(hass: HomeAssistant) -> None:
    hass.states.async_set(FALL, "on", {"friendly_name": "Fall detector"})
    await hass.async_block_till_done()


async def test_fall_asks_and_i_am_ok_closes(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session")
    await fall(hass)
    session = state(hass, "sensor.alex_session_state")
    assert (session.state, session.attributes["pause_reason"]) == ("paused", "fall")
    check_in = state(hass, "sensor.alex_check_in")
    assert (check_in.state, check_in.attributes["cause"]) == ("awaiting_response", "fall")
    [asked] = [m for m in outside.to("walker_phone") if m["title"] == "Are you OK?"]
    assert asked["data"]["actions"] == [
        {"action": f"BACKWARD_WALKING_OK_{entry.entry_id}", "title": "I'm OK"},
        {"action": f"BACKWARD_WALKING_HELP_{entry.entry_id}", "title": "Need help"},
    ]
    assert "Answer within 60 seconds" in asked["message"]
    assert any("are you OK?" in spoken for spoken in outside.spoken)
    mobile_action(hass, f"BACKWARD_WALKING_OK_{entry.entry_id}")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_check_in") == "idle"
    assert (
        state(hass, "event.alex_session_event").attributes["event_type"] == "check_in_acknowledged"
    )
    assert outside.to("carer_phone") == []


async def test_no_answer_escalates_and_repeats_until_acknowledged(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-03-04 10:00:00+00:00")
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session")
    await fall(hass)
    await advance(hass, freezer, 59)
    assert outside.to("carer_phone") == []
    await advance(hass, freezer, 1)
    assert value(hass, "sensor.alex_check_in") == "escalated"
    [alert] = outside.to("carer_phone")
    assert alert["title"] == "Emergency: Alex may need help"
    assert "upstairs hallway" in alert["message"]
    assert "a possible fall was detected at 02:00" in alert["message"]  # US/Pacific local time
    assert alert["data"]["actions"] == [
        {"action": f"BACKWARD_WALKING_ACK_{entry.entry_id}", "title": "I'm on it"}
    ]
    assert alert["data"]["priority"] == "high"
    assert state(hass, "event.alex_session_event").attributes["escalation"] == "no_answer"
    await advance(hass, freezer, 120)
    assert len(outside.to("carer_phone")) == 2
    assert "nobody has acknowledged yet" in outside.to("carer_phone")[-1]["message"]
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "acknowledge_check_in")
    assert err.value.translation_key == "cannot_acknowledge_check_in"
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "resume_session")
    assert err.value.translation_key == "check_in_open"
    await call(hass, "acknowledge_emergency")
    assert value(hass, "sensor.alex_check_in") == "idle"
    assert outside.to("carer_phone")[-1]["title"] == "Emergency acknowledged"
    await advance(hass, freezer, 600, step=60)
    assert len(outside.to("carer_phone")) == 3


async def test_need_help_from_the_phone(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    anna = add_phone(hass, outside, "Anna's phone", "anna-hook")
    add_phone(hass, outside, "Tablet", "tablet-hook")
    entry = await setup_walker(hass, freezer, emergency_notify=["notify.carer_phone", anna])
    await call(hass, "start_session")
    await fall(hass)
    mobile_action(hass, f"BACKWARD_WALKING_HELP_{entry.entry_id}")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_check_in") == "escalated"
    assert "Alex asked for help" in outside.to("carer_phone")[0]["message"]
    # "I'm on it" counts only from a contact's phone: not from a tablet or an unknown device.
    mobile_action(hass, f"BACKWARD_WALKING_ACK_{entry.entry_id}", "tablet-hook")
    mobile_action(hass, f"BACKWARD_WALKING_ACK_{entry.entry_id}", "unknown-hook")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_check_in") == "escalated"
    assert "from Tablet: not an emergency contact's phone" in caplog.text
    mobile_action(hass, f"BACKWARD_WALKING_ACK_{entry.entry_id}", "anna-hook")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_check_in") == "idle"
    assert answered(hass) == ("emergency_acknowledged", "Anna's phone")
    assert outside.to("carer_phone")[-1]["message"].startswith(
        "Anna's phone is taking care of Alex"
    )


async def test_button_and_request_help_action(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "button", "press", {"entity_id": "button.alex_acknowledge_check_in"}, blocking=True
        )
    assert err.value.translation_key == "cannot_acknowledge_check_in"
    await call(hass, "request_help")
    assert value(hass, "sensor.alex_check_in") == "escalated"
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.alex_acknowledge_check_in"}, blocking=True
    )
    assert value(hass, "sensor.alex_check_in") == "idle"
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "acknowledge_emergency")
    assert err.value.translation_key == "cannot_acknowledge_emergency"


async def test_inactivity_starts_a_check_in(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    await call(hass, "start_session", {"duration": 30})
    await advance(hass, freezer, 100)
    hass.states.async_set(ACTIVITY, "off")
    await hass.async_block_till_done()
    await advance(hass, freezer, 119)
    assert value(hass, "sensor.alex_session_state") == "running"
    await advance(hass, freezer, 1)
    session = state(hass, "sensor.alex_session_state")
    assert (session.state, session.attributes["pause_reason"]) == ("paused", "check_in")
    assert state(hass, "sensor.alex_check_in").attributes["cause"] == "inactivity"
    await call(hass, "acknowledge_check_in")
    assert value(hass, "sensor.alex_check_in") == "idle"
    await call(hass, "resume_session")
    await advance(hass, freezer, 119)
    assert value(hass, "sensor.alex_session_state") == "running"


async def test_mobile_actions_never_cross_walkers(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    contact = add_phone(hass, outside, "Carer", "abc123")
    alex = await setup_walker(hass, freezer, emergency_notify=[contact])
    robin = await setup_walker(
        hass, freezer, "Robin", fall_sensors=[], obstacle_sensors=[], emergency_notify=[contact]
    )
    await call(hass, "request_help", {"config_entry_id": alex.entry_id})
    await call(hass, "request_help", {"config_entry_id": robin.entry_id})
    mobile_action(hass, f"BACKWARD_WALKING_ACK_{robin.entry_id}")
    mobile_action(hass, "BACKWARD_WALKING_ACK_someone-else")
    mobile_action(hass, "UNRELATED_ACTION")
    await hass.async_block_till_done()
    assert value(hass, "sensor.robin_check_in") == "idle"
    assert value(hass, "sensor.alex_check_in") == "escalated"
    # An answer that does not fit is ignored, not an error.
    mobile_action(hass, f"BACKWARD_WALKING_OK_{robin.entry_id}")
    await hass.async_block_till_done()
    assert value(hass, "sensor.robin_check_in") == "idle"


async def test_restart_during_a_hazard_pause(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, auto_resume=True)
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    await reload(hass, entry)
    session = state(hass, "sensor.alex_session_state")
    assert (session.state, session.attributes["pause_reason"]) == ("paused", "hazard")
    assert value(hass, "sensor.alex_path_hazard") == "obstacle"
    hass.states.async_set(OBSTACLE, "off")
    await hass.async_block_till_done()
    await advance(hass, freezer, 10)
    # Clear again, but a restart never resumes walking by itself.
    assert value(hass, "binary_sensor.alex_path") == "off"
    assert value(hass, "sensor.alex_session_state") == "paused"


async def test_restart_during_a_check_in_keeps_the_countdown(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session")
    await fall(hass)
    await advance(hass, freezer, 30)
    await reload(hass, entry)
    check_in = state(hass, "sensor.alex_check_in")
    assert check_in.state == "awaiting_response"
    assert check_in.attributes["cause"] == "fall"
    await advance(hass, freezer, 29)
    assert outside.to("carer_phone") == []
    await advance(hass, freezer, 1)
    assert value(hass, "sensor.alex_check_in") == "escalated"
    assert len(outside.to("carer_phone")) == 1


async def test_restart_while_escalated_and_overdue(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "request_help")
    assert await hass.config_entries.async_unload(entry.entry_id)
    freezer.tick(3600)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_check_in") == "escalated"
    # One re-alert for the whole downtime, not a burst.
    assert len(outside.to("carer_phone")) == 2


async def test_unload_mid_check_in_leaves_no_timers(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    hub = entry.runtime_data
    await call(hass, "start_session")
    await fall(hass)
    assert hub._unsub_wakeup is not None
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert hub._unsub_wakeup is None
    assert hub._unsub_sensors is None
    await advance(hass, freezer, 300, step=30)
    assert outside.to("carer_phone") == []
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    assert outside.to("walker_phone")[-1]["title"] == "Are you OK?"


async def test_after_a_hazard_then_a_fall_the_walker_is_told_when_the_path_clears(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """Answered while the path is not clear, the walker is not told to resume; told once it is."""
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    await advance(hass, freezer, 100)
    hass.states.async_set(OBSTACLE, "on")
    await advance(hass, freezer, 90)
    hass.states.async_set(OBSTACLE, "off")
    await advance(hass, freezer, 2)  # within the clear-hold, a possible fall
    await fall(hass)
    await call(hass, "acknowledge_check_in")
    thanks = outside.to("walker_phone")[-1]
    assert thanks["message"] == (
        "Alex, good to know you are OK. The path behind you is not clear yet: you will be told "
        "when it is."
    )
    hass.states.async_set(FALL, "off")
    await advance(hass, freezer, 10)
    told = outside.to("walker_phone")[-1]
    assert (told["title"], told["message"]) == (
        "Path clear",
        "The path behind Alex is clear again. Resume when you are ready.",
    )
    assert outside.spoken[-1] == told["message"]
    assert value(hass, "sensor.alex_session_state") == "paused"  # never resumed by itself
