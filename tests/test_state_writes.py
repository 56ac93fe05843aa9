"""Timer-style writes: an undisturbed walk rewrites almost nothing; transitions show at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest

from .helpers import advance, call, state, value
from .safety_helpers import OBSTACLE, Outside, setup_walker

pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")

WALK_MINUTES = 10
# Generous: the benchmark (benchmarks/test_writes.py) measures it; 73 a minute before.
MAX_WRITES_PER_MINUTE = 3


def count_writes(hass: HomeAssistant, entry_id: str) -> list[Event[EventStateChangedData]]:
    """Every state_changed event of the walker's entities from now on (attribute-only too)."""
    ours = {e.entity_id for e in er.async_entries_for_config_entry(er.async_get(hass), entry_id)}
    seen: list[Event[EventStateChangedData]] = []

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] in ours:
            seen.append(event)

    hass.bus.async_listen(EVENT_STATE_CHANGED, _changed)
    return seen


@pytest.mark.parametrize(
    ("program", "phase_changes"),
    [("backward_only", 0), ("forward5_backward1", 2), ("alternating_1_1", 10)],
)
async def test_an_undisturbed_walk_writes_at_most_a_few_states_a_minute(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    program: str,
    phase_changes: int,
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session", {"duration": 20, "program": program})
    writes = count_writes(hass, entry.entry_id)
    await advance(hass, freezer, WALK_MINUTES * 60, step=1)
    assert len(writes) <= MAX_WRITES_PER_MINUTE * WALK_MINUTES, [
        (e.data["entity_id"], e.data["new_state"]) for e in writes
    ]
    # What was written are the direction changes, each shown by the phase and the event entity.
    phases = [e for e in writes if e.data["entity_id"] == "sensor.alex_current_phase"]
    assert len(phases) == phase_changes
    written = {e.data["entity_id"] for e in writes}
    assert written <= {"sensor.alex_current_phase", "event.alex_session_event"}
    # The walk went on all along: a pause shows the minutes at once.
    await call(hass, "pause_session")
    assert float(value(hass, "sensor.alex_elapsed")) == WALK_MINUTES


async def test_timestamps_stay_put_while_walking_and_count_to_the_completion(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session", {"duration": 3, "program": "alternating_1_1"})
    session = state(hass, "sensor.alex_session_state")
    ends_at = datetime.fromisoformat(session.attributes["ends_at"])
    started_at = datetime.fromisoformat(session.attributes["started_at"])
    assert ends_at - started_at == timedelta(minutes=3)
    writes = count_writes(hass, entry.entry_id)
    await advance(hass, freezer, 170, step=1)
    assert state(hass, "sensor.alex_session_state").attributes["ends_at"] == ends_at.isoformat()
    assert not [e for e in writes if e.data["entity_id"] == "sensor.alex_session_state"]
    await advance(hass, freezer, 10, step=1)
    completed = state(hass, "sensor.alex_session_state")
    assert completed.state == "completed"
    assert completed.last_changed == ends_at
    assert completed.attributes["ends_at"] is None
    assert float(value(hass, "sensor.alex_elapsed")) == 3.0


async def test_a_hazard_shows_the_pause_and_the_minutes_at_once(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session", {"duration": 20, "program": "forward5_backward1"})
    await advance(hass, freezer, 150, step=1)
    writes = count_writes(hass, entry.entry_id)
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()  # no time passes
    written = {e.data["entity_id"] for e in writes}
    assert {
        "sensor.alex_session_state",
        "sensor.alex_elapsed",
        "binary_sensor.alex_path",
    } <= written
    session = state(hass, "sensor.alex_session_state")
    assert (session.state, session.attributes["pause_reason"]) == ("paused", "hazard")
    assert (session.attributes["ends_at"], session.attributes["remaining_seconds"]) == (None, 1050)
    assert float(value(hass, "sensor.alex_elapsed")) == 2.5
    phase = state(hass, "sensor.alex_current_phase")
    assert (phase.attributes["phase_ends_at"], phase.attributes["phase_remaining_seconds"]) == (
        None,
        150,
    )


async def test_asking_for_an_update_fetches_nothing_and_writes_nothing_new(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session", {"duration": 20})
    await advance(hass, freezer, 90, step=1)
    assert await async_setup_component(hass, "homeassistant", {})
    writes = count_writes(hass, entry.entry_id)
    await hass.services.async_call(
        "homeassistant",
        "update_entity",
        {"entity_id": ["sensor.alex_elapsed", "sensor.alex_session_state"]},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert writes == []
    assert value(hass, "sensor.alex_elapsed") == "0.0"
    assert entry.runtime_data.coordinator.last_update_success
