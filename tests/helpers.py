"""Helpers shared by the integration tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from unittest.mock import patch
from uuid import uuid4

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import storage
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.backward_walking.const import (
    CONF_PROGRAM,
    CONF_TARGET_MINUTES,
    CONF_WEEKLY_GOAL,
    DOMAIN,
    OPT_SPEED_MPH,
    OPT_WEIGHT_KG,
)

# Taken before the test harness replaces them with in-memory versions.
REAL_LOAD = storage.Store._async_load
REAL_WRITE = storage.Store._async_write_data

OPTIONS: dict[str, Any] = {
    OPT_WEIGHT_KG: 70.0,
    CONF_TARGET_MINUTES: 10,
    CONF_PROGRAM: "backward_only",
    OPT_SPEED_MPH: 1.0,
    CONF_WEEKLY_GOAL: 60,
}


def make_entry(name: str = "Alex", **options: Any) -> MockConfigEntry:
    """A walker entry as the config flow would create it (its unique ID made once, at random)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=name,
        data={"name": name, "person": None},
        options={**OPTIONS, **options},
        unique_id=uuid4().hex,
        minor_version=2,
    )


async def add_walker(hass: HomeAssistant, name: str) -> MockConfigEntry:
    """Another walker, set up (without sensors)."""
    walker = make_entry(name)
    walker.add_to_hass(hass)
    assert await hass.config_entries.async_setup(walker.entry_id)
    await hass.async_block_till_done()
    return walker


def answered(hass: HomeAssistant, walker: str = "alex") -> tuple[str, str]:
    """The walker's last event and who it says answered (``by``)."""
    attributes = state(hass, f"event.{walker}_session_event").attributes
    return attributes["event_type"], attributes["by"]


def state(hass: HomeAssistant, entity_id: str) -> State:
    """The state of ``entity_id``; fails the test when it does not exist."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current


def value(hass: HomeAssistant, entity_id: str) -> str:
    """The state string of ``entity_id``."""
    return state(hass, entity_id).state


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float, step: float = 5
) -> None:
    """Let ``seconds`` pass in steps of ``step`` so that every timer on the way fires."""
    remaining = seconds
    while remaining > 0:
        tick = min(remaining, step)
        freezer.tick(timedelta(seconds=tick))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        remaining -= tick


async def call(
    hass: HomeAssistant, service: str, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Call one of the integration's actions and return its response."""
    response = await hass.services.async_call(
        DOMAIN, service, data or {}, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


async def press(hass: HomeAssistant, key: str) -> None:
    """Press one of the walker's buttons."""
    await hass.services.async_call(
        "button", "press", {"entity_id": f"button.alex_{key}_session"}, blocking=True
    )


async def reload(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload and set up the entry again, as a restart of Home Assistant does."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def eventually(hass: HomeAssistant, done: Callable[[], object], rounds: int = 200) -> None:
    """Run the loop until ``done()`` holds: an automation triggered by our entities is a few hops away."""
    for _ in range(rounds):
        if done():
            return
        await asyncio.sleep(0)
        await hass.async_block_till_done()
    assert done(), "condition not met"


@contextmanager
def real_files() -> Iterator[None]:
    """Let every Store read and write real files under ``hass.config.config_dir``."""
    with (
        patch.object(storage.Store, "_async_load", REAL_LOAD),
        patch.object(storage.Store, "_async_write_data", REAL_WRITE),
    ):
        yield
