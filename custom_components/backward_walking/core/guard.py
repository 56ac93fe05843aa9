"""The safety guard: turns path assessments, the session state and the clock into actions.

Inputs: sensor readings, the session's state, answers to check-ins, the time. Outputs: actions for the
shell (pause, resume, notify the walker or the emergency contacts, speak, fire an event). Monitoring is
armed only while a session runs or is paused for a hazard, and while a check-in is open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .isodates import iso
from .ladder import CheckInCause, Ladder, Step
from .safety import (
    CLEAR,
    Assessment,
    PathMonitor,
    Reading,
    Reason,
    Role,
    StartGate,
    Verdict,
    gate_start,
    last_activity,
)
from .session import PauseReason, SessionState


class ActionKind(StrEnum):
    """What the shell must do."""

    PAUSE = "pause"
    RESUME = "resume"
    NOTIFY_WALKER = "notify_walker"
    NOTIFY_EMERGENCY = "notify_emergency"
    SPEAK = "speak"
    EVENT = "event"


class Message(StrEnum):
    """Which message a notification or spoken prompt carries."""

    HAZARD = "hazard"
    WARNING = "warning"
    CLEAR = "clear"
    CHECK_IN = "check_in"
    EMERGENCY = "emergency"
    EMERGENCY_ACKNOWLEDGED = "emergency_acknowledged"


class SafetyEvent(StrEnum):
    """Safety events for the event entity."""

    HAZARD_DETECTED = "hazard_detected"
    HAZARD_CLEARED = "hazard_cleared"
    START_REFUSED = "start_refused"
    CHECK_IN_REQUESTED = "check_in_requested"
    CHECK_IN_ACKNOWLEDGED = "check_in_acknowledged"
    EMERGENCY_ESCALATED = "emergency_escalated"
    EMERGENCY_ACKNOWLEDGED = "emergency_acknowledged"


@dataclass(frozen=True, slots=True)
class Action:
    """One thing to do; ``data`` carries what messages and events need."""

    kind: ActionKind
    message: Message | None = None
    pause_reason: PauseReason | None = None
    event: SafetyEvent | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SessionStatus:
    """The session as the guard needs to see it."""

    state: SessionState
    pause_reason: PauseReason | None = None
    active_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class GuardSettings:
    """Behaviour the user chose."""

    auto_resume: bool = False
    inactivity_s: float = 0.0
    repeat_interval_s: float = 60.0


def reasons_data(reasons: tuple[Reason, ...]) -> list[dict[str, str]]:
    """Reasons as plain dicts for events, attributes and messages."""
    return [
        {
            "entity_id": r.entity_id,
            "role": r.role.value,
            "hazard": r.hazard.value,
            "reading": r.reading,
            "severity": r.severity.value,
        }
        for r in reasons
    ]


def _event(event: SafetyEvent, **data: Any) -> Action:
    return Action(ActionKind.EVENT, event=event, data=data)


_STEP_EVENTS = {
    Step.CHECK_IN_REQUESTED: SafetyEvent.CHECK_IN_REQUESTED,
    Step.CHECK_IN_ACKNOWLEDGED: SafetyEvent.CHECK_IN_ACKNOWLEDGED,
    Step.EMERGENCY_ESCALATED: SafetyEvent.EMERGENCY_ESCALATED,
    Step.EMERGENCY_ACKNOWLEDGED: SafetyEvent.EMERGENCY_ACKNOWLEDGED,
}


@dataclass(slots=True)
class Guard:
    """Safety state of one walker: path verdict, check-in ladder and message rate limits."""

    monitor: PathMonitor
    ladder: Ladder
    settings: GuardSettings = field(default_factory=GuardSettings)
    assessment: Assessment = CLEAR
    readings: dict[str, Reading | None] = field(default_factory=dict)
    _last_sent: dict[str, datetime] = field(default_factory=dict)
    _overridden: frozenset[tuple[str, str]] = frozenset()
    _paused_by_guard: bool = False

    @property
    def activity_ids(self) -> tuple[str, ...]:
        """The sensors that should see the walker move."""
        return tuple(r.entity_id for r in self.monitor.rules if r.role is Role.ACTIVITY)

    def armed(self, session: SessionStatus) -> bool:
        """Whether hazards lead to actions now (no alarms while nobody walks)."""
        return (
            session.state is SessionState.RUNNING
            or (
                session.state is SessionState.PAUSED
                and session.pause_reason in (PauseReason.HAZARD, PauseReason.FALL)
            )
            or self.ladder.active
        )

    # --- inputs ----------------------------------------------------------------------------------

    def load(self, readings: dict[str, Reading | None], now: datetime) -> None:
        """Take the current reading of every sensor (at set-up and when the sensors change)."""
        self.readings = dict(readings)
        self.monitor.assess(self.readings, now)

    def take_reading(
        self, entity_id: str, reading: Reading | None, now: datetime
    ) -> PauseReason | None:
        """Record a changed sensor; says at once whether a running session must pause.

        This is the hot path: one judgment, no assessment of the whole path. Call ``evaluate``
        afterwards (with the session as it was) for the events and messages.
        """
        self.readings[entity_id] = reading
        found = self.monitor.update(entity_id, reading, now)
        if found is None or found.severity is Verdict.WARNING:
            return None
        if self._overridden and (found.entity_id, found.hazard.value) in self._overridden:
            return None
        return PauseReason.FALL if found.severity is Verdict.FALL else PauseReason.HAZARD

    def update_reading(
        self, entity_id: str, reading: Reading | None, session: SessionStatus, now: datetime
    ) -> list[Action]:
        """A sensor changed: judge only that sensor, then decide."""
        self.take_reading(entity_id, reading, now)
        return self.evaluate(session, now)

    def evaluate(self, session: SessionStatus, now: datetime) -> list[Action]:
        """Re-assess the path and the ladder at ``now`` and say what to do."""
        old, new = self.assessment, self._assess(now)
        self.assessment = new
        actions: list[Action] = []
        if not self.armed(session):
            self._paused_by_guard = False
            return actions
        running = session.state is SessionState.RUNNING
        # The pause comes first: everything else (events, messages) can wait microseconds.
        if running and new.verdict is Verdict.FALL:
            actions.append(Action(ActionKind.PAUSE, pause_reason=PauseReason.FALL))
            self._paused_by_guard = True
        elif running and new.verdict is Verdict.UNSAFE:
            actions.append(Action(ActionKind.PAUSE, pause_reason=PauseReason.HAZARD))
            self._paused_by_guard = True
        if new.verdict.rank > old.verdict.rank:
            actions.append(_event(SafetyEvent.HAZARD_DETECTED, **self._verdict_data(new)))
        if new.verdict is Verdict.FALL and old.verdict is not Verdict.FALL:
            actions += self._ladder(lambda: self.ladder.request(CheckInCause.FALL, now), now)
        elif new.verdict is Verdict.UNSAFE and running:
            actions += self._tell_walker(Message.HAZARD, new, now)
        elif new.verdict is Verdict.WARNING and running and new.reasons != old.reasons:
            actions += self._tell_walker(Message.WARNING, new, now)
        if new.verdict is Verdict.CLEAR and old.verdict is not Verdict.CLEAR:
            actions.append(_event(SafetyEvent.HAZARD_CLEARED))
            if session.pause_reason is PauseReason.HAZARD:
                actions += self._tell_walker(Message.CLEAR, new, now)
                if self.settings.auto_resume and self._paused_by_guard and not self.ladder.active:
                    actions.append(Action(ActionKind.RESUME))
                    self._paused_by_guard = False
        if running and not any(a.kind is ActionKind.PAUSE for a in actions):
            deadline = self._inactivity_deadline(session, now)
            if deadline is not None and now >= deadline:
                actions.append(Action(ActionKind.PAUSE, pause_reason=PauseReason.CHECK_IN))
                actions += self._ladder(
                    lambda: self.ladder.request(CheckInCause.INACTIVITY, now), now
                )
        actions += self._ladder(lambda: self.ladder.tick(now), now)
        return actions

    def acknowledge_check_in(self, now: datetime) -> list[Action]:
        """The walker answered I'm OK (raises LadderError when nothing was asked)."""
        return self._ladder(self.ladder.answer_ok, now)

    def need_help(self, now: datetime) -> list[Action]:
        """The walker asked for help."""
        return self._ladder(lambda: self.ladder.need_help(now), now)

    def acknowledge_emergency(self, now: datetime) -> list[Action]:
        """A contact took care of the emergency (raises LadderError when there is none)."""
        return self._ladder(self.ladder.acknowledge_emergency, now)

    def gate(self, force: bool) -> StartGate:
        """Whether a session may start or resume now."""
        return gate_start(self.assessment, force)

    def accept_override(self, gate: StartGate) -> None:
        """Remember what a forced start overrode so it warns instead of pausing this session."""
        self._overridden = frozenset((r.entity_id, r.hazard.value) for r in gate.overridden)

    def session_ended(self) -> None:
        """Forget per-session overrides."""
        self._overridden = frozenset()
        self._paused_by_guard = False

    def next_deadline(self, session: SessionStatus, now: datetime) -> datetime | None:
        """When ``evaluate`` must run again if nothing else happens."""
        candidates = [self.assessment.recheck_at, self.ladder.deadline]
        if session.state is SessionState.RUNNING:
            candidates.append(self._inactivity_deadline(session, now))
        return min((c for c in candidates if c is not None), default=None)

    # --- internals -------------------------------------------------------------------------------

    def _assess(self, now: datetime) -> Assessment:
        assessment = self.monitor.assess(None, now)
        if not self._overridden or not assessment.reasons:
            return assessment
        reasons = tuple(
            replace(r, severity=Verdict.WARNING)
            if (r.entity_id, r.hazard.value) in self._overridden
            else r
            for r in assessment.reasons
        )
        verdict = max((r.severity for r in reasons), key=lambda v: v.rank)
        ordered = tuple(sorted(reasons, key=lambda r: (-r.severity.rank, r.entity_id)))
        return Assessment(verdict, ordered, assessment.recheck_at)

    def _inactivity_deadline(self, session: SessionStatus, now: datetime) -> datetime | None:
        ids = self.activity_ids
        if not ids or self.settings.inactivity_s <= 0:
            return None
        seen = [t for t in (last_activity(self.readings, ids, now), session.active_since) if t]
        if not seen:
            return None
        return max(seen) + timedelta(seconds=self.settings.inactivity_s)

    def _verdict_data(self, assessment: Assessment) -> dict[str, Any]:
        return {"verdict": assessment.verdict.value, "reasons": reasons_data(assessment.reasons)}

    def _tell_walker(self, message: Message, assessment: Assessment, now: datetime) -> list[Action]:
        top = assessment.top_hazard
        key = f"{message}:{top.value if top else ''}"
        last = self._last_sent.get(key)
        if last is not None and now - last < timedelta(seconds=self.settings.repeat_interval_s):
            return []
        self._last_sent[key] = now
        data = self._verdict_data(assessment)
        return [
            Action(ActionKind.NOTIFY_WALKER, message=message, data=data),
            Action(ActionKind.SPEAK, message=message, data=data),
        ]

    def _ladder_details(self) -> dict[str, Any]:
        ladder = self.ladder
        return {
            "cause": ladder.cause.value if ladder.cause else None,
            "escalation": ladder.escalation.value if ladder.escalation else None,
            "since": iso(ladder.started_at),
        }

    def _ladder(self, transition: Callable[[], list[Step]], now: datetime) -> list[Action]:
        before = self._ladder_details()
        steps = transition()
        if not steps:
            return []
        after = self._ladder_details()
        # An answer closes the ladder; its events still say what was answered.
        details = {key: after[key] or before[key] for key in after}
        details.update(self._verdict_data(self.assessment))
        actions: list[Action] = []
        for step in steps:
            if step in _STEP_EVENTS:
                actions.append(_event(_STEP_EVENTS[step], **details))
            if step is Step.CHECK_IN_REQUESTED:
                actions.append(
                    Action(ActionKind.NOTIFY_WALKER, message=Message.CHECK_IN, data=details)
                )
                actions.append(Action(ActionKind.SPEAK, message=Message.CHECK_IN, data=details))
            elif step in (Step.EMERGENCY_ESCALATED, Step.EMERGENCY_REALERT):
                data = {**details, "repeat": step is Step.EMERGENCY_REALERT}
                actions.append(
                    Action(ActionKind.NOTIFY_EMERGENCY, message=Message.EMERGENCY, data=data)
                )
            elif step is Step.EMERGENCY_ACKNOWLEDGED:
                actions.append(
                    Action(
                        ActionKind.NOTIFY_EMERGENCY,
                        message=Message.EMERGENCY_ACKNOWLEDGED,
                        data={**details, "at": now.isoformat()},
                    )
                )
        return actions
