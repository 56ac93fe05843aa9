"""What the family is told, in a real core: who took care (by name), and no stale notifications.

The phones are fake companion-app registrations (``add_phone``); Home Assistant's own
persistent_notification component is the panel.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.const import GROUP_ID_USER
from homeassistant.components import persistent_notification
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import Unauthorized
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.backward_walking.const import DOMAIN

from .helpers import advance, answered, call, reload, state, value
from .safety_helpers import FALL, OBSTACLE, Outside, add_phone, settle, setup_walker

PANEL_ONLY: dict[str, Any] = {"walker_notify": [], "emergency_notify": []}


def panel(hass: HomeAssistant) -> dict[str, tuple[str, str]]:
    """The notifications panel: each notification's id → (title, message)."""
    notes = persistent_notification._async_get_or_create_notifications(hass)
    return {note_id: (note["title"], note["message"]) for note_id, note in notes.items()}


def note_id(entry: MockConfigEntry, situation: str) -> str:
    return f"{DOMAIN}_backward_walking_{situation}_{entry.entry_id}"


async def tap(hass: HomeAssistant, entry: MockConfigEntry, action: str, **context: Any) -> None:
    """A companion-app button, fired as mobile_app fires it (the registering user's context)."""
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": f"BACKWARD_WALKING_{action}_{entry.entry_id}"},
        context=Context(**context),
    )
    await hass.async_block_till_done()


async def hazard_then_clear(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """The obstacle pauses the walk; once clear for the hold: "Path clear – resume when ready"."""
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    hass.states.async_set(OBSTACLE, "off", {"friendly_name": "Hallway beam"})
    await advance(hass, freezer, 10)


# --- who took care ---------------------------------------------------------------------------


async def test_the_family_reads_the_persons_name_not_the_phones(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    anna = await hass.auth.async_create_user("anna_k", group_ids=[GROUP_ID_USER])
    hass.states.async_set("person.anna", "home", {"user_id": anna.id, "friendly_name": "Anna"})
    ben = await hass.auth.async_create_user("Ben", group_ids=[GROUP_ID_USER])
    pixel = add_phone(hass, outside, "Pixel 8", "pixel-hook", "Android", anna.id)
    iphone = add_phone(hass, outside, "iPhone 15", "iphone-hook", "iOS", ben.id)
    entry = await setup_walker(hass, freezer, emergency_notify=[pixel, iphone])
    await call(hass, "request_help")
    await tap(hass, entry, "ACK", user_id=anna.id)
    assert answered(hass) == ("emergency_acknowledged", "Anna")
    for phone in ("mobile_app_pixel_8", "mobile_app_iphone_15"):
        assert outside.to(phone)[-1]["message"].startswith("Anna is taking care of Alex")
    # A user without a person: their name.
    await call(hass, "request_help")
    await tap(hass, entry, "ACK", user_id=ben.id)
    assert state(hass, "event.alex_session_event").attributes["by"] == "Ben"
    assert outside.to("mobile_app_pixel_8")[-1]["message"].startswith("Ben is taking care")
    # A person renamed since: named as they are called now.
    hass.states.async_set("person.anna", "home", {"user_id": anna.id, "friendly_name": "Mum"})
    await call(hass, "request_help")
    await tap(hass, entry, "ACK", user_id=anna.id)
    assert state(hass, "event.alex_session_event").attributes["by"] == "Mum"


async def test_a_phone_nobody_registered_is_named_by_itself(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """A tap Home Assistant fires itself (no user) from a phone registered without a user."""
    pixel = add_phone(hass, outside, "Pixel 8", "pixel-hook", "Android")
    entry = await setup_walker(hass, freezer, emergency_notify=[pixel])
    await call(hass, "request_help")
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": f"BACKWARD_WALKING_ACK_{entry.entry_id}", "webhook_id": "pixel-hook"},
    )
    await hass.async_block_till_done()
    assert state(hass, "event.alex_session_event").attributes["by"] == "Pixel 8"
    assert outside.to("mobile_app_pixel_8")[-1]["message"].startswith("Pixel 8 is taking care")


async def test_the_walkers_own_im_ok_names_the_walker(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    alex = await hass.auth.async_create_user("alex_w", group_ids=[GROUP_ID_USER])
    hass.states.async_set("person.alex", "home", {"user_id": alex.id, "friendly_name": "Alex W."})
    phone = add_phone(hass, outside, "Galaxy A5", "galaxy-hook", "Android", alex.id)
    entry = await setup_walker(hass, freezer, walker_notify=[phone])
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    await tap(hass, entry, "OK", user_id=alex.id)
    assert answered(hass) == ("check_in_acknowledged", "Alex W.")


# --- the notifications panel -----------------------------------------------------------------


async def test_after_an_emergency_only_who_took_care_is_left(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    anna = await hass.auth.async_create_user("anna_k", group_ids=[GROUP_ID_USER])
    hass.states.async_set("person.anna", "home", {"user_id": anna.id, "friendly_name": "Anna"})
    entry = await setup_walker(hass, freezer, **PANEL_ONLY)
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    assert [title for title, _ in panel(hass).values()] == ["Are you OK?"]
    await advance(hass, freezer, 60)  # no answer: the contacts (the panel) are alerted
    assert list(panel(hass)) == [note_id(entry, "emergency")]
    await hass.services.async_call(
        DOMAIN, "acknowledge_emergency", {}, blocking=True, context=Context(user_id=anna.id)
    )
    await advance(hass, freezer, 15 * 60, step=60)
    [(title, message)] = panel(hass).values()
    assert title == "Emergency acknowledged"
    assert message.startswith("Anna is taking care of Alex")
    # Walking again later leaves the last word of the emergency in place.
    hass.states.async_set(FALL, "off")
    await advance(hass, freezer, 10)
    await call(hass, "resume_session")
    await call(hass, "stop_session")
    assert [title for title, _ in panel(hass).values()] == ["Emergency acknowledged"]


async def _path_clear(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> str:
    await hazard_then_clear(hass, freezer)
    [(title, message)] = panel(hass).values()
    assert "Resume when you are ready" in message
    return title


async def _thank_you(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> str:
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    hass.states.async_set(FALL, "off")
    await call(hass, "acknowledge_check_in")
    [title] = [title for title, _ in panel(hass).values()]
    await advance(hass, freezer, 10)
    return title


async def _stopped_path(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> str:
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    [title] = [title for title, _ in panel(hass).values()]
    return title


@pytest.mark.parametrize(
    ("prepare", "shown", "then"),
    [
        (_path_clear, "Path clear", "resume_session"),
        (_thank_you, "Thank you", "resume_session"),
        (_stopped_path, "Stop: the path is not clear", "stop_session"),
    ],
)
async def test_resume_when_ready_and_stop_go_once_untrue(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    prepare: Callable[[HomeAssistant, FrozenDateTimeFactory], Awaitable[str]],
    shown: str,
    then: str,
) -> None:
    await setup_walker(hass, freezer, **PANEL_ONLY)
    await call(hass, "start_session")
    assert await prepare(hass, freezer) == shown
    await call(hass, then)
    assert panel(hass) == {}


# --- phones, and a household around it -------------------------------------------------------


async def test_the_walkers_phone_is_cleared_by_tag_and_other_targets_are_left_alone(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phone = add_phone(hass, outside, "Galaxy A5", "galaxy-hook", "Android")
    entry = await setup_walker(hass, freezer, walker_notify=[phone, "notify.walker_phone"])
    await call(hass, "start_session")
    await hazard_then_clear(hass, freezer)
    before = len(outside.to("walker_phone"))
    await call(hass, "resume_session")
    await hass.async_block_till_done()
    assert outside.to("mobile_app_galaxy_a5")[-1] == {
        "target": "mobile_app_galaxy_a5",
        "message": "clear_notification",
        "data": {"tag": f"backward_walking_path_{entry.entry_id}"},
    }
    # A notify service that is not the companion app cannot take a message back: nothing sent.
    assert len(outside.to("walker_phone")) == before
    # Once cleared, a pause and a resume clear nothing more.
    sent = len(outside.messages)
    await call(hass, "pause_session")
    await call(hass, "resume_session")
    await hass.async_block_till_done()
    assert len(outside.messages) == sent


@pytest.mark.parametrize("perturbation", ["reload", "option", "clock_back", "late_timer"])
async def test_a_path_notice_goes_after_a_household_perturbation(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, perturbation: str
) -> None:
    entry = await setup_walker(hass, freezer, **PANEL_ONLY)
    await call(hass, "start_session")
    await hazard_then_clear(hass, freezer)
    assert [title for title, _ in panel(hass).values()] == ["Path clear"]
    if perturbation == "reload":
        await reload(hass, entry)
        await settle(hass, freezer, entry)
    elif perturbation == "option":
        hass.config_entries.async_update_entry(
            entry, options={**entry.options, "clear_hold_seconds": 3}
        )
        await hass.async_block_till_done()
    elif perturbation == "clock_back":
        freezer.tick(-30)
        await hass.async_block_till_done()
    else:
        freezer.tick(400)  # the timer runs late; the resume comes first
    await call(hass, "resume_session")
    assert panel(hass) == {}


async def test_two_resumes_at_once_withdraw_once(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phone = add_phone(hass, outside, "Galaxy A5", "galaxy-hook", "Android")
    await setup_walker(hass, freezer, walker_notify=[phone])
    await call(hass, "start_session")
    await hazard_then_clear(hass, freezer)
    results = await asyncio.gather(
        call(hass, "resume_session"),
        hass.services.async_call(
            "button", "press", {"entity_id": "button.alex_resume_session"}, blocking=True
        ),
        return_exceptions=True,
    )
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"
    assert sum(isinstance(r, Exception) for r in results) == 1
    clears = [m for m in outside.to("mobile_app_galaxy_a5") if m["message"] == "clear_notification"]
    assert len(clears) == 1


async def test_a_read_only_users_refused_resume_withdraws_nothing(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_read_only_user: MockUser,
) -> None:
    await setup_walker(hass, freezer, **PANEL_ONLY)
    await call(hass, "start_session")
    await hazard_then_clear(hass, freezer)
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "resume_session",
            {},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert [title for title, _ in panel(hass).values()] == ["Path clear"]


async def test_a_withdrawal_waits_in_turn_behind_a_message_in_a_new_language(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """Right after a language change the messages wait for its texts; the withdrawal waits too."""
    hass.config.language = "en"
    await setup_walker(hass, freezer, **PANEL_ONLY)
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    hass.states.async_set(OBSTACLE, "off")
    hass.config.language = "fr"  # no French file: English, once looked up
    await advance(hass, freezer, 10)
    await call(hass, "resume_session")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert panel(hass) == {}


async def test_help_asked_in_a_hazard_pause_is_told_the_path_is_clear_once_taken_care_of(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, **PANEL_ONLY)
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    await call(hass, "request_help")
    hass.states.async_set(OBSTACLE, "off", {"friendly_name": "Hallway beam"})
    await advance(hass, freezer, 10)
    # The emergency comes first: nothing about the path while it is open.
    assert panel(hass)[note_id(entry, "path")][0] == "Stop: the path is not clear"
    await call(hass, "acknowledge_emergency")
    title, message = panel(hass)[note_id(entry, "path")]
    assert (title, message.replace("\\", "")) == (
        "Path clear",
        "The path behind Alex is clear again. Resume when you are ready.",
    )
    assert outside.spoken[-1] == "The path behind Alex is clear again. Resume when you are ready."
    assert value(hass, "sensor.alex_session_state") == "paused"


async def test_thanks_saying_the_path_is_not_clear_yet_goes_once_it_is(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, **PANEL_ONLY)
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on", {"friendly_name": "Fall detector"})
    await hass.async_block_till_done()
    await call(hass, "acknowledge_check_in")
    said = "The path behind you is not clear yet: you will be told when it is."
    assert panel(hass)[note_id(entry, "check_in")][1].replace("\\", "").endswith(said)
    hass.states.async_set(FALL, "off", {"friendly_name": "Fall detector"})
    await advance(hass, freezer, 10)
    assert note_id(entry, "check_in") not in panel(hass)
    assert panel(hass)[note_id(entry, "path")][0] == "Path clear"
    # Said once, when it cleared.
    assert (
        outside.spoken.count("The path behind Alex is clear again. Resume when you are ready.") == 1
    )


async def test_a_path_that_cleared_during_the_check_in_is_replaced_by_the_answer(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, **PANEL_ONLY)
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    hass.states.async_set(FALL, "on", {"friendly_name": "Fall detector"})
    hass.states.async_set(OBSTACLE, "off", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    hass.states.async_set(FALL, "off", {"friendly_name": "Fall detector"})
    await advance(hass, freezer, 10)  # clear while the question waits: not told yet
    assert panel(hass)[note_id(entry, "path")][0] == "Stop: the path is not clear"
    spoken = len(outside.spoken)
    await call(hass, "acknowledge_check_in")
    assert panel(hass)[note_id(entry, "path")][0] == "Path clear"
    # The thanks is a notification only: the clear path is also said.
    assert outside.spoken[spoken:] == [
        "The path behind Alex is clear again. Resume when you are ready."
    ]


async def test_a_second_hazard_soon_after_a_resume_is_notified_and_its_clearing_told(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """The once-a-minute limit must not leave the panel empty after the first notice went back."""
    entry = await setup_walker(hass, freezer, **PANEL_ONLY)
    await call(hass, "start_session")
    await hazard_then_clear(hass, freezer)
    await call(hass, "resume_session")
    assert note_id(entry, "path") not in panel(hass)
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await advance(hass, freezer, 3)
    assert panel(hass)[note_id(entry, "path")][0] == "Stop: the path is not clear"
    spoken = len(outside.spoken)
    hass.states.async_set(OBSTACLE, "off", {"friendly_name": "Hallway beam"})
    await advance(hass, freezer, 10)
    assert panel(hass)[note_id(entry, "path")][0] == "Path clear"
    assert outside.spoken[spoken:] == [
        "The path behind Alex is clear again. Resume when you are ready."
    ]
