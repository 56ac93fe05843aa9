"""Turns the guard's notify and speak actions into messages for the walker and the emergency contacts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .const import MOBILE_ACTION_ACK, MOBILE_ACTION_HELP, MOBILE_ACTION_OK
from .core.guard import Action, ActionKind, Message
from .data import WalkerSettings
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
        """Messages follow Home Assistant's language."""
        self.hass = hass
        self.notifier = notifier
        self.entry_id = entry_id
        self.texts = Texts(hass.config.language)

    def deliver(self, action: Action, settings: WalkerSettings) -> None:
        """Send or speak what ``action`` asks for."""
        assert action.message is not None
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
            "next_step": self.texts.get("clear.resume" if settings.auto_resume else "clear.wait"),
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


def _clock(iso: str | None) -> str:
    moment = datetime.fromisoformat(iso) if iso else dt_util.utcnow()
    return dt_util.as_local(moment).strftime("%H:%M")
