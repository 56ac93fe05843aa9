"""A voice that says everything in silence: ``tts.speak`` works without the internet."""

from __future__ import annotations

import io
from typing import Any
import wave

from homeassistant.components.tts import TextToSpeechEntity, TtsAudioType
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback


async def async_setup_entry(
    hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """The one voice."""
    async_add_entities([SilentVoice()])


def _silence() -> bytes:
    """A tenth of a second of silence as a WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(16000)
        audio.writeframes(b"\0\0" * 1600)
    return buffer.getvalue()


class SilentVoice(TextToSpeechEntity):
    """English and German, both silent."""

    _attr_name = "Demo voice"
    _attr_unique_id = "demo_voice"
    _attr_supported_languages = ["en", "de"]
    _attr_default_language = "en"

    async def async_get_tts_audio(
        self, message: str, language: str, options: dict[str, Any]
    ) -> TtsAudioType:
        """Silence, whatever the message."""
        return "wav", _silence()
