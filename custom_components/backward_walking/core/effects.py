"""The contract between engine and shell: what one input asks the shell to do.

Every message and event is a typed record (``messages.py``, ``ladder.py``, ``session.py``,
``reminders.py``); the shell turns them into texts and into the event entity's attributes. Nothing
crosses as a loosely typed dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .cues import Cue
from .ladder import (
    CheckInEvent,
    CheckInOk,
    CheckInQuestion,
    EmergencyAcknowledged,
    EmergencyAlert,
)
from .messages import (
    HazardCleared,
    HazardDetected,
    PathClear,
    PathNotice,
    ReminderNotice,
    Situation,
    StartRefused,
)
from .reminders import ReminderRecord
from .safety import Reason
from .session import SessionEvent

type Outgoing = (
    PathNotice
    | PathClear
    | ReminderNotice
    | CheckInQuestion
    | CheckInOk
    | EmergencyAlert
    | EmergencyAcknowledged
)
type WalkerEvent = (
    SessionEvent | HazardDetected | HazardCleared | StartRefused | CheckInEvent | ReminderRecord
)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a command was not carried out: a translation key, its placeholders, what blocks."""

    key: str
    placeholders: dict[str, str] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()


@dataclass(slots=True)
class Effects:
    """What the shell must do after one input.

    ``changed``: what the entities show may have changed, because something was announced (an
    event or a message), the path's verdict or reasons changed, or the input changes what is shown
    by itself (new settings, set-up, a wake-up that may be the local midnight).
    ``withdrawn``: situations that are over; their notifications are removed (``notices.py``).
    """

    events: list[WalkerEvent] = field(default_factory=list)
    messages: list[Outgoing] = field(default_factory=list)
    withdrawn: list[Situation] = field(default_factory=list)
    # Spoken coaching: at most one cue per input, never with a safety message unless the session's
    # own event brought it (see cues.py).
    cues: list[Cue] = field(default_factory=list)
    refusal: Refusal | None = None
    overridden: tuple[Reason, ...] = ()
    save: bool = False
    changed: bool = False
    next_wakeup: datetime | None = None
