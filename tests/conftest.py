"""Shared fixtures: a real Home Assistant core with the integration enabled."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.const import (
    CONF_PROGRAM,
    CONF_TARGET_MINUTES,
    CONF_WEEKLY_GOAL,
    DOMAIN,
    OPT_SPEED_MPH,
    OPT_WEIGHT_KG,
)

OPTIONS: dict[str, Any] = {
    OPT_WEIGHT_KG: 70.0,
    CONF_TARGET_MINUTES: 10,
    CONF_PROGRAM: "backward_only",
    OPT_SPEED_MPH: 1.0,
    CONF_WEEKLY_GOAL: 60,
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/ in every test."""


def make_entry(name: str = "Alex", **options: Any) -> MockConfigEntry:
    """A walker entry as the config flow would create it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=name,
        data={"name": name, "person": None},
        options={**OPTIONS, **options},
        unique_id=name.lower(),
    )


@pytest.fixture
def entry(hass: HomeAssistant) -> MockConfigEntry:
    """One walker, added but not yet set up."""
    walker = make_entry()
    walker.add_to_hass(hass)
    return walker


@pytest.fixture
async def loaded(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """One walker, set up."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry
