"""Session state machine: idle → running ⇄ paused → completed | stopped.

Time is always passed in (``now``); elapsed time only grows while running and never decreases, even when
the wall clock steps backwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from .isodates import iso, parse_datetime
from .programs import (
    Direction,
    Program,
    direction_end_s,
    format_segments,
    parse_segments,
    position,
)
from .saved import mapping, whole


class SessionState(StrEnum):
    """Lifecycle of one walking session."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"
    STOPPED = "stopped"


class PauseReason(StrEnum):
    """Why a session is paused. Safety features add their reasons here."""

    USER = "user"
    HAZARD = "hazard"
    FALL = "fall"
    CHECK_IN = "check_in"
    HELP = "help"
    RESTART = "restart"


class EventType(StrEnum):
    """What the machine reports after each step; the shell turns these into HA events."""

    STARTED = "started"
    PAUSED = "paused"
    RESUMED = "resumed"
    PHASE_CHANGED = "phase_changed"
    COMPLETED = "completed"
    STOPPED = "stopped"


FINISHED_STATES = frozenset({SessionState.COMPLETED, SessionState.STOPPED})
ACTIVE_STATES = frozenset({SessionState.RUNNING, SessionState.PAUSED})


class InvalidTransitionError(Exception):
    """An action that the current state does not allow, e.g. resume when not paused."""

    def __init__(self, action: str, state: SessionState) -> None:
        super().__init__(f"cannot {action} while {state}")
        self.action = action
        self.state = state


@dataclass(frozen=True, slots=True)
class Started:
    """A session started, with its program, target, speed and first direction."""

    type: ClassVar[EventType] = EventType.STARTED
    program: str
    target_minutes: float
    speed_mph: float
    direction: Direction


@dataclass(frozen=True, slots=True)
class Paused:
    """The session paused, for ``reason``, after ``elapsed_minutes``."""

    type: ClassVar[EventType] = EventType.PAUSED
    reason: PauseReason
    elapsed_minutes: float


@dataclass(frozen=True, slots=True)
class Resumed:
    """The session goes on after a pause for ``after``."""

    type: ClassVar[EventType] = EventType.RESUMED
    after: PauseReason


@dataclass(frozen=True, slots=True)
class PhaseChanged:
    """The walking direction changed: segment ``segment`` (from 1) lasts ``segment_minutes``."""

    type: ClassVar[EventType] = EventType.PHASE_CHANGED
    direction: Direction
    segment: int
    segment_minutes: float


@dataclass(frozen=True, slots=True)
class Finished:
    """The session completed or was stopped (``type``), with what it came to."""

    type: EventType
    elapsed_minutes: float
    target_minutes: float
    program: str
    pauses: int


# What the machine reports after each step; the shell turns these into the event entity's events.
type SessionEvent = Started | Paused | Resumed | PhaseChanged | Finished


@dataclass(slots=True)
class Pause:
    """One pause with its reason; ``ended_at`` is None while it lasts."""

    reason: PauseReason
    started_at: datetime
    ended_at: datetime | None = None


@dataclass(slots=True)
class Session:
    """One session; ``elapsed_s`` holds the running time folded up to ``running_since``."""

    program: Program
    target_s: float
    speed_mph: float
    started_at: datetime
    state: SessionState = SessionState.RUNNING
    elapsed_s: float = 0.0
    running_since: datetime | None = None
    ended_at: datetime | None = None
    pauses: list[Pause] = field(default_factory=list)
    segment_number: int = 0
    # Elapsed seconds at which the current segment ends; below it nothing changes (not saved).
    segment_end_s: float = -1.0
    # Spoken coaching (cues.py): cues up to this elapsed second are decided, said or skipped, and
    # the change of direction at ``led_to_s`` (and every one before) had its lead said.
    cued_to_s: float = 0.0
    led_to_s: float = 0.0

    @property
    def pause_reason(self) -> PauseReason | None:
        """The reason of the current pause, None unless paused."""
        if self.state is SessionState.PAUSED and self.pauses:
            return self.pauses[-1].reason
        return None

    @property
    def remaining_s(self) -> float:
        """Seconds left until the target."""
        return max(self.target_s - self.elapsed_s, 0.0)

    @property
    def progress(self) -> float:
        """Share of the target done, 0.0 to 1.0."""
        return min(self.elapsed_s / self.target_s, 1.0)

    @property
    def direction(self) -> Direction:
        """The direction of the segment being walked."""
        return position(self.program, self.target_s, self.elapsed_s).direction

    @property
    def segment_remaining_s(self) -> float:
        """Seconds left in the current segment."""
        return position(self.program, self.target_s, self.elapsed_s).segment_remaining_s

    @property
    def phase_remaining_s(self) -> float:
        """Seconds left until the direction changes (or the target is reached)."""
        end = direction_end_s(self.program, self.target_s, self.elapsed_s)
        return max(end - self.elapsed_s, 0.0)

    def walking_until(self, seconds_left: float) -> datetime | None:
        """The moment ``seconds_left`` more seconds of walking are done; None unless running.

        Counted from the last fold, so the moment stays the same while the session runs on (the
        entities show it without being rewritten); a clock stepping back moves it.
        """
        if self.running_since is None:
            return None
        return self.running_since + timedelta(seconds=seconds_left)

    def elapsed_at(self, now: datetime) -> float:
        """Elapsed seconds at ``now`` without changing the session."""
        if self.state is not SessionState.RUNNING or self.running_since is None:
            return self.elapsed_s
        gained = max((now - self.running_since).total_seconds(), 0.0)
        return min(self.elapsed_s + gained, self.target_s)

    def to_dict(self, now: datetime) -> dict[str, Any]:
        """A JSON-ready copy with the elapsed time folded up to ``now``."""
        return {
            "program_key": self.program.key,
            "segments": format_segments(self.program.segments),
            "target_s": self.target_s,
            "speed_mph": self.speed_mph,
            "started_at": self.started_at.isoformat(),
            "state": self.state.value,
            "elapsed_s": self.elapsed_at(now),
            "ended_at": iso(self.ended_at),
            "segment_number": self.segment_number,
            "cued_to_s": self.cued_to_s,
            "led_to_s": self.led_to_s,
            "pauses": [
                {
                    "reason": pause.reason.value,
                    "started_at": pause.started_at.isoformat(),
                    "ended_at": iso(pause.ended_at),
                }
                for pause in self.pauses
            ],
        }

    @classmethod
    def from_dict(cls, saved: object) -> Session:
        """Rebuild a saved session; raises ValueError (or KeyError/TypeError) on malformed data."""
        data = mapping(saved)
        program = Program(str(data["program_key"]), parse_segments(str(data["segments"])))
        session = cls(
            program=program,
            target_s=float(data["target_s"]),
            speed_mph=float(data["speed_mph"]),
            started_at=datetime.fromisoformat(data["started_at"]),
            state=SessionState(data["state"]),
            elapsed_s=float(data["elapsed_s"]),
            ended_at=parse_datetime(data["ended_at"]),
            segment_number=whole(data["segment_number"]),
            pauses=[
                Pause(
                    PauseReason(item["reason"]),
                    datetime.fromisoformat(item["started_at"]),
                    parse_datetime(item["ended_at"]),
                )
                for item in data["pauses"]
            ],
        )
        if session.target_s <= 0 or not 0 <= session.elapsed_s <= session.target_s:
            raise ValueError("elapsed time outside the session target")
        # Older files kept no cue position: nothing before the elapsed time is said again.
        for name in ("cued_to_s", "led_to_s"):
            mark = float(data.get(name, session.elapsed_s))
            if not 0 <= mark <= session.target_s:
                raise ValueError(f"{name} outside the session target")
            setattr(session, name, mark)
        return session


class SessionMachine:
    """Owns the current session of one walker and enforces the allowed transitions."""

    def __init__(self) -> None:
        """Start idle."""
        self.session: Session | None = None

    @property
    def state(self) -> SessionState:
        """The current state; IDLE before the first session."""
        return self.session.state if self.session else SessionState.IDLE

    def _require(self, action: str, *allowed: SessionState) -> Session:
        if self.session is None or self.session.state not in allowed:
            raise InvalidTransitionError(action, self.state)
        return self.session

    def start(
        self, now: datetime, program: Program, target_s: float, speed_mph: float
    ) -> list[SessionEvent]:
        """Begin a new session; allowed when idle or after the previous one finished."""
        if self.state in ACTIVE_STATES:
            raise InvalidTransitionError("start", self.state)
        if target_s <= 0:
            raise ValueError("target must be positive")
        self.session = Session(program, target_s, speed_mph, now, running_since=now)
        segment = program.segments[0]
        return [Started(program.key, _minutes(target_s), speed_mph, segment.direction)]

    def advance(self, now: datetime) -> list[SessionEvent]:
        """Fold the running time up to ``now``; reports phase changes and completion (exactly once)."""
        session = self.session
        if session is None or session.state is not SessionState.RUNNING:
            return []
        session.elapsed_s = session.elapsed_at(now)
        session.running_since = now
        events: list[SessionEvent] = []
        if session.elapsed_s >= session.target_s:
            session.state = SessionState.COMPLETED
            session.ended_at = now
            session.running_since = None
            events.append(_finished(EventType.COMPLETED, session))
            return events
        if session.elapsed_s < session.segment_end_s:
            return events
        here = position(session.program, session.target_s, session.elapsed_s)
        session.segment_end_s = here.segment_end_s
        cycles = int(session.elapsed_s // session.program.cycle_s)
        number = cycles * len(session.program.segments) + here.index
        if number != session.segment_number:
            segments = session.program.segments
            before = segments[session.segment_number % len(segments)].direction
            session.segment_number = number
            if here.direction is before:
                return events  # the same direction goes on: nothing changed for the walker
            events.append(
                PhaseChanged(here.direction, number + 1, _minutes(here.segment_remaining_s))
            )
        return events

    def pause(self, now: datetime, reason: PauseReason) -> list[SessionEvent]:
        """Pause a running session, recording why."""
        events = self.advance(now)
        session = self._require("pause", SessionState.RUNNING)
        session.state = SessionState.PAUSED
        session.running_since = None
        session.pauses.append(Pause(reason, now))
        events.append(Paused(reason, _minutes(session.elapsed_s)))
        return events

    def repause(self, now: datetime, reason: PauseReason) -> list[SessionEvent]:
        """A paused session is now paused for a graver reason (a fall, a call for help)."""
        session = self._require("pause", SessionState.PAUSED)
        if session.pauses[-1].reason is reason:
            return []
        session.pauses[-1].ended_at = now
        session.pauses.append(Pause(reason, now))
        return [Paused(reason, _minutes(session.elapsed_s))]

    def resume(self, now: datetime) -> list[SessionEvent]:
        """Continue a paused session."""
        session = self._require("resume", SessionState.PAUSED)
        reason = session.pauses[-1].reason
        session.pauses[-1].ended_at = now
        session.state = SessionState.RUNNING
        session.running_since = now
        return [Resumed(reason)]

    def stop(self, now: datetime) -> list[SessionEvent]:
        """End the session early; its time so far still counts in the history."""
        events = self.advance(now)
        session = self._require("stop", SessionState.RUNNING, SessionState.PAUSED)
        if session.state is SessionState.PAUSED:
            session.pauses[-1].ended_at = now
        session.state = SessionState.STOPPED
        session.ended_at = now
        session.running_since = None
        events.append(_finished(EventType.STOPPED, session))
        return events

    def restore(self, saved: object, now: datetime) -> None:
        """Load a saved session. A session that was running comes back paused with reason RESTART."""
        session = Session.from_dict(saved)
        if session.state is SessionState.RUNNING:
            session.state = SessionState.PAUSED
            session.pauses.append(Pause(PauseReason.RESTART, now))
        self.session = session

    def next_change_at(self) -> datetime | None:
        """When the next phase change or completion falls due; None unless running."""
        session = self.session
        return None if session is None else session.walking_until(session.segment_remaining_s)


def _minutes(seconds: float) -> float:
    """Minutes as the events report them."""
    return round(seconds / 60, 2)


def _finished(how: EventType, session: Session) -> Finished:
    return Finished(
        how,
        _minutes(session.elapsed_s),
        _minutes(session.target_s),
        session.program.key,
        len(session.pauses),
    )
