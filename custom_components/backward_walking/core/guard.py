"""The safety guard: turns path assessments, the session state and the clock into actions.

Inputs: sensor readings, the session's state, answers to check-ins, the time. Outputs, in the order
they must happen: pause or resume the session, and the typed messages and events for the shell (the
check-in's come from its ladder). Hazards are watched while a session runs or is paused for a hazard
or a fall, and while a check-in is open; a fall is watched during any session, whatever the pause
reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from .gate import StartGate, gate_start
from .ladder import CheckInCause, CheckInStep, CheckInTimings, Ladder, NotOpen
from .messages import (
    Channel,
    HazardCleared,
    HazardDetected,
    Message,
    PathClear,
    PathNotice,
)
from .safety import (
    CLEAR,
    Assessment,
    Clearing,
    PathMonitor,
    Reading,
    Reason,
    Role,
    Verdict,
    last_activity,
    reason_from_dict,
    reason_to_dict,
)
from .saved import mapping
from .session import ACTIVE_STATES, PauseReason, SessionState
from .settings import WalkerSettings


@dataclass(frozen=True, slots=True)
class PauseFor:
    """Pause a running session (or a paused one now for a fall, or a call for help)."""

    reason: PauseReason


@dataclass(frozen=True, slots=True)
class Resume:
    """Resume the session the guard paused: the hazard cleared and auto-resume is on."""


type PathMessage = PathNotice | PathClear
# What the guard decides, in the order it must happen: the pause always comes first.
type GuardAction = PauseFor | Resume | PathMessage | HazardDetected | HazardCleared | CheckInStep
# What an answer to the check-in does, or why it fits nothing.
type Answer = list[GuardAction] | NotOpen


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

    @classmethod
    def of(cls, settings: WalkerSettings, repeat_interval_s: float) -> GuardSettings:
        """The walker's choices, with the engine's message repeat interval."""
        return cls(settings.auto_resume, settings.inactivity_s, repeat_interval_s)


# Pauses after which the path is watched as if the walker were walking.
_WATCHED_PAUSES = frozenset({PauseReason.HAZARD, PauseReason.FALL})
# Pauses after which the walker is told that the path is clear again.
_CLEAR_TOLD = _WATCHED_PAUSES | {PauseReason.HELP, PauseReason.CHECK_IN}


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
    # The path cleared while a check-in or emergency was open: told once it is answered.
    _clear_owed: bool = False
    _hazard_pauses: list[datetime] = field(default_factory=list)
    _backed_off: bool = False
    _restored_held: list[Reason] = field(default_factory=list)

    @property
    def activity_ids(self) -> tuple[str, ...]:
        """The sensors that should see the walker move."""
        return tuple(r.entity_id for r in self.monitor.rules if r.role is Role.ACTIVITY)

    @classmethod
    def for_walker(cls, settings: WalkerSettings, repeat_interval_s: float) -> Guard:
        """A guard with nothing seen yet, for the walker's sensors, thresholds and timings."""
        return cls(
            PathMonitor(settings.sensors, settings.thresholds, settings.clear_hold_s),
            Ladder(CheckInTimings.of(settings)),
            GuardSettings.of(settings, repeat_interval_s),
        )

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

    def fall_at_load(self, session: SessionStatus, now: datetime) -> list[GuardAction]:
        """At set-up: a fall sensor already on during a session or an open check-in asks at once."""
        if not self.assessment.falling:
            return []
        if session.state not in ACTIVE_STATES and not self.ladder.active:
            return []
        return [*self.ladder.request(CheckInCause.FALL, now, self.assessment)]

    def reconfigure(
        self,
        settings: WalkerSettings,
        readings: dict[str, Reading | None],
        now: datetime,
        repeat_interval_s: float,
    ) -> None:
        """New rules; verdict, hold and debounce state, limits, overrides and check-in stay."""
        self.readings = dict(readings)
        self.settings = GuardSettings.of(settings, repeat_interval_s)
        self.ladder.configure(CheckInTimings.of(settings))
        self.monitor.reconfigure(
            settings.sensors, settings.thresholds, settings.clear_hold_s, self.readings, now
        )
        kept = {rule.entity_id for rule in settings.sensors}
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

    def evaluate(
        self, session: SessionStatus, now: datetime, *, tick_ladder: bool = True
    ) -> list[GuardAction]:
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
        actions: list[GuardAction] = []
        # The pause comes first: everything else (events, messages) can wait microseconds.
        if running and new.verdict.rank >= Verdict.UNSAFE.rank:
            actions += self._pause(new, now)
        elif fell:
            # Already paused: the pause is now for the fall (never auto-resumed).
            actions.append(PauseFor(PauseReason.FALL))
        if (new.verdict.rank > old.verdict.rank or fell) and (watched or fell):
            actions.append(HazardDetected(new.verdict, new.reasons))
        if fell:
            actions += self.ladder.request(CheckInCause.FALL, now, new)
        elif new.verdict is Verdict.UNSAFE and running:
            actions += self._tell_walker(Message.HAZARD, new, now, always_speak=True)
        elif new.verdict is Verdict.WARNING and running and old.news != new.news and new.news:
            actions += self._tell_walker(Message.WARNING, new, now)
        if walkable and not was_walkable and (watched or self._clear_owed):
            actions += self._cleared(session, new, now)
        if running and not any(isinstance(a, PauseFor) for a in actions):
            actions += self._inactivity(session, now)
        if tick_ladder:
            actions += self.ladder.tick(now, new)
        return actions

    def acknowledge_check_in(self, session: SessionStatus, now: datetime, by: str | None) -> Answer:
        """The walker answered I'm OK; ``by`` names who answered (events and messages say it)."""
        return self._then_clear(self.ladder.answer_ok(self.assessment, by), session, now)

    def need_help(self, now: datetime) -> list[GuardAction]:
        """The walker asked for help."""
        return [*self.ladder.need_help(now, self.assessment)]

    def acknowledge_emergency(
        self, session: SessionStatus, now: datetime, by: str | None
    ) -> Answer:
        """A contact (``by``) took care of the emergency."""
        answered = self.ladder.acknowledge_emergency(now, self.assessment, by)
        return self._then_clear(answered, session, now)

    @property
    def overridden(self) -> frozenset[tuple[str, str]]:
        """What this session forced past: (sensor, hazard) pairs that only warn until it ends."""
        return self._overridden

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

    def restore(self, saved: object) -> None:
        """Take back what was saved (older files have only the ladder).

        Raises KeyError/TypeError/ValueError on damaged data.
        """
        data = mapping(saved)
        self.ladder.restore(data["ladder"])
        self._restored_held = [reason_from_dict(r) for r in data.get("held", [])]
        self._hazard_pauses = [datetime.fromisoformat(t) for t in data.get("hazard_pauses", [])]
        self._backed_off = bool(data.get("backed_off", False))

    def walking_again(self) -> None:
        """A start or resume took the path's notices back: the next ones are sent, not limited."""
        self._last_sent.clear()

    def session_started(self) -> None:
        """A new session: no pauses counted yet, auto-resume allowed again."""
        self._hazard_pauses.clear()
        self._backed_off = False
        self._paused_by_guard = False
        self._clear_owed = False

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

    def inactivity_deadline(self, session: SessionStatus, now: datetime) -> datetime | None:
        """When a running session without movement opens a check-in (None: not watched)."""
        ids = self.activity_ids
        if not ids or self.settings.inactivity_s <= 0:
            return None
        seen = [t for t in (last_activity(self.readings, ids, now), session.active_since) if t]
        if not seen:
            return None
        return max(seen) + timedelta(seconds=self.settings.inactivity_s)

    # --- internals -------------------------------------------------------------------------------

    def _pause(self, assessment: Assessment, now: datetime) -> list[GuardAction]:
        fall = assessment.verdict is Verdict.FALL
        actions: list[GuardAction] = [PauseFor(PauseReason.FALL if fall else PauseReason.HAZARD)]
        self._paused_by_guard = True
        if fall or not self.settings.auto_resume or self._backed_off:
            return actions
        window = timedelta(seconds=self.settings.backoff_window_s)
        self._hazard_pauses = [t for t in self._hazard_pauses if now - t < window]
        self._hazard_pauses.append(now)
        if len(self._hazard_pauses) >= self.settings.backoff_pauses:
            self._backed_off = True
            actions += [
                PathNotice(channel, Message.BACKOFF, assessment.reasons)
                for channel in (Channel.NOTIFY_WALKER, Channel.SPEAK)
            ]
        return actions

    def _inactivity(self, session: SessionStatus, now: datetime) -> list[GuardAction]:
        """A running session without movement for the inactivity time pauses and asks."""
        deadline = self.inactivity_deadline(session, now)
        if deadline is None or now < deadline:
            return []
        return [
            PauseFor(PauseReason.CHECK_IN),
            *self.ladder.request(
                CheckInCause.INACTIVITY,
                now,
                self.assessment,
                no_movement_s=(now - deadline).total_seconds() + self.settings.inactivity_s,
            ),
        ]

    def _cleared(
        self, session: SessionStatus, assessment: Assessment, now: datetime
    ) -> list[GuardAction]:
        actions: list[GuardAction] = [HazardCleared()]
        if session.state is not SessionState.PAUSED or session.pause_reason not in _CLEAR_TOLD:
            return actions
        if self.ladder.active:
            # The question or the emergency comes first: told once it is answered.
            self._clear_owed = True
            return actions
        self._clear_owed = False
        resuming = (
            session.pause_reason is PauseReason.HAZARD
            and self.settings.auto_resume
            and self._paused_by_guard
            and not self._backed_off
        )
        # Whatever is still there when the path clears is what this session overrode.
        actions += self._limited(
            Message.CLEAR,
            assessment,
            now,
            lambda channel: PathClear(channel, resuming, assessment.reasons),
        )
        if resuming:
            actions.append(Resume())
            self._paused_by_guard = False
        return actions

    def _then_clear(
        self,
        answered: list[CheckInStep] | NotOpen,
        session: SessionStatus,
        now: datetime,
    ) -> Answer:
        """An answer, then the path-clear message held back while the check-in was open."""
        if isinstance(answered, NotOpen):
            return answered
        paused = session.state is SessionState.PAUSED
        if not (self._clear_owed and paused) or self.open_reasons(self.assessment):
            return [*answered]  # nothing held back, or not clear again yet: told once it is
        self._clear_owed, clear = False, self.assessment
        told = self._limited(
            Message.CLEAR, clear, now, lambda channel: PathClear(channel, False, clear.reasons)
        )
        return [*answered, *told]

    def _assess(self, now: datetime) -> Assessment:
        assessment = self.monitor.assess(None, now)
        if not self._overridden or not assessment.reasons:
            return assessment

        def warns(reason: Reason) -> Reason:
            if (reason.entity_id, reason.hazard.value) in self._overridden:
                return replace(reason, severity=Verdict.WARNING)
            return reason

        reasons = tuple(warns(r) for r in assessment.reasons)
        verdict = max((r.severity for r in reasons), key=lambda v: v.rank)
        ordered = tuple(sorted(reasons, key=lambda r: (-r.severity.rank, r.entity_id)))
        clearing = tuple(Clearing(warns(h.reason), h.at) for h in assessment.clearing)
        return Assessment(verdict, ordered, assessment.recheck_at, assessment.falling, clearing)

    def _tell_walker(
        self, message: Message, assessment: Assessment, now: datetime, *, always_speak: bool = False
    ) -> list[PathMessage]:
        """Stop (hazard) or careful (warning): the reasons, notified and spoken."""
        return self._limited(
            message,
            assessment,
            now,
            lambda channel: PathNotice(channel, message, assessment.reasons),
            always_speak=always_speak,
        )

    def _limited(
        self,
        message: Message,
        assessment: Assessment,
        now: datetime,
        notice: Callable[[Channel], PathMessage],
        *,
        always_speak: bool = False,
    ) -> list[PathMessage]:
        """Notify and speak, at most once per message and hazard per interval.

        With ``always_speak`` (a pause) the walker always hears it, even when the notification is
        held back by the limit.
        """
        speak = notice(Channel.SPEAK)
        top = assessment.top_hazard
        key = f"{message}:{top.value if top else ''}"
        last = self._last_sent.get(key)
        if last is not None and now - last < timedelta(seconds=self.settings.repeat_interval_s):
            return [speak] if always_speak else []
        self._last_sent[key] = now
        return [notice(Channel.NOTIFY_WALKER), speak]
