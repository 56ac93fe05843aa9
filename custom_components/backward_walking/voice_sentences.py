"""What Assist's built-in agent understands: English and German sentences for the voice commands.

The sentences are conversation triggers, attached through Home Assistant's trigger helper (the
machinery of an automation's sentence trigger), so nobody copies files into ``custom_sentences``.
Each trigger hands what it heard to the command's intent, the same path an LLM agent's tool call
takes, and speaks the intent's answer. ``{walker}`` takes any name.

Sentence triggers come before Home Assistant's own intents, so the short words that mean something
else in a home (*pause* for the music, *how long is left* for a kitchen timer, *resume*, *weiter*)
are attached only while a walker has a session in progress; outside a walk they keep their usual
meaning. The specific sentences ("pause my walk", "stop walking") are always understood.
Without the conversation integration nothing is attached; it is attached once that integration
loads.
"""

from __future__ import annotations

import asyncio
from functools import partial
import logging
from typing import Any

from homeassistant.const import EVENT_COMPONENT_LOADED
from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import intent
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import (
    async_initialize_triggers,
    async_validate_trigger_config,
)
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, VoiceIntent
from .core.session import ACTIVE_STATES
from .view import WalkerView

_LOGGER = logging.getLogger(__name__)
CONVERSATION = "conversation"
SLOT_WALKER = "walker"
_WALK = "[my|the|a] [backward] walk[ing]"
_EINHEIT = "[meine|die|eine] Einheit"
_RUECKWAERTS = "[das|mein] Rückwärtsgehen"

# Hassil templates without punctuation: [optional], (alternatives), {walker} any words.
SENTENCES: dict[str, dict[str, list[str]]] = {
    VoiceIntent.START: {
        "en": [
            f"start {_WALK}",
            "start walking backward[s]",
            "start [the|a] [backward] walk[ing] for {walker}",
        ],
        "de": [
            f"starte ({_EINHEIT}|{_RUECKWAERTS})",
            "(Einheit|Rückwärtsgehen) starten",
            "starte (die Einheit|das Rückwärtsgehen) für {walker}",
        ],
    },
    VoiceIntent.PAUSE: {
        "en": [
            f"pause {_WALK}",
            "pause [the] [backward] walk[ing] for {walker}",
            "pause {walker}'s walk",
        ],
        "de": [
            f"pausiere ({_EINHEIT}|{_RUECKWAERTS})",
            "(Einheit|Rückwärtsgehen) pausieren",
            "pausiere (die Einheit|das Rückwärtsgehen) (für|von) {walker}",
        ],
    },
    VoiceIntent.RESUME: {
        "en": [
            f"(resume|continue) {_WALK}",
            "(resume|continue) [the] [backward] walk[ing] for {walker}",
            "(resume|continue) {walker}'s walk",
        ],
        "de": [
            f"setze ({_EINHEIT}|{_RUECKWAERTS}) fort",
            "(Einheit|Rückwärtsgehen) fortsetzen",
            "setze (die Einheit|das Rückwärtsgehen) (für|von) {walker} fort",
        ],
    },
    VoiceIntent.STOP: {
        "en": [
            f"(stop|end|finish) {_WALK}",
            "(stop|end|finish) [the] [backward] walk[ing] for {walker}",
            "(stop|end|finish) {walker}'s walk",
        ],
        "de": [
            f"(beende|stoppe) ({_EINHEIT}|{_RUECKWAERTS})",
            "(Einheit|Rückwärtsgehen) (beenden|stoppen)",
            "(beende|stoppe) (die Einheit|das Rückwärtsgehen) (für|von) {walker}",
        ],
    },
    VoiceIntent.STATUS: {
        "en": [
            "how (long|much time) is left (on|of|in) [my|the] [backward] walk",
            "how (long|much time) is left (on|of|in) {walker}'s walk",
            "how am I doing",
            "how is my [backward] walk going",
        ],
        "de": [
            "wie lange (geht|dauert) ([meine|die] Einheit|[das|mein] Rückwärtsgehen) noch",
            "wie läuft ([meine|die] Einheit|[das|mein] Rückwärtsgehen)",
            "wie lange noch (für|bei) {walker}",
        ],
    },
    VoiceIntent.OK: {
        "en": [
            "I'm (ok|okay|fine|alright|all right)",
            "I am (ok|okay|fine|alright|all right)",
        ],
        "de": [
            "(mir geht es|mir gehts|es geht mir) gut",
            "ich bin (ok|okay|in Ordnung)",
            "alles (ok|okay|in Ordnung)",
        ],
    },
    VoiceIntent.HELP: {
        "en": [
            "[please] help [me] [please]",
            "I need help",
            "(get|call) help",
            "{walker} needs help",
        ],
        "de": [
            "Hilfe [bitte]",
            "[bitte] hilf mir [bitte]",
            "ich brauche Hilfe",
            "{walker} braucht Hilfe",
        ],
    },
}
# Understood only while a walker has a session in progress (see above).
SESSION_SENTENCES: dict[str, dict[str, list[str]]] = {
    # "Pause" is English and German: answered in the language asked in ("").
    VoiceIntent.PAUSE: {"": ["pause"], "en": ["pause please"], "de": ["Pause bitte", "pausieren"]},
    VoiceIntent.RESUME: {"en": ["resume", "continue"], "de": ["weiter", "weitermachen"]},
    VoiceIntent.STATUS: {
        "en": ["how (long|much time) is left", "how much longer"],
        "de": ["wie lange noch", "wie lange (geht|dauert) es noch"],
    },
}


async def _async_heard(
    hass: HomeAssistant,
    intent_type: str,
    language: str,
    variables: dict[str, Any],
    context: Context | None = None,
) -> ScriptRunResult:
    """A sentence was heard: its intent acts and answers, as for any other caller.

    The answer is in the sentence's language (German asked in an English pipeline: German).
    """
    # Let the pipeline's confirmation reach the frontend before the answer: Assist's dialog
    # takes an answer that arrives in the same websocket frame for a broken subscription (and
    # logs an error), and an answer found without any wait would be in that frame.
    await asyncio.sleep(0)
    trigger = variables["trigger"]
    user_input: dict[str, Any] = trigger.get("user_input") or {}
    asked_by: dict[str, Any] = user_input.get("context") or {}
    slots = {}
    if (walker := trigger.get("slots", {}).get(SLOT_WALKER)) is not None:
        slots["name"] = {"value": walker, "text": walker}
    extra = {}
    # Newer releases name the satellite heard (2025.10 does); 2025.4 passes only its device.
    if satellite_id := trigger.get("satellite_id"):
        extra["satellite_id"] = satellite_id
    response = await intent.async_handle(
        hass,
        DOMAIN,
        intent_type,
        slots,
        text_input=trigger.get("sentence"),
        context=Context(user_id=asked_by.get("user_id"), parent_id=asked_by.get("id")),
        language=_answer_language(language, user_input.get("language") or hass.config.language),
        device_id=trigger.get("device_id"),
        **extra,
    )
    speech = response.speech.get("plain", {}).get("speech", "")
    return ScriptRunResult(conversation_response=speech, service_response=None, variables={})


def _answer_language(sentence: str, asked: str) -> str:
    """The sentence's language; the one asked in for a sentence of both ("") or a variant (de-CH)."""
    return asked if not sentence or asked.split("-", maxsplit=1)[0] == sentence else sentence


async def _async_attach(
    hass: HomeAssistant, sentences: dict[str, dict[str, list[str]]], name: str
) -> CALLBACK_TYPE:
    """Attach one conversation trigger per intent; returns what detaches them all."""
    removers: list[CALLBACK_TYPE] = []

    def log(level: int, message: str, **kwargs: Any) -> None:
        # "Initialized trigger", on every walk's start and end, is no news at INFO.
        _LOGGER.log(
            logging.DEBUG if level <= logging.INFO else level, "%s: %s", name, message, **kwargs
        )

    for intent_type, by_language in sentences.items():
        for language, commands in by_language.items():
            config = await async_validate_trigger_config(
                hass, [{"platform": CONVERSATION, "command": commands}]
            )
            action = partial(_async_heard, hass, intent_type, language)
            remove = await async_initialize_triggers(
                hass, config, action, DOMAIN, f"{name} {intent_type} {language or 'any'}", log
            )
            if remove is not None:
                removers.append(remove)

    @callback
    def remove_all() -> None:
        for remove in removers:
            remove()

    return remove_all


class VoiceSentences:
    """The triggers of one Home Assistant: always the specific ones, the short words during walks."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing is attached until the conversation integration is there."""
        self.hass = hass
        self._walking: set[str] = set()
        self._session_words: CALLBACK_TYPE | None = None
        self._ready = False
        self._lock = asyncio.Lock()

    async def async_start(self) -> None:
        """Attach the sentences now, or once the conversation integration loads."""
        if CONVERSATION in self.hass.config.components:
            await self._async_ready()
            return

        @callback
        def loaded(event_data: dict[str, Any]) -> bool:
            return bool(event_data.get("component") == CONVERSATION)

        async def on_loaded(_event: Event[Any]) -> None:
            remove()
            await self._async_ready()

        remove = self.hass.bus.async_listen(EVENT_COMPONENT_LOADED, on_loaded, event_filter=loaded)

    async def _async_ready(self) -> None:
        await _async_attach(self.hass, SENTENCES, DOMAIN)
        self._ready = True
        await self._async_sync()

    @callback
    def follow(self, entry_id: str, view: WalkerView | None) -> None:
        """Whether ``entry_id``'s walker has a session in progress (None: it was unloaded)."""
        walking = view is not None and view.state in ACTIVE_STATES
        was = bool(self._walking)
        (self._walking.add if walking else self._walking.discard)(entry_id)
        if bool(self._walking) != was and self._ready:
            self.hass.async_create_background_task(
                self._async_sync(), f"{DOMAIN} session sentences"
            )

    async def _async_sync(self) -> None:
        """Attach or detach the short words until they match whether anyone walks."""
        async with self._lock:
            while bool(self._walking) != (self._session_words is not None):
                if self._session_words is not None:
                    self._session_words()
                    self._session_words = None
                else:
                    self._session_words = await _async_attach(
                        self.hass, SESSION_SENTENCES, f"{DOMAIN} session"
                    )


DATA_SENTENCES: HassKey[VoiceSentences] = HassKey(f"{DOMAIN}_voice_sentences")


async def async_setup_sentences(hass: HomeAssistant) -> None:
    """Attach the voice commands' sentences (once per Home Assistant)."""
    sentences = hass.data[DATA_SENTENCES] = VoiceSentences(hass)
    await sentences.async_start()


@callback
def async_follow_sessions(
    hass: HomeAssistant, entry_id: str, coordinator: DataUpdateCoordinator[WalkerView]
) -> CALLBACK_TYPE:
    """Keep the short words attached while this walker walks; returns the remover."""
    sentences = hass.data[DATA_SENTENCES]

    @callback
    def follow() -> None:
        sentences.follow(entry_id, coordinator.data)

    remove = coordinator.async_add_listener(follow)
    follow()

    @callback
    def unfollow() -> None:
        remove()
        sentences.follow(entry_id, None)

    return unfollow
