"""Invariants shared by the stateful property tests."""

from __future__ import annotations

from datetime import datetime

from custom_components.backward_walking.core.cues import Done, Lead, Reached, Walk, WalkKind, plan
from custom_components.backward_walking.core.effects import Effects
from custom_components.backward_walking.core.messages import ReminderNotice
from custom_components.backward_walking.core.options import CoachingMode
from custom_components.backward_walking.core.session import (
    EventType,
    Finished,
    Resumed,
    Session,
    SessionState,
    Started,
)
from custom_components.backward_walking.core.walker import Walker

_REACHED_S = 1e-3


def elapsed_checked(session: Session | None, last_elapsed: float) -> float:
    """Elapsed time never shrinks and stays within the target; returns the new floor."""
    if session is None:
        return last_elapsed
    assert session.elapsed_s >= last_elapsed
    assert 0 <= session.elapsed_s <= session.target_s
    return session.elapsed_s


class CueLedger:
    """Every cue of one session, checked against the cue rules after each input.

    At most one cue an input; none while paused, after a stop or after the completion; none with
    a safety message but the session's own start or resume; each change of direction announced
    at most twice (its lead and its moment), each milestone and the completion at most once, in
    the order of the session's elapsed time, and a late wake-up says only the newest cue. A new
    session begins with its start event (two may start at the same moment after the clock stepped
    back); a reload or restart (a new engine) keeps the ledger.
    """

    def __init__(self) -> None:
        self.session: datetime | None = None
        self._reset()

    def _reset(self) -> None:
        self.leads: set[float] = set()
        self.changes: set[float] = set()
        self.milestones: set[str] = set()
        self.done = False
        self.last_planned = -1.0
        self.said: list[object] = []

    def take(self, engine: Walker, fx: Effects, now: datetime) -> None:
        """Check the cues of one input's effects."""
        session = engine.machine.session
        assert len(fx.cues) <= 1, fx.cues
        if session is None:
            assert not fx.cues
            return
        if session.started_at != self.session or any(isinstance(e, Started) for e in fx.events):
            self.session = session.started_at
            self._reset()
        mode = engine.settings.coaching_mode
        self._resumes_are_told(engine, fx, mode)
        for cue in fx.cues:
            assert mode is not CoachingMode.OFF
            self.said.append(cue)
            if isinstance(cue, Done):
                completed = [e for e in fx.events if isinstance(e, Finished)]
                assert session.state is SessionState.COMPLETED
                assert [e.type for e in completed] == [EventType.COMPLETED]
                assert not self.done, "the completion said twice"
                self.done = True
                continue
            assert session.state is SessionState.RUNNING, "a cue while not walking"
            if isinstance(cue, Walk) and cue.from_event:
                assert any(isinstance(e, Started | Resumed) for e in fx.events)
                continue
            self._planned(engine, session, fx, cue, now)

    def _resumes_are_told(self, engine: Walker, fx: Effects, mode: CoachingMode) -> None:
        """A start or resume that leaves the walker walking is always told which way to go."""
        moved = any(isinstance(e, Started | Resumed) for e in fx.events)
        if moved and mode is not CoachingMode.OFF and engine.machine.state is SessionState.RUNNING:
            kinds = [cue.kind for cue in fx.cues if isinstance(cue, Walk)]
            assert kinds in ([WalkKind.START], [WalkKind.RESUME]), fx.cues

    def _planned(
        self, engine: Walker, session: Session, fx: Effects, cue: object, now: datetime
    ) -> None:
        assert isinstance(cue, Walk | Lead | Reached)
        assert not any(not isinstance(m, ReminderNotice) for m in fx.messages), (
            "a planned cue with a safety message"
        )
        elapsed = session.elapsed_at(now)
        assert self.last_planned < cue.at_s <= elapsed + _REACHED_S
        self.last_planned = cue.at_s
        if isinstance(cue, Lead):
            assert cue.change_s not in self.leads, "a change announced ahead twice"
            self.leads.add(cue.change_s)
        if isinstance(cue, Walk):
            assert cue.at_s not in self.changes, "a change announced twice at its moment"
            self.changes.add(cue.at_s)
        milestone = cue.milestone if isinstance(cue, Walk | Reached) else None
        if milestone is not None:
            assert milestone not in self.milestones, f"{milestone} said twice"
            self.milestones.add(milestone)
        # Only the newest: nothing planned after it was due already.
        settings = engine.settings
        later = plan(session, settings.coaching_mode, settings.coaching_lead_s, cue.at_s)
        upcoming = next(later, None)
        assert (
            upcoming is None
            or upcoming.at_s > elapsed - _REACHED_S
            or (upcoming.kind == "lead" and upcoming.change_s <= session.led_to_s)
        )
