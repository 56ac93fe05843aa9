"""Answers from the companion app's actionable notifications, routed to the walker's commands."""

from __future__ import annotations

from collections.abc import Callable, Mapping
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, Event, callback
from homeassistant.exceptions import ServiceValidationError

from .const import (
    MOBILE_ACTION_ACK,
    MOBILE_ACTION_HELP,
    MOBILE_ACTION_OK,
    MOBILE_ACTION_SKIP,
    MOBILE_ACTION_SNOOZE,
    MOBILE_ACTION_START,
)

if TYPE_CHECKING:
    from .hub import WalkerHub

_LOGGER = logging.getLogger(__name__)
MOBILE_ACTION_EVENT = "mobile_app_notification_action"
_PREFIX = "BACKWARD_WALKING_"


def is_walker_action(event_data: Mapping[str, Any], entry_id: str) -> bool:
    """Whether a notification action belongs to this walker (ids end with the entry id)."""
    action = str(event_data.get("action", ""))
    return action.startswith(_PREFIX) and action.endswith(entry_id)


def async_listen_mobile(hub: WalkerHub) -> CALLBACK_TYPE:
    """Answer this walker's notification buttons; returns the remover."""

    @callback
    def ours(event_data: Mapping[str, Any]) -> bool:
        return is_walker_action(event_data, hub.entry.entry_id)

    @callback
    def answer(event: Event[Mapping[str, Any]]) -> None:
        action = str(event.data.get("action", ""))
        command = mobile_command(hub, action)
        if command is None:
            return
        try:
            command()
        except ServiceValidationError as err:
            _LOGGER.info("Ignoring %s from the companion app: %s", action, err.translation_key)
            if action.startswith(MOBILE_ACTION_START):
                hub.alerts.tell_refusal(hub.settings, str(err))

    return hub.hass.bus.async_listen(MOBILE_ACTION_EVENT, answer, event_filter=ours)


def mobile_command(hub: WalkerHub, action: str) -> Callable[[], None] | None:
    """The hub command a notification button stands for, or None for an unknown action."""
    entry_id = hub.entry.entry_id
    commands: dict[str, Callable[[], None]] = {
        MOBILE_ACTION_OK: hub.acknowledge_check_in,
        MOBILE_ACTION_HELP: hub.request_help,
        MOBILE_ACTION_ACK: hub.acknowledge_emergency,
        MOBILE_ACTION_START: hub.start_session,
        MOBILE_ACTION_SNOOZE: hub.snooze_reminder,
        MOBILE_ACTION_SKIP: hub.skip_today,
    }
    for prefix, command in commands.items():
        if action == f"{prefix}{entry_id}":
            return command
    return None
