"""The voice check-in: an Assist satellite asks the walker and listens for "I'm OK" or "help".

Home Assistant 2025.7 added ``assist_satellite.ask_question``; without it (or with the satellite
unavailable) the check-in is spoken on the speaker instead, and the phone asks as always. The
question runs in the background, so it never holds up the ladder; an answer acts exactly like the
phone's buttons, and no answer (unmatched words, silence, a busy satellite) leaves the countdown
running.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from functools import partial
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN
from .core.ladder import CheckInState
from .texts import async_texts

if TYPE_CHECKING:
    from .hub import WalkerHub

_LOGGER = logging.getLogger(__name__)

SATELLITE_DOMAIN = "assist_satellite"
ASK_QUESTION = "ask_question"
ANSWER_OK = "ok"
ANSWER_HELP = "help"

# Hassil templates, without punctuation (the action refuses it); both languages are always
# listened for, so a German speaker in an English home is understood too.
ANSWERS: list[dict[str, Any]] = [
    {
        "id": ANSWER_OK,
        "sentences": [
            "[yes] I'm (ok|okay|fine|alright|all right)",
            "[yes] I am (ok|okay|fine|alright|all right)",
            "(yes|ok|okay|fine|all good)",
            "[ja] (mir geht es|mir gehts|es geht mir) gut",
            "[ja] (alles|alles ist) (gut|ok|okay|in Ordnung)",
            "[ja] ich bin (ok|okay|in Ordnung)",
            "(ja|gut|passt)",
        ],
    },
    {
        "id": ANSWER_HELP,
        "sentences": [
            "[please] help [me] [please]",
            "I need help",
            "(no|not ok|not okay)",
            "I'm not (ok|okay|fine|alright|all right)",
            "I am not (ok|okay|fine|alright|all right)",
            "Hilfe",
            "hilf mir [bitte]",
            "[bitte] (hilf|helft) mir",
            "ich brauche Hilfe",
            "(nein|nicht gut)",
            "(mir geht es|mir gehts|es geht mir) nicht gut",
            "ich bin nicht (ok|okay|in Ordnung)",
        ],
    },
]


def can_ask_questions(hub: WalkerHub) -> bool:
    """Whether this Home Assistant has the ask_question action (2025.7 and newer)."""
    return hub.hass.services.has_service(SATELLITE_DOMAIN, ASK_QUESTION)


class VoiceCheckIn:
    """One walker's questions through the satellite: at most one at a time, none after unload."""

    def __init__(self, hub: WalkerHub) -> None:
        """Bind to the walker's hub (its commands take the answers)."""
        self.hub = hub
        self._task: asyncio.Task[None] | None = None
        # The check-in the last question asked about (its start); an "I'm OK" answers only that one.
        self._asked_for: datetime | None = None
        self._asked_on: str | None = None
        self._closed = False
        self._told_unusable: str | None = None
        self._told_failing = False

    def ask(self) -> bool:
        """Ask the walker now; False when the satellite cannot ask (the caller falls back)."""
        # A question still open belongs to an earlier check-in: its answer must not close this one.
        self.cancel()
        satellite = self.hub.settings.voice_satellite
        if satellite is None or self._closed:
            return False
        why = self._unusable(satellite)
        if why is not None:
            if self._told_unusable != why:
                self._told_unusable = why
                _LOGGER.warning(
                    "The voice check-in for %s uses the speaker and the phone: %s",
                    self.hub.settings.name,
                    why,
                )
            return False
        self._told_unusable = None
        self._asked_for, self._asked_on = self._open_check_in(), satellite
        self._task = self.hub.entry.async_create_background_task(
            self.hub.hass,
            self._ask(satellite, self._asked_for),
            f"{DOMAIN} voice check-in {satellite}",
            eager_start=False,
        )
        return True

    def cancel(self) -> None:
        """Stop listening for an answer to the last question."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def follow(self) -> None:
        """Stop listening once the check-in asked about is over or the satellite was changed."""
        if self._task is None:
            return
        if (self._open_check_in(), self.hub.settings.voice_satellite) != (
            self._asked_for,
            self._asked_on,
        ):
            self.cancel()

    def _open_check_in(self) -> datetime | None:
        ladder = self.hub.engine.guard.ladder
        return ladder.started_at if ladder.state is CheckInState.AWAITING_RESPONSE else None

    def close(self) -> None:
        """The walker is unloaded: no question is asked and no answer is taken any more."""
        self._closed = True
        self.cancel()

    def _unusable(self, satellite: str) -> str | None:
        if not can_ask_questions(self.hub):
            return "this Home Assistant has no assist_satellite.ask_question action (needs 2025.7)"
        state = self.hub.hass.states.get(satellite)
        if state is None or state.state == STATE_UNAVAILABLE:
            return f"{satellite} is not available"
        return None

    async def _ask(self, satellite: str, asked_for: datetime | None) -> None:
        texts = await async_texts(self.hub.hass)
        try:
            response = await self.hub.hass.services.async_call(
                SATELLITE_DOMAIN,
                ASK_QUESTION,
                {
                    "entity_id": satellite,
                    "question": texts.get("voice_question", walker=self.hub.settings.name),
                    "answers": ANSWERS,
                },
                blocking=True,
                return_response=True,
            )
        except HomeAssistantError as err:  # nothing heard, a busy or missing satellite
            _LOGGER.debug("No voice answer from %s: %s", satellite, err)
            return
        except Exception as err:  # noqa: BLE001 - a broken satellite is no answer too, and worth telling once
            if not self._told_failing:
                self._told_failing = True
                _LOGGER.warning(
                    "The voice check-in on %s failed: %s", satellite, str(err) or type(err).__name__
                )
            return
        self._told_failing = False
        answer = response.get("id") if isinstance(response, dict) else None
        command = self._command(answer, texts.get("by_voice"), asked_for)
        if command is None or self._closed:
            _LOGGER.debug("Voice answer %r from %s is not an answer", answer, satellite)
            return
        try:
            command()
        except ServiceValidationError as err:
            # Late: what the phone's button would do now is nothing, so nothing is done.
            _LOGGER.info("Ignoring the voice answer %s: %s", answer, err.translation_key)

    def _command(
        self, answer: object, by: str, asked_for: datetime | None
    ) -> Callable[[], None] | None:
        """The phone button's command for ``answer`` (see mobile.py).

        "I'm OK" answers only the check-in that was asked about; a call for help always counts.
        """
        if answer == ANSWER_OK:
            if asked_for is None or self._open_check_in() != asked_for:
                return None
            return partial(self.hub.acknowledge_check_in, by)
        if answer == ANSWER_HELP:
            return self.hub.request_help
        return None
