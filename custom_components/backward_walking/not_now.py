"""Whether reminders should hold back now: a 'not now' entity is on or a score is too low."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from .core.settings import WalkerSettings


def not_now(hass: HomeAssistant, settings: WalkerSettings) -> bool:
    """True while any 'not now' entity is on, or the score sensor reads below its threshold."""
    states = hass.states
    for entity_id in settings.not_now_entities:
        state = states.get(entity_id)
        if state is not None and state.state == "on":
            return True
    if settings.not_now_sensor and settings.not_now_below is not None:
        state = states.get(settings.not_now_sensor)
        try:
            return state is not None and float(state.state) < settings.not_now_below
        except ValueError:
            return False  # an unreadable score does not keep anyone from walking
    return False
