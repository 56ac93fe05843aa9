"""Fall-safety escalation ladder: check-in → emergency → re-alerts until someone acknowledges.

idle ──(fall or inactivity)──► awaiting_response ──(I'm OK)──► idle
                                   │ (asked again by voice at half the countdown)
                                   │ (Need help, or no answer within the countdown)
                                   ▼
                               escalated ──(re-alert every interval)──► escalated
                                   │ (acknowledge_emergency)
                                   ▼
                                  idle
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .isodates import iso, parse_datetime


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


class LadderError(Exception):
    """An answer that does not fit the ladder's state (e.g. I'm OK when nothing was asked)."""

    def __init__(self, action: str, state: CheckInState) -> None:
        super().__init__(f"cannot {action} while {state}")
        self.action = action
        self.state = state


class Step(StrEnum):
    """What the shell must do after a ladder transition."""

    CHECK_IN_REQUESTED = "check_in_requested"
    CHECK_IN_ASKED_AGAIN = "check_in_asked_again"
    CHECK_IN_ACKNOWLEDGED = "check_in_acknowledged"
    EMERGENCY_ESCALATED = "emergency_escalated"
    EMERGENCY_REALERT = "emergency_realert"
    EMERGENCY_ACKNOWLEDGED = "emergency_acknowledged"


@dataclass(slots=True)
class Ladder:
    """The check-in state of one walker; every transition returns the steps to carry out."""

    check_in_s: float = 60.0
    realert_s: float = 120.0
    # A voice question is asked once more at half the countdown (only with a voice satellite).
    ask_again: bool = False
    state: CheckInState = CheckInState.IDLE
    cause: CheckInCause | None = None
    escalation: EscalationCause | None = None
    started_at: datetime | None = None
    deadline: datetime | None = None
    ask_again_at: datetime | None = None
    # Re-alerts sent for the open emergency, none of them acknowledged.
    realerts: int = 0

    @property
    def active(self) -> bool:
        """True while a check-in or an emergency is open."""
        return self.state is not CheckInState.IDLE

    @property
    def due_at(self) -> datetime | None:
        """The next moment the ladder acts by itself: asking again, escalating or re-alerting."""
        return min((m for m in (self.ask_again_at, self.deadline) if m is not None), default=None)

    def request(self, cause: CheckInCause, now: datetime) -> list[Step]:
        """Ask the walker whether they are OK; no-op while a check-in is already open."""
        if self.active:
            return []
        self.state = CheckInState.AWAITING_RESPONSE
        self.cause = cause
        self.escalation = None
        self.started_at = now
        self.deadline = now + timedelta(seconds=self.check_in_s)
        self.ask_again_at = now + timedelta(seconds=self.check_in_s / 2) if self.ask_again else None
        return [Step.CHECK_IN_REQUESTED]

    def answer_ok(self) -> list[Step]:
        """The walker answered I'm OK."""
        if self.state is not CheckInState.AWAITING_RESPONSE:
            raise LadderError("acknowledge_check_in", self.state)
        self._close()
        return [Step.CHECK_IN_ACKNOWLEDGED]

    def need_help(self, now: datetime) -> list[Step]:
        """The walker asked for help: escalate at once (also without an open check-in)."""
        if self.state is CheckInState.ESCALATED:
            return []
        if self.cause is None:
            self.cause = CheckInCause.HELP
            self.started_at = now
        return self._escalate(EscalationCause.NEED_HELP, now)

    def acknowledge_emergency(self) -> list[Step]:
        """Someone took care of the emergency."""
        if self.state is not CheckInState.ESCALATED:
            raise LadderError("acknowledge_emergency", self.state)
        self._close()
        return [Step.EMERGENCY_ACKNOWLEDGED]

    def tick(self, now: datetime) -> list[Step]:
        """Escalate on an unanswered check-in and repeat alerts; call at ``deadline``."""
        if self.deadline is None:
            return []
        # After the clock stepped back, a countdown never runs longer than its own length.
        longest = (
            self.check_in_s if self.state is CheckInState.AWAITING_RESPONSE else self.realert_s
        )
        if self.deadline - now > timedelta(seconds=longest):
            self.deadline = now + timedelta(seconds=longest)
        if now < self.deadline:
            return self._ask_again(now)
        if self.state is CheckInState.AWAITING_RESPONSE:
            return self._escalate(EscalationCause.NO_ANSWER, now)
        # Escalated: one re-alert per tick, scheduled from now so a long gap never bursts.
        self.deadline = now + timedelta(seconds=self.realert_s)
        self.realerts += 1
        return [Step.EMERGENCY_REALERT]

    def _ask_again(self, now: datetime) -> list[Step]:
        """Half the countdown passed unanswered: ask once more (never after a late wake-up)."""
        if self.ask_again_at is None or self.deadline is None:
            return []
        if self.state is not CheckInState.AWAITING_RESPONSE or not self.ask_again:
            self.ask_again_at = None  # answered, or the satellite was removed meanwhile
            return []
        # Never later than half the countdown before the deadline (which a clock step may pull in).
        half = self.deadline - timedelta(seconds=self.check_in_s / 2)
        due = self.ask_again_at = min(self.ask_again_at, half)
        if now < due:
            return []
        self.ask_again_at = None
        return [Step.CHECK_IN_ASKED_AGAIN]

    def _escalate(self, why: EscalationCause, now: datetime) -> list[Step]:
        self.ask_again_at = None
        self.state = CheckInState.ESCALATED
        self.escalation = why
        self.deadline = now + timedelta(seconds=self.realert_s)
        self.realerts = 0
        return [Step.EMERGENCY_ESCALATED]

    def _close(self) -> None:
        self.state = CheckInState.IDLE
        self.cause = None
        self.escalation = None
        self.started_at = None
        self.deadline = None
        self.ask_again_at = None
        self.realerts = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the store."""
        return {
            "state": self.state.value,
            "cause": self.cause.value if self.cause else None,
            "escalation": self.escalation.value if self.escalation else None,
            "started_at": iso(self.started_at),
            "deadline": iso(self.deadline),
            "ask_again_at": iso(self.ask_again_at),
            "realerts": self.realerts,
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Take back a saved state; raises ValueError/KeyError on malformed data."""
        state = CheckInState(data["state"])
        cause = CheckInCause(data["cause"]) if data["cause"] else None
        escalation = EscalationCause(data["escalation"]) if data["escalation"] else None
        started = parse_datetime(data["started_at"])
        deadline = parse_datetime(data["deadline"])
        if state is not CheckInState.IDLE and deadline is None:
            raise ValueError("an open check-in needs a deadline")
        self.state, self.cause, self.escalation = state, cause, escalation
        self.started_at, self.deadline = started, deadline
        # Older files have no voice question to repeat.
        self.ask_again_at = parse_datetime(data.get("ask_again_at"))
        self.realerts = max(0, int(data.get("realerts", 0)))
