"""The coach's sensors come with the coach and go with it, and never pause a walk on the way."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.const import DOMAIN

from .helpers import OPTIONS, advance, call, make_entry, value

COACH = ("suggested_duration", "suggested_speed", "weekly_target", "weekly_target_progress")
INTEGRATION = er.RegistryEntryDisabler.INTEGRATION


def disabled(hass: HomeAssistant) -> dict[str, er.RegistryEntryDisabler | None]:
    registry = er.async_get(hass)
    found = {key: registry.async_get(f"sensor.alex_{key}") for key in COACH}
    return {key: entry.disabled_by if entry else INTEGRATION for key, entry in found.items()}


async def coach(hass: HomeAssistant, on: bool) -> None:
    await hass.services.async_call(
        "switch", "turn_on" if on else "turn_off", {"entity_id": "switch.alex_coach"}, blocking=True
    )
    await hass.async_block_till_done()


async def test_a_walker_set_up_with_the_coach_on_has_them_at_once(hass: HomeAssistant) -> None:
    entry = make_entry(coach_enabled=True)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert set(disabled(hass).values()) == {None}
    assert float(value(hass, "sensor.alex_suggested_duration")) == 5


async def test_switching_the_coach_on_and_off(
    hass: HomeAssistant, loaded: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    assert set(disabled(hass).values()) == {INTEGRATION}
    await coach(hass, True)
    assert set(disabled(hass).values()) == {None}
    await advance(hass, freezer, 31)  # Home Assistant reloads the walker to add them
    assert float(value(hass, "sensor.alex_weekly_target")) == 15
    await coach(hass, False)
    assert set(disabled(hass).values()) == {INTEGRATION}
    assert hass.states.get("sensor.alex_weekly_target") is None
    # Disabling needs no reload: nothing else changes.
    assert loaded.state is ConfigEntryState.LOADED


async def test_switched_on_while_walking_they_wait_for_the_end_of_the_session(
    hass: HomeAssistant, loaded: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await call(hass, "start_session")
    await coach(hass, True)
    await advance(hass, freezer, 60)
    # No reload while walking: the walk goes on.
    assert value(hass, "sensor.alex_session_state") == "running"
    assert set(disabled(hass).values()) == {INTEGRATION}
    await call(hass, "stop_session")
    assert set(disabled(hass).values()) == {None}
    await advance(hass, freezer, 31)
    assert value(hass, "sensor.alex_session_state") == "stopped"
    assert float(value(hass, "sensor.alex_suggested_duration")) > 0


async def test_a_sensor_the_user_disabled_stays_disabled(
    hass: HomeAssistant, loaded: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    er.async_get(hass).async_update_entity(
        "sensor.alex_suggested_speed", disabled_by=er.RegistryEntryDisabler.USER
    )
    await coach(hass, True)
    assert disabled(hass)["suggested_speed"] is er.RegistryEntryDisabler.USER
    assert disabled(hass)["suggested_duration"] is None


@pytest.mark.parametrize("coach_on", [False, True])
async def test_an_earlier_walkers_coach_sensors_are_set_like_a_new_walkers(
    hass: HomeAssistant, coach_on: bool
) -> None:
    """Walkers of release 1.1 had the four sensors enabled, "Unavailable" with the coach off."""
    old = MockConfigEntry(
        domain=DOMAIN,
        title="Alex",
        data={"name": "Alex", "person": None},
        options={**OPTIONS, "coach_enabled": coach_on},
        unique_id="alex",
        minor_version=1,
    )
    old.add_to_hass(hass)
    registry = er.async_get(hass)
    keys = ("suggested_duration", "suggested_speed", "coach_weekly_target", "coach_weekly_progress")
    for key, shown in zip(keys, COACH, strict=True):
        registry.async_get_or_create(
            "sensor",
            DOMAIN,
            f"{old.entry_id}_{key}",
            config_entry=old,
            suggested_object_id=f"alex_{shown}",
        )
    assert await hass.config_entries.async_setup(old.entry_id)
    await hass.async_block_till_done()
    assert disabled(hass) == dict.fromkeys(COACH, None if coach_on else INTEGRATION)
