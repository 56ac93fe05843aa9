"""Which notifications are out, and which of them the walker's state has made untrue.

Each situation's notification (on a phone, or in Home Assistant's panel) says something that holds
only for a while; once it no longer does, it is withdrawn, so nobody acts on an old message:

- the path's "Stop" holds while the session is paused; "Path clear – resume when you are ready" and
  "Resume when you are ready" while it is paused and may be resumed (no check-in or emergency is
  open); "Careful" and "Path clear – the session continues" while the session lasts;
- the check-in's question holds while it waits for an answer (not once the contacts are alerted),
  its "Thank you – resume when you are ready" while the session may be resumed ("– the path is not
  clear yet" until the path clears);
- a reminder holds until a session starts, or it is snoozed or skipped;
- the emergency always: its last word (who is taking care) stays.

A newer message of a situation replaces the older (they share a tag), so only the last one counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .effects import Outgoing
from .ladder import CheckInOk, CheckInState
from .messages import SITUATION, Channel, HazardCleared, Message, PathClear, Situation
from .reminders import ReminderSkipped, ReminderSnoozed
from .session import ACTIVE_STATES, SessionState

_NOTIFIED = (Channel.NOTIFY_WALKER, Channel.NOTIFY_EMERGENCY)


class Holds(StrEnum):
    """While what a notification says is true."""

    PAUSED = "paused"  # the session is paused
    RESUMABLE = "resumable"  # paused, and no check-in or emergency open (a resume is taken)
    UNTIL_CLEAR = "until_clear"  # resumable, and the path has not cleared since
    ACTIVE = "active"  # a session is running or paused
    AWAITING = "awaiting"  # the check-in waits for the walker's answer
    UNANSWERED = "unanswered"  # no session started, the reminder not snoozed or skipped
    ALWAYS = "always"


_HOLDS = {
    Message.HAZARD: Holds.PAUSED,
    Message.BACKOFF: Holds.RESUMABLE,
    Message.CLEAR: Holds.RESUMABLE,
    Message.WARNING: Holds.ACTIVE,
    Message.CHECK_IN: Holds.AWAITING,
    Message.CHECK_IN_OK: Holds.RESUMABLE,
    Message.REMINDER: Holds.UNANSWERED,
    Message.EMERGENCY: Holds.ALWAYS,
    Message.EMERGENCY_ACKNOWLEDGED: Holds.ALWAYS,
}


@dataclass(frozen=True, slots=True)
class Moment:
    """The walker's state that decides what still holds: the session's and the check-in's."""

    session: SessionState
    check_in: CheckInState


def holds_for(message: Outgoing) -> Holds:
    """While what ``message`` says stays true."""
    if isinstance(message, PathClear) and message.resuming:
        return Holds.ACTIVE  # "the session continues"
    if isinstance(message, CheckInOk) and not message.path_clear:
        return Holds.UNTIL_CLEAR  # "the path is not clear yet: you will be told"
    return _HOLDS[message.message]


def still_true(holds: Holds, now: Moment, events: Iterable[object]) -> bool:
    """Whether a notification that ``holds`` so is still true at ``now``, after ``events``."""
    match holds:
        case Holds.PAUSED:
            return now.session is SessionState.PAUSED
        case Holds.RESUMABLE:
            return now.session is SessionState.PAUSED and now.check_in is CheckInState.IDLE
        case Holds.UNTIL_CLEAR:
            cleared = any(isinstance(e, HazardCleared) for e in events)
            return still_true(Holds.RESUMABLE, now, events) and not cleared
        case Holds.ACTIVE:
            return now.session in ACTIVE_STATES
        case Holds.AWAITING:
            return now.check_in is CheckInState.AWAITING_RESPONSE
        case Holds.UNANSWERED:
            answered = any(isinstance(e, ReminderSnoozed | ReminderSkipped) for e in events)
            return now.session not in ACTIVE_STATES and not answered
    return True


class Notices:
    """The situations whose notification is out, and while each one holds."""

    __slots__ = ("shown",)

    def __init__(self) -> None:
        """Nothing shown."""
        self.shown: dict[Situation, Holds] = {}

    def settle(
        self, sent: Iterable[Outgoing], now: Moment, events: Iterable[object]
    ) -> list[Situation]:
        """After one step that ``sent`` these messages: the situations to withdraw, in order.

        A message sent and made untrue in the same step (a question the contacts were alerted
        about while the timer ran late) is withdrawn too: the shell sends before it withdraws.
        """
        events = list(events)
        for message in sent:
            if message.channel in _NOTIFIED:
                self.shown[SITUATION[message.message]] = holds_for(message)
        withdrawn = sorted(s for s, h in self.shown.items() if not still_true(h, now, events))
        for situation in withdrawn:
            del self.shown[situation]
        return withdrawn

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form for the store."""
        return {situation.value: holds.value for situation, holds in sorted(self.shown.items())}

    def restore(self, saved: object) -> None:
        """Take back what was saved; anything unreadable counts as nothing shown.

        Forgetting a notice costs at most an old notification left in place, so a damaged entry
        here never sets the walker's whole file aside.
        """
        values = saved if isinstance(saved, dict) else {}
        self.shown = {
            situation: holds
            for situation in Situation
            for holds in Holds
            if values.get(situation.value) == holds.value
        }
