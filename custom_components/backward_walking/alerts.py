"""Turns the guard's notify and speak actions into messages for the walker and the emergency contacts."""

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
from .notify import Notifier


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
        values = self._values(action.message, action.data, settings)
        title, body = self.texts.title_and_body(action.message, **values)
        if action.kind is ActionKind.SPEAK:
            self.notifier.speak(settings.media_player, settings.tts_entity, body)
            return
        if action.kind is ActionKind.NOTIFY_EMERGENCY:
            if action.data.get("repeat"):
                body = f"{body} {self.texts.get('emergency.repeat')}"
            actions = (
                [self._button(MOBILE_ACTION_ACK, "action.ack")]
                if action.message is Message.EMERGENCY
                else None
            )
            self.notifier.send(
                settings.emergency_notify,
                title,
                body,
                tag=f"backward_walking_emergency_{self.entry_id}",
                actions=actions,
                urgent=True,
            )
            return
        check_in = action.message is Message.CHECK_IN
        self.notifier.send(
            settings.walker_notify,
            title,
            body,
            tag=f"backward_walking_{action.message}_{self.entry_id}",
            actions=[
                self._button(MOBILE_ACTION_OK, "action.ok"),
                self._button(MOBILE_ACTION_HELP, "action.help"),
            ]
            if check_in
            else None,
            urgent=check_in or action.message is Message.HAZARD,
        )

    def tell_refusal(self, settings: WalkerSettings, why: str) -> None:
        """Tell the walker why a start from a reminder's button was refused."""
        self.notifier.send(
            settings.walker_notify,
            self.texts.get("reminder.refused.title"),
            why,
            tag=f"backward_walking_reminder_{self.entry_id}",
        )

    def _remind(self, data: dict[str, Any], settings: WalkerSettings) -> None:
        values = {"walker": settings.name, "minutes": round(data["minutes"])}
        body = self.texts.get("reminder.repeat" if data["repeat"] else "reminder.body", **values)
        self.notifier.send(
            settings.walker_notify,
            self.texts.get("reminder.title"),
            body,
            tag=f"backward_walking_reminder_{self.entry_id}",
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
