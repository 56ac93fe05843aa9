"""A stateful property test over the whole core, wired the way the hub wires it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from custom_components.backward_walking.core.guard import (
    ActionKind,
    Guard,
    GuardSettings,
    SessionStatus,
)
from custom_components.backward_walking.core.ladder import Ladder
from custom_components.backward_walking.core.programs import BUILTIN_PROGRAMS, time_by_direction
from custom_components.backward_walking.core.safety import (
    PathMonitor,
    Reading,
    Role,
    SensorRule,
    Verdict,
)
from custom_components.backward_walking.core.session import (
    EventType,
    InvalidTransitionError,
    PauseReason,
    Session,
    SessionEvent,
    SessionMachine,
    SessionState,
)
from custom_components.backward_walking.core.stats import History, SessionRecord, summarize

from .invariants import elapsed_checked

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
RULES = (
    SensorRule("b.beam", Role.OBSTACLE),
    SensorRule("b.door", Role.CROSSING),
    SensorRule("b.fall", Role.FALL, on_delay_s=2),
    SensorRule("s.gap", Role.DISTANCE),
)
READINGS = {
    "b.beam": st.sampled_from(["on", "off", "unavailable"]),
    "b.door": st.sampled_from(["on", "off"]),
    "b.fall": st.sampled_from(["on", "off"]),
    "s.gap": st.sampled_from(["50", "300", "abc"]),
}


class WholeCore(RuleBasedStateMachine):
    """Sessions, the guard and the history under random readings, commands, time and restarts."""

    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.machine = SessionMachine()
        self.guard = Guard(
            PathMonitor(RULES, clear_hold_s=5),
            Ladder(60, 120),
            GuardSettings(auto_resume=True, inactivity_s=0),
        )
        self.guard.load(
            {
                "b.beam": Reading("off"),
                "b.door": Reading("off"),
                "b.fall": Reading("off"),
                "s.gap": Reading("300", "cm"),
            },
            self.now,
        )
        self.history = History()
        self.completed = 0
        self.completions_this_session = 0
        self.last_elapsed = 0.0

    def _status(self) -> SessionStatus:
        session = self.machine.session
        return SessionStatus(
            self.machine.state, session.pause_reason if session else None, self.now
        )

    def _note(self, events: list[SessionEvent]) -> None:
        for event in events:
            if event.type is EventType.STARTED:
                self.completions_this_session = 0
                self.last_elapsed = 0.0
            if event.type in (EventType.COMPLETED, EventType.STOPPED):
                session = self.machine.session
                assert session is not None
                assert session.ended_at is not None
                split = time_by_direction(session.program, session.elapsed_s)
                completed = event.type is EventType.COMPLETED
                self.completions_this_session += completed
                self.completed += completed
                record = SessionRecord(
                    session.started_at, session.ended_at, completed, session.program.key,
                    session.target_s, 1.0, split[next(iter(split))], 0, 0, 0, 0,
                )  # fmt: skip
                self.history.add(record, session.started_at.date())
                self.guard.session_ended()

    def _apply(self, actions: list) -> None:  # type: ignore[type-arg]
        for action in actions:
            if action.kind is ActionKind.PAUSE and self.machine.state is SessionState.RUNNING:
                self._note(self.machine.pause(self.now, action.pause_reason))
            elif (
                action.kind is ActionKind.RESUME
                and self.machine.state is SessionState.PAUSED
                and self.guard.gate(force=False).allowed
            ):
                self._note(self.machine.resume(self.now))

    @rule(entity=st.sampled_from(list(READINGS)), data=st.data())
    def reading(self, entity: str, data: st.DataObject) -> None:
        value = data.draw(READINGS[entity])
        status = self._status()
        urgent = self.guard.take_reading(
            entity, Reading(value, "cm" if entity == "s.gap" else None), self.now
        )
        if urgent is not None and self.machine.state is SessionState.RUNNING:
            self._note(self.machine.pause(self.now, urgent))
        self._apply(self.guard.evaluate(status, self.now))

    @rule(seconds=st.floats(0, 400))
    def time_passes(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self._note(self.machine.advance(self.now))
        self._apply(self.guard.evaluate(self._status(), self.now))

    @rule(minutes=st.integers(1, 10), force=st.booleans())
    def start(self, minutes: int, force: bool) -> None:
        if (
            self.machine.state in (SessionState.RUNNING, SessionState.PAUSED)
            or self.guard.ladder.active
        ):
            return
        gate = self.guard.gate(force)
        if not gate.allowed:
            return
        self.guard.accept_override(gate)
        self._note(
            self.machine.start(self.now, BUILTIN_PROGRAMS["alternating_1_1"], minutes * 60, 1.0)
        )
        self._apply(self.guard.evaluate(self._status(), self.now))

    @rule()
    def pause(self) -> None:
        try:
            self._note(self.machine.pause(self.now, PauseReason.USER))
        except InvalidTransitionError:
            assert self.machine.state is not SessionState.RUNNING

    @rule()
    def resume(self) -> None:
        if self.machine.state is SessionState.PAUSED and self.guard.gate(force=False).allowed:
            self._note(self.machine.resume(self.now))
            self._apply(self.guard.evaluate(self._status(), self.now))

    @rule()
    def stop(self) -> None:
        try:
            self._note(self.machine.stop(self.now))
        except InvalidTransitionError:
            assert self.machine.state not in (SessionState.RUNNING, SessionState.PAUSED)

    @rule()
    def restart(self) -> None:
        """Save everything, build it all again from the saved form (as a restart does)."""
        session = self.machine.session
        saved_history = self.history.to_dict()
        ladder = self.guard.ladder.to_dict()
        self.history = History.from_dict(saved_history)
        assert self.history.to_dict() == saved_history
        if session is not None:
            saved = session.to_dict(self.now)
            assert Session.from_dict(saved).to_dict(self.now) == saved
            self.machine = SessionMachine()
            self.machine.restore(saved, self.now)
        readings = dict(self.guard.readings)
        self.guard = Guard(
            PathMonitor(RULES, clear_hold_s=5), Ladder(60, 120), GuardSettings(True, 0)
        )
        self.guard.ladder.restore(ladder)
        self.guard.load(readings, self.now)
        self._apply(self.guard.evaluate(self._status(), self.now))

    @invariant()
    def never_running_while_unsafe(self) -> None:
        if self.machine.state is SessionState.RUNNING:
            assert self.guard.assessment.verdict.rank < Verdict.UNSAFE.rank

    @invariant()
    def elapsed_only_grows_while_running(self) -> None:
        self.last_elapsed = elapsed_checked(self.machine.session, self.last_elapsed)

    @invariant()
    def completion_fires_once(self) -> None:
        assert self.completions_this_session <= 1

    @invariant()
    def statistics_equal_a_recomputation(self) -> None:
        today = self.now.date()
        summary = summarize(self.history, today, 60)
        assert summary.sessions_completed == self.completed
        week_start = today - timedelta(days=today.weekday())
        expected = sum(
            r.backward_s for r in self.history.sessions if r.started_at.date() >= week_start
        )
        assert abs(summary.week_backward_min * 60 - expected) < 1e-6


TestWholeCore = WholeCore.TestCase
TestWholeCore.settings = settings(max_examples=120, stateful_step_count=50, deadline=None)
