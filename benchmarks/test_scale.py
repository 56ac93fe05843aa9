"""Set-up time per walker, the store after five years of daily sessions, and the memory of 20 walkers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
import json
from pathlib import Path
import resource
import time

from homeassistant.core import HomeAssistant
from homeassistant.util.json import load_json
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.core.stats import History, PauseEntry, SessionRecord

from .conftest import make_walker, record

SENSORS_PER_WALKER = 10


def _walker(name: str, sensors: list[str]) -> MockConfigEntry:
    return make_walker(
        name,
        {
            "obstacle_sensors": sensors[:4],
            "crossing_sensors": sensors[4:6],
            "activity_sensors": sensors[6:8],
            "fall_sensors": sensors[8:],
        },
    )


async def _set_up(hass: HomeAssistant, count: int, prefix: str) -> float:
    entries = []
    for n in range(count):
        sensors = [f"binary_sensor.{prefix}{n}_s{k}" for k in range(SENSORS_PER_WALKER)]
        for sensor in sensors:
            hass.states.async_set(sensor, "off")
        entry = _walker(f"{prefix}{n}", sensors)
        entry.add_to_hass(hass)
        entries.append(entry)
    start = time.perf_counter()
    for entry in entries:
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return (time.perf_counter() - start) * 1000 / count


def five_years() -> History:
    """A walker who walked every day for five years, one session a day, some paused."""
    history = History()
    first = date(2021, 11, 22)
    for offset in range(5 * 365):
        day = first + timedelta(days=offset)
        start = datetime(day.year, day.month, day.day, 17, tzinfo=UTC)
        pauses = (PauseEntry("user", start.isoformat(), 30.0),) if offset % 7 == 0 else ()
        history.add(
            SessionRecord(
                start,
                start + timedelta(minutes=15),
                True,
                "beginner_10",
                900,
                1.0,
                300,
                540,
                60,
                52.5,
                8.1,
                pauses,
            ),
            day,
        )
    return history


def rss_mb() -> float:
    """The process's resident memory now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def test_scale(hass: HomeAssistant, tmp_path: Path) -> None:
    one = await _set_up(hass, 1, "solo")  # pays the one-time import of the platforms
    before = rss_mb()
    twenty = await _set_up(hass, 20, "many")
    grown_mb = rss_mb() - before
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # The real file and the real loader: JSON from disk, then the history rebuilt from it.
    history = five_years()
    path = tmp_path / "backward_walking.years"
    data = {"session": None, "history": history.to_dict()}
    path.write_text(json.dumps({"version": 1, "minor_version": 1, "key": path.name, "data": data}))
    loads = []
    for _ in range(5):
        start = time.perf_counter()
        loaded = load_json(path)
        assert isinstance(loaded, dict)
        History.from_dict(loaded["data"]["history"])
        loads.append((time.perf_counter() - start) * 1000)
    assert len(history.sessions) == 200
    record(
        {
            "setup_ms_per_entry_1": round(one, 2),
            "setup_ms_per_entry_20": round(twenty, 2),
            "store_bytes_5y": path.stat().st_size,
            "store_load_ms_5y": round(min(loads), 2),
            "rss_growth_mb_20_walkers": round(grown_mb, 1),
            "peak_rss_mb_20_walkers": round(peak_mb, 1),
        }
    )
