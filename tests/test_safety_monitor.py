"""The hallway safety monitor in a real core: verdicts, the start gate, pauses, messages, repairs."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest

from .helpers import advance, call, state, value
from .safety_helpers import (
    ACTIVITY,
    CROSSING,
    DISTANCE,
    FALL,
    LIGHT,
    OBSTACLE,
    Outside,
    setup_walker,
)


def path(hass: HomeAssistant) -> tuple[str, str, list[dict[str, Any]]]:
    binary = state(hass, "binary_sensor.alex_path")
    return binary.state, value(hass, "sensor.alex_path_hazard"), binary.attributes["reasons"]


@pytest.mark.parametrize(
    ("entity_id", "reading", "attributes", "hazard", "verdict"),
    [
        (OBSTACLE, "on", {}, "obstacle", "unsafe"),
        (DISTANCE, "80", {"unit_of_measurement": "cm"}, "too_close", "unsafe"),
        (DISTANCE, "2", {"unit_of_measurement": "ft"}, "too_close", "unsafe"),
        (DISTANCE, "1.5", {"unit_of_measurement": "m"}, "none", "clear"),
        (DISTANCE, "lots", {"unit_of_measurement": "cm"}, "sensor_unavailable", "unsafe"),
        (CROSSING, "on", {}, "crossing", "warning"),
        (LIGHT, "3", {"unit_of_measurement": "lx"}, "too_dark", "unsafe"),
        (FALL, "on", {}, "fall", "fall"),
        (ACTIVITY, "off", {}, "none", "clear"),
        (ACTIVITY, "unavailable", {}, "sensor_unavailable", "unsafe"),
        (OBSTACLE, "unknown", {}, "sensor_unavailable", "unsafe"),
    ],
)
async def test_every_role_and_verdict(
    hass: HomeAssistant,
    outside: Outside,
    entity_id: str,
    reading: str,
    attributes: dict[str, str],
    hazard: str,
    verdict: str,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_walker(hass, freezer)
    assert path(hass)[:2] == ("off", "none")
    hass.states.async_set(entity_id, reading, attributes)
    await hass.async_block_till_done()
    on_off, shown, reasons = path(hass)
    assert shown == hazard
    assert state(hass, "binary_sensor.alex_path").attributes["verdict"] == verdict
    assert on_off == ("off" if verdict == "clear" else "on")
    if reasons:
        assert reasons[0]["entity_id"] == entity_id
        assert reasons[0]["name"]
    # Nobody walks: no alarms.
    assert outside.messages == []
    assert outside.spoken == []


async def test_start_is_refused_until_the_path_is_clear(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_session")
    assert err.value.translation_key == "path_not_clear"
    assert "Something is in the way (Hallway beam)" in str(err.value)
    refused = state(hass, "event.alex_session_event")
    assert refused.attributes["event_type"] == "start_refused"
    assert refused.attributes["reasons"][0]["hazard"] == "obstacle"
    with pytest.raises(ServiceValidationError):
        await call(hass, "start_session", {"force": True})
    assert value(hass, "sensor.alex_session_state") == "idle"
    hass.states.async_set(OBSTACLE, "off")
    await hass.async_block_till_done()
    await advance(hass, freezer, 5)
    assert (await call(hass, "start_session"))["state"] == "running"


async def test_force_overrides_warnings_and_unreadable_sensors_only(
    hass: HomeAssistant,
    outside: Outside,
    caplog: pytest.LogCaptureFixture,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_walker(hass, freezer)
    hass.states.async_set(LIGHT, "unavailable")
    hass.states.async_set(CROSSING, "on")
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError):
        await call(hass, "start_session")
    response = await call(hass, "start_session", {"force": True})
    assert response["state"] == "running"
    assert response["path"] == "warning"
    assert "forced despite" in caplog.text
    assert "sensor.hallway_light" in caplog.text
    # What was overridden warns for this session instead of pausing it.
    assert value(hass, "sensor.alex_session_state") == "running"
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_session", {"force": "yes"})
    assert err.value.translation_key == "invalid_flag"


async def test_obstacle_pauses_at_once_and_the_walker_resumes(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    session = state(hass, "sensor.alex_session_state")
    assert (session.state, session.attributes["pause_reason"]) == ("paused", "hazard")
    assert state(hass, "event.alex_session_event").attributes["event_type"] == "hazard_detected"
    [message] = outside.to("walker_phone")
    assert message["title"] == "Stop: the path is not clear"
    assert "Something is in the way (Hallway beam)" in message["message"]
    # After the start's spoken coaching, the warning is spoken.
    assert outside.spoken == ["Walk backward for 10 minutes.", message["message"]]
    # Clear, but only after the hold time; the walker resumes (auto-resume is off).
    hass.states.async_set(OBSTACLE, "off", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    assert path(hass)[0] == "on"
    with pytest.raises(ServiceValidationError):
        await call(hass, "resume_session")
    await advance(hass, freezer, 5)
    assert path(hass)[0] == "off"
    assert state(hass, "event.alex_session_event").attributes["event_type"] == "hazard_cleared"
    assert outside.to("walker_phone")[-1]["title"] == "Path clear"
    assert "Resume when you are ready" in outside.to("walker_phone")[-1]["message"]
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert (await call(hass, "resume_session"))["state"] == "running"


async def test_auto_resume_when_chosen(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer, auto_resume=True)
    await call(hass, "start_session")
    hass.states.async_set(DISTANCE, "40", {"unit_of_measurement": "cm"})
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "paused"
    hass.states.async_set(DISTANCE, "300", {"unit_of_measurement": "cm"})
    await hass.async_block_till_done()
    await advance(hass, freezer, 5)
    assert value(hass, "sensor.alex_session_state") == "running"
    assert "The session continues" in outside.to("walker_phone")[-1]["message"]


async def test_warning_keeps_walking(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    hass.states.async_set(CROSSING, "on", {"friendly_name": "Kitchen door motion"})
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"
    [message] = outside.to("walker_phone")
    assert message["title"] == "Careful"
    assert "Movement at Kitchen door motion" in message["message"]


async def test_debounce(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer, sensor_delays={OBSTACLE: 2})
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    await advance(hass, freezer, 1)
    hass.states.async_set(OBSTACLE, "off")
    await hass.async_block_till_done()
    await advance(hass, freezer, 3)
    assert value(hass, "sensor.alex_session_state") == "running"
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"
    await advance(hass, freezer, 2)
    assert value(hass, "sensor.alex_session_state") == "paused"


async def test_unavailable_only_warns_when_chosen(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer, warn_only_sensors=[LIGHT])
    await call(hass, "start_session")
    hass.states.async_set(LIGHT, "unavailable")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"
    assert path(hass)[1] == "sensor_unavailable"
    hass.states.async_set(OBSTACLE, "unavailable")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "paused"


async def test_thousand_flaps(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    for i in range(1000):
        hass.states.async_set(OBSTACLE, "on" if i % 2 == 0 else "off")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert len(outside.to("walker_phone")) == 1
    assert outside.spoken[0] == "Walk backward for 10 minutes."  # the start's spoken coaching
    assert len(outside.spoken) == 2
    await advance(hass, freezer, 5)
    assert path(hass)[0] == "off"
    assert len(outside.to("walker_phone")) == 2


async def test_missing_sensor_is_unsafe_and_raises_a_repair(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, obstacle_sensors=[OBSTACLE, "binary_sensor.gone"])
    assert path(hass)[1] == "sensor_unavailable"
    assert path(hass)[2][0]["reading"] == "missing"
    issues = ir.async_get(hass)
    issue = issues.async_get_issue(
        "backward_walking", f"sensor_missing_{entry.entry_id}_binary_sensor.gone"
    )
    assert issue is not None
    assert issue.translation_placeholders == {"walker": "Alex", "entity_id": "binary_sensor.gone"}
    hass.states.async_set("binary_sensor.gone", "off")
    await hass.async_block_till_done()
    assert path(hass)[0] == "on"  # clear only after the hold
    assert (
        issues.async_get_issue(
            "backward_walking", f"sensor_missing_{entry.entry_id}_binary_sensor.gone"
        )
        is None
    )
    hass.states.async_remove(OBSTACLE)
    await hass.async_block_till_done()
    assert issues.async_get_issue("backward_walking", f"sensor_missing_{entry.entry_id}_{OBSTACLE}")


async def test_sensor_unavailable_for_an_hour_raises_a_repair(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    issue_id = f"sensor_unavailable_{entry.entry_id}_{LIGHT}"
    hass.states.async_set(LIGHT, "unavailable")
    await hass.async_block_till_done()
    await advance(hass, freezer, 3599, step=600)
    assert ir.async_get(hass).async_get_issue("backward_walking", issue_id) is None
    await advance(hass, freezer, 2)
    assert ir.async_get(hass).async_get_issue("backward_walking", issue_id) is not None
    hass.states.async_set(LIGHT, "50", {"unit_of_measurement": "lx"})
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue("backward_walking", issue_id) is None


async def test_failing_phone_is_logged_once_and_never_stops_the_monitor(
    hass: HomeAssistant,
    outside: Outside,
    caplog: pytest.LogCaptureFixture,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_walker(hass, freezer, walker_notify=["notify.walker_phone", "notify.broken"])
    hass.services.async_register("notify", "broken", lambda call: None)
    hass.services.async_remove("notify", "broken")
    outside.fail_with = RuntimeError("phone offline")
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert caplog.text.count("Could not notify notify.walker_phone: phone offline") == 1
    assert "Could not notify notify.broken" in caplog.text
    hass.states.async_set(OBSTACLE, "off")
    await hass.async_block_till_done()
    await advance(hass, freezer, 5)
    assert caplog.text.count("Could not notify notify.walker_phone") == 1
    outside.fail_with = None
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    assert "Notifying notify.walker_phone works again" in caplog.text
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"


async def test_options_change_the_watched_sensors(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "obstacle_sensors": ["binary_sensor.new_beam"]}
    )
    hass.states.async_set("binary_sensor.new_beam", "on")
    await hass.async_block_till_done()
    assert path(hass)[2][0]["entity_id"] == "binary_sensor.new_beam"
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    assert [r["entity_id"] for r in path(hass)[2]] == ["binary_sensor.new_beam"]
