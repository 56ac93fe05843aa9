"""The event entity's event types and attributes, from the engine's typed events.

The attributes are a promise to automations (README, "Event attributes"): their names, values and
order stay as they are.
"""

from __future__ import annotations

from typing import Any

from .core.effects import WalkerEvent
from .core.isodates import iso
from .core.ladder import CheckInAnswered, CheckInEvent
from .core.messages import HazardCleared, HazardDetected, StartRefused
from .core.reminders import ReminderSent, ReminderSkipped, ReminderSnoozed
from .core.safety import Reason, reason_to_dict
from .core.session import Finished, Paused, PhaseChanged, Resumed, Started


def event_data(event: WalkerEvent) -> tuple[str, dict[str, Any]]:
    """The event type and the attributes the event entity fires for ``event``."""
    return event.type.value, _attributes(event)


def reasons_data(reasons: tuple[Reason, ...]) -> list[dict[str, str]]:
    """The ``reasons`` attribute: each reason's sensor, role, hazard, reading and severity."""
    return [reason_to_dict(reason) for reason in reasons]


def _attributes(event: WalkerEvent) -> dict[str, Any]:
    match event:
        case Started():
            return {
                "program": event.program,
                "target_minutes": event.target_minutes,
                "speed_mph": event.speed_mph,
                "direction": event.direction.value,
            }
        case Paused():
            return {"reason": event.reason.value, "elapsed_minutes": event.elapsed_minutes}
        case Resumed():
            return {"after": event.after.value}
        case PhaseChanged():
            return {
                "direction": event.direction.value,
                "segment": event.segment,
                "segment_minutes": event.segment_minutes,
            }
        case Finished():
            return {
                "elapsed_minutes": event.elapsed_minutes,
                "target_minutes": event.target_minutes,
                "program": event.program,
                "pauses": event.pauses,
            }
        case HazardDetected():
            return {"verdict": event.verdict.value, "reasons": reasons_data(event.reasons)}
        case HazardCleared():
            return {}
        case StartRefused():
            return {"action": event.action, "reasons": reasons_data(event.reasons)}
        case CheckInEvent():
            return _check_in(event)
        case ReminderSent():
            return {"repeat": event.repeat, "minutes": event.minutes}
        case ReminderSkipped():
            return {"reason": event.reason.value} if event.reason else {}
        case ReminderSnoozed():
            return {"until": event.until.isoformat()} if event.until else {}


def _check_in(event: CheckInEvent) -> dict[str, Any]:
    data: dict[str, Any] = {
        "cause": event.cause.value if event.cause else None,
        "escalation": event.escalation.value if event.escalation else None,
        "since": iso(event.since),
        "tier": event.tier,
        "verdict": event.verdict.value,
        "reasons": reasons_data(event.reasons),
    }
    if isinstance(event, CheckInAnswered):
        data["by"] = event.by
    return data
