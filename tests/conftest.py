"""Shared fixtures: a real Home Assistant core with the integration enabled."""

from __future__ import annotations

from collections.abc import Iterator
import re
from unittest.mock import PropertyMock, patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import make_entry
from .safety_helpers import Outside, install_outside, set_clear_hallway

# Home Assistant's frame helper logs these when code uses something deprecated or forbidden:
# "Detected that custom integration 'x' ...", or "Detected code that ..." when it names no integration.
DEPRECATION_REPORT = re.compile(r"Detected (that custom integration|code that)")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/ in every test."""


@pytest.fixture(autouse=True)
def no_deprecation_reports(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test in which Home Assistant reported a deprecated use, on any version.

    Such a report is only a log line; the next release turns the use into an error.
    """
    yield
    reports = [
        record.getMessage()
        for when in ("setup", "call", "teardown")
        for record in caplog.get_records(when)
        if DEPRECATION_REPORT.search(record.getMessage())
    ]
    assert not reports, "\n".join(reports)


@pytest.fixture
async def outside(hass: HomeAssistant) -> Outside:
    """A clear demo hallway, the phones and the speaker."""
    set_clear_hallway(hass)
    return install_outside(hass)


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create the entities that are off by default as enabled, as Home Assistant's own tests do."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


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
