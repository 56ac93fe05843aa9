"""Benchmarks run a real Home Assistant core like the tests, outside the normal test run."""

from __future__ import annotations

import json
import logging
from pathlib import Path
import platform
import sys
from typing import Any

from homeassistant.const import EVENT_LOGGING_CHANGED, __version__ as ha_version
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.const import DOMAIN

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
PINNED = ROOT / "requirements.txt"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/."""


@pytest.fixture(autouse=True)
def quiet_logs(hass: HomeAssistant) -> None:
    """Run as a production instance does: debug logging and asyncio's debug mode (on in the test
    harness) would dominate the microseconds measured."""
    hass.loop.set_debug(False)
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("homeassistant").setLevel(logging.WARNING)
    hass.bus.async_fire(EVENT_LOGGING_CHANGED)


def record(results: dict[str, Any]) -> None:
    """Merge ``results`` into bench/results-ha-<version>.json (and results.json for the pinned
    release) and print them."""
    stamp = {
        "ha_version": ha_version,
        "python_version": platform.python_version(),
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
    }
    paths = [RESULTS.with_name(f"results-ha-{ha_version}.json")]
    if f"homeassistant=={ha_version}" in PINNED.read_text():
        paths.append(RESULTS)  # results.json is the run on the pinned release (scripts/bench)
    for path in paths:
        path.parent.mkdir(exist_ok=True)
        current = json.loads(path.read_text()) if path.exists() else {}
        current.update(stamp)
        current.update(results)
        path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    width = max(len(key) for key in results)
    sys.stdout.write(
        "\n" + "\n".join(f"{key:<{width}}  {value}" for key, value in results.items()) + "\n"
    )


def make_walker(name: str, options: dict[str, Any]) -> MockConfigEntry:
    """A walker entry for the benchmarks, with the defaults every walker has."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=name,
        unique_id=name,
        data={"name": name, "person": None},
        options={
            "weight_kg": 70.0,
            "target_minutes": 15,
            "program": "backward_only",
            "speed_mph": 1.0,
            **options,
        },
    )
