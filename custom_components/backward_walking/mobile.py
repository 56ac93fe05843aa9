"""Answers from the companion app's actionable notifications, routed to the walker's commands.

Only this walker's action ids count, and an emergency's "I'm on it" only from a contact's phone (one
of the walker's ``notify.mobile_app_…`` emergency targets): anyone else's tap is logged and ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
import logging
from typing import Any, Protocol

from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import (
    MOBILE_ACTION_ACK,
    MOBILE_ACTION_HELP,
    MOBILE_ACTION_OK,
    MOBILE_ACTION_PAUSE,
    MOBILE_ACTION_RESUME,
    MOBILE_ACTION_SKIP,
    MOBILE_ACTION_SNOOZE,
    MOBILE_ACTION_START,
    MOBILE_ACTION_STOP,
)
from .core.settings import WalkerSettings
from .people import async_authorize, async_user_name, phones_of
from .texts import texts_now

_LOGGER = logging.getLogger(__name__)
MOBILE_ACTION_EVENT = "mobile_app_notification_action"
_PREFIX = "BACKWARD_WALKING_"
# Raising the alarm and pausing are never restricted (as the actions); "I'm on it" is checked
# against the contacts' phones.
_ALWAYS_ALLOWED = (MOBILE_ACTION_HELP, MOBILE_ACTION_ACK, MOBILE_ACTION_PAUSE)
# A refusal of these is told back to the walker (the path is not clear, a check-in is open).
_TOLD_WHEN_REFUSED = (MOBILE_ACTION_START, MOBILE_ACTION_RESUME)


def is_walker_action(event_data: Mapping[str, Any], entry_id: str) -> bool:
    """Whether a notification action belongs to this walker (ids end with the entry id)."""
    action = str(event_data.get("action", ""))
    return action.startswith(_PREFIX) and action.endswith(entry_id)


class TappedWalker(Protocol):
    """What a notification button can do to its walker: the commands the phone's buttons stand for."""

    @property
    def settings(self) -> WalkerSettings:
        """The walker's settings (name and emergency contacts)."""

    def acknowledge_check_in(self, by: str | None = None) -> None:
        """I'm OK."""

    def request_help(self) -> None:
        """Need help."""

    def acknowledge_emergency(self, by: str | None = None) -> None:
        """I'm on it."""

    def start_session(self) -> None:
        """Start, from a reminder."""

    def snooze_reminder(self) -> None:
        """Snooze, from a reminder."""

    def skip_today(self) -> None:
        """Skip today, from a reminder."""

    def pause_session(self) -> None:
        """Pause, from the lock screen."""

    def resume_session(self) -> None:
        """Resume, from the lock screen."""

    def stop_session(self) -> None:
        """Stop, from the lock screen."""

    def tell_refusal(self, why: str) -> None:
        """Tell the walker why a start (a reminder's) or a resume (the lock screen's) was refused."""


def async_listen_mobile(hass: HomeAssistant, entry_id: str, walker: TappedWalker) -> CALLBACK_TYPE:
    """Answer this walker's notification buttons; returns the remover."""

    @callback
    def ours(event_data: Mapping[str, Any]) -> bool:
        return is_walker_action(event_data, entry_id)

    async def answer(event: Event[Mapping[str, Any]]) -> None:
        action = str(event.data.get("action", ""))
        command = await async_mobile_command(
            hass, entry_id, walker, action, dict(event.data), user_id=event.context.user_id
        )
        if command is None:
            return
        if not action.startswith(_ALWAYS_ALLOWED):
            # A phone's user may do with its buttons only what they may do with the actions.
            try:
                await async_authorize(hass, event.context, entry_id)
            except HomeAssistantError as err:
                _LOGGER.info(
                    "Ignoring %s from the companion app for %s: %s",
                    action,
                    walker.settings.name,
                    type(err).__name__,
                )
                if action.startswith(_TOLD_WHEN_REFUSED):
                    name = walker.settings.name
                    walker.tell_refusal(texts_now(hass).get("voice_not_allowed", walker=name))
                return
        try:
            command()
        except ServiceValidationError as err:
            _LOGGER.info("Ignoring %s from the companion app: %s", action, err.translation_key)
            if action.startswith(_TOLD_WHEN_REFUSED):
                walker.tell_refusal(str(err))

    return hass.bus.async_listen(MOBILE_ACTION_EVENT, answer, event_filter=ours)


async def async_mobile_command(
    hass: HomeAssistant,
    entry_id: str,
    walker: TappedWalker,
    action: str,
    event_data: dict[str, Any],
    *,
    user_id: str | None = None,
) -> Callable[[], None] | None:
    """The walker's command a notification button stands for, or None for an unknown action.

    The answers say who answered, as the family knows them: the person linked to the user who
    registered the phone, else that user's name, else the phone's name (as the device registry
    shows it).
    """
    contacts = (*walker.settings.emergency_notify, *walker.settings.tier2_notify)
    candidates = phones_of(hass, event_data, user_id)
    phone = next((p for p in candidates if p.target in contacts), None) or next(
        iter(candidates), None
    )
    if action == f"{MOBILE_ACTION_ACK}{entry_id}" and (
        phone is None or phone.target not in contacts
    ):
        _LOGGER.warning(
            "Ignoring an emergency acknowledgement for %s from %s: not an emergency contact's phone",
            walker.settings.name,
            (phone and phone.name)
            or event_data.get("device_id")
            or event_data.get("webhook_id")
            or "an unknown device",
        )
        return None
    by = (await async_user_name(hass, phone.user_id) or phone.name) if phone is not None else None
    commands: dict[str, Callable[[], None]] = {
        MOBILE_ACTION_OK: partial(walker.acknowledge_check_in, by),
        MOBILE_ACTION_HELP: walker.request_help,
        MOBILE_ACTION_ACK: partial(walker.acknowledge_emergency, by),
        MOBILE_ACTION_START: walker.start_session,
        MOBILE_ACTION_SNOOZE: walker.snooze_reminder,
        MOBILE_ACTION_SKIP: walker.skip_today,
        MOBILE_ACTION_PAUSE: walker.pause_session,
        MOBILE_ACTION_RESUME: walker.resume_session,
        MOBILE_ACTION_STOP: walker.stop_session,
    }
    for prefix, command in commands.items():
        if action == f"{prefix}{entry_id}":
            return command
    return None
