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
from .notify import Level, Notifier
from .texts import Texts, async_texts, cached_texts, texts_now

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
        # Messages that wait, in order, for the texts of a language just switched to.
        self._waiting: list[tuple[Action, WalkerSettings]] = []

    def deliver(self, action: Action, settings: WalkerSettings) -> None:
        """Send or speak what ``action`` asks for, in Home Assistant's language as it is now.

        The texts are cached from set-up on, so this never waits; only in the moment after a
        language change, before Home Assistant has loaded the new language, the message waits
        for it in a background task (behind any message already waiting).
        """
        if not self._waiting and (texts := cached_texts(self.hass)) is not None:
            self._deliver(texts, action, settings)
            return
        self._waiting.append((action, settings))
        if len(self._waiting) == 1:
            self.notifier.entry.async_create_background_task(
                self.hass, self._async_deliver_waiting(), "backward_walking texts"
            )

    async def _async_deliver_waiting(self) -> None:
        while self._waiting:
            texts = await async_texts(self.hass)
            waiting, self._waiting = self._waiting, []
            for action, settings in waiting:
                self._deliver(texts, action, settings)

    def _deliver(self, texts: Texts, action: Action, settings: WalkerSettings) -> None:
        assert action.message is not None
        if action.message is Message.REMINDER:
            self._remind(texts, action.data, settings)
            return
        if action.kind is ActionKind.ASK and action.data.get("again"):
            return  # only a voice satellite asks again; the phone's question stays
        values = self._values(texts, action.message, action.data, settings)
        title, body = texts.title_and_body(action.message, **values)
        if action.kind in (ActionKind.SPEAK, ActionKind.ASK):
            self.notifier.speak(settings.media_player, settings.tts_entity, body)
            return
        if action.kind is ActionKind.NOTIFY_EMERGENCY:
            self._alert_contacts(texts, action, settings, title, body)
            return
        check_in = action.message is Message.CHECK_IN
        self.notifier.send(
            settings.walker_notify,
            title,
            body,
            tag=self.tag(action.message),
            actions=[
                self._button(MOBILE_ACTION_OK, texts.get("action_ok")),
                self._button(MOBILE_ACTION_HELP, texts.get("action_help")),
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
        self, texts: Texts, action: Action, settings: WalkerSettings, title: str, body: str
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
            body = f"{body} {texts.get('emergency_repeat')}"
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
            actions=[self._button(MOBILE_ACTION_ACK, texts.get("action_ack"))],
            level=Level.CRITICAL if settings.critical_alerts else Level.TIME_SENSITIVE,
        )

    def tell_refusal(self, settings: WalkerSettings, why: str) -> None:
        """Tell the walker why a start from a reminder's button was refused."""
        self.notifier.send(
            settings.walker_notify,
            texts_now(self.hass).get("reminder_refused_title"),
            why,
            tag=self.tag(Message.REMINDER),
        )

    def _remind(self, texts: Texts, data: dict[str, Any], settings: WalkerSettings) -> None:
        values = {"walker": settings.name, "minutes": round(data["minutes"])}
        body = texts.get("reminder_repeat" if data["repeat"] else "reminder_body", **values)
        self.notifier.send(
            settings.walker_notify,
            texts.get("reminder_title"),
            body,
            tag=self.tag(Message.REMINDER),
            actions=[
                self._button(MOBILE_ACTION_START, texts.get("action_start")),
                self._button(MOBILE_ACTION_SNOOZE, texts.get("action_snooze")),
                self._button(MOBILE_ACTION_SKIP, texts.get("action_skip")),
            ],
        )

    def _button(self, prefix: str, title: str) -> dict[str, str]:
        return {"action": f"{prefix}{self.entry_id}", "title": title}

    def _values(
        self, texts: Texts, message: Message, data: dict[str, Any], settings: WalkerSettings
    ) -> dict[str, Any]:
        reasons = data.get("reasons", [])
        names = friendly_names(self.hass, [reason["entity_id"] for reason in reasons])
        walker = settings.name
        values: dict[str, Any] = {
            "walker": walker,
            "reasons": texts.reasons(reasons, names) if reasons else "",
            "seconds": int(settings.check_in_s),
            "hallway": settings.hallway or texts.get("hallway"),
            "time": _clock(data.get("since") or data.get("at")),
            "next_step": _next_step(texts, data, names),
        }
        if message is Message.EMERGENCY:
            what = (
                "need_help"
                if data.get("escalation") == "need_help"
                else data.get("cause") or "fall"
            )
            values["what"] = texts.get(f"emergency_what_{what}", walker=walker)
        if message is Message.EMERGENCY_ACKNOWLEDGED:
            values["time"] = _clock(data.get("at"))
            by = data.get("by") or texts.get("by_someone")
            values["by"] = by[:1].upper() + by[1:]
        return values


def _next_step(texts: Texts, data: dict[str, Any], names: dict[str, str]) -> str:
    """After 'path clear': whether the session goes on, and what is still overridden."""
    step = texts.get("clear_resume" if data.get("resuming") else "clear_wait")
    if overridden := data.get("overridden"):
        still = ", ".join(names.get(e, e) for e in overridden)
        step = f"{texts.get('clear_overridden', names=still)} {step}"
    return step


def _clock(iso: str | None) -> str:
    moment = datetime.fromisoformat(iso) if iso else dt_util.utcnow()
    return dt_util.as_local(moment).strftime("%H:%M")
