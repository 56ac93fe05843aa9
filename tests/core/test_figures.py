"""The minute figures: whole minutes walked while a session is in progress, written on the minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, strategies as st

from custom_components.backward_walking.core.figures import next_minute_at, shown_elapsed_s
from custom_components.backward_walking.core.programs import BUILTIN_PROGRAMS
from custom_components.backward_walking.core.safety import Reading, Role, SensorRule
from custom_components.backward_walking.core.session import PauseReason, SessionMachine
from custom_components.backward_walking.core.settings import WalkerSettings
from custom_components.backward_walking.core.walker import Walker

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def walking(target_s: float = 600) -> SessionMachine:
    machine = SessionMachine()
    machine.start(T0, BUILTIN_PROGRAMS["forward5_backward1"], target_s, 1.0)
    return machine


def test_whole_minutes_while_in_progress_and_exact_once_finished() -> None:
    machine = walking()
    session = machine.session
    assert session is not None
    assert shown_elapsed_s(session, at(59.9)) == 0
    assert shown_elapsed_s(session, at(60)) == 60
    assert shown_elapsed_s(session, at(59.9995)) == 60  # a timer a hair early still counts
    assert next_minute_at(session, at(0)) == at(60)
    assert next_minute_at(session, at(61)) == at(120)
    machine.pause(at(150), PauseReason.USER)
    assert (shown_elapsed_s(session, at(300)), next_minute_at(session, at(300))) == (120, None)
    machine.resume(at(400))
    assert next_minute_at(session, at(400)) == at(430)  # 2:30 walked: the third minute at 3:00
    assert next_minute_at(session, at(880)) is None  # the target (10:00) comes first
    machine.stop(at(500))
    assert shown_elapsed_s(session, at(900)) == 250
    assert next_minute_at(None, at(0)) is None


@given(
    st.floats(min_value=0.5, max_value=120 * 60),
    st.lists(st.floats(min_value=0, max_value=600), min_size=1, max_size=6),
)
def test_the_next_minute_is_within_a_minute_and_the_figures_never_shrink(
    target_s: float, gaps: list[float]
) -> None:
    machine = walking(target_s)
    session = machine.session
    assert session is not None
    now, shown = 0.0, 0.0
    for gap in gaps:
        now += gap
        machine.advance(at(now))
        figure = shown_elapsed_s(session, at(now))
        assert shown <= figure <= session.elapsed_at(at(now)) + 1e-3
        assert figure % 60 == 0 or figure == session.target_s or session.state.value != "running"
        due = next_minute_at(session, at(now))
        if due is not None:
            assert at(now) < due <= at(now + 60)
            assert shown_elapsed_s(session, due) == figure + 60
        shown = figure


def test_a_minute_passed_under_a_late_timer_is_shown_with_the_next_input() -> None:
    """The timer for the first minute runs late and a sensor's change comes first: the figures of
    that minute are shown with it, not a minute later (found in the shell's household test)."""
    engine = Walker(WalkerSettings("Alex", sensors=(SensorRule("b.moving", Role.ACTIVITY),)), UTC)
    engine.load({"b.moving": Reading("on", None, T0)}, T0)
    engine.tick(at(10))
    started = engine.start(at(10), "backward_only", 10, None, False)
    assert started.next_wakeup == at(40)  # the checkpoint save, then the first minute at 70
    engine.tick(at(40))
    late = engine.reading("b.moving", Reading("on", None, at(75)), at(75))
    assert late.changed
    assert engine.reading("b.moving", Reading("on", None, at(76)), at(76)).changed is False
