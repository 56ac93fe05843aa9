"""Fault injection: restarts at every point, broken storage, misbehaving sensors, speakers and clocks,
and commands that race each other."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir, storage
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import (
    REAL_LOAD,
    advance,
    call,
    make_entry,
    press,
    real_files,
    reload,
    state,
    value,
)
from .safety_helpers import DISTANCE, LIGHT, OBSTACLE, Outside, setup_walker


async def _running(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    await call(hass, "start_session", {"program": "forward5_backward1", "duration": 20})
    await advance(hass, freezer, 90)


async def _user_paused(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    await _running(hass, freezer)
    await call(hass, "pause_session")


async def _hazard_paused(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    await _running(hass, freezer)
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()


async def _mid_interval(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    await _running(hass, freezer)
    await advance(hass, freezer, 240)  # 5.5 min: the first backward minute


SCENARIOS: dict[
    str, tuple[Callable[[HomeAssistant, FrozenDateTimeFactory], Awaitable[None]], str, float]
] = {
    # 1:30 and 5:30 walked: the whole minutes.
    "running": (_running, "restart", 1.0),
    "user-paused": (_user_paused, "user", 1.0),
    "hazard-paused": (_hazard_paused, "hazard", 1.0),
    "mid-interval": (_mid_interval, "restart", 5.0),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_restart_at_every_point_never_resumes(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, scenario: str
) -> None:
    prepare, reason, elapsed = SCENARIOS[scenario]
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session", {"duration": 1})
    await advance(hass, freezer, 60)  # a finished session: history and streak
    await prepare(hass, freezer)
    phase = value(hass, "sensor.alex_current_phase")
    await reload(hass, entry)
    session = state(hass, "sensor.alex_session_state")
    assert (session.state, session.attributes["pause_reason"]) == ("paused", reason)
    assert float(value(hass, "sensor.alex_elapsed")) == elapsed
    assert value(hass, "sensor.alex_current_phase") == phase
    assert value(hass, "sensor.alex_sessions_completed") == "1"
    assert value(hass, "sensor.alex_current_streak") == "1"
    hass.states.async_set(OBSTACLE, "off")
    await advance(hass, freezer, 600, step=30)
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert float(value(hass, "sensor.alex_elapsed")) == elapsed


async def test_empty_storage_file_is_kept_aside(
    hass: HomeAssistant, entry: MockConfigEntry, tmp_path: Path
) -> None:
    hass.config.config_dir = str(tmp_path)
    path = tmp_path / ".storage" / f"backward_walking.{entry.entry_id}"
    path.parent.mkdir()
    path.write_text("")
    with patch.object(storage.Store, "_async_load", REAL_LOAD):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "idle"
    assert len(list(path.parent.glob(f"{path.name}.corrupt.*"))) == 1
    assert ir.async_get(hass).async_get_issue(
        "backward_walking", f"store_unreadable_{entry.entry_id}"
    )


async def test_unwritable_storage_raises_a_repair_and_keeps_working(
    hass: HomeAssistant, entry: MockConfigEntry, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    hass.config.config_dir = str(tmp_path)
    (tmp_path / ".storage").write_text("a file where the folder should be")
    with real_files():
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        await call(hass, "start_session")
        await advance(hass, freezer, 5)
        issue_id = f"store_unwritable_{entry.entry_id}"
        issue = ir.async_get(hass).async_get_issue("backward_walking", issue_id)
        assert issue is not None
        assert issue.translation_placeholders["walker"] == "Alex"
        assert value(hass, "sensor.alex_session_state") == "running"
        (tmp_path / ".storage").unlink()
        await call(hass, "pause_session")
        await advance(hass, freezer, 5)
        assert ir.async_get(hass).async_get_issue("backward_walking", issue_id) is None
        assert (tmp_path / ".storage" / f"backward_walking.{entry.entry_id}").exists()


async def test_renamed_sensor_stays_monitored(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    registry = er.async_get(hass)
    beam = registry.async_get_or_create(
        "binary_sensor", "demo", "door", suggested_object_id="door_beam"
    )
    hass.states.async_set(beam.entity_id, "off")
    entry = await setup_walker(hass, freezer, obstacle_sensors=[beam.entity_id])
    await call(hass, "start_session")
    registry.async_update_entity(beam.entity_id, new_entity_id="binary_sensor.renamed_beam")
    hass.states.async_remove(beam.entity_id)
    hass.states.async_set("binary_sensor.renamed_beam", "off")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"
    assert entry.options["obstacle_sensors"] == ["binary_sensor.renamed_beam"]
    issue_id = f"sensor_missing_{entry.entry_id}_{beam.entity_id}"
    assert ir.async_get(hass).async_get_issue("backward_walking", issue_id) is None
    hass.states.async_set("binary_sensor.renamed_beam", "on")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert value(hass, "sensor.alex_path_hazard") == "obstacle"


@pytest.mark.parametrize(
    ("reading", "unit", "hazard"),
    [
        ("80", "cm", "too_close"),
        ("0.8", "m", "too_close"),
        ("1.5", "m", "none"),
        ("150", "cm", "none"),
    ],
)
async def test_distance_unit_change(
    hass: HomeAssistant,
    outside: Outside,
    reading: str,
    unit: str,
    hazard: str,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_walker(hass, freezer)
    hass.states.async_set(DISTANCE, reading, {"unit_of_measurement": unit})
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_path_hazard") == hazard


async def test_speaker_failing_never_stops_the_monitor(
    hass: HomeAssistant,
    outside: Outside,
    caplog: pytest.LogCaptureFixture,
    freezer: FrozenDateTimeFactory,
) -> None:
    async def broken(_call: ServiceCall) -> None:
        raise RuntimeError("speaker offline")

    hass.services.async_register("tts", "speak", broken)
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    hass.states.async_set(LIGHT, "2", {"unit_of_measurement": "lx"})
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert caplog.text.count("Could not notify tts.home: speaker offline") == 1
    assert outside.to("walker_phone")


async def test_clock_stepping_back_and_forward(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-03-04 10:00:00+00:00")
    await setup_walker(hass, freezer, activity_sensors=[])
    await call(hass, "start_session", {"duration": 10})
    await advance(hass, freezer, 120)
    freezer.move_to("2026-03-04 09:00:00+00:00")  # NTP steps the clock back an hour
    await advance(hass, freezer, 30)
    await call(hass, "pause_session")  # the figures are written at a transition
    assert float(value(hass, "sensor.alex_elapsed")) >= 2.0
    await call(hass, "resume_session")
    freezer.move_to("2026-03-04 15:00:00+00:00")  # … and forward six hours
    await advance(hass, freezer, 5)
    assert value(hass, "sensor.alex_session_state") == "completed"
    assert float(value(hass, "sensor.alex_elapsed")) == 10
    assert value(hass, "sensor.alex_sessions_completed") == "1"


async def test_commands_racing_in_one_loop_iteration(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    events: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda e: (
            events.append(e.data["new_state"].attributes.get("event_type"))
            if e.data["entity_id"] == "event.alex_session_event"
            else None
        ),
    )
    hass.bus.async_fire(
        "mobile_app_notification_action", {"action": f"BACKWARD_WALKING_START_{entry.entry_id}"}
    )
    outcomes = await asyncio.gather(
        call(hass, "start_session"), press(hass, "start"), return_exceptions=True
    )
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"
    assert events.count("started") == 1
    refused = [o for o in outcomes if isinstance(o, ServiceValidationError)]
    assert all(o.translation_key == "cannot_start" for o in refused)
    results = await asyncio.gather(
        call(hass, "pause_session"),
        call(hass, "stop_session"),
        call(hass, "resume_session"),
        return_exceptions=True,
    )
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") in ("paused", "stopped")
    final = value(hass, "sensor.alex_session_state")
    assert sum(not isinstance(r, Exception) for r in results) >= 1
    assert (final == "stopped") == ("stopped" in events)


async def test_thousand_flaps_keep_memory_bounded(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    hub = entry.runtime_data
    for i in range(1000):
        hass.states.async_set(OBSTACLE, "on" if i % 2 else "off")
    await hass.async_block_till_done()
    assert len(hub.engine.guard.readings) == len(hub.settings.sensor_ids)
    assert len(hub.engine.guard._last_sent) <= 2
    assert value(hass, "sensor.alex_path_hazard") == "obstacle"  # the last reading was on


def test_make_entry_is_isolated() -> None:
    first, second = make_entry("A"), make_entry("B")
    assert first.options is not second.options
    assert first.unique_id != second.unique_id
