"""Spoken coaching: the engine's cues in words, said by the voice satellite or the speaker.

A cue is a service call in the background, never a state write, and nothing waits for it: on the
voice satellite (``assist_satellite.announce``, without its chime) when one is set, the action
exists, the satellite can announce and is available; else on the speaker with its text-to-speech
engine; with neither, nothing is said. The words come from the ``common`` translations, in Home
Assistant's language. A satellite or speaker that fails is logged once, as a warning.

Safety speech always comes first. The engine drops a planned cue when the same input announces a
safety message; here a planned cue is also dropped while a safety message may still be playing on
the speaker, and a cue the session's own event brought (start, resume, completion) waits until it
has been said. How long a message plays is estimated from its length (``speaking_s``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import logging

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .core.cues import Cue, Done, Lead, Reached, Walk, WalkKind
from .core.settings import WalkerSettings
from .notify import Notifier
from .texts import Texts, async_texts, cached_texts

_LOGGER = logging.getLogger(__name__)

SATELLITE_DOMAIN = "assist_satellite"
ANNOUNCE = "announce"
# AssistSatelliteEntityFeature.ANNOUNCE (the component is not imported: it is no dependency).
_CAN_ANNOUNCE = 1
# A spoken message: the text-to-speech engine renders it and the speaker starts (about 1.5 s), then
# a voice reads about 14 characters a second (150 words a minute).
_START_S = 1.5
_CHARACTERS_PER_S = 14.0


def speaking_s(text: str) -> float:
    """About how long ``text`` plays on a speaker, from the moment it is sent."""
    return _START_S + len(text) / _CHARACTERS_PER_S


def spoken_duration(texts: Texts, seconds: float) -> str:
    """A length as people say it: seconds under two minutes, else whole and half minutes."""
    whole = round(seconds)
    if whole < 60 or (whole < 120 and whole % 60):
        return texts.get("cue_seconds_one") if whole == 1 else texts.get("cue_seconds", count=whole)
    minutes, half = divmod(round(seconds / 30), 2)
    if half:
        return texts.get("cue_minutes_half", count=minutes)
    return texts.get("cue_minutes_one") if minutes == 1 else texts.get("cue_minutes", count=minutes)


def cue_text(texts: Texts, cue: Cue, walker: str) -> str:
    """The words of ``cue`` in the language of ``texts``."""
    match cue:
        case Walk():
            duration = spoken_duration(texts, cue.seconds)
            if cue.kind is WalkKind.RESUME:
                return texts.get(f"cue_resume_{cue.direction}", duration=duration)
            how = "turn" if cue.turn else "walk"
            text = texts.get(f"cue_{how}_{cue.direction}", duration=duration)
            return f"{text} {texts.get(f'cue_{cue.milestone}')}" if cue.milestone else text
        case Lead():
            what = "turn" if cue.turn else cue.direction
            return texts.get(f"cue_lead_{what}", duration=spoken_duration(texts, cue.seconds))
        case Reached():
            return texts.get(f"cue_{cue.milestone}")
        case Done(full=False):
            return texts.get("cue_done", walker=walker)
        case Done():
            values = {
                "walker": walker,
                "duration": spoken_duration(texts, cue.seconds),
                "backward": spoken_duration(texts, cue.backward_s),
                "kcal": round(cue.kcal),
            }
            key = "cue_done_summary" if round(cue.backward_s) else "cue_done_summary_forward"
            return texts.get(key, **values)


class CueVoice:
    """Says one walker's cues; keeps quiet while a safety message plays."""

    def __init__(
        self, hass: HomeAssistant, notifier: Notifier, walking: Callable[[], bool]
    ) -> None:
        """Bind to the walker's notifier; ``walking`` tells whether the session runs now."""
        self.hass = hass
        self.notifier = notifier
        self._walking = walking
        # When the last safety message went to the speaker, and until when it plays.
        self._safety: tuple[datetime, datetime] | None = None
        self._waiting: tuple[Cue, WalkerSettings] | None = None
        self._unsub_wait: CALLBACK_TYPE | None = None
        self._told_speaker: str | None = None

    @callback
    def safety_spoken(self, text: str) -> None:
        """A safety message went to the speaker: no cue starts until it has been said."""
        now = dt_util.utcnow()
        until = now + timedelta(seconds=speaking_s(text))
        playing = self._busy_until()
        if playing is None or until > playing:
            self._safety = now, until
        if self._waiting is not None:
            self._wait_until(max(until, playing or until))

    @callback
    def say(self, cue: Cue, settings: WalkerSettings) -> None:
        """Say ``cue`` now, or once the safety message playing has been said.

        A planned cue that would talk over a safety message is left out; a cue of the session's own
        event (start, resume, completion) waits for it. A cue newer than the one waiting is what
        the walker does now: it waits in its place.
        """
        superseding = self._waiting is not None
        self._cancel_wait()
        until = self._busy_until()
        if until is None:
            self._speak(cue, settings)
        elif cue.from_event or superseding:
            self._waiting = cue, settings
            self._wait_until(until)
        else:
            _LOGGER.debug("%s: %s left out, a safety message is playing", settings.name, cue)

    @callback
    def close(self) -> None:
        """The walker is unloaded: a waiting cue is not said."""
        self._cancel_wait()

    def _busy_until(self) -> datetime | None:
        """Until when a safety message plays (None: none does, or the clock stepped back)."""
        if self._safety is None:
            return None
        said, until = self._safety
        return until if said <= dt_util.utcnow() < until else None

    def _wait_until(self, until: datetime) -> None:
        if self._unsub_wait is not None:
            self._unsub_wait()
        self._unsub_wait = async_track_point_in_utc_time(self.hass, self._said_after, until)

    @callback
    def _said_after(self, _now: datetime) -> None:
        self._unsub_wait = None
        waiting, self._waiting = self._waiting, None
        assert waiting is not None  # the timer is cancelled whenever nothing waits any more
        cue, settings = waiting
        # A walk that was paused meanwhile is no longer what the walker does.
        if not isinstance(cue, Done) and not self._walking():
            return
        self.say(cue, settings)

    def _cancel_wait(self) -> None:
        self._waiting = None
        if self._unsub_wait is not None:
            self._unsub_wait()
            self._unsub_wait = None

    def _speak(self, cue: Cue, settings: WalkerSettings) -> None:
        satellite = self._satellite(settings)
        if satellite is not None:
            self.notifier.start(
                satellite,
                self._announce(satellite, cue, settings),
                failure_level=logging.WARNING,
            )
        elif settings.media_player and settings.tts_entity:
            job = self._tts(settings.media_player, settings.tts_entity, cue, settings)
            self.notifier.start(settings.tts_entity, job, failure_level=logging.WARNING)

    def _satellite(self, settings: WalkerSettings) -> str | None:
        """The voice satellite, when it can say a cue now (else the speaker does, said once)."""
        satellite = settings.voice_satellite
        if satellite is None:
            return None
        state = self.hass.states.get(satellite)
        if not self.hass.services.has_service(SATELLITE_DOMAIN, ANNOUNCE):
            why = "this Home Assistant has no assist_satellite.announce action"
        elif state is None or state.state == STATE_UNAVAILABLE:
            why = f"{satellite} is not available"
        elif not int(state.attributes.get("supported_features", 0)) & _CAN_ANNOUNCE:
            why = f"{satellite} cannot announce"
        else:
            self._told_speaker = None
            return satellite
        if self._told_speaker != why:
            self._told_speaker = why
            _LOGGER.info("Spoken coaching for %s uses the speaker: %s", settings.name, why)
        return None

    async def _words(self, cue: Cue, settings: WalkerSettings) -> str:
        texts = cached_texts(self.hass) or await async_texts(self.hass)
        return cue_text(texts, cue, settings.name)

    async def _announce(self, satellite: str, cue: Cue, settings: WalkerSettings) -> None:
        data = {"entity_id": satellite, "message": await self._words(cue, settings)}
        try:
            await self.hass.services.async_call(
                SATELLITE_DOMAIN, ANNOUNCE, {**data, "preannounce": False}, blocking=True
            )
        except HomeAssistantError as err:
            # Still saying the cue before: this one is left out, as it would talk over it.
            if type(err).__name__ != "SatelliteBusyError":
                raise
            _LOGGER.debug("%s: %s left out, %s is busy", settings.name, cue, satellite)

    async def _tts(self, player: str, engine: str, cue: Cue, settings: WalkerSettings) -> None:
        await self.notifier.say(player, engine, await self._words(cue, settings))
