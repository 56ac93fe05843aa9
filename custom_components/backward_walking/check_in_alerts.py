"""The check-in's and the emergency's messages: the words, the buttons, who gets them, how loudly.

The walker is asked (phone, and the speaker or the voice satellite) and told when their answer is
taken; the emergency contacts get the alarm, its re-alerts (the second tier once it joins) and
who took care of it, which also clears the ringing alert from their phones. The first alert starts
the emergency script.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.util import dt as dt_util

from .const import MOBILE_ACTION_ACK, MOBILE_ACTION_HELP, MOBILE_ACTION_OK
from .core.isodates import iso
from .core.ladder import (
    CheckInOk,
    CheckInQuestion,
    EmergencyAcknowledged,
    EmergencyAlert,
    EscalationCause,
)
from .core.messages import Channel
from .core.settings import WalkerSettings
from .notify import Level
from .outbox import Outbox
from .texts import Texts

type CheckInMessage = CheckInQuestion | CheckInOk | EmergencyAlert | EmergencyAcknowledged


def deliver_check_in(
    outbox: Outbox, texts: Texts, message: CheckInMessage, settings: WalkerSettings
) -> None:
    """Send or speak one of the check-in's messages in the language of ``texts``."""
    walker = settings.name
    match message:
        case CheckInQuestion(again=True):
            return  # only a voice satellite asks again; the phone's question stays
        case CheckInQuestion():
            title, body = texts.title_and_body(
                message.message, walker=walker, seconds=int(settings.check_in_s)
            )
            if message.channel is not Channel.NOTIFY_WALKER:
                outbox.speak(settings, body)
                return
            buttons = [
                outbox.button(MOBILE_ACTION_OK, texts.get("action_ok")),
                outbox.button(MOBILE_ACTION_HELP, texts.get("action_help")),
            ]
            outbox.to_walker(
                settings, message.message, title, body, buttons=buttons, level=Level.TIME_SENSITIVE
            )
        case CheckInOk():
            title, body = texts.title_and_body(message.message, walker=walker)
            outbox.to_walker(settings, message.message, title, body)
        case EmergencyAlert():
            _alert(outbox, texts, message, settings)
        case EmergencyAcknowledged():
            by = message.by or texts.get("by_someone")
            title, body = texts.title_and_body(
                message.message, walker=walker, by=by[:1].upper() + by[1:], time=_clock(message.at)
            )
            outbox.notifier.send(
                _contacts(settings, message.tier),
                title,
                body,
                tag=outbox.tag(message.message),
                level=Level.TIME_SENSITIVE,
                clear_first=True,
            )


def _alert(outbox: Outbox, texts: Texts, alert: EmergencyAlert, settings: WalkerSettings) -> None:
    """The emergency rings (critical unless turned off); the first alert starts the script."""
    walker = settings.name
    what = (
        "need_help"
        if alert.escalation is EscalationCause.NEED_HELP
        else (alert.cause.value if alert.cause else "fall")
    )
    title, body = texts.title_and_body(
        alert.message,
        walker=walker,
        hallway=settings.hallway or texts.get("hallway"),
        what=texts.get(f"emergency_what_{what}", walker=walker),
        time=_clock(alert.since),
    )
    if alert.repeat:
        body = f"{body} {texts.get('emergency_repeat')}"
    elif settings.emergency_script:
        outbox.notifier.run_script(
            settings.emergency_script,
            {
                "walker": walker,
                "cause": alert.cause.value if alert.cause else None,
                "hallway": settings.hallway,
                "since": iso(alert.since),
            },
        )
    outbox.notifier.send(
        _contacts(settings, alert.tier),
        title,
        body,
        tag=outbox.tag(alert.message),
        actions=[outbox.button(MOBILE_ACTION_ACK, texts.get("action_ack"))],
        level=Level.CRITICAL if settings.critical_alerts else Level.TIME_SENSITIVE,
    )


def _contacts(settings: WalkerSettings, tier: int | None) -> tuple[str, ...]:
    """The emergency contacts, and the second tier once it was alerted."""
    if tier == 2:
        return tuple(dict.fromkeys((*settings.emergency_notify, *settings.tier2_notify)))
    return settings.emergency_notify


def _clock(moment: datetime | None) -> str:
    return dt_util.as_local(moment or dt_util.utcnow()).strftime("%H:%M")
