"""The safety guard: turns path assessments, the session state and the clock into actions.

Inputs: sensor readings, the session's state, answers to check-ins, the time. Outputs: actions for the
engine (pause, resume, notify the walker or the emergency contacts, speak, fire an event). Hazards are
watched while a session runs or is paused for a hazard or a fall, and while a check-in is open; a fall
is watched during any session, whatever the pause reason.
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
    Hazard,
    PathMonitor,
    Reading,
    Reason,
    Role,
    SensorRule,
    StartGate,
    Thresholds,
    Verdict,
    gate_start,
    last_activity,
    reason_from_dict,
    reason_to_dict,
)
from .session import ACTIVE_STATES, PauseReason, SessionState


class ActionKind(StrEnum):
    """What the shell must do."""

    PAUSE = "pause"
    RESUME = "resume"
    NOTIFY_WALKER = "notify_walker"
    NOTIFY_EMERGENCY = "notify_emergency"
    SPEAK = "speak"
    # Ask the walker through the voice satellite and listen for the answer.
    ASK = "ask"
    EVENT = "event"


class Message(StrEnum):
    """Which message a notification or spoken prompt carries."""

    HAZARD = "hazard"
    WARNING = "warning"
    CLEAR = "clear"
    CHECK_IN = "check_in"
    CHECK_IN_OK = "check_in_ok"
    EMERGENCY = "emergency"
    EMERGENCY_ACKNOWLEDGED = "emergency_acknowledged"
    BACKOFF = "backoff"
    REMINDER = "reminder"


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
    # Auto-resume stops for the session after this many hazard pauses within the window.
    backoff_pauses: int = 3
    backoff_window_s: float = 120.0
    # The second tier of contacts joins after this many unanswered re-alerts.
    tier2_after: int = 2


def reasons_data(reasons: tuple[Reason, ...]) -> list[dict[str, str]]:
    """Reasons as plain dicts for events, attributes and messages (the saved form, too)."""
    return [reason_to_dict(r) for r in reasons]


def _event(event: SafetyEvent, **data: Any) -> Action:
    return Action(ActionKind.EVENT, event=event, data=data)


_STEP_EVENTS = {
    Step.CHECK_IN_REQUESTED: SafetyEvent.CHECK_IN_REQUESTED,
    Step.CHECK_IN_ACKNOWLEDGED: SafetyEvent.CHECK_IN_ACKNOWLEDGED,
    Step.EMERGENCY_ESCALATED: SafetyEvent.EMERGENCY_ESCALATED,
    Step.EMERGENCY_ACKNOWLEDGED: SafetyEvent.EMERGENCY_ACKNOWLEDGED,
}

# Steps that answer the ladder: their events and messages say who answered.
_ANSWERS = frozenset({Step.CHECK_IN_ACKNOWLEDGED, Step.EMERGENCY_ACKNOWLEDGED})

# Pauses after which the path is watched as if the walker were walking.
_WATCHED_PAUSES = frozenset({PauseReason.HAZARD, PauseReason.FALL})


@dataclass(slots=True)
class Guard:
    """Safety state of one walker: path verdict, check-in ladder, overrides and message limits."""

    monitor: PathMonitor
    ladder: Ladder
    settings: GuardSettings = field(default_factory=GuardSettings)
    assessment: Assessment = CLEAR
    readings: dict[str, Reading | None] = field(default_factory=dict)
    _last_sent: dict[str, datetime] = field(default_factory=dict)
    _overridden: frozenset[tuple[str, str]] = frozenset()
    _walkable: bool = True
    _paused_by_guard: bool = False
    _hazard_pauses: list[datetime] = field(default_factory=list)
    _backed_off: bool = False
    _restored_held: list[Reason] = field(default_factory=list)

    @property
    def activity_ids(self) -> tuple[str, ...]:
        """The sensors that should see the walker move."""
        return tuple(r.entity_id for r in self.monitor.rules if r.role is Role.ACTIVITY)

    @property
    def overridden(self) -> frozenset[tuple[str, str]]:
        """(sensor, hazard) pairs a forced start or resume overrode for this session."""
        return self._overridden

    def watched(self, session: SessionStatus) -> bool:
        """Whether hazards lead to actions now (no alarms while nobody walks)."""
        return (
            session.state is SessionState.RUNNING
            or (session.state is SessionState.PAUSED and session.pause_reason in _WATCHED_PAUSES)
            or self.ladder.active
        )

    # --- inputs ----------------------------------------------------------------------------------

    def load(self, readings: dict[str, Reading | None], now: datetime) -> None:
        """Take every sensor's reading at set-up; each fine one is checked for the clear-hold."""
        self.readings = dict(readings)
        self.monitor.load(self.readings, now, self._restored_held)
        self._restored_held = []
        self.assessment = self._assess(now)
        self._walkable = not self.open_reasons(self.assessment)

    def fall_at_load(self, session: SessionStatus, now: datetime) -> list[Action]:
        """At set-up: a fall sensor already on during a session or an open check-in asks at once."""
        if not self.assessment.falling:
            return []
        if session.state not in ACTIVE_STATES and not self.ladder.active:
            return []
        return self._ladder(lambda: self.ladder.request(CheckInCause.FALL, now), now)

    def reconfigure(
        self,
        settings: GuardSettings,
        readings: dict[str, Reading | None],
        now: datetime,
        *,
        rules: tuple[SensorRule, ...],
        thresholds: Thresholds,
        clear_hold_s: float,
    ) -> None:
        """New rules; verdict, hold and debounce state, limits, overrides and check-in stay."""
        self.readings = dict(readings)
        self.settings = settings
        self.monitor.reconfigure(rules, thresholds, clear_hold_s, self.readings, now)
        kept = {rule.entity_id for rule in rules}
        self._overridden = frozenset(o for o in self._overridden if o[0] in kept)

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

    def evaluate(
        self, session: SessionStatus, now: datetime, *, tick_ladder: bool = True
    ) -> list[Action]:
        """Re-assess the path and the ladder at ``now`` and say what to do.

        Without ``tick_ladder`` the check-in countdown and re-alerts wait for a later call (a
        catch-up over past moments must not send a burst of re-alerts).
        """
        old, new = self.assessment, self._assess(now)
        self.assessment = new
        was_walkable, walkable = self._walkable, not self.open_reasons(new)
        self._walkable = walkable
        if session.state not in ACTIVE_STATES and not self.ladder.active:
            self._paused_by_guard = False
            return []
        running = session.state is SessionState.RUNNING
        watched = self.watched(session)
        # A fall sensor that starts reading a fall: also while an earlier fall is still held.
        fell = bool(new.falling - old.falling)
        actions: list[Action] = []
        # The pause comes first: everything else (events, messages) can wait microseconds.
        if running and new.verdict.rank >= Verdict.UNSAFE.rank:
            actions += self._pause(new, now)
        elif fell:
            # Already paused: the pause is now for the fall (never auto-resumed).
            actions.append(Action(ActionKind.PAUSE, pause_reason=PauseReason.FALL))
        if (new.verdict.rank > old.verdict.rank or fell) and (watched or fell):
            actions.append(_event(SafetyEvent.HAZARD_DETECTED, **self._verdict_data(new)))
        if fell:
            actions += self._ladder(lambda: self.ladder.request(CheckInCause.FALL, now), now)
        elif new.verdict is Verdict.UNSAFE and running:
            actions += self._tell_walker(Message.HAZARD, new, now, always_speak=True)
        elif new.verdict is Verdict.WARNING and running and _news(old) != _news(new) and _news(new):
            actions += self._tell_walker(Message.WARNING, new, now)
        if walkable and not was_walkable and watched:
            actions += self._cleared(session, new, now)
        if running and not any(a.kind is ActionKind.PAUSE for a in actions):
            actions += self._inactivity(session, now)
        if tick_ladder:
            actions += self._ladder(lambda: self.ladder.tick(now), now)
        return actions

    def acknowledge_check_in(self, now: datetime, by: str | None = None) -> list[Action]:
        """The walker answered I'm OK (raises LadderError when nothing was asked).

        ``by`` names who answered; it goes into the event and the messages.
        """
        return self._ladder(self.ladder.answer_ok, now, by=by)

    def need_help(self, now: datetime) -> list[Action]:
        """The walker asked for help."""
        return self._ladder(lambda: self.ladder.need_help(now), now)

    def acknowledge_emergency(self, now: datetime, by: str | None = None) -> list[Action]:
        """A contact took care of the emergency (raises LadderError when there is none)."""
        return self._ladder(self.ladder.acknowledge_emergency, now, by=by)

    def gate(self, force: bool) -> StartGate:
        """Whether a session may start or resume now (what this session overrode does not count)."""
        return gate_start(self.assessment, force, self._overridden)

    def accept_override(self, gate: StartGate, now: datetime) -> None:
        """Remember what a forced start overrode so it only warns for the rest of this session."""
        if not gate.overridden:
            return
        self._overridden |= {(r.entity_id, r.hazard.value) for r in gate.overridden}
        self.assessment = self._assess(now)
        self._walkable = not self.open_reasons(self.assessment)

    def to_dict(self) -> dict[str, Any]:
        """What must survive a reload or restart: the ladder, what held the path, the back-off."""
        return {
            "ladder": self.ladder.to_dict(),
            "held": [reason_to_dict(r) for r in self.monitor.held()],
            "hazard_pauses": [t.isoformat() for t in self._hazard_pauses],
            "backed_off": self._backed_off,
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Take back what was saved (older files have only the ladder); raises on damaged data."""
        self.ladder.restore(data["ladder"])
        self._restored_held = [reason_from_dict(r) for r in data.get("held", [])]
        self._hazard_pauses = [datetime.fromisoformat(t) for t in data.get("hazard_pauses", [])]
        self._backed_off = bool(data.get("backed_off", False))

    def session_started(self) -> None:
        """A new session: no pauses counted yet, auto-resume allowed again."""
        self._hazard_pauses.clear()
        self._backed_off = False
        self._paused_by_guard = False

    def session_ended(self) -> None:
        """Forget per-session overrides and counts."""
        self._overridden = frozenset()
        self.session_started()

    def open_reasons(self, assessment: Assessment) -> tuple[Reason, ...]:
        """The reasons this session has not overridden: any of them keeps the walker standing."""
        if not self._overridden:
            return assessment.reasons
        return tuple(
            r for r in assessment.reasons if (r.entity_id, r.hazard.value) not in self._overridden
        )

    def next_deadline(self, session: SessionStatus, now: datetime) -> datetime | None:
        """When ``evaluate`` must run again if nothing else happens."""
        candidates = [self.assessment.recheck_at, self.ladder.due_at]
        if session.state is SessionState.RUNNING:
            candidates.append(self.inactivity_deadline(session, now))
        return min((c for c in candidates if c is not None), default=None)

    # --- internals -------------------------------------------------------------------------------

    def _pause(self, assessment: Assessment, now: datetime) -> list[Action]:
        fall = assessment.verdict is Verdict.FALL
        actions = [
            Action(ActionKind.PAUSE, pause_reason=PauseReason.FALL if fall else PauseReason.HAZARD)
        ]
        self._paused_by_guard = True
        if fall or not self.settings.auto_resume or self._backed_off:
            return actions
        window = timedelta(seconds=self.settings.backoff_window_s)
        self._hazard_pauses = [t for t in self._hazard_pauses if now - t < window]
        self._hazard_pauses.append(now)
        if len(self._hazard_pauses) >= self.settings.backoff_pauses:
            self._backed_off = True
            data = self._verdict_data(assessment)
            actions += [
                Action(ActionKind.NOTIFY_WALKER, message=Message.BACKOFF, data=data),
                Action(ActionKind.SPEAK, message=Message.BACKOFF, data=data),
            ]
        return actions

    def _inactivity(self, session: SessionStatus, now: datetime) -> list[Action]:
        """A running session without movement for the inactivity time pauses and asks."""
        deadline = self.inactivity_deadline(session, now)
        if deadline is None or now < deadline:
            return []
        actions = [Action(ActionKind.PAUSE, pause_reason=PauseReason.CHECK_IN)]
        return actions + self._ladder(
            lambda: self.ladder.request(CheckInCause.INACTIVITY, now), now
        )

    def _cleared(
        self, session: SessionStatus, assessment: Assessment, now: datetime
    ) -> list[Action]:
        actions = [_event(SafetyEvent.HAZARD_CLEARED)]
        if session.pause_reason is not PauseReason.HAZARD:
            return actions
        resuming = (
            self.settings.auto_resume
            and self._paused_by_guard
            and not self._backed_off
            and not self.ladder.active
        )
        still = [r.entity_id for r in assessment.reasons]
        actions += self._tell_walker(
            Message.CLEAR, assessment, now, extra={"resuming": resuming, "overridden": still}
        )
        if resuming:
            actions.append(Action(ActionKind.RESUME))
            self._paused_by_guard = False
        return actions

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
        return Assessment(verdict, ordered, assessment.recheck_at, assessment.falling)

    def inactivity_deadline(self, session: SessionStatus, now: datetime) -> datetime | None:
        """When a running session without movement opens a check-in (None: not watched)."""
        ids = self.activity_ids
        if not ids or self.settings.inactivity_s <= 0:
            return None
        seen = [t for t in (last_activity(self.readings, ids, now), session.active_since) if t]
        if not seen:
            return None
        return max(seen) + timedelta(seconds=self.settings.inactivity_s)

    def _verdict_data(self, assessment: Assessment) -> dict[str, Any]:
        return {"verdict": assessment.verdict.value, "reasons": reasons_data(assessment.reasons)}

    def _tell_walker(
        self,
        message: Message,
        assessment: Assessment,
        now: datetime,
        *,
        always_speak: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> list[Action]:
        """Notify and speak, at most once per message and hazard per interval.

        With ``always_speak`` (a pause) the walker always hears it, even when the notification is
        held back by the limit.
        """
        data = {**self._verdict_data(assessment), **(extra or {})}
        speak = Action(ActionKind.SPEAK, message=message, data=data)
        top = assessment.top_hazard
        key = f"{message}:{top.value if top else ''}"
        last = self._last_sent.get(key)
        if last is not None and now - last < timedelta(seconds=self.settings.repeat_interval_s):
            return [speak] if always_speak else []
        self._last_sent[key] = now
        return [Action(ActionKind.NOTIFY_WALKER, message=message, data=data), speak]

    def _ladder_details(self) -> dict[str, Any]:
        ladder = self.ladder
        return {
            "cause": ladder.cause.value if ladder.cause else None,
            "escalation": ladder.escalation.value if ladder.escalation else None,
            "since": iso(ladder.started_at),
            # 2 once the second tier of contacts is alerted (None before, so answers keep it).
            "tier": 2 if ladder.realerts > self.settings.tier2_after else None,
        }

    def _ladder(
        self, transition: Callable[[], list[Step]], now: datetime, *, by: str | None = None
    ) -> list[Action]:
        before = self._ladder_details()
        steps = transition()
        if not steps:
            return []
        after = self._ladder_details()
        # An answer closes the ladder; its events still say what was answered.
        details = {key: after[key] or before[key] for key in after}
        details.update(self._verdict_data(self.assessment))
        answered = {"by": by}
        actions: list[Action] = []
        for step in steps:
            if step in _ANSWERS:
                actions.append(_event(_STEP_EVENTS[step], **details, **answered))
            elif step in _STEP_EVENTS:
                actions.append(_event(_STEP_EVENTS[step], **details))
            if step is Step.CHECK_IN_REQUESTED:
                actions.append(
                    Action(ActionKind.NOTIFY_WALKER, message=Message.CHECK_IN, data=details)
                )
                asking = ActionKind.ASK if self.ladder.ask_again else ActionKind.SPEAK
                actions.append(Action(asking, message=Message.CHECK_IN, data=details))
            elif step is Step.CHECK_IN_ASKED_AGAIN:
                data = {**details, "again": True}
                actions.append(Action(ActionKind.ASK, message=Message.CHECK_IN, data=data))
            elif step is Step.CHECK_IN_ACKNOWLEDGED:
                # Replaces the question (and its buttons) on the walker's phone.
                actions.append(
                    Action(
                        ActionKind.NOTIFY_WALKER,
                        message=Message.CHECK_IN_OK,
                        data={**details, **answered},
                    )
                )
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
                        data={**details, **answered, "at": now.isoformat()},
                    )
                )
        return actions


def _news(assessment: Assessment) -> frozenset[tuple[str, str]]:
    """The warnings worth telling the walker about (a sensor still being checked is not one)."""
    return frozenset(
        (r.entity_id, r.hazard.value) for r in assessment.reasons if r.hazard is not Hazard.CHECKING
    )
