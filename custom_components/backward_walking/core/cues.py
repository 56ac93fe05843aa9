"""Spoken coaching: the cue the walker hears, decided from the session's elapsed time.

Cues are planned at positions in the session's elapsed seconds, not at moments of the wall clock: a
change of direction at 300 s has its lead at 295 s. Elapsed time never shrinks and stands still
while paused, so neither a clock step nor a pause can replay or skip a cue by itself. The session
keeps the position up to which cues are decided, said or skipped (``Session.cued_to_s``), and the
change whose lead was said (``Session.led_to_s``): nothing at or before them is said again, after
an option change, a reload or a restart either. A catch-up over several due cues says only the
newest that still applies, and nothing is said while paused, after a stop or after the completion.

The start, a resume and the completion come from the session's own events; the rest from the plan:
a lead before each change of direction, the change itself, and in full mode halfway and one minute
left (said with a change they fall near, so that two cues never talk over each other).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import cycle
from typing import ClassVar

from .logbook import session_energy_of, session_seconds
from .options import CoachingMode
from .programs import Direction, Program, direction_end_s, position
from .session import EventType, Finished, Resumed, Session, SessionState, Started
from .settings import WalkerSettings

# How long a cue takes to say: cues planned closer together would talk over each other.
SAY_S = 4.0
# A halfway or one-minute-left cue said later than this would be wrong: it is left out.
STALE_S = 5.0
# A wake-up that lands on the planned microsecond reaches the cue despite float rounding.
_REACHED_S = 1e-3
_WALKING = frozenset({Direction.FORWARD, Direction.BACKWARD})


class Milestone(StrEnum):
    """A point of the session that full coaching names."""

    HALFWAY = "halfway"
    LAST_MINUTE = "last_minute"


class WalkKind(StrEnum):
    """Why the walker is told which way to walk."""

    START = "start"
    CHANGE = "change"
    RESUME = "resume"


@dataclass(frozen=True, slots=True, kw_only=True)
class _Said:
    """What every cue has: the elapsed second it belongs to and the moment it was due."""

    _event: ClassVar[bool] = False
    at_s: float
    planned_at: datetime

    @property
    def from_event(self) -> bool:
        """Whether the session's own event brought it (start, resume, completion).

        Such a cue waits for a safety message to be said; a planned one is left out.
        """
        return self._event


@dataclass(frozen=True, slots=True, kw_only=True)
class Walk(_Said):
    """Walk this way (or rest) for ``seconds``: the start, a change of direction, a resume.

    ``turn``: from one walking direction to the other (not from or to a rest); ``milestone``: said
    in the same breath.
    """

    kind: WalkKind
    direction: Direction
    seconds: float
    turn: bool = False
    milestone: Milestone | None = None

    @property
    def from_event(self) -> bool:
        """A start or resume, not a change of direction."""
        return self.kind is not WalkKind.CHANGE


@dataclass(frozen=True, slots=True, kw_only=True)
class Lead(_Said):
    """The change of direction at ``change_s`` comes in ``seconds``."""

    direction: Direction
    seconds: int
    turn: bool
    change_s: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Reached(_Said):
    """Halfway, or one minute left."""

    milestone: Milestone


@dataclass(frozen=True, slots=True, kw_only=True)
class Done(_Said):
    """The session is complete; with ``full``, its figures are said too."""

    _event: ClassVar[bool] = True
    full: bool
    seconds: float
    backward_s: float
    kcal: float


type Cue = Walk | Lead | Reached | Done


class _Kind(StrEnum):
    LEAD = "lead"
    CHANGE = "change"
    MILESTONE = "milestone"


@dataclass(frozen=True, slots=True)
class _Plan:
    """A cue planned at ``at_s``: a lead or a change (of the change at ``change_s``), a milestone."""

    kind: _Kind
    at_s: float
    direction: Direction = Direction.REST
    turn: bool = False
    change_s: float = 0.0
    ends_s: float = 0.0  # a change: where the new direction ends
    milestone: Milestone | None = None
    milestone_s: float = 0.0


def phases(
    program: Program, target_s: float, from_s: float
) -> Iterator[tuple[float, float, Direction]]:
    """The session's stretches of one direction (start, end, direction) that end after ``from_s``.

    Consecutive segments of one direction are one stretch, also across the cycle's end. The scan
    starts one cycle early, so the first stretch yielded has its true start.
    """
    directions = {segment.direction for segment in program.segments}
    if len(directions) == 1:
        yield 0.0, float(target_s), program.segments[0].direction
        return
    at = float(max(int(from_s // program.cycle_s) - 1, 0) * program.cycle_s)
    start, current = at, program.segments[0].direction
    for segment in cycle(program.segments):
        if at >= target_s:
            break
        if segment.direction is not current:
            if at > from_s:
                yield start, at, current
            start, current = at, segment.direction
        at += segment.duration_s
    yield start, float(target_s), current


def _milestones(target_s: float) -> list[tuple[float, Milestone]]:
    """Halfway, and one minute left in sessions of three minutes or more."""
    points = [(target_s / 2, Milestone.HALFWAY)]
    if target_s >= 180:
        points.append((target_s - 60, Milestone.LAST_MINUTE))
    return points


def plan(session: Session, mode: CoachingMode, lead_s: float, after_s: float) -> Iterator[_Plan]:
    """The planned cues after ``after_s`` in order: leads, changes and (full) milestones."""
    return (p for p in _plans(session, mode, lead_s, after_s) if p.at_s > after_s)


def _plans(session: Session, mode: CoachingMode, lead_s: float, after_s: float) -> Iterator[_Plan]:
    """The plan around and after ``after_s``, in order.

    A lead is planned when the stretch before the change leaves room to say its own cue first; a
    last stretch too short to say anything is left to the completion. A milestone within a change's
    lead and cue is said with the change.
    """
    if mode is CoachingMode.OFF:
        return
    target = session.target_s
    pending = _milestones(target) if mode is CoachingMode.FULL else []
    # The changes up to a lead and a cue before ``after_s`` decide how a milestone after it is said.
    scan_from = max(after_s - lead_s - 2 * SAY_S, 0.0)
    previous: tuple[float, Direction] | None = None
    for start, end, direction in phases(session.program, target, scan_from):
        if previous is not None and (end - start >= SAY_S or end < target):
            before_start, before = previous
            lead_at = start - lead_s
            leads = lead_s > 0 and lead_at >= before_start + SAY_S
            first = lead_at if leads else start
            while pending and pending[0][0] < first - SAY_S:
                at, milestone = pending.pop(0)
                yield _Plan(_Kind.MILESTONE, at, milestone=milestone, milestone_s=at)
            near = pending.pop(0) if pending and pending[0][0] <= start + SAY_S else None
            turn = before in _WALKING and direction in _WALKING
            if leads:
                yield _Plan(_Kind.LEAD, lead_at, direction, turn, start)
            yield _Plan(
                _Kind.CHANGE,
                start,
                direction,
                turn,
                change_s=start,
                ends_s=end,
                milestone=near[1] if near else None,
                milestone_s=near[0] if near else 0.0,
            )
        previous = start, direction
    for at, milestone in pending:
        yield _Plan(_Kind.MILESTONE, at, milestone=milestone, milestone_s=at)


class Cues:
    """Decides one walker's cue after each input; keeps the next planned cue for the wake-up."""

    def __init__(self) -> None:
        """Nothing planned yet."""
        # The first plan after ``_from`` (None: none) for this session and coaching.
        self._key: tuple[object, ...] | None = None
        self._from = 0.0
        self._next: _Plan | None = None

    def next_at(self, session: Session | None, settings: WalkerSettings) -> datetime | None:
        """When the next planned cue falls due (None unless walking with coaching on)."""
        if session is None or session.state is not SessionState.RUNNING:
            return None
        upcoming = self._upcoming(session, settings)
        return (
            None if upcoming is None else session.walking_until(upcoming.at_s - session.elapsed_s)
        )

    def decide(
        self,
        session: Session | None,
        settings: WalkerSettings,
        events: Iterable[object],
        safety: bool,
        now: datetime,
    ) -> list[Cue]:
        """The cue of this input, if any; ``safety``: the input announces a safety message.

        Everything up to the elapsed time counts as decided afterwards, so that nothing is said
        twice; a planned cue is dropped when a safety message is announced at the same time.
        """
        if session is None:
            return []
        mode = settings.coaching_mode
        elapsed = session.elapsed_at(now)
        happened = [e for e in events if isinstance(e, Started | Resumed | Finished)]
        if any(isinstance(e, Finished) and e.type is EventType.COMPLETED for e in happened):
            session.cued_to_s = session.target_s
            return [] if mode is CoachingMode.OFF else [_done(session, settings, mode, now)]
        if session.state is not SessionState.RUNNING:
            _decided(session, elapsed)
            return []
        if happened:
            kind = WalkKind.START if isinstance(happened[-1], Started) else WalkKind.RESUME
            walk = _walk_on(session, kind, elapsed, now)
            return [] if mode is CoachingMode.OFF else [walk]
        due = self._due(session, settings, elapsed)
        # A wake-up on the planned microsecond may leave the elapsed time a rounding short of it.
        _decided(session, elapsed if due is None else max(elapsed, due.at_s))
        cue = None if due is None or safety else _realise(due, session, elapsed, now)
        if isinstance(cue, Lead):
            session.led_to_s = cue.change_s
        return [] if cue is None else [cue]

    def _due(self, session: Session, settings: WalkerSettings, elapsed: float) -> _Plan | None:
        """The newest planned cue reached by ``elapsed``, after the last one decided."""
        upcoming = self._upcoming(session, settings)
        if upcoming is None or upcoming.at_s > elapsed + _REACHED_S:
            return None
        newest = upcoming
        lead_s = settings.coaching_lead_s
        for planned in plan(session, settings.coaching_mode, lead_s, upcoming.at_s):
            if planned.at_s > elapsed + _REACHED_S:
                break
            if _unsaid(planned, session):
                newest = planned
        return newest

    def _upcoming(self, session: Session, settings: WalkerSettings) -> _Plan | None:
        """The first planned cue after the decided position (kept until that position passes it)."""
        mode, lead_s = settings.coaching_mode, settings.coaching_lead_s
        key = (id(session), session.started_at, mode, lead_s, session.led_to_s)
        after = session.cued_to_s
        kept = self._key == key and self._from <= after
        if kept and (self._next is None or after < self._next.at_s):
            return self._next
        self._key, self._from, self._next = key, after, None
        self._next = next(
            (p for p in plan(session, mode, lead_s, after) if _unsaid(p, session)), None
        )
        return self._next


def _unsaid(planned: _Plan, session: Session) -> bool:
    """Whether a planned cue may still be said: a change had its lead said at most once."""
    return planned.kind is not _Kind.LEAD or planned.change_s > session.led_to_s


def _decided(session: Session, position_s: float) -> None:
    """Every cue up to ``position_s`` counts as said or skipped (the position never goes back)."""
    session.cued_to_s = min(max(session.cued_to_s, position_s), session.target_s)


def _walk_on(session: Session, kind: WalkKind, elapsed: float, now: datetime) -> Walk:
    """Which way to walk now and for how long, at a start or resume.

    A direction that ends before this could be said gives way to the next one, whose own length is
    said (the seconds before it are spent listening); planned cues within the time it takes to say
    it are left out, so that nothing talks over it.
    """
    program, target = session.program, session.target_s
    begins, end = elapsed, direction_end_s(program, target, elapsed)
    direction = position(program, target, elapsed).direction
    if end - elapsed <= SAY_S and end < target:
        begins, direction = end, position(program, target, end).direction
        end = direction_end_s(program, target, end)
    _decided(session, elapsed + SAY_S)
    return Walk(kind=kind, direction=direction, seconds=end - begins, at_s=elapsed, planned_at=now)


def _realise(due: _Plan, session: Session, elapsed: float, now: datetime) -> Cue | None:
    """The cue of a plan reached at ``elapsed``; None when, reached late, it no longer applies."""
    planned_at = now - timedelta(seconds=max(elapsed - due.at_s, 0.0))
    if due.kind is _Kind.LEAD:
        seconds = round(due.change_s - elapsed)
        if seconds < 1:
            return None  # the change itself is about to be said
        return Lead(
            direction=due.direction,
            seconds=seconds,
            turn=due.turn,
            change_s=due.change_s,
            at_s=due.at_s,
            planned_at=planned_at,
        )
    fresh = due.milestone is not None and elapsed - due.milestone_s <= STALE_S
    if due.kind is _Kind.MILESTONE:
        if not fresh or due.milestone is None:
            return None
        return Reached(milestone=due.milestone, at_s=due.at_s, planned_at=planned_at)
    left = due.ends_s - elapsed
    if left < SAY_S and due.ends_s < session.target_s:
        return None  # so late that the next change is about to be said
    return Walk(
        kind=WalkKind.CHANGE,
        direction=due.direction,
        seconds=left,
        turn=due.turn,
        milestone=due.milestone if fresh else None,
        at_s=due.at_s,
        planned_at=planned_at,
    )


def _done(session: Session, settings: WalkerSettings, mode: CoachingMode, now: datetime) -> Done:
    return Done(
        full=mode is CoachingMode.FULL,
        seconds=session.elapsed_s,
        backward_s=session_seconds(session)[Direction.BACKWARD],
        kcal=session_energy_of(session, settings).kcal,
        at_s=session.elapsed_s,
        planned_at=session.ended_at or now,
    )
