"""What the dashboard card asks of Home Assistant besides the states: rights, and its buttons.

``backward_walking/rights`` says whether the logged-in user may control a walker (Home Assistant's
frontend knows only ``is_admin``), so the card shows a read-only tablet only what it may do.

``backward_walking/act`` runs a button's action as the user, through the action itself (the same
checks, permissions and logbook), and answers a refusal as data. Home Assistant logs every refused
action call from the frontend at ERROR level and shows its own toast; a tap that meets a state
that just changed is ordinary use, so the card gets the refusal's key and words to show itself,
in the user's language, once.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import async_response, websocket_command
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError, Unauthorized
import voluptuous as vol

from .const import (
    DOMAIN,
    SERVICE_ACK_CHECK_IN,
    SERVICE_ACK_EMERGENCY,
    SERVICE_PAUSE,
    SERVICE_REQUEST_HELP,
    SERVICE_RESUME,
    SERVICE_START,
    SERVICE_STOP,
)
from .errors import CommandRefusedError
from .people import may_control
from .services import async_get_walker_entry

# The card's buttons; each is the action of the same name, with the walker's device.
CARD_ACTIONS = (
    SERVICE_START,
    SERVICE_PAUSE,
    SERVICE_RESUME,
    SERVICE_STOP,
    SERVICE_ACK_CHECK_IN,
    SERVICE_ACK_EMERGENCY,
    SERVICE_REQUEST_HELP,
)
# The refusal of a user who may not control the walker.
NOT_ALLOWED = "not_allowed"


@callback
def async_register_card_api(hass: HomeAssistant) -> None:
    """Register the card's commands."""
    async_register_command(hass, websocket_rights)
    async_register_command(hass, websocket_act)


def _refused(connection: ActiveConnection, msg_id: int, err: Exception) -> None:
    """A refusal the card shows: the translation key and placeholders of the message."""
    if isinstance(err, ServiceValidationError) and err.translation_key:
        placeholders: dict[str, Any] = dict(err.translation_placeholders or {})
        if isinstance(err, CommandRefusedError) and "state" in err.refusal.placeholders:
            # The card words the state itself, in its user's language.
            placeholders["state"] = err.refusal.placeholders["state"]
        connection.send_result(msg_id, {"refused": err.translation_key, "values": placeholders})
        return
    connection.send_result(msg_id, {"refused": NOT_ALLOWED, "values": {}})


@websocket_command({vol.Required("type"): f"{DOMAIN}/rights", vol.Required("device_id"): str})
@callback
def websocket_rights(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Whether the user may control the walker (start, resume, stop, acknowledge)."""
    try:
        entry = async_get_walker_entry(hass, None, msg["device_id"])
    except ServiceValidationError as err:
        _refused(connection, msg["id"], err)
        return
    control = may_control(hass, connection.user, entry.entry_id)
    connection.send_result(msg["id"], {"control": control})


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/act",
        vol.Required("device_id"): str,
        vol.Required("action"): vol.In(CARD_ACTIONS),
    }
)
@async_response
async def websocket_act(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Run one of the card's buttons as the user; a refusal is answered, not raised."""
    try:
        await hass.services.async_call(
            DOMAIN,
            msg["action"],
            {ATTR_DEVICE_ID: msg["device_id"]},
            blocking=True,
            context=connection.context(msg),
        )
    except (ServiceValidationError, Unauthorized) as err:
        _refused(connection, msg["id"], err)
        return
    connection.send_result(msg["id"], {"refused": None})
