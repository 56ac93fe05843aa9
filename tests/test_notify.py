"""Message delivery: notify entities, the persistent-notification fallback, slow targets, no speaker."""

from __future__ import annotations

import asyncio
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, ServiceCall
import pytest

from .helpers import call, value
from .safety_helpers import FALL, install_outside, set_clear_hallway, setup_walker


async def test_notify_entity_and_no_speaker(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    set_clear_hallway(hass)
    outside = install_outside(hass)
    sent: list[dict[str, str]] = []

    async def send_message(call_: ServiceCall) -> None:
        sent.append(dict(call_.data))

    hass.services.async_register("notify", "send_message", send_message)
    hass.states.async_set("notify.kitchen_display", "unknown")
    await setup_walker(
        hass, freezer, walker_notify=["notify.kitchen_display"], media_player=None, tts_entity=None
    )
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    assert sent == [
        {
            "entity_id": "notify.kitchen_display",
            "title": "Are you OK?",
            "message": "Alex, are you OK? Answer within 60 seconds, or your contacts will be alerted.",
        }
    ]
    assert outside.spoken == []


async def test_without_contacts_emergencies_become_persistent_notifications(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    set_clear_hallway(hass)
    install_outside(hass)
    await setup_walker(hass, freezer, emergency_notify=[])
    await call(hass, "request_help")
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    [notice] = notifications.values()
    assert notice["title"] == "Emergency: Alex may need help"
    assert "Alex asked for help" in notice["message"]


async def test_a_slow_phone_times_out_and_is_logged(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    set_clear_hallway(hass)
    outside = install_outside(hass)

    async def slow(call_: ServiceCall) -> None:
        await asyncio.sleep(5)

    hass.services.async_register("notify", "slow_phone", slow)
    # Real time (the phone is slow for real): no clear-hold to wait for.
    await setup_walker(
        hass,
        None,
        emergency_notify=["notify.slow_phone", "notify.carer_phone"],
        clear_hold_seconds=0,
    )
    with patch("custom_components.backward_walking.notify.NOTIFY_TIMEOUT_SECONDS", 0.05):
        await call(hass, "request_help")
        await asyncio.sleep(0.3)  # delivery runs as a background task, outside block_till_done
    assert "Could not notify notify.slow_phone: TimeoutError" in caplog.text
    assert len(outside.to("carer_phone")) == 1
    assert value(hass, "sensor.alex_check_in") == "escalated"
