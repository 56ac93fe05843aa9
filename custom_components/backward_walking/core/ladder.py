"""The check-in: fall-safety escalation ladder, check-in → emergency → re-alerts until acknowledged.

idle ──(fall or inactivity)──► awaiting_response ──(I'm OK)──► idle
                                   │ (asked again by voice at half the countdown)
                                   │ (Need help, or no answer within the countdown)
                                   ▼
                               escalated ──(re-alert every interval)──► escalated
                                   │ (acknowledge_emergency)
                                   ▼
                                  idle

Like Home Assistant's ``timer``, one class keeps the state, its deadlines and what each transition
announces: every transition returns its events and messages at once. Others read the check-in
through a frozen ``CheckInView`` and change its timings through ``configure``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from .isodates import iso, parse_datetime
from .messages import Channel, Message, SafetyEvent
from .safety import Assessment, Reason, Verdict
from .saved import mapping, whole
from .settings import WalkerSettings


class CheckInState(StrEnum):
    """Where the ladder stands."""

    IDLE = "idle"
    AWAITING_RESPONSE = "awaiting_response"
    ESCALATED = "escalated"


class CheckInCause(StrEnum):
    """What started the check-in."""

    FALL = "fall"
    INACTIVITY = "inactivity"
    HELP = "help"  # the walker asked for help without being asked first


class EscalationCause(StrEnum):
    """Why the emergency contacts were alerted."""

    NO_ANSWER = "no_answer"
    NEED_HELP = "need_help"


@dataclass(frozen=True, slots=True)
class CheckInTimings:
    """The walker's choices for the check-in."""

    check_in_s: float = 60.0
    realert_s: float = 120.0
    # A voice satellite asks instead of the speaker, and once more at half the countdown.
    ask_again: bool = False
    # The second tier of contacts joins after this many unanswered re-alerts.
    tier2_after: int = 2

    @classmethod
    def of(cls, settings: WalkerSettings) -> CheckInTimings:
        """The walker's choices: a voice satellite asks, and asks again."""
        return cls(
            settings.check_in_s,
            settings.realert_s,
            ask_again=settings.voice_satellite is not None,
            tier2_after=settings.tier2_after,
        )


@dataclass(frozen=True, slots=True)
class CheckInView:
    """The check-in as the entities and the voice question see it."""

    state: CheckInState = CheckInState.IDLE
    cause: CheckInCause | None = None
    escalation: EscalationCause | None = None
    started_at: datetime | None = None
    deadline: datetime | None = None
    # Why it opened, for the card: the fall sensors that reported a fall, or how long the walker
    # had not been seen moving.
    fall_sensors: tuple[str, ...] = ()
    no_movement_s: float | None = None

    @property
    def awaiting_since(self) -> datetime | None:
        """When the question still waiting for an answer was asked (None: none waits)."""
        return self.started_at if self.state is CheckInState.AWAITING_RESPONSE else None


@dataclass(frozen=True, slots=True)
class NotOpen:
    """An answer that does not fit the check-in's state (I'm OK when nothing was asked)."""

    state: CheckInState


# --- what the check-in announces -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckInEvent:
    """A check-in or emergency event: what happened, since when, and the path at that moment."""

    type: SafetyEvent
    cause: CheckInCause | None
    escalation: EscalationCause | None
    since: datetime | None
    # 2 once the second tier of contacts is alerted (None before, and for the first tier).
    tier: int | None
    verdict: Verdict
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class CheckInAnswered(CheckInEvent):
    """The check-in or the emergency was answered; ``by`` names who answered."""

    by: str | None


@dataclass(frozen=True, slots=True)
class CheckInQuestion:
    """Are you OK? ``again``: the voice satellite's second question at half the countdown."""

    message: ClassVar[Message] = Message.CHECK_IN
    channel: Channel
    again: bool = False


@dataclass(frozen=True, slots=True)
class CheckInOk:
    """Good to know you are OK: replaces the question (and its buttons) on the walker's phone."""

    message: ClassVar[Message] = Message.CHECK_IN_OK
    channel: ClassVar[Channel] = Channel.NOTIFY_WALKER
    by: str | None
    # Whether the path is clear now: else the walker waits to be told it is.
    path_clear: bool = True


@dataclass(frozen=True, slots=True)
class EmergencyAlert:
    """The contacts' alarm; ``repeat`` for a re-alert, ``tier`` 2 once the second tier joins."""

    message: ClassVar[Message] = Message.EMERGENCY
    channel: ClassVar[Channel] = Channel.NOTIFY_EMERGENCY
    cause: CheckInCause | None
    escalation: EscalationCause | None
    since: datetime | None
    tier: int | None
    repeat: bool


@dataclass(frozen=True, slots=True)
class EmergencyAcknowledged:
    """Someone (``by``) is taking care of the walker; told to every tier that was alerted."""

    message: ClassVar[Message] = Message.EMERGENCY_ACKNOWLEDGED
    channel: ClassVar[Channel] = Channel.NOTIFY_EMERGENCY
    by: str | None
    at: datetime
    tier: int | None


type CheckInStep = (
    CheckInEvent | CheckInQuestion | CheckInOk | EmergencyAlert | EmergencyAcknowledged
)


class Ladder:
    """The check-in of one walker; every transition returns what it announces."""

    __slots__ = (
        "_ask_again_at",
        "_cause",
        "_deadline",
        "_escalation",
        "_fall_sensors",
        "_no_movement_s",
        "_realerts",
        "_started_at",
        "_state",
        "_timings",
    )
    _timings: CheckInTimings
    _state: CheckInState
    _cause: CheckInCause | None
    _escalation: EscalationCause | None
    _started_at: datetime | None
    _deadline: datetime | None
    _ask_again_at: datetime | None
    _fall_sensors: tuple[str, ...]
    _no_movement_s: float | None
    # Re-alerts sent for the open emergency, none of them acknowledged.
    _realerts: int

    def __init__(self, timings: CheckInTimings | None = None) -> None:
        """An idle check-in with the walker's timings."""
        self._timings = timings or CheckInTimings()
        self._close()

    # --- reading ---------------------------------------------------------------------------------

    @property
    def timings(self) -> CheckInTimings:
        """The timings in force."""
        return self._timings

    @property
    def view(self) -> CheckInView:
        """The check-in as it stands."""
        return CheckInView(
            self._state,
            self._cause,
            self._escalation,
            self._started_at,
            self._deadline,
            self._fall_sensors,
            self._no_movement_s,
        )

    @property
    def active(self) -> bool:
        """True while a check-in or an emergency is open."""
        return self._state is not CheckInState.IDLE

    @property
    def due_at(self) -> datetime | None:
        """The next moment the ladder acts by itself: asking again, escalating or re-alerting."""
        return min((m for m in (self._ask_again_at, self._deadline) if m is not None), default=None)

    # --- changing --------------------------------------------------------------------------------

    def configure(self, timings: CheckInTimings) -> None:
        """New timings; an open check-in keeps its deadline (the next one uses the new length)."""
        self._timings = timings

    def request(
        self,
        cause: CheckInCause,
        now: datetime,
        path: Assessment,
        *,
        no_movement_s: float | None = None,
    ) -> list[CheckInStep]:
        """Ask the walker whether they are OK; nothing while a check-in is already open.

        A fall names the sensors reading it; no movement says for how long none was seen.
        """
        if self.active:
            return []
        self._state = CheckInState.AWAITING_RESPONSE
        self._cause = cause
        self._fall_sensors = tuple(sorted(path.falling)) if cause is CheckInCause.FALL else ()
        self._no_movement_s = no_movement_s
        self._escalation = None
        self._started_at = now
        countdown = self._timings.check_in_s
        self._deadline = now + timedelta(seconds=countdown)
        self._ask_again_at = (
            now + timedelta(seconds=countdown / 2) if self._timings.ask_again else None
        )
        asking = Channel.ASK if self._timings.ask_again else Channel.SPEAK
        return [
            self._event(SafetyEvent.CHECK_IN_REQUESTED, path),
            CheckInQuestion(Channel.NOTIFY_WALKER),
            CheckInQuestion(asking),
        ]

    def answer_ok(self, path: Assessment, by: str | None) -> list[CheckInStep] | NotOpen:
        """The walker answered I'm OK (``by`` names who answered)."""
        if self._state is not CheckInState.AWAITING_RESPONSE:
            return NotOpen(self._state)
        answered = self._answered(SafetyEvent.CHECK_IN_ACKNOWLEDGED, path, by)
        self._close()
        return [answered, CheckInOk(by, path.verdict is Verdict.CLEAR)]

    def need_help(self, now: datetime, path: Assessment) -> list[CheckInStep]:
        """The walker asked for help: escalate at once (also without an open check-in)."""
        if self._state is CheckInState.ESCALATED:
            return []
        if self._cause is None:
            self._cause = CheckInCause.HELP
            self._started_at = now
        return self._escalate(EscalationCause.NEED_HELP, now, path)

    def acknowledge_emergency(
        self, now: datetime, path: Assessment, by: str | None
    ) -> list[CheckInStep] | NotOpen:
        """Someone (``by``) took care of the emergency."""
        if self._state is not CheckInState.ESCALATED:
            return NotOpen(self._state)
        answered = self._answered(SafetyEvent.EMERGENCY_ACKNOWLEDGED, path, by)
        self._close()
        return [answered, EmergencyAcknowledged(by, now, answered.tier)]

    def tick(self, now: datetime, path: Assessment) -> list[CheckInStep]:
        """Escalate an unanswered check-in and repeat alerts; call at ``due_at``."""
        if self._deadline is None:
            return []
        # After the clock stepped back, a countdown never runs longer than its own length.
        longest = timedelta(
            seconds=self._timings.check_in_s
            if self._state is CheckInState.AWAITING_RESPONSE
            else self._timings.realert_s
        )
        if self._deadline - now > longest:
            self._deadline = now + longest
        if now < self._deadline:
            return self._ask_again(now)
        if self._state is CheckInState.AWAITING_RESPONSE:
            return self._escalate(EscalationCause.NO_ANSWER, now, path)
        # Escalated: one re-alert per tick, scheduled from now so a long gap never bursts.
        self._deadline = now + timedelta(seconds=self._timings.realert_s)
        self._realerts += 1
        return [self._alert(repeat=True)]

    # --- saved form ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the store."""
        return {
            "state": self._state.value,
            "cause": self._cause.value if self._cause else None,
            "escalation": self._escalation.value if self._escalation else None,
            "started_at": iso(self._started_at),
            "deadline": iso(self._deadline),
            "ask_again_at": iso(self._ask_again_at),
            "realerts": self._realerts,
            "fall_sensors": list(self._fall_sensors),
            "no_movement_s": self._no_movement_s,
        }

    def restore(self, saved: object) -> None:
        """Take back a saved state; raises KeyError/TypeError/ValueError on damaged data."""
        data = mapping(saved)
        state = CheckInState(data["state"])
        cause = CheckInCause(data["cause"]) if data["cause"] else None
        escalation = EscalationCause(data["escalation"]) if data["escalation"] else None
        started = parse_datetime(data["started_at"])
        deadline = parse_datetime(data["deadline"])
        if state is not CheckInState.IDLE and deadline is None:
            raise ValueError("an open check-in needs a deadline")
        # Older files have no voice question to repeat and no count of re-alerts.
        ask_again_at = parse_datetime(data.get("ask_again_at"))
        realerts = max(0, whole(data.get("realerts", 0)))
        # Older files do not say why the check-in opened.
        fall_sensors = tuple(str(entity_id) for entity_id in data.get("fall_sensors") or ())
        quiet = data.get("no_movement_s")
        no_movement_s = None if quiet is None else float(quiet)
        self._state, self._cause, self._escalation = state, cause, escalation
        self._fall_sensors, self._no_movement_s = fall_sensors, no_movement_s
        self._started_at, self._deadline = started, deadline
        self._ask_again_at, self._realerts = ask_again_at, realerts

    # --- internals -------------------------------------------------------------------------------

    def _ask_again(self, now: datetime) -> list[CheckInStep]:
        """Half the countdown passed unanswered: ask once more (never after a late wake-up)."""
        if self._ask_again_at is None or self._deadline is None:
            return []
        if self._state is not CheckInState.AWAITING_RESPONSE or not self._timings.ask_again:
            self._ask_again_at = None  # answered, or the satellite was removed meanwhile
            return []
        # Never later than half the countdown before the deadline (which a clock step may pull in).
        half = self._deadline - timedelta(seconds=self._timings.check_in_s / 2)
        due = self._ask_again_at = min(self._ask_again_at, half)
        if now < due:
            return []
        self._ask_again_at = None
        return [CheckInQuestion(Channel.ASK, again=True)]

    def _escalate(self, why: EscalationCause, now: datetime, path: Assessment) -> list[CheckInStep]:
        self._ask_again_at = None
        self._state = CheckInState.ESCALATED
        self._escalation = why
        self._deadline = now + timedelta(seconds=self._timings.realert_s)
        self._realerts = 0
        return [self._event(SafetyEvent.EMERGENCY_ESCALATED, path), self._alert(repeat=False)]

    def _close(self) -> None:
        self._state = CheckInState.IDLE
        self._cause = self._escalation = None
        self._started_at = self._deadline = self._ask_again_at = None
        self._fall_sensors, self._no_movement_s = (), None
        self._realerts = 0

    @property
    def _tier(self) -> int | None:
        return 2 if self._realerts > self._timings.tier2_after else None

    def _event(self, event: SafetyEvent, path: Assessment) -> CheckInEvent:
        return CheckInEvent(event, *self._details(), path.verdict, path.reasons)

    def _answered(self, event: SafetyEvent, path: Assessment, by: str | None) -> CheckInAnswered:
        """The answer's event, taken before the check-in closes: it says what was answered."""
        return CheckInAnswered(event, *self._details(), path.verdict, path.reasons, by)

    def _details(
        self,
    ) -> tuple[CheckInCause | None, EscalationCause | None, datetime | None, int | None]:
        """What the events and the contacts' alarm say about the open check-in."""
        return self._cause, self._escalation, self._started_at, self._tier

    def _alert(self, *, repeat: bool) -> EmergencyAlert:
        return EmergencyAlert(*self._details(), repeat=repeat)
