"""What the path's entities and the check-in show beyond the verdict: holds, overrides and why.

The card counts "clearing… 4 s" and "ready in 4 s" from ``clears_at``, enables Resume only for
reasons not ``overridden``, and says why a check-in opened. Each of these is written on its
transition only.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .helpers import advance, call, reload, state
from .safety_helpers import ACTIVITY, CROSSING, FALL, OBSTACLE, Outside, setup_walker
from .test_state_writes import count_writes


def reasons(hass: HomeAssistant) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = state(hass, "binary_sensor.alex_path").attributes["reasons"]
    assert state(hass, "sensor.alex_path_hazard").attributes["reasons"] == found
    return found


async def test_a_cleared_hazard_shows_when_its_hold_ends(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    assert "clears_at" not in reasons(hass)[0]
    await advance(hass, freezer, 2)
    hass.states.async_set(OBSTACLE, "off", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    off_at = dt_util.utcnow()
    [held] = reasons(hass)
    assert (held["hazard"], held["name"]) == ("obstacle", "Hallway beam")
    assert held["clears_at"] == (off_at + timedelta(seconds=5)).isoformat()
    writes = count_writes(hass, entry.entry_id)
    await advance(hass, freezer, 4.9, step=0.1)
    assert writes == []  # the hold counts down on the card, not in the recorder
    await advance(hass, freezer, 0.2, step=0.1)
    assert reasons(hass) == []


async def test_after_a_reload_every_sensor_says_when_it_is_ready(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await reload(hass, entry)
    loaded_at = dt_util.utcnow()
    checking = reasons(hass)
    assert {r["hazard"] for r in checking} == {"checking"}
    assert {r["clears_at"] for r in checking} == {(loaded_at + timedelta(seconds=5)).isoformat()}


async def test_what_a_forced_start_overrode_is_marked(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    hass.states.async_set(CROSSING, "on")
    await hass.async_block_till_done()
    assert "overridden" not in reasons(hass)[0]
    await call(hass, "start_session", {"force": True})
    [crossing] = reasons(hass)
    assert (crossing["hazard"], crossing["overridden"]) == ("crossing", True)
    await call(hass, "stop_session")
    assert "overridden" not in reasons(hass)[0]


def why(hass: HomeAssistant) -> tuple[str, Any, Any]:
    attributes = state(hass, "sensor.alex_check_in").attributes
    return attributes["cause"], attributes["fall_sensors"], attributes["no_movement_seconds"]


async def test_the_check_in_says_why_it_opened(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    assert why(hass) == ("fall", [FALL], None)
    await reload(hass, entry)  # a restart keeps why
    assert why(hass) == ("fall", [FALL], None)
    hass.states.async_set(FALL, "off")
    await hass.async_block_till_done()
    await call(hass, "acknowledge_check_in")
    await advance(hass, freezer, 6)
    assert why(hass) == (None, [], None)
    await call(hass, "resume_session")
    hass.states.async_set(ACTIVITY, "off")
    await advance(hass, freezer, 125, step=1)
    assert why(hass) == ("inactivity", [], 120)
    await call(hass, "request_help")
    assert why(hass) == ("inactivity", [], 120)
    await call(hass, "acknowledge_emergency")
    await call(hass, "request_help")
    assert why(hass) == ("help", [], None)


async def test_an_overridden_reason_clearing_still_shows_its_hold(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    hass.states.async_set(CROSSING, "on")
    await hass.async_block_till_done()
    await call(hass, "start_session", {"force": True})
    hass.states.async_set(CROSSING, "off")
    await hass.async_block_till_done()
    [crossing] = reasons(hass)
    assert crossing["overridden"] is True
    assert crossing["clears_at"] == (dt_util.utcnow() + timedelta(seconds=5)).isoformat()
