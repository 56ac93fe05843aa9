"""Timing of spoken coaching: how late a cue reaches the speaker after its planned moment.

A walker walks a program of 5-second stretches (a lead a second before each change) for three
minutes in real time, not on a frozen clock, while the home around it writes unrelated states
200 times a second. The speaker's ``tts.speak`` notes the moment it is called; each cue's planned
moment is the session's start plus its position in the walk. The error is the difference, in
milliseconds: the wake-up's own lateness plus the engine's step and the start of the service call.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from datetime import datetime, timedelta
import statistics

from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.util import dt as dt_util

from custom_components.backward_walking.core.cues import SAY_S, plan
from custom_components.backward_walking.core.options import CoachingMode
from custom_components.backward_walking.core.session import Finished

from .conftest import make_walker, record

MINUTES = 3
LEAD_S = 1
GOAL_MS = 250  # p99


async def _busy_home(hass: HomeAssistant) -> None:
    """Unrelated entities changing state 200 times a second, as a home full of sensors does."""
    tick = 0
    while True:
        tick += 1
        hass.states.async_set(f"sensor.bench_power_{tick % 20}", str(tick))
        await asyncio.sleep(0.005)


async def test_cue_timing_error(hass: HomeAssistant) -> None:
    hass.states.async_set("media_player.bench_speaker", "idle")
    hass.states.async_set("tts.bench", "unknown")
    heard: list[datetime] = []

    async def speak(call: ServiceCall) -> None:
        heard.append(dt_util.utcnow())

    hass.services.async_register("tts", "speak", speak)
    entry = make_walker(
        "bench",
        {
            "custom_programs": {"Quick": "F5s B5s"},
            "program": "Quick",
            "target_minutes": MINUTES,
            "media_player": "media_player.bench_speaker",
            "tts_entity": "tts.bench",
            "coaching": "changes",
            "coaching_lead_seconds": LEAD_S,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    hub = entry.runtime_data
    load = hass.async_create_background_task(_busy_home(hass), "bench busy home")
    try:
        completed = asyncio.Event()
        hub.async_add_event_listener(
            lambda event: completed.set() if isinstance(event, Finished) else None
        )
        hub.start_session()
        await completed.wait()
    finally:
        load.cancel()
        with suppress(asyncio.CancelledError):
            await load
    # The completion's cue (the busy home is a background task too: it is stopped first).
    await hass.async_block_till_done(wait_background_tasks=True)
    session = hub.engine.machine.session
    assert session is not None
    # The start's cue keeps the seconds it takes to say free of other cues.
    positions = [p.at_s for p in plan(session, CoachingMode.CHANGES, LEAD_S, SAY_S)]
    planned = [session.started_at + timedelta(seconds=at) for at in positions]
    spoken = heard[1:-1]  # without the start and the completion, which come from events
    assert len(spoken) == len(planned), (len(spoken), len(planned))
    errors = [
        (said - due).total_seconds() * 1000 for said, due in zip(spoken, planned, strict=True)
    ]
    assert min(errors) >= 0, "a cue said before its moment"
    cuts = statistics.quantiles(errors, n=100, method="inclusive")
    p50, p99 = round(cuts[49], 2), round(cuts[98], 2)
    record(
        {
            "cue_timing_error_ms": p99,
            "cue_timing_error_ms_p50": p50,
            "cue_timing_error_ms_max": round(max(errors), 2),
            "cue_timing_samples": len(errors),
        }
    )
    assert p99 <= GOAL_MS
