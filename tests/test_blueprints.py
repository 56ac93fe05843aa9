"""The blueprints load in a real core and do what they say."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from .helpers import advance, call, eventually, value
from .safety_helpers import FALL, OBSTACLE, Outside, setup_walker

BLUEPRINTS = Path(__file__).parent.parent / "blueprints" / "automation" / "backward_walking"


@pytest.fixture
def blueprint_dir(hass: HomeAssistant, tmp_path: Path) -> None:
    """A config directory holding the project's blueprints, as an import would place them."""
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints" / "automation" / "backward_walking")


async def automation(hass: HomeAssistant, name: str, inputs: dict[str, Any]) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {"automation": [{"use_blueprint": {"path": f"backward_walking/{name}", "input": inputs}}]},
    )
    await hass.async_block_till_done()
    [state] = hass.states.async_all("automation")
    assert state.state == "on", state.attributes


def device_of(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return device.id


@pytest.mark.usefixtures("blueprint_dir")
async def test_start_from_a_button_or_tag(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    hass.states.async_set("input_button.hallway_walk", "2026-01-01T00:00:00+00:00")
    await automation(
        hass,
        "start_from_button.yaml",
        {
            "walker": device_of(hass, entry),
            "button": ["input_button.hallway_walk"],
            "tag_id": "tag-1",
            "duration": 12,
        },
    )
    hass.states.async_set("input_button.hallway_walk", "2026-01-01T00:00:01+00:00")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"
    assert value(hass, "sensor.alex_remaining") == "12.0"
    await call(hass, "stop_session")
    hass.bus.async_fire("tag_scanned", {"tag_id": "other"})
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "stopped"
    hass.bus.async_fire("tag_scanned", {"tag_id": "tag-1"})
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"


@pytest.mark.usefixtures("blueprint_dir")
async def test_announce_and_flash(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer, media_player=None, tts_entity=None)
    flashes = async_mock_service(hass, "light", "turn_on")
    await automation(
        hass,
        "announce_hazards.yaml",
        {
            "events": "event.alex_session_event",
            "speaker": "media_player.hallway_speaker",
            "tts_engine": "tts.home",
            "lights": ["light.hallway"],
        },
    )
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on")
    await eventually(hass, lambda: flashes)
    assert outside.spoken == ["Stop, please. The path behind you is not clear."]
    assert flashes[0].data == {"entity_id": ["light.hallway"], "flash": "long"}
    hass.states.async_set(FALL, "on")
    await eventually(hass, lambda: any(text.startswith("Are you OK?") for text in outside.spoken))


@pytest.mark.usefixtures("blueprint_dir")
async def test_caregiver_is_told(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    await automation(
        hass,
        "notify_caregiver.yaml",
        {
            "events": "event.alex_session_event",
            "notify_action": "notify.carer_phone",
            "walker_name": "Alex",
        },
    )
    await call(hass, "start_session", {"duration": 1})
    hass.states.async_set(OBSTACLE, "on")
    await eventually(hass, lambda: outside.to("carer_phone"))
    assert (
        outside.to("carer_phone")[-1]["message"]
        == "Alex's session was paused: a hazard on the path."
    )
    hass.states.async_set(OBSTACLE, "off")
    await hass.async_block_till_done()
    await advance(hass, freezer, 6)
    await call(hass, "resume_session")
    await advance(hass, freezer, 60)
    await eventually(hass, lambda: len(outside.to("carer_phone")) == 2)
    assert (
        outside.to("carer_phone")[-1]["message"]
        == "Alex completed 1.0 minutes of backward walking."
    )
    await call(hass, "start_session", {"duration": 1})
    await call(hass, "request_help")
    told = "Alex's session was paused: Alex asked for help."
    await eventually(hass, lambda: any(m["message"] == told for m in outside.to("carer_phone")))
    # Who took care of it (the event's new `by`).
    await call(hass, "acknowledge_emergency")
    handled = "An automation is taking care of Alex."
    await eventually(hass, lambda: any(m["message"] == handled for m in outside.to("carer_phone")))
