"""The hallway speaker: it plays nothing, and keeps the messages of what it was asked to play."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from homeassistant.components.media_player import (
    MediaPlayerEntity,
    MediaPlayerEntityFeature,
    MediaPlayerState,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

KEPT = 100  # the last messages, oldest first


async def async_setup_entry(
    hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """The one speaker."""
    async_add_entities([HallwaySpeaker()])


class HallwaySpeaker(MediaPlayerEntity):
    """Keeps the ``message`` of each ``media-source://tts/...`` it is given in ``spoken``."""

    _attr_name = "Hallway speaker"
    _attr_unique_id = "demo_hallway_speaker"
    _attr_state = MediaPlayerState.IDLE
    _attr_supported_features = (
        MediaPlayerEntityFeature.PLAY_MEDIA
        | MediaPlayerEntityFeature.MEDIA_ANNOUNCE
        | MediaPlayerEntityFeature.CLEAR_PLAYLIST
    )
    # What was said is for the browser run, not for the recorder's history.
    _unrecorded_attributes = frozenset({"spoken"})

    def __init__(self) -> None:
        """Nothing said yet."""
        self._spoken: list[str] = []

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The messages it was given, oldest first."""
        return {"spoken": list(self._spoken)}

    async def async_play_media(self, media_type: str, media_id: str, **kwargs: Any) -> None:
        """Keep the message a text-to-speech media id carries."""
        messages = parse_qs(urlparse(media_id).query).get("message")
        if messages:
            self._spoken = [*self._spoken, messages[0]][-KEPT:]
            self.async_write_ha_state()

    async def async_clear_playlist(self) -> None:
        """Forget what was said (a new session is followed from its start)."""
        self._spoken = []
        self.async_write_ha_state()
