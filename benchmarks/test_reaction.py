"""Reaction time of the safety monitor, against a bare listener and a YAML automation, and the cost
of unrelated state changes. Ratios are measured in one run on one machine."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import gc
from pathlib import Path
import statistics
import sys
import time
from types import FrameType
from typing import Any

from homeassistant.core import Event, HomeAssistant, ServiceCall, callback
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

import custom_components.backward_walking
from custom_components.backward_walking.const import DOMAIN
from custom_components.backward_walking.core.session import SessionState

from .conftest import make_walker, record

ROUNDS = 400
FLOOD = 100_000
BEAM = "binary_sensor.bench_beam"


def _walker(name: str, sensors: list[str]) -> MockConfigEntry:
    return make_walker(
        name,
        {
            "target_minutes": 120,
            "obstacle_sensors": sensors,
            "clear_hold_seconds": 0,
            "inactivity_seconds": 0,
        },
    )


async def _until(flag: Callable[[], bool]) -> None:
    # Polling one loop iteration at a time: an asyncio.Event would add its own scheduling to the time.
    while not flag():  # noqa: ASYNC110
        await asyncio.sleep(0)


def _pcts(samples: list[int]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49] / 1000, cuts[98] / 1000  # ns → µs


async def test_reaction_and_flood(hass: HomeAssistant) -> None:
    gc.disable()  # a collection in the middle of a round would be noise, not reaction time
    try:
        results = await _reaction(hass)
    finally:
        gc.enable()
    results.update(await _flood(hass))
    record(results)


async def _reaction(hass: HomeAssistant) -> dict[str, Any]:
    """Three ways to react to a sensor turning on, measured in interleaved rounds.

    Every round starts the same way (all three sensors off, the walker walking again, the loop
    idle), so the three see the same machine state and the same caches.
    """
    hass.states.async_set(BEAM, "off")
    entry = _walker("bench", [BEAM])
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    hub = entry.runtime_data
    hub.start_session()

    stamps: dict[str, int] = {}
    machine_pause = hub.engine.machine.pause
    refresh = hub._refresh

    def timed_pause(*args: Any) -> Any:
        result = machine_pause(*args)
        stamps.setdefault("paused", time.perf_counter_ns())
        return result

    def timed_refresh(*args: Any) -> None:
        refresh(*args)
        if "paused" in stamps:
            stamps.setdefault("written", time.perf_counter_ns())

    hub.engine.machine.pause = timed_pause
    hub._refresh = timed_refresh

    @callback
    def bare_listener(_event: Event) -> None:
        stamps.setdefault("bare", time.perf_counter_ns())

    async_track_state_change_event(hass, ["binary_sensor.bare"], bare_listener)

    async def handler(_call: ServiceCall) -> None:
        stamps.setdefault("automation", time.perf_counter_ns())

    hass.services.async_register("bench", "record", handler)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [{"trigger": "state", "entity_id": "binary_sensor.auto", "to": "on"}],
                "actions": [{"action": "bench.record"}],
                "mode": "queued",
                "max": 10000,
            }
        },
    )
    await hass.async_block_till_done()

    samples: dict[str, list[int]] = {"paused": [], "written": [], "bare": [], "automation": []}
    trigger = {"paused": BEAM, "bare": "binary_sensor.bare", "automation": "binary_sensor.auto"}
    for round_ in range(ROUNDS * 3):
        kind = ("paused", "bare", "automation")[round_ % 3]
        for entity_id in trigger.values():
            hass.states.async_set(entity_id, "off")
        await hass.async_block_till_done()
        if hub.engine.machine.state is SessionState.PAUSED:
            hub.resume_session()
        await hass.async_block_till_done()
        stamps.clear()
        start = time.perf_counter_ns()
        hass.states.async_set(trigger[kind], "on")
        await _until(lambda kind=kind: kind in stamps)
        samples[kind].append(stamps[kind] - start)
        if kind == "paused":
            await _until(lambda: "written" in stamps)
            samples["written"].append(stamps["written"] - start)
    assert all(len(values) == ROUNDS for values in samples.values())

    reaction_p50, reaction_p99 = _pcts(samples["paused"])
    entities_p50, entities_p99 = _pcts(samples["written"])
    bare_p50, bare_p99 = _pcts(samples["bare"])
    auto_p50, auto_p99 = _pcts(samples["automation"])
    return {
        "reaction_p50_us": round(reaction_p50, 1),
        "reaction_p99_us": round(reaction_p99, 1),
        "reaction_with_entities_p50_us": round(entities_p50, 1),
        "reaction_with_entities_p99_us": round(entities_p99, 1),
        "bare_listener_p50_us": round(bare_p50, 1),
        "bare_listener_p99_us": round(bare_p99, 1),
        "automation_p50_us": round(auto_p50, 1),
        "automation_p99_us": round(auto_p99, 1),
        "ratio_vs_automation": round(auto_p50 / reaction_p50, 2),
        "ratio_vs_bare": round(reaction_p50 / bare_p50, 2),
        "reaction_rounds": ROUNDS,
    }


async def _flood_cpu(hass: HomeAssistant) -> float:
    gc.collect()
    start = time.thread_time()  # the event loop's thread only: executor threads are not ours
    for i in range(FLOOD):
        hass.states.async_set(f"sensor.unrelated_{i % 200}", str(i))
        if i % 1000 == 999:
            await hass.async_block_till_done()
    await hass.async_block_till_done()
    return time.thread_time() - start


async def _calls_into_integration(hass: HomeAssistant) -> int:
    """Python calls into the integration's code during 10,000 unrelated changes (deterministic)."""
    package = str(Path(custom_components.backward_walking.__file__).parent)
    calls = 0

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        nonlocal calls
        if event == "call" and frame.f_code.co_filename.startswith(package):
            calls += 1

    sys.setprofile(profile)
    try:
        for i in range(10_000):
            hass.states.async_set(f"sensor.unrelated_{i % 200}", f"x{i}")
        await hass.async_block_till_done()
    finally:
        sys.setprofile(None)
    return calls


async def _flood(hass: HomeAssistant) -> dict[str, Any]:
    # Without: no walker is loaded (the reaction walker is unloaded); with: five walkers, ten sensors each.
    for entry in hass.config_entries.async_entries(DOMAIN):
        assert await hass.config_entries.async_unload(entry.entry_id)
    await _flood_cpu(hass)  # warm-up: every unrelated entity exists before measuring
    without, with_walkers = [], []
    entries = []
    for n in range(5):
        sensors = [f"binary_sensor.walker{n}_s{k}" for k in range(10)]
        for sensor in sensors:
            hass.states.async_set(sensor, "off")
        entry = _walker(f"flood{n}", sensors)
        entry.add_to_hass(hass)
        entries.append(entry)

    async def set_up(loaded: bool) -> None:
        for entry in entries:
            if loaded:
                assert await hass.config_entries.async_setup(entry.entry_id)
            else:
                assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()

    # Alternate the order so that neither side always runs first; take each side's best run.
    for pair in range(10):
        for loaded in (False, True) if pair % 2 == 0 else (True, False):
            await set_up(loaded)
            (with_walkers if loaded else without).append(await _flood_cpu(hass))
        await set_up(False)
    await set_up(True)
    calls = await _calls_into_integration(hass)
    await set_up(False)
    return {
        "flood_calls_into_integration": calls,
        "flood_state_changes": FLOOD,
        "flood_cpu_s_without": round(min(without), 3),
        "flood_cpu_s_with_5_walkers": round(min(with_walkers), 3),
        "flood_cpu_ratio": round(min(with_walkers) / min(without), 3),
    }
