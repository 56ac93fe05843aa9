"""A speaker for the demo that keeps what it was asked to say, and a silent voice to say it with.

Only for scripts/develop and the browser run (linked into the demo's custom_components by
prepare.sh): the hallway speaker shows the last messages it was given in its ``spoken`` attribute,
so the browser run can check what the walker heard; the voice makes ``tts.speak`` work offline.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant

DOMAIN = "demo_speaker"
PLATFORMS = [Platform.MEDIA_PLAYER, Platform.TTS]


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Add the speaker and the voice."""
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Remove them again."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
