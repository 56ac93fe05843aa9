"""Statistics on the right local day: midnight, streaks, time zone."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import advance, call, value

# Some of these entities are off by default; the tests read them all.
pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")


async def test_session_spanning_midnight_counts_on_its_start_day(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-03-04 23:55:00-08:00")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await call(hass, "start_session")
    await advance(hass, freezer, 10 * 60)
    assert value(hass, "sensor.alex_session_state") == "completed"
    # Now 00:05 on the next day: the session belongs to yesterday, the streak is still alive.
    assert float(value(hass, "sensor.alex_minutes_today")) == 0
    assert float(value(hass, "sensor.alex_minutes_this_week")) == 10
    assert value(hass, "sensor.alex_current_streak") == "1"
    # Two midnights later the streak is broken, with no event needed but the clock.
    await advance(hass, freezer, 2 * 24 * 3600, step=600)
    assert value(hass, "sensor.alex_current_streak") == "0"
    assert value(hass, "sensor.alex_longest_streak") == "1"
    # Next Monday the week starts again.
    await advance(hass, freezer, 3 * 24 * 3600, step=600)
    assert float(value(hass, "sensor.alex_minutes_this_week")) == 0
