"""State writes of an undisturbed walk, and of a walker left idle.

Every write is a row in the recorder (on a Raspberry Pi, on its SD card) and a message to every open
dashboard. A walker with a whole hallway of sensors, all reading fine, walks ten minutes of each
built-in program; the timers fire every second, as late as a busy loop lets them. The budget: each
figure shown in minutes is written at most once a walking minute (on the minute), the direction's
entities at its changes, and nothing at all while nobody walks.
"""

from __future__ import annotations

from collections import Counter

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from custom_components.backward_walking.core.programs import BUILTIN_PROGRAMS
from tests.helpers import advance
from tests.safety_helpers import SAFETY_OPTIONS, set_clear_hallway

from .conftest import make_walker, record

WALK_MINUTES = 10
IDLE_MINUTES = 10
# A change of direction writes the phase and the event entity; nothing else is written more
# often than once a walking minute.
DIRECTION = ("sensor.bench_current_phase", "event.bench_session_event")


async def test_state_writes_per_walking_minute(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # A fixed weekday morning: a walk across midnight or into a new week would count elsewhere.
    freezer.move_to("2026-03-04 18:00:00+00:00")
    set_clear_hallway(hass)
    entry = make_walker("bench", {**SAFETY_OPTIONS, "target_minutes": 2 * WALK_MINUTES})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await advance(hass, freezer, 10)  # every sensor reads clear for the hold
    hub = entry.runtime_data
    registry = er.async_get(hass)
    ours = {e.entity_id for e in er.async_entries_for_config_entry(registry, entry.entry_id)}
    writes: list[str] = []

    @callback
    def _count(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] in ours:
            writes.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, _count)
    per_program: dict[str, float] = {}
    per_figure = 0.0
    for program in BUILTIN_PROGRAMS:
        hub.start_session(program=program)
        await hass.async_block_till_done()
        writes.clear()
        await advance(hass, freezer, WALK_MINUTES * 60, step=1)
        per_program[program] = round(len(writes) / WALK_MINUTES, 2)
        figures = Counter(w for w in writes if w not in DIRECTION)
        per_figure = max(per_figure, max(figures.values()) / WALK_MINUTES)
        hub.stop_session()
        await hass.async_block_till_done()
    writes.clear()
    await advance(hass, freezer, IDLE_MINUTES * 60, step=1)
    idle = len(writes) / IDLE_MINUTES
    record(
        {
            "state_writes_per_walking_minute": max(per_program.values()),
            "state_writes_per_walking_minute_by_program": per_program,
            "state_writes_per_figure_per_walking_minute": per_figure,
            "state_writes_per_idle_minute": idle,
            "state_writes_entities": len(ours),
        }
    )
    assert per_figure <= 1, per_program
    assert idle == 0
