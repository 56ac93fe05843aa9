"""Delivery of notifications and spoken prompts. A failing target is logged and never stops anything.

Targets are legacy notify services (``notify.mobile_app_phone``) or notify entities
(``notify.living_room_display``, text only); legacy services get the tag and actionable buttons.
Critical messages ring even on a muted companion-app phone: iOS's critical interruption level and
Android's alarm-stream channel, and Android phones also speak the text at full alarm volume.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from enum import StrEnum
import logging
import re
from typing import Any

from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .const import DOMAIN, NOTIFY_TIMEOUT_SECONDS
from .people import is_companion, phone_for_target

_LOGGER = logging.getLogger(__name__)
# Every ASCII punctuation character; CommonMark lets each be escaped with a backslash.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text: str) -> str:
    """``text`` to be shown as it is inside Markdown: no link, image, emphasis, HTML or autolink.

    Messages carry names and sensor states that come from devices (MQTT, ESPHome, REST), so a state
    like ``![x](http://host/x.png)`` must stay text. Escaping every punctuation character also breaks
    the ``http://`` and ``www.`` of autolinks; the backslashes themselves are not shown.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


class Level(StrEnum):
    """How insistently a message is delivered."""

    NORMAL = "normal"
    TIME_SENSITIVE = "time_sensitive"  # breaks through Focus, follows the phone's sound settings
    CRITICAL = "critical"  # rings even when the phone is muted (companion-app targets)


_TIME_SENSITIVE: dict[str, Any] = {
    "priority": "high",
    "ttl": 0,
    "push": {"interruption-level": "time-sensitive"},
}
_CRITICAL: dict[str, Any] = {
    "priority": "high",
    "ttl": 0,
    "channel": "alarm_stream",
    "push": {
        "interruption-level": "critical",
        "sound": {"name": "default", "critical": 1, "volume": 1.0},
    },
}


class Notifier:
    """Sends to every target in the background; logs a failing target once until it works again."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Bind to the walker's entry (background tasks end with it)."""
        self.hass = hass
        self.entry = entry
        self._failing: set[str] = set()

    def send(
        self,
        targets: tuple[str, ...],
        title: str,
        message: str,
        *,
        tag: str,
        actions: list[dict[str, str]] | None = None,
        level: Level = Level.NORMAL,
        clear_first: bool = False,
        report: Callable[[str, bool], None] | None = None,
    ) -> None:
        """Send to each target; with none, fall back to a persistent notification.

        ``report(target, delivered)`` hears each target's outcome once it is known.

        The tag (the persistent notification's id) makes a newer message of the same situation
        replace the older one. With ``clear_first`` the companion app first removes what the tag
        shows (a ringing alert), then shows this message. The notification's message is Markdown,
        so it is escaped; its title is shown as plain text.
        """
        if not targets:
            persistent_notification.async_create(
                self.hass, markdown_text(message), title, notification_id=f"{DOMAIN}_{tag}"
            )
            return
        data: dict[str, Any] = {"tag": tag}
        if actions:
            data["actions"] = actions
        for target in targets:
            self.start(
                target,
                self._send_to(target, title, message, data, level, clear_first=clear_first),
                report,
            )

    def push(self, target: str, service_data: dict[str, Any]) -> None:
        """One call to a legacy notify service (a companion app's), in the background."""
        self.start(target, self._legacy(target, service_data))

    def withdraw(self, targets: tuple[str, ...], tag: str) -> None:
        """Remove the notification of ``tag`` from the panel and from companion-app phones.

        Other notify services and notify entities cannot take a message back; theirs stays.
        """
        persistent_notification.async_dismiss(self.hass, f"{DOMAIN}_{tag}")
        for target in filter(is_companion, targets):
            self.start(target, self._clear(target, tag))

    def run_script(self, script: str, variables: dict[str, Any]) -> None:
        """Start ``script`` with ``variables`` in the background; a failure is logged once."""
        self.start(script, self._run_script(script, variables))

    async def _run_script(self, script: str, variables: dict[str, Any]) -> None:
        # Home Assistant only warns about a missing entity; here a missing script is a failure.
        if self.hass.states.get(script) is None:
            raise HomeAssistantError(f"{script} does not exist")
        await self.hass.services.async_call(
            "script", "turn_on", {"entity_id": script, "variables": variables}, blocking=True
        )

    def speak(self, media_player: str | None, tts_entity: str | None, message: str) -> None:
        """Say ``message`` on the walker's speaker, if one is configured."""
        if not media_player or not tts_entity:
            return
        self.start(tts_entity, self.say(media_player, tts_entity, message))

    async def say(self, media_player: str, tts_entity: str, message: str) -> None:
        """Say ``message`` on ``media_player`` with ``tts_entity``, until it is handed over."""
        await self.hass.services.async_call(
            "tts",
            "speak",
            {"entity_id": tts_entity, "media_player_entity_id": media_player, "message": message},
            blocking=True,
        )

    def start(
        self,
        target: str,
        job: Awaitable[Any],
        report: Callable[[str, bool], None] | None = None,
        failure_level: int = logging.ERROR,
    ) -> None:
        """Run ``job`` for ``target`` in the background: timed out, a failure logged once.

        ``report(target, delivered)`` hears the outcome.
        """
        self.entry.async_create_background_task(
            self.hass,
            self._guarded(target, job, report, failure_level),
            f"{DOMAIN} notify {target}",
        )

    async def _send_to(
        self,
        target: str,
        title: str,
        message: str,
        data: dict[str, Any],
        level: Level,
        *,
        clear_first: bool,
    ) -> None:
        """One target's messages, in order: clear the old alert, the message, the spoken alarm."""
        if self.hass.states.get(target) is not None:
            await self.hass.services.async_call(
                "notify",
                "send_message",
                {"entity_id": target, "title": title, "message": message},
                blocking=True,
            )
            return
        companion = is_companion(target)
        if clear_first and companion:
            await self._clear(target, data["tag"])
        if level is Level.CRITICAL and not companion:
            level = Level.TIME_SENSITIVE  # critical keys mean something to the companion app only
        extra = {Level.TIME_SENSITIVE: _TIME_SENSITIVE, Level.CRITICAL: _CRITICAL}.get(level, {})
        await self._legacy(target, {"title": title, "message": message, "data": {**data, **extra}})
        phone = phone_for_target(self.hass, target) if level is Level.CRITICAL else None
        if phone is not None and phone.speaks_alarms:
            await self._legacy(
                target,
                {
                    "message": "TTS",
                    "data": {"tts_text": message, "media_stream": "alarm_stream_max"},
                },
            )

    async def _clear(self, target: str, tag: str) -> None:
        """The companion app removes what ``tag`` shows (a ringing alert, an old question)."""
        await self._legacy(target, {"message": "clear_notification", "data": {"tag": tag}})

    async def _legacy(self, target: str, service_data: dict[str, Any]) -> None:
        await self.hass.services.async_call(
            "notify", target.removeprefix("notify."), service_data, blocking=True
        )

    async def _guarded(
        self,
        target: str,
        job: Awaitable[Any],
        report: Callable[[str, bool], None] | None,
        failure_level: int,
    ) -> None:
        try:
            async with asyncio.timeout(NOTIFY_TIMEOUT_SECONDS):
                await job
        except Exception as err:  # noqa: BLE001 - a failing target never stops the monitor
            if target not in self._failing:
                self._failing.add(target)
                why = str(err) or type(err).__name__
                _LOGGER.log(failure_level, "Could not notify %s: %s", target, why)
            if report is not None:
                report(target, False)
            return
        if report is not None:
            report(target, True)
        if target in self._failing:
            self._failing.discard(target)
            _LOGGER.info("Notifying %s works again", target)
