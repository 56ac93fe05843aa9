"""State writes: each minute figure once a walking minute, on the minute; nothing while idle.

Every write is a recorder row and a message to every open dashboard. The figures that grow with
time are shown in whole minutes, so each is written when its minute changes, and the seconds in
between are counted by the dashboards from ``ends_at``.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest

from .helpers import advance, call, state, value
from .safety_helpers import OBSTACLE, Outside, setup_walker

pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")


@pytest.fixture(autouse=True)
def weekday_morning(freezer: FrozenDateTimeFactory) -> None:
    """A fixed Wednesday morning: local midnight, which rightly writes today's figures anew, is far."""
    freezer.move_to("2026-03-04 18:00:00+00:00")


WALK_MINUTES = 10
# The figures shown in whole minutes (the session state for its backward_minutes attribute).
MINUTE_FIGURES = frozenset(
    {
        "sensor.alex_elapsed",
        "sensor.alex_remaining",
        "sensor.alex_progress",
        "sensor.alex_session_energy",
        "sensor.alex_extra_energy_vs_forward",
        "sensor.alex_minutes_today",
        "sensor.alex_backward_minutes_today",
        "sensor.alex_minutes_this_week",
        "sensor.alex_backward_minutes_this_week",
        "sensor.alex_weekly_goal_progress",
        "sensor.alex_session_state",
    }
)
# What a change of direction writes.
PHASE = frozenset({"sensor.alex_current_phase", "event.alex_session_event"})


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
async def test_each_minute_figure_is_written_once_a_walking_minute_on_the_minute(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    program: str,
    phase_changes: int,
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session", {"duration": 20, "program": program})
    started = dt_util.utcnow()
    writes = count_writes(hass, entry.entry_id)
    elapsed = []
    for _ in range(WALK_MINUTES * 60):  # the timers fire late by up to a second, as when busy
        await advance(hass, freezer, 1, step=1)
        elapsed.append(float(value(hass, "sensor.alex_elapsed")))
    per_entity = Counter(e.data["entity_id"] for e in writes)
    assert set(per_entity) <= MINUTE_FIGURES | PHASE, per_entity
    assert all(count <= WALK_MINUTES for count in per_entity.values()), per_entity
    assert per_entity["sensor.alex_current_phase"] == phase_changes
    for figure in ("sensor.alex_elapsed", "sensor.alex_remaining", "sensor.alex_progress"):
        assert per_entity[figure] == WALK_MINUTES, figure
    # Written on the minute: the n-th minute's figures at n minutes walked, and correct then.
    for event in writes:
        if event.data["entity_id"] in MINUTE_FIGURES - PHASE and event.data["new_state"]:
            offset = (event.data["new_state"].last_updated - started).total_seconds()
            assert offset % 60 == pytest.approx(0, abs=1e-3) or offset % 60 == pytest.approx(60)
    assert elapsed[::60] == [float(minute) for minute in range(WALK_MINUTES)]
    assert elapsed[59::60] == [float(minute) for minute in range(1, WALK_MINUTES + 1)]
    assert float(value(hass, "sensor.alex_remaining")) == 20 - WALK_MINUTES
    assert float(value(hass, "sensor.alex_progress")) == 50.0
    assert float(value(hass, "sensor.alex_minutes_today")) == WALK_MINUTES


async def test_nothing_is_written_while_idle(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session", {"duration": 1})
    await advance(hass, freezer, 60)
    assert value(hass, "sensor.alex_session_state") == "completed"
    writes = count_writes(hass, entry.entry_id)
    await advance(hass, freezer, 10 * 60, step=1)
    assert writes == []


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
    # Only its backward minute was written (backward_minutes), with the same end.
    session_writes = [
        e.data["new_state"] for e in writes if e.data["entity_id"] == "sensor.alex_session_state"
    ]
    assert [s.attributes["backward_minutes"] for s in session_writes if s] == [1.0]
    assert {s.attributes["ends_at"] for s in session_writes if s} == {ends_at.isoformat()}
    await advance(hass, freezer, 10, step=1)
    completed = state(hass, "sensor.alex_session_state")
    assert completed.state == "completed"
    assert completed.last_changed == ends_at
    assert completed.attributes["ends_at"] is None
    assert float(value(hass, "sensor.alex_elapsed")) == 3.0


async def test_a_hazard_shows_the_pause_at_once_and_the_minutes_stay_whole(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session", {"duration": 20, "program": "forward5_backward1"})
    await advance(hass, freezer, 150, step=1)
    writes = count_writes(hass, entry.entry_id)
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()  # no time passes
    written = {e.data["entity_id"] for e in writes}
    assert {"sensor.alex_session_state", "binary_sensor.alex_path"} <= written
    # 2:30 walked: the figures of the second whole minute, the seconds for the card to count.
    assert "sensor.alex_elapsed" not in written
    session = state(hass, "sensor.alex_session_state")
    assert (session.state, session.attributes["pause_reason"]) == ("paused", "hazard")
    assert (session.attributes["ends_at"], session.attributes["remaining_seconds"]) == (None, 1050)
    assert float(value(hass, "sensor.alex_elapsed")) == 2.0
    phase = state(hass, "sensor.alex_current_phase")
    assert (phase.attributes["phase_ends_at"], phase.attributes["phase_remaining_seconds"]) == (
        None,
        150,
    )
    # The action's answer has the seconds.
    response = await call(hass, "stop_session")
    assert response["elapsed_minutes"] == 2.5
    assert float(value(hass, "sensor.alex_elapsed")) == 2.5  # a finished session's are exact


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
    assert value(hass, "sensor.alex_elapsed") == "1.0"
    assert entry.runtime_data.coordinator.last_update_success
