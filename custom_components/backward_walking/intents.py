"""Voice commands: the intents behind Assist's sentences, also the tools LLM conversation agents get.

Each intent does what the action of the same name does, through the same hub command, under the
same permission rules (a read-only user may pause and ask for help, nothing else; a request without
a user, e.g. from an automation, is allowed), and answers in the language it was asked in: what was
done, or the action's refusal worded for the ear. ``force`` is never reachable by voice. An intent
never raises to its caller: a wrong slot, an unknown walker or a refusal is the spoken answer, and
nothing changes. The sentences that reach these intents are in ``voice_sentences.py``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import logging
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, intent
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .const import NAME_MAX_LENGTH, VoiceIntent
from .core.ladder import CheckInState
from .core.options import TARGET_MINUTES, number_in
from .core.session import ACTIVE_STATES, SessionState
from .flow_helpers import text_field
from .hub import WalkerHub
from .people import async_authorize, async_who
from .services import quoted
from .spoken import Walked, Words
from .walker_choice import Heard, UnknownWalkerError, WalkerNotChosenError, choose_walker

_LOGGER = logging.getLogger(__name__)

SLOT_NAME = "name"
SLOT_MINUTES = "minutes"
_NAME_SLOT = {
    vol.Optional(
        SLOT_NAME,
        description=(
            "The walker's name, or the name of the person the walker is; leave it out for the "
            "walker of the person speaking, or of the room the voice assistant is in"
        ),
    ): cv.string
}


class NothingDoneError(Exception):
    """The spoken answer of a command that did nothing."""

    def __init__(self, said: str) -> None:
        """What the answer says."""
        super().__init__(said)
        self.said = said


@dataclass(frozen=True, slots=True)
class Request:
    """A command's walker, the words to answer in and what was asked."""

    hub: WalkerHub
    words: Words
    intent: intent.Intent
    minutes: float | None = None

    @property
    def walker(self) -> Walked:
        """The walker as the answer speaks of it, as it is now."""
        hub = self.hub
        return Walked(hub.settings, hub.view, hub.engine.guard.assessment.reasons)


@dataclass(frozen=True, slots=True)
class VoiceCommand:
    """One intent: its type, what it is for (the LLM's tool description) and what it does."""

    intent_type: VoiceIntent
    # A short name (an LLM tool's title) and what it is for (the tool's description).
    title: str
    description: str
    # Needs control permission over the walker, as the action does.
    restricted: bool
    act: Callable[[Request], Awaitable[str]]
    slots: dict[Any, Any]
    # Of several walkers, which the command can be about, tried in turn (see walker_choice).
    concerned: tuple[Callable[[WalkerHub], bool], ...] = ()


async def _start(request: Request) -> str:
    request.hub.start_session(request.minutes)
    return request.words.started(request.walker)


async def _pause(request: Request) -> str:
    request.hub.pause_session()
    return request.words.paused(request.walker)


async def _resume(request: Request) -> str:
    request.hub.resume_session()
    return request.words.resumed(request.walker, dt_util.utcnow())


async def _stop(request: Request) -> str:
    request.hub.stop_session()
    return request.words.stopped(request.walker)


async def _status(request: Request) -> str:
    return request.words.status(request.walker, dt_util.utcnow())


async def _ok(request: Request) -> str:
    by_voice = request.words.texts.get("by_voice")
    request.hub.acknowledge_check_in(
        await async_who(request.hub.hass, request.intent.context.user_id, by_voice)
    )
    return request.words.ok(request.walker)


async def _help(request: Request) -> str:
    request.hub.request_help()
    return request.words.help(request.walker)


def _running(hub: WalkerHub) -> bool:
    return hub.engine.machine.state is SessionState.RUNNING


def _paused(hub: WalkerHub) -> bool:
    return hub.engine.machine.state is SessionState.PAUSED


def _active(hub: WalkerHub) -> bool:
    return hub.engine.machine.state in ACTIVE_STATES


def _asked(hub: WalkerHub) -> bool:
    return hub.check_in.state is CheckInState.AWAITING_RESPONSE


def _check_in_open(hub: WalkerHub) -> bool:
    return hub.check_in.state is not CheckInState.IDLE


_WALK = "a walker's backward-walking session (the Backward Walking integration)"
COMMANDS: tuple[VoiceCommand, ...] = (
    VoiceCommand(
        VoiceIntent.START,
        "Start a backward walk",
        f"Starts {_WALK}, if the path behind the walker is clear; optionally for a number "
        "of minutes (1-120), else the walker's usual length.",
        restricted=True,
        act=_start,
        slots={
            **_NAME_SLOT,
            vol.Optional(SLOT_MINUTES, description="How many minutes to walk"): vol.Coerce(int),
        },
    ),
    VoiceCommand(
        VoiceIntent.PAUSE,
        "Pause the backward walk",
        f"Pauses {_WALK}. Anyone may pause.",
        restricted=False,
        act=_pause,
        slots=_NAME_SLOT,
        concerned=(_running,),
    ),
    VoiceCommand(
        VoiceIntent.RESUME,
        "Resume the backward walk",
        f"Resumes {_WALK} after a pause, if the path behind the walker is clear.",
        restricted=True,
        act=_resume,
        slots=_NAME_SLOT,
        concerned=(_paused,),
    ),
    VoiceCommand(
        VoiceIntent.STOP,
        "Stop the backward walk",
        f"Ends {_WALK} early; the minutes walked still count.",
        restricted=True,
        act=_stop,
        slots=_NAME_SLOT,
        concerned=(_active,),
    ),
    VoiceCommand(
        VoiceIntent.STATUS,
        "How the backward walk is going",
        f"Tells how {_WALK} is going: how long is left, the direction, the path behind the "
        "walker and any open check-in; without a session, today's and this week's minutes.",
        restricted=False,
        act=_status,
        slots=_NAME_SLOT,
        concerned=(_check_in_open, _active),
    ),
    VoiceCommand(
        VoiceIntent.OK,
        "Answer the check-in: I am OK",
        "The walker answers the Backward Walking check-in ('Are you OK?') after a possible "
        "fall or no movement: they are OK.",
        restricted=True,
        act=_ok,
        slots=_NAME_SLOT,
        concerned=(_asked,),
    ),
    VoiceCommand(
        VoiceIntent.HELP,
        "Ask for help",
        "The walker needs help: pauses the session and alerts the walker's emergency "
        "contacts at once (Backward Walking). Anyone may ask for help.",
        restricted=False,
        act=_help,
        slots=_NAME_SLOT,
        concerned=(_check_in_open, _active),
    ),
)


class WalkerIntent(intent.IntentHandler):
    """One voice command; offered to LLM agents whatever entities are exposed (no platforms)."""

    platforms = None

    def __init__(self, command: VoiceCommand, languages: frozenset[str]) -> None:
        """Bind to ``command``; answers come in the shipped ``languages`` (English otherwise)."""
        self.command = command
        self.intent_type = command.intent_type.value
        self.description = command.description
        self._languages = languages

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """The slots an LLM may fill: the walker's name (and the length, for a start)."""
        return self.command.slots

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Do the command; the answer is what was done or why nothing was."""
        words = await Words.of(intent_obj.hass, self.language(intent_obj.language))
        response = intent_obj.create_response()
        try:
            said = await self._run(intent_obj, words)
        except NothingDoneError as refused:
            _LOGGER.debug("%s refused: %s", self.intent_type, refused.said)
            response.async_set_error(intent.IntentResponseErrorCode.FAILED_TO_HANDLE, refused.said)
        else:
            response.async_set_speech(said)
        return response

    def language(self, asked: str) -> str:
        """The translation to answer in: the language asked in, or its primary language."""
        return asked if asked in self._languages else asked.split("-", maxsplit=1)[0]

    async def _run(self, intent_obj: intent.Intent, words: Words) -> str:
        hass = intent_obj.hass
        minutes = self._minutes(intent_obj, words)
        try:
            heard = Heard(
                name=_slot_name(intent_obj),
                user_id=intent_obj.context.user_id,
                device_id=intent_obj.device_id,
                # Home Assistant 2025.4 knows the satellite only by its device.
                satellite_id=getattr(intent_obj, "satellite_id", None),
                concerned=tuple(_of_entry(c) for c in self.command.concerned),
            )
            entry = choose_walker(hass, heard)
        except WalkerNotChosenError as err:
            raise NothingDoneError(words.not_chosen(err)) from err
        hub = _hub(entry)
        if self.command.restricted:
            try:
                await async_authorize(hass, intent_obj.context, entry.entry_id)
            except HomeAssistantError as err:  # Unauthorized, or a user that no longer exists
                raise NothingDoneError(words.not_allowed(hub.settings.name)) from err
        try:
            return await self.command.act(Request(hub, words, intent_obj, minutes))
        except ServiceValidationError as err:
            raise NothingDoneError(words.refusal(err)) from err

    def _minutes(self, intent_obj: intent.Intent, words: Words) -> float | None:
        """The session length asked for: a whole number of minutes within the option's limits."""
        slot = intent_obj.slots.get(SLOT_MINUTES)
        value = slot.get("value") if isinstance(slot, dict) else None
        if self.intent_type != VoiceIntent.START or value is None or value == "":
            return None
        minutes = number_in(value, TARGET_MINUTES.limits, whole=True)
        if minutes is None:
            raise NothingDoneError(words.invalid_minutes(quoted(value), *TARGET_MINUTES.limits))
        return minutes


def _of_entry(concerned: Callable[[WalkerHub], bool]) -> Callable[[ConfigEntry], bool]:
    return lambda entry: concerned(_hub(entry))


def _hub(entry: ConfigEntry) -> WalkerHub:
    hub: WalkerHub = entry.runtime_data
    return hub


def _slot_name(intent_obj: intent.Intent) -> str | None:
    """The walker's name as said; text that cannot be a walker's name is an unknown walker."""
    slot = intent_obj.slots.get(SLOT_NAME)
    value = slot.get("value") if isinstance(slot, dict) else None
    if value is None:
        return None
    name = text_field(value, NAME_MAX_LENGTH)
    if name is None:
        raise UnknownWalkerError(quoted(value))
    return name or None


def _shipped_languages() -> frozenset[str]:
    return frozenset(path.stem for path in (Path(__file__).parent / "translations").glob("*.json"))


async def async_register_intents(hass: HomeAssistant) -> None:
    """Register every voice command's intent, once."""
    languages = await hass.async_add_executor_job(_shipped_languages)
    for command in COMMANDS:
        intent.async_register(hass, WalkerIntent(command, languages))
