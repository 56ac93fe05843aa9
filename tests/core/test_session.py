"""Session state machine: transitions, elapsed time, completion, persistence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
import pytest

from custom_components.backward_walking.core.programs import (
    BUILTIN_PROGRAMS,
    Direction,
    Program,
    parse_segments,
)
from custom_components.backward_walking.core.session import (
    EventType,
    InvalidTransitionError,
    PauseReason,
    PhaseChanged,
    Resumed,
    Session,
    SessionMachine,
    SessionState,
)

from .invariants import elapsed_checked

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
PROGRAM = BUILTIN_PROGRAMS["alternating_1_1"]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def started(target_s: float = 600) -> SessionMachine:
    machine = SessionMachine()
    events = machine.start(T0, PROGRAM, target_s, 1.0)
    assert [event.type for event in events] == [EventType.STARTED]
    return machine


def test_full_lifecycle() -> None:
    machine = started()
    assert machine.state is SessionState.RUNNING
    assert machine.advance(at(30)) == []
    paused = machine.pause(at(45), PauseReason.USER)
    assert [event.type for event in paused] == [EventType.PAUSED]
    assert machine.session is not None
    assert machine.session.pause_reason is PauseReason.USER
    assert machine.advance(at(500)) == []
    assert machine.session.elapsed_s == 45
    resumed = machine.resume(at(500))
    assert resumed == [Resumed(after=PauseReason.USER)]
    events = machine.advance(at(500 + 15))
    assert [event.type for event in events] == [EventType.PHASE_CHANGED]
    assert isinstance(events[0], PhaseChanged)
    assert events[0].direction is Direction.BACKWARD
    stopped = machine.stop(at(600))
    assert stopped[-1].type is EventType.STOPPED
    assert machine.state is SessionState.STOPPED
    assert machine.session.elapsed_s == 145


def test_phase_changes_only_when_the_direction_does() -> None:
    machine = SessionMachine()
    machine.start(T0, BUILTIN_PROGRAMS["backward_only"], 300, 1.0)
    events = [e for s in range(1, 300) for e in machine.advance(at(s))]
    assert [e.type for e in events] == []
    alternating = SessionMachine()
    alternating.start(T0, Program("mine", parse_segments("F1 F1 B1")), 300, 1.0)
    changes = [e for s in range(1, 300) for e in alternating.advance(at(s))]
    assert [e.direction for e in changes if isinstance(e, PhaseChanged)] == [
        Direction.BACKWARD,
        Direction.FORWARD,
    ]
    assert len(changes) == 2


def test_completion_fires_exactly_once() -> None:
    machine = started(target_s=120)
    events = machine.advance(at(500))
    assert [event.type for event in events] == [EventType.COMPLETED]
    assert machine.session is not None
    assert machine.session.elapsed_s == 120
    assert machine.session.ended_at == at(500)
    assert machine.advance(at(900)) == []


@pytest.mark.parametrize(
    ("prepare", "action"),
    [
        (lambda m: None, lambda m: m.pause(T0, PauseReason.USER)),
        (lambda m: None, lambda m: m.resume(T0)),
        (lambda m: None, lambda m: m.stop(T0)),
        (lambda m: m.start(T0, PROGRAM, 60, 1.0), lambda m: m.start(T0, PROGRAM, 60, 1.0)),
        (lambda m: m.start(T0, PROGRAM, 60, 1.0), lambda m: m.resume(T0)),
    ],
)
def test_invalid_transitions_raise(prepare, action) -> None:  # type: ignore[no-untyped-def]
    machine = SessionMachine()
    prepare(machine)
    before = machine.state
    with pytest.raises(InvalidTransitionError) as err:
        action(machine)
    assert err.value.state is before
    assert machine.state is before


def test_start_needs_positive_target() -> None:
    with pytest.raises(ValueError, match="positive"):
        SessionMachine().start(T0, PROGRAM, 0, 1.0)


def test_new_session_after_finish() -> None:
    machine = started(target_s=60)
    machine.advance(at(60))
    assert machine.state is SessionState.COMPLETED
    machine.start(at(100), PROGRAM, 60, 1.0)
    assert machine.state is SessionState.RUNNING


def test_clock_stepping_back_never_reduces_elapsed() -> None:
    machine = started()
    machine.advance(at(100))
    machine.advance(at(40))
    assert machine.session is not None
    assert machine.session.elapsed_s == 100
    machine.advance(at(50))
    assert machine.session.elapsed_s == 110


def test_restore_running_comes_back_paused_for_restart() -> None:
    machine = started()
    assert machine.session is not None
    saved = machine.session.to_dict(at(90))
    restored = SessionMachine()
    restored.restore(saved, at(4000))
    assert restored.state is SessionState.PAUSED
    assert restored.session is not None
    assert restored.session.pause_reason is PauseReason.RESTART
    assert restored.session.elapsed_s == 90
    assert restored.advance(at(5000)) == []


def test_restore_keeps_a_pause_reason() -> None:
    machine = started()
    machine.pause(at(10), PauseReason.HAZARD)
    assert machine.session is not None
    restored = SessionMachine()
    restored.restore(machine.session.to_dict(at(20)), at(30))
    assert restored.session is not None
    assert restored.session.pause_reason is PauseReason.HAZARD


@pytest.mark.parametrize(
    "change",
    [
        {"state": "flying"},
        {"elapsed_s": -1},
        {"elapsed_s": 10_000},
        {"target_s": 0},
        {"segments": "Q1"},
        {"started_at": "yesterday"},
    ],
)
def test_from_dict_rejects_bad_data(change: dict[str, object]) -> None:
    machine = started()
    assert machine.session is not None
    data = {**machine.session.to_dict(at(10)), **change}
    with pytest.raises((ValueError, KeyError, TypeError)):
        Session.from_dict(data)


def test_next_change_at() -> None:
    machine = SessionMachine()
    assert machine.next_change_at() is None
    machine.start(T0, PROGRAM, 600, 1.0)
    machine.advance(at(45))
    assert machine.next_change_at() == at(45 + 15)
    assert machine.session is not None
    assert machine.session.direction is Direction.FORWARD


def test_end_moments_stay_put_while_running_and_vanish_when_paused() -> None:
    machine = SessionMachine()
    machine.start(T0, BUILTIN_PROGRAMS["forward5_backward1"], 900, 1.0)
    session = machine.session
    assert session is not None
    for seconds in (0, 7.3, 61.25, 299.999):
        machine.advance(at(seconds))
        assert session.walking_until(session.remaining_s) == at(900)
        assert session.walking_until(session.phase_remaining_s) == at(300)
    machine.advance(at(330))
    assert session.walking_until(session.phase_remaining_s) == at(360)
    machine.pause(at(340), PauseReason.USER)
    assert session.walking_until(session.remaining_s) is None
    assert (session.remaining_s, session.phase_remaining_s) == (560, 20)
    machine.resume(at(400))
    assert session.walking_until(session.remaining_s) == at(960)


class SessionRules(RuleBasedStateMachine):
    """Random interleavings of actions and time steps against the invariants."""

    def __init__(self) -> None:
        super().__init__()
        self.machine = SessionMachine()
        self.now = T0
        self.last_elapsed = 0.0
        self.completions = 0

    def _record(self, events: list) -> None:  # type: ignore[type-arg]
        self.completions += sum(event.type is EventType.COMPLETED for event in events)

    @rule(seconds=st.floats(-120, 900))
    def time_passes(self, seconds: float) -> None:
        before_state = self.machine.state
        before = self.machine.session.elapsed_s if self.machine.session else 0.0
        self.now += timedelta(seconds=seconds)
        self._record(self.machine.advance(self.now))
        if before_state is not SessionState.RUNNING and self.machine.session:
            assert self.machine.session.elapsed_s == before

    @rule(target_s=st.integers(1, 3600))
    def start(self, target_s: int) -> None:
        if self.machine.state in (SessionState.RUNNING, SessionState.PAUSED):
            return
        self.machine.start(self.now, PROGRAM, target_s, 1.0)
        self.last_elapsed = 0.0
        self.completions = 0

    @rule(reason=st.sampled_from(list(PauseReason)))
    def pause(self, reason: PauseReason) -> None:
        try:
            self._record(self.machine.pause(self.now, reason))
        except InvalidTransitionError:
            assert self.machine.state is not SessionState.RUNNING

    @rule()
    def resume(self) -> None:
        try:
            self.machine.resume(self.now)
        except InvalidTransitionError:
            assert self.machine.state is not SessionState.PAUSED

    @rule()
    def stop(self) -> None:
        try:
            self._record(self.machine.stop(self.now))
        except InvalidTransitionError:
            assert self.machine.state not in (SessionState.RUNNING, SessionState.PAUSED)

    @rule()
    def restart(self) -> None:
        if self.machine.session is None:
            return
        saved = self.machine.session.to_dict(self.now)
        self.machine = SessionMachine()
        self.machine.restore(saved, self.now)
        assert self.machine.state is not SessionState.RUNNING

    @invariant()
    def elapsed_is_monotonic_and_bounded(self) -> None:
        self.last_elapsed = elapsed_checked(self.machine.session, self.last_elapsed)

    @invariant()
    def completion_fires_at_most_once(self) -> None:
        assert self.completions <= 1
        if self.machine.state is SessionState.COMPLETED:
            assert self.machine.session is not None
            assert self.machine.session.elapsed_s == self.machine.session.target_s


TestSessionRules = SessionRules.TestCase
TestSessionRules.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
