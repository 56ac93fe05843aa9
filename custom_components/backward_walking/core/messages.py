"""What the engine asks the shell to say about the path, and the path's safety events.

Each message and event is a small record of exactly what its text or its attributes need; the shell
turns them into words (in the language of the moment) and into the event entity's attributes. The
check-in's own messages and events are the ladder's (``ladder.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from .safety import Reason, Verdict


class Channel(StrEnum):
    """How a message reaches people."""

    NOTIFY_WALKER = "notify_walker"
    NOTIFY_EMERGENCY = "notify_emergency"
    SPEAK = "speak"
    # Ask the walker through the voice satellite and listen for the answer.
    ASK = "ask"


class Message(StrEnum):
    """Which text a notification or spoken prompt carries (its title and body keys)."""

    HAZARD = "hazard"
    WARNING = "warning"
    CLEAR = "clear"
    CHECK_IN = "check_in"
    CHECK_IN_OK = "check_in_ok"
    EMERGENCY = "emergency"
    EMERGENCY_ACKNOWLEDGED = "emergency_acknowledged"
    BACKOFF = "backoff"
    REMINDER = "reminder"


class Situation(StrEnum):
    """What a notification is about; a newer message of the same situation replaces the older."""

    PATH = "path"
    CHECK_IN = "check_in"
    EMERGENCY = "emergency"
    REMINDER = "reminder"


SITUATION: dict[Message, Situation] = {
    Message.HAZARD: Situation.PATH,
    Message.WARNING: Situation.PATH,
    Message.CLEAR: Situation.PATH,
    Message.BACKOFF: Situation.PATH,
    Message.CHECK_IN: Situation.CHECK_IN,
    Message.CHECK_IN_OK: Situation.CHECK_IN,
    Message.EMERGENCY: Situation.EMERGENCY,
    Message.EMERGENCY_ACKNOWLEDGED: Situation.EMERGENCY,
    Message.REMINDER: Situation.REMINDER,
}


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
class PathNotice:
    """Stop (hazard), careful (warning), or the path keeps being blocked (back-off)."""

    channel: Channel
    message: Message
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class PathClear:
    """The path is clear again: whether the session goes on, and what is still overridden."""

    message: ClassVar[Message] = Message.CLEAR
    channel: Channel
    resuming: bool
    overridden: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class ReminderNotice:
    """Time for a walk: the session's minutes; ``repeat`` counts the nags (0: the reminder)."""

    message: ClassVar[Message] = Message.REMINDER
    channel: ClassVar[Channel] = Channel.NOTIFY_WALKER
    repeat: int
    minutes: float


@dataclass(frozen=True, slots=True)
class HazardDetected:
    """The path got worse while someone walks (or a fall sensor turned on)."""

    type: ClassVar[SafetyEvent] = SafetyEvent.HAZARD_DETECTED
    verdict: Verdict
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class HazardCleared:
    """The path is walkable again."""

    type: ClassVar[SafetyEvent] = SafetyEvent.HAZARD_CLEARED


@dataclass(frozen=True, slots=True)
class StartRefused:
    """A start or resume (``action``) the path did not allow."""

    type: ClassVar[SafetyEvent] = SafetyEvent.START_REFUSED
    action: str
    reasons: tuple[Reason, ...]
