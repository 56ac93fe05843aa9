"""The card's commands: what the user may do, and its buttons answered without an error log."""

from __future__ import annotations

import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from .helpers import value
from .safety_helpers import OBSTACLE, Outside, setup_walker


def walker_device(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return device.id


async def connect(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, ws: WebSocketGenerator, *token: str
) -> tuple[Any, str]:
    """A walker set up, and a websocket client of the user ``token`` (else the admin)."""
    entry = await setup_walker(hass, freezer)
    return await ws(hass, *token), walker_device(hass, entry)


async def ask(client: Any, **message: Any) -> Any:
    await client.send_json_auto_id(message)
    answer = await client.receive_json()
    assert answer["success"], answer
    return answer["result"]


async def test_an_admin_may_do_everything_and_a_refusal_is_answered_not_logged(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, device = await connect(hass, freezer, hass_ws_client)
    assert await ask(client, type="backward_walking/rights", device_id=device) == {"control": True}
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    caplog.set_level(logging.DEBUG)
    refused = await ask(
        client, type="backward_walking/act", device_id=device, action="start_session"
    )
    assert refused["refused"] == "path_not_clear"
    assert refused["values"]["reasons"] == "Something is in the way (Hallway beam)"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert value(hass, "sensor.alex_session_state") == "idle"
    hass.states.async_set(OBSTACLE, "off")
    await hass.async_block_till_done()
    freezer.tick(6)
    started = await ask(
        client, type="backward_walking/act", device_id=device, action="start_session"
    )
    assert started == {"refused": None}
    assert value(hass, "sensor.alex_session_state") == "running"
    again = await ask(client, type="backward_walking/act", device_id=device, action="start_session")
    assert (again["refused"], again["values"]["state"]) == ("cannot_start", "running")


async def test_a_read_only_tablet_may_only_pause_and_ask_for_help(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, device = await connect(hass, freezer, hass_ws_client, hass_read_only_access_token)
    assert await ask(client, type="backward_walking/rights", device_id=device) == {"control": False}
    for action in ("start_session", "acknowledge_check_in", "acknowledge_emergency"):
        answer = await ask(client, type="backward_walking/act", device_id=device, action=action)
        assert answer == {"refused": "not_allowed", "values": {}}, action
    assert value(hass, "sensor.alex_session_state") == "idle"
    help_asked = await ask(
        client, type="backward_walking/act", device_id=device, action="request_help"
    )
    assert help_asked == {"refused": None}
    assert value(hass, "sensor.alex_check_in") == "escalated"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_user_with_control_rights_may_control(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    entry = await setup_walker(hass, freezer)
    user: User = await hass.auth.async_create_user("Anna", group_ids=["system-users"])
    refresh = await hass.auth.async_create_refresh_token(user, "https://example.com/")
    token = hass.auth.async_create_access_token(refresh)
    client = await hass_ws_client(hass, token)
    device = walker_device(hass, entry)
    assert await ask(client, type="backward_walking/rights", device_id=device) == {"control": True}


async def test_an_unknown_device_or_action_is_refused(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    entry = await setup_walker(hass, freezer)
    client = await hass_ws_client(hass)
    rights = await ask(client, type="backward_walking/rights", device_id="nope")
    assert rights == {"refused": "walker_not_found", "values": {"walker": "nope"}}
    await client.send_json_auto_id(
        {"type": "backward_walking/act", "device_id": walker_device(hass, entry), "action": "x"}
    )
    answer = await client.receive_json()
    assert (answer["success"], answer["error"]["code"]) == (False, "invalid_format")
