"""Turns the guard's notify and speak actions into messages for the walker and the emergency contacts.

The messages of one situation share a tag (on phones) and a notification id (in Home Assistant's
panel), so the newer replaces the older: the path's hazard, warning, clear and back-off; the
check-in and its answer; the emergency, its re-alerts and its acknowledgement; the reminders.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .const import (
    MOBILE_ACTION_ACK,
    MOBILE_ACTION_HELP,
    MOBILE_ACTION_OK,
    MOBILE_ACTION_SKIP,
    MOBILE_ACTION_SNOOZE,
    MOBILE_ACTION_START,
)
from .core.guard import Action, ActionKind, Message
from .core.settings import WalkerSettings
from .messages import Texts
from .notify import Level, Notifier

# The situation each message belongs to: its tag.
_SITUATION = {
    Message.HAZARD: "path",
    Message.WARNING: "path",
    Message.CLEAR: "path",
    Message.BACKOFF: "path",
    Message.CHECK_IN: "check_in",
    Message.CHECK_IN_OK: "check_in",
    Message.EMERGENCY: "emergency",
    Message.EMERGENCY_ACKNOWLEDGED: "emergency",
    Message.REMINDER: "reminder",
}


def friendly_names(hass: HomeAssistant, entity_ids: list[str]) -> dict[str, str]:
    """Friendly names of ``entity_ids`` (the entity ID when there is none)."""
    names = {}
    for entity_id in entity_ids:
        state = hass.states.get(entity_id)
        names[entity_id] = (
            str(state.attributes.get("friendly_name", entity_id)) if state else entity_id
        )
    return names


class Alerts:
    """Formats and sends one walker's messages; emergency messages ignore quiet hours."""

    def __init__(self, hass: HomeAssistant, notifier: Notifier, entry_id: str) -> None:
        """Bind to the walker's notifier."""
        self.hass = hass
        self.notifier = notifier
        self.entry_id = entry_id

    @property
    def texts(self) -> Texts:
        """Texts in Home Assistant's language as it is now: a change applies without a reload."""
        return Texts(self.hass.config.language)

    def deliver(self, action: Action, settings: WalkerSettings) -> None:
        """Send or speak what ``action`` asks for."""
        assert action.message is not None
        if action.message is Message.REMINDER:
            self._remind(action.data, settings)
            return
        if action.kind is ActionKind.ASK and action.data.get("again"):
            return  # only a voice satellite asks again; the phone's question stays
        values = self._values(action.message, action.data, settings)
        title, body = self.texts.title_and_body(action.message, **values)
        if action.kind in (ActionKind.SPEAK, ActionKind.ASK):
            self.notifier.speak(settings.media_player, settings.tts_entity, body)
            return
        if action.kind is ActionKind.NOTIFY_EMERGENCY:
            self._alert_contacts(action, settings, title, body)
            return
        check_in = action.message is Message.CHECK_IN
        self.notifier.send(
            settings.walker_notify,
            title,
            body,
            tag=self.tag(action.message),
            actions=[
                self._button(MOBILE_ACTION_OK, "action.ok"),
                self._button(MOBILE_ACTION_HELP, "action.help"),
            ]
            if check_in
            else None,
            level=Level.TIME_SENSITIVE
            if check_in or action.message is Message.HAZARD
            else Level.NORMAL,
        )

    def tag(self, message: Message) -> str:
        """The tag (and notification id) of the situation ``message`` belongs to."""
        return f"backward_walking_{_SITUATION[message]}_{self.entry_id}"

    def _alert_contacts(
        self, action: Action, settings: WalkerSettings, title: str, body: str
    ) -> None:
        """The emergency rings (critical unless turned off); its acknowledgement clears it.

        The second tier joins once the first has left enough re-alerts unanswered; the emergency
        script starts with the first alert.
        """
        targets = settings.emergency_notify
        if action.data.get("tier") == 2:
            targets = tuple(dict.fromkeys((*targets, *settings.tier2_notify)))
        if action.message is Message.EMERGENCY_ACKNOWLEDGED:
            self.notifier.send(
                targets,
                title,
                body,
                tag=self.tag(Message.EMERGENCY),
                level=Level.TIME_SENSITIVE,
                clear_first=True,
            )
            return
        if action.data.get("repeat"):
            body = f"{body} {self.texts.get('emergency.repeat')}"
        elif settings.emergency_script:
            self.notifier.run_script(
                settings.emergency_script,
                {
                    "walker": settings.name,
                    "cause": action.data.get("cause"),
                    "hallway": settings.hallway,
                    "since": action.data.get("since"),
                },
            )
        self.notifier.send(
            targets,
            title,
            body,
            tag=self.tag(Message.EMERGENCY),
            actions=[self._button(MOBILE_ACTION_ACK, "action.ack")],
            level=Level.CRITICAL if settings.critical_alerts else Level.TIME_SENSITIVE,
        )

    def tell_refusal(self, settings: WalkerSettings, why: str) -> None:
        """Tell the walker why a start from a reminder's button was refused."""
        self.notifier.send(
            settings.walker_notify,
            self.texts.get("reminder.refused.title"),
            why,
            tag=self.tag(Message.REMINDER),
        )

    def _remind(self, data: dict[str, Any], settings: WalkerSettings) -> None:
        values = {"walker": settings.name, "minutes": round(data["minutes"])}
        body = self.texts.get("reminder.repeat" if data["repeat"] else "reminder.body", **values)
        self.notifier.send(
            settings.walker_notify,
            self.texts.get("reminder.title"),
            body,
            tag=self.tag(Message.REMINDER),
            actions=[
                self._button(MOBILE_ACTION_START, "action.start"),
                self._button(MOBILE_ACTION_SNOOZE, "action.snooze"),
                self._button(MOBILE_ACTION_SKIP, "action.skip"),
            ],
        )

    def _button(self, prefix: str, key: str) -> dict[str, str]:
        return {"action": f"{prefix}{self.entry_id}", "title": self.texts.get(key)}

    def _values(
        self, message: Message, data: dict[str, Any], settings: WalkerSettings
    ) -> dict[str, Any]:
        reasons = data.get("reasons", [])
        names = friendly_names(self.hass, [reason["entity_id"] for reason in reasons])
        walker = settings.name
        values: dict[str, Any] = {
            "walker": walker,
            "reasons": self.texts.reasons(reasons, names) if reasons else "",
            "seconds": int(settings.check_in_s),
            "hallway": settings.hallway or self.texts.get("hallway"),
            "time": _clock(data.get("since") or data.get("at")),
            "next_step": self._next_step(data, names),
        }
        if message is Message.EMERGENCY:
            what = (
                "need_help"
                if data.get("escalation") == "need_help"
                else data.get("cause") or "fall"
            )
            values["what"] = self.texts.get(f"emergency.what.{what}", walker=walker)
        if message is Message.EMERGENCY_ACKNOWLEDGED:
            values["time"] = _clock(data.get("at"))
            by = data.get("by") or self.texts.get("by.someone")
            values["by"] = by[:1].upper() + by[1:]
        return values

    def _next_step(self, data: dict[str, Any], names: dict[str, str]) -> str:
        """After 'path clear': whether the session goes on, and what is still overridden."""
        step = self.texts.get("clear.resume" if data.get("resuming") else "clear.wait")
        if overridden := data.get("overridden"):
            still = ", ".join(names.get(e, e) for e in overridden)
            step = f"{self.texts.get('clear.overridden', names=still)} {step}"
        return step


def _clock(iso: str | None) -> str:
    moment = datetime.fromisoformat(iso) if iso else dt_util.utcnow()
    return dt_util.as_local(moment).strftime("%H:%M")
