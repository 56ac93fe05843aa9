"""Every action error: a translated message, and nothing changes."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import call, make_entry, press, value


async def _refused(hass: HomeAssistant, service: str, data: dict[str, Any], key: str) -> None:
    before = {s.entity_id: s.state for s in hass.states.async_all()}
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, data)
    assert err.value.translation_domain == "backward_walking"
    assert err.value.translation_key == key
    # The message is the translated one, with its placeholders filled in.
    assert "{" not in str(err.value)
    assert str(err.value) not in ("", key)
    assert {s.entity_id: s.state for s in hass.states.async_all()} == before


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"duration": 0}, "invalid_duration"),
        ({"duration": 121}, "invalid_duration"),
        ({"duration": "ten"}, "invalid_duration"),
        ({"duration": True}, "invalid_duration"),
        ({"duration": [5]}, "invalid_duration"),
        ({"speed": 0.1}, "invalid_speed"),
        ({"speed": 7}, "invalid_speed"),
        ({"speed": "fast"}, "invalid_speed"),
        ({"program": "moonwalk"}, "unknown_program"),
        ({"program": ""}, "invalid_text"),
        ({"program": "x" * 300}, "invalid_text"),
        ({"program": 5}, "invalid_text"),
        ({"config_entry_id": "nope"}, "walker_not_found"),
        ({"config_entry_id": 42}, "invalid_text"),
        ({"device_id": "nope"}, "walker_not_found"),
    ],
)
async def test_start_rejects_bad_input(hass: HomeAssistant, data: dict[str, Any], key: str) -> None:
    await _refused(hass, "start_session", data, key)
    assert value(hass, "sensor.alex_session_state") == "idle"


@pytest.mark.usefixtures("loaded")
async def test_numbers_as_text_are_accepted(hass: HomeAssistant) -> None:
    response = await call(hass, "start_session", {"duration": "15", "speed": "2.5"})
    assert response["target_minutes"] == 15


@pytest.mark.usefixtures("loaded")
async def test_wrong_state_is_refused(hass: HomeAssistant) -> None:
    await _refused(hass, "pause_session", {}, "cannot_pause")
    await _refused(hass, "resume_session", {}, "cannot_resume")
    await _refused(hass, "stop_session", {}, "cannot_stop")
    await call(hass, "start_session")
    await _refused(hass, "start_session", {}, "cannot_start")
    await _refused(hass, "resume_session", {}, "cannot_resume")
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, "resume")
    assert err.value.translation_key == "cannot_resume"


async def test_two_walkers_need_a_target(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    robin = make_entry("Robin")
    robin.add_to_hass(hass)
    assert await hass.config_entries.async_setup(robin.entry_id)
    await _refused(hass, "start_session", {}, "walker_required")
    await call(hass, "start_session", {"config_entry_id": robin.entry_id})
    assert value(hass, "sensor.robin_session_state") == "running"
    assert value(hass, "sensor.alex_session_state") == "idle"
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), loaded.entry_id)
    await call(hass, "start_session", {"device_id": device.id})
    assert value(hass, "sensor.alex_session_state") == "running"
    # A device and an entry that name different walkers are refused.
    await _refused(
        hass,
        "stop_session",
        {"device_id": device.id, "config_entry_id": robin.entry_id},
        "walker_mismatch",
    )


async def test_device_of_another_integration(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    other = MockConfigEntry(domain="demo")
    other.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("demo", "x")}
    )
    await _refused(hass, "start_session", {"device_id": device.id}, "not_a_walker")
    await _refused(hass, "start_session", {"config_entry_id": other.entry_id}, "not_a_walker")


async def test_unloaded_walker(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    assert await hass.config_entries.async_unload(loaded.entry_id)
    await _refused(hass, "start_session", {}, "walker_not_loaded")


async def test_no_walker_at_all(hass: HomeAssistant) -> None:
    from homeassistant.setup import async_setup_component

    assert await async_setup_component(hass, "backward_walking", {})
    await _refused(hass, "start_session", {}, "walker_required")
