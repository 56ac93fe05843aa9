"""Message delivery: notify entities, the persistent-notification fallback, slow targets, no speaker."""

from __future__ import annotations

import asyncio
import re
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers.translation import async_translations_loaded
import pytest

from custom_components.backward_walking.const import DOMAIN
from custom_components.backward_walking.notify import markdown_text

from .helpers import call, value
from .safety_helpers import (
    DISTANCE,
    FALL,
    Outside,
    install_outside,
    set_clear_hallway,
    setup_walker,
)


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


DEVICE_TEXT = "![x](http://host/x.png) [Tap: help is coming](http://host/dev)"


def _unescaped(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


async def test_persistent_notifications_show_names_and_states_as_text(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A device sets its own state and name: in the fallback's Markdown they must stay text."""
    set_clear_hallway(hass)
    install_outside(hass)
    await setup_walker(
        hass, freezer, "Alex_Smith", walker_notify=[], hallway="*upstairs* <b>hall</b>"
    )
    await call(hass, "start_session")
    hass.states.async_set(
        DISTANCE,
        DEVICE_TEXT,
        {"friendly_name": "<img src=x onerror=alert(1)> www.host.dev", "unit_of_measurement": "cm"},
    )
    await hass.async_block_till_done()
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    [notice] = notifications.values()
    message = notice["message"]
    for live in ("![", "](", "http://", "www.", "Alex_"):
        assert live not in message
    # Every punctuation character is escaped: none is left once the escapes are taken out.
    assert re.search(r"[!-/:-@\[-`{-~]", re.sub(r"\\[!-/:-@\[-`{-~]", "", message)) is None
    assert DEVICE_TEXT in _unescaped(message)
    assert "<img src=x onerror=alert(1)> www.host.dev" in _unescaped(message)
    assert notice["title"] == "Stop: the path is not clear"


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("Alex", "Alex"),
        ("Zoë, 7 min.", "Zoë\\, 7 min\\."),
        ("a_b *c* `d` ~e~ # f", "a\\_b \\*c\\* \\`d\\` \\~e\\~ \\# f"),
        ("<b>&amp;</b>", "\\<b\\>\\&amp\\;\\<\\/b\\>"),
        ("[Tap](http://h)", "\\[Tap\\]\\(http\\:\\/\\/h\\)"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_markdown_text(text: str, markdown: str) -> None:
    assert markdown_text(text) == markdown


async def walking(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> Outside:
    """Alex walking in the clear demo hallway; returns what leaves Home Assistant."""
    set_clear_hallway(hass)
    outside = install_outside(hass)
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    return outside


async def fall(hass: HomeAssistant) -> None:
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()


async def test_a_message_in_a_language_not_loaded_yet_waits_for_its_texts(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The moment after a language change, before Home Assistant has loaded it: nothing is lost."""
    outside = await walking(hass, freezer)
    hass.config.language = "de"
    assert not async_translations_loaded(hass, {DOMAIN})
    hass.states.async_set(FALL, "on")
    # The messages wait for the new language's texts in a background task: on a machine whose
    # files are not cached yet, loading them outlasts a plain block_till_done.
    await hass.async_block_till_done(wait_background_tasks=True)
    # Notification first, then the spoken prompt, as with cached texts; both in German (after
    # the start's spoken coaching, said in English before the change).
    [asked] = outside.to("walker_phone")
    assert (asked["title"], [a["title"] for a in asked["data"]["actions"]]) == (
        "Alles in Ordnung?",
        ["Alles OK", "Hilfe"],
    )
    assert outside.spoken == ["Walk backward for 10 minutes.", asked["message"]]
    assert asked["message"].startswith(
        "Alex, ist alles in Ordnung? Antworte innerhalb von 60 Sekunden"
    )
    assert async_translations_loaded(hass, {DOMAIN})


async def test_a_language_without_a_translation_file_gets_english(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    hass.config.language = "fr"
    outside = await walking(hass, freezer)
    await fall(hass)
    assert outside.to("walker_phone")[-1]["title"] == "Are you OK?"
    assert outside.spoken[-1].startswith("Alex, are you OK?")


async def test_messages_follow_a_language_change_without_a_reload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    outside = await walking(hass, freezer)
    await hass.config.async_update(language="de")
    await fall(hass)
    assert outside.to("walker_phone")[-1]["title"] == "Alles in Ordnung?"
