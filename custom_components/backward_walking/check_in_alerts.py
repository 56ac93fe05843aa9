"""The check-in's and the emergency's messages: the words, the buttons, who gets them, how loudly.

The walker is asked (phone, and the speaker or the voice satellite) and told when their answer is
taken; the emergency contacts get the alarm, its re-alerts (the second tier once it joins) and
who took care of it, which also clears the ringing alert from their phones. The first alert starts
the emergency script. When no contact is set up or none could be reached, the alert says so, it is
in Home Assistant's notifications, and the walker is told that nobody was alerted.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.util import dt as dt_util

from .const import MOBILE_ACTION_ACK, MOBILE_ACTION_HELP, MOBILE_ACTION_OK
from .contacts import ContactReach
from .core.isodates import iso
from .core.ladder import (
    CheckInOk,
    CheckInQuestion,
    EmergencyAcknowledged,
    EmergencyAlert,
    EscalationCause,
)
from .core.messages import Channel, Message
from .core.settings import WalkerSettings
from .notify import Level
from .outbox import Outbox
from .texts import Texts

type CheckInMessage = CheckInQuestion | CheckInOk | EmergencyAlert | EmergencyAcknowledged


def deliver_check_in(
    outbox: Outbox,
    texts: Texts,
    message: CheckInMessage,
    settings: WalkerSettings,
    reach: ContactReach,
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
            if not message.path_clear:
                body = texts.get("check_in_ok_wait", walker=walker)
            outbox.to_walker(settings, message.message, title, body)
        case EmergencyAlert():
            _alert(outbox, texts, message, settings, reach)
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


def _alert(
    outbox: Outbox,
    texts: Texts,
    alert: EmergencyAlert,
    settings: WalkerSettings,
    reach: ContactReach,
) -> None:
    """The emergency rings (critical unless turned off); the first alert starts the script.

    Without contacts it is a notification in Home Assistant that says so, and the walker hears that
    nobody was alerted; a re-alert names the contacts an earlier alert could not reach.
    """
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
    contacts = _contacts(settings, alert.tier)
    if alert.repeat:
        body = f"{body} {texts.get('emergency_repeat')}"
        if missed := reach.unreachable():
            body = f"{body} {texts.get('emergency_not_reached', names=', '.join(missed))}"
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
    if not contacts:
        body = f"{body} {texts.get('emergency_no_contacts')}"
    reach.sending(contacts, first=not alert.repeat, alarm=(title, body))
    outbox.notifier.send(
        contacts,
        title,
        body,
        tag=outbox.tag(alert.message),
        actions=[outbox.button(MOBILE_ACTION_ACK, texts.get("action_ack"))],
        level=Level.CRITICAL if settings.critical_alerts else Level.TIME_SENSITIVE,
        report=reach.report,
    )
    if not contacts and not alert.repeat:
        _tell_nobody_alerted(outbox, texts, settings, "nobody_alerted_no_contacts")


def tell_nobody_reached(
    outbox: Outbox, texts: Texts, settings: WalkerSettings, reach: ContactReach
) -> None:
    """No contact could be reached: the alert goes to Home Assistant's notifications.

    The walker is told that nobody was alerted.
    """
    if reach.alarm is not None:
        title, body = reach.alarm
        missed = texts.get("emergency_unreached", names=", ".join(reach.unreachable()))
        outbox.notifier.send((), title, f"{body} {missed}", tag=outbox.tag(Message.EMERGENCY))
    _tell_nobody_alerted(outbox, texts, settings, "nobody_alerted_unreached")


def _tell_nobody_alerted(outbox: Outbox, texts: Texts, settings: WalkerSettings, key: str) -> None:
    """Spoken, and on the walker's phone in place of the question.

    Not in Home Assistant's notifications, where the alert itself says it.
    """
    body = texts.get(key, walker=settings.name)
    outbox.speak(settings, body)
    if settings.walker_notify:
        title = texts.get("nobody_alerted_title")
        outbox.to_walker(settings, Message.CHECK_IN, title, body, level=Level.TIME_SENSITIVE)


def _contacts(settings: WalkerSettings, tier: int | None) -> tuple[str, ...]:
    """The emergency contacts, and the second tier once it was alerted."""
    if tier == 2:
        return tuple(dict.fromkeys((*settings.emergency_notify, *settings.tier2_notify)))
    return settings.emergency_notify


def _clock(moment: datetime | None) -> str:
    return dt_util.as_local(moment or dt_util.utcnow()).strftime("%H:%M")
