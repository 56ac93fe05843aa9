"""When the engine asks to be woken while walking: rarely, and never for a moment already past."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.backward_walking.core.session import EventType, SessionState
from custom_components.backward_walking.core.settings import EngineTimings, WalkerSettings
from custom_components.backward_walking.core.walker import Walker

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
MINUTES = 20


@pytest.mark.parametrize("coaching", ["off", "full"])
@pytest.mark.parametrize("program", ["backward_only", "forward5_backward1", "alternating_1_1"])
def test_an_undisturbed_walk_wakes_for_saves_and_changes_only(program: str, coaching: str) -> None:
    settings = WalkerSettings(
        name="Alex", program=program, target_minutes=MINUTES, coaching=coaching
    )
    engine = Walker(settings, UTC)
    engine.load({}, T0)
    fx = engine.start(T0)
    now, wakes, phase_changes = T0, 0, 0
    while engine.machine.state is SessionState.RUNNING:
        # A wake-up in the past would fire at once, again and again: a busy loop.
        assert fx.next_wakeup is not None
        assert fx.next_wakeup > now
        now = fx.next_wakeup
        fx = engine.tick(now)
        wakes += 1
        phase_changes += sum(1 for event in fx.events if event.type == EventType.PHASE_CHANGED)
    assert engine.machine.state is SessionState.COMPLETED
    assert now == T0 + timedelta(minutes=MINUTES)
    # A checkpoint save every 30 s, the direction changes and the completion; nothing for display.
    # Full coaching adds a lead before each change and the halfway and last-minute moments.
    cues = 0 if coaching == "off" else phase_changes + 2
    assert wakes <= MINUTES * 60 / EngineTimings().save_interval_s + phase_changes + 1 + cues
