"""Emergencies that reach a person, in a real core: who may silence them, who acknowledged, how loud.

Permissions use Home Assistant's own users and groups; the phones are fake companion-app
registrations (a mobile_app config entry, its device, its legacy notify service).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import math
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.const import GROUP_ID_ADMIN, GROUP_ID_USER
from homeassistant.components import persistent_notification
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized, UnknownUser
import pytest
from pytest_homeassistant_custom_component.common import MockUser

from custom_components.backward_walking.const import DOMAIN

from .helpers import advance, answered, call, state, value
from .safety_helpers import DISTANCE, FALL, OBSTACLE, Outside, add_phone, setup_walker

REMINDERS: dict[str, Any] = {
    "reminders_enabled": True,
    "reminder_days": ["mon", "wed", "fri"],
    "reminder_times": "18:00",
}

type Prepare = Callable[[HomeAssistant], Awaitable[None]]


async def _idle(hass: HomeAssistant) -> None:
    return None


async def _running(hass: HomeAssistant) -> None:
    await call(hass, "start_session")


async def _paused(hass: HomeAssistant) -> None:
    await call(hass, "start_session")
    await call(hass, "pause_session")


async def _check_in(hass: HomeAssistant) -> None:
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on", {"friendly_name": "Fall detector"})
    await hass.async_block_till_done()


async def _escalated(hass: HomeAssistant) -> None:
    await call(hass, "request_help")


async def _unreadable(hass: HomeAssistant) -> None:
    hass.states.async_set(DISTANCE, "unavailable", {"friendly_name": "Free distance"})
    await hass.async_block_till_done()


# Every action that can silence or weaken the safety net, the state in which it would act.
RESTRICTED: dict[str, tuple[str, dict[str, Any], Prepare]] = {
    "start": ("start_session", {}, _idle),
    "start_forced": ("start_session", {"force": True}, _unreadable),
    "resume": ("resume_session", {}, _paused),
    "stop": ("stop_session", {}, _running),
    "ack_check_in": ("acknowledge_check_in", {}, _check_in),
    "ack_emergency": ("acknowledge_emergency", {}, _escalated),
    "snooze": ("snooze_reminder", {"minutes": 30}, _idle),
    "skip_today": ("skip_today", {}, _idle),
}


async def user_in(hass: HomeAssistant, group_id: str, name: str) -> MockUser:
    """A user of one of Home Assistant's system groups."""
    group = await hass.auth.async_get_group(group_id)
    assert group is not None
    user: MockUser = MockUser(name=name, groups=[group]).add_to_hass(hass)
    return user


def snapshot(hass: HomeAssistant, outside: Outside) -> tuple[Any, ...]:
    """Everything the walker shows and everything sent out."""
    states = {
        s.entity_id: (s.state, dict(s.attributes))
        for s in hass.states.async_all()
        if s.entity_id.split(".")[1].startswith("alex_")
    }
    notes = persistent_notification._async_get_or_create_notifications(hass)
    return states, len(outside.messages), len(outside.spoken), dict(notes)


async def act(hass: HomeAssistant, service: str, data: dict[str, Any], user_id: str | None) -> None:
    await hass.services.async_call(
        DOMAIN, service, data, blocking=True, context=Context(user_id=user_id)
    )


@pytest.mark.parametrize("action", list(RESTRICTED))
async def test_a_read_only_user_cannot_weaken_the_safety_net(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_read_only_user: MockUser,
    action: str,
) -> None:
    freezer.move_to("2026-03-02 12:00:00-08:00")
    await setup_walker(hass, freezer, **REMINDERS)
    service, data, prepare = RESTRICTED[action]
    await prepare(hass)
    before = snapshot(hass, outside)
    with pytest.raises(Unauthorized):
        await act(hass, service, data, hass_read_only_user.id)
    await hass.async_block_till_done()
    assert snapshot(hass, outside) == before


# Wrong values from a read-only user, restricted actions and those always allowed alike.
BAD_CALLS: dict[str, tuple[str, dict[str, Any], Prepare, str]] = {
    "start_nan": ("start_session", {"duration": "nan"}, _idle, "invalid_duration"),
    "start_forced_yes": ("start_session", {"force": "yes"}, _unreadable, "invalid_flag"),
    "resume_forced_1": ("resume_session", {"force": 1}, _paused, "invalid_flag"),
    "snooze_inf": ("snooze_reminder", {"minutes": math.inf}, _idle, "invalid_minutes"),
    "stop_unknown_field": ("stop_session", {"now": True}, _running, "unknown_field"),
    "ack_unknown_walker": (
        "acknowledge_emergency",
        {"config_entry_id": "nope"},
        _escalated,
        "walker_not_found",
    ),
    "pause_control_character": ("pause_session", {"device_id": "\x00"}, _running, "invalid_text"),
    "help_bool_walker": ("request_help", {"config_entry_id": True}, _running, "invalid_text"),
}


@pytest.mark.parametrize("case", list(BAD_CALLS))
async def test_a_read_only_user_with_a_bad_value_changes_nothing(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_read_only_user: MockUser,
    case: str,
) -> None:
    freezer.move_to("2026-03-02 12:00:00-08:00")
    await setup_walker(hass, freezer, **REMINDERS)
    service, data, prepare, key = BAD_CALLS[case]
    await prepare(hass)
    before = snapshot(hass, outside)
    with pytest.raises(ServiceValidationError) as err:
        await act(hass, service, data, hass_read_only_user.id)
    assert err.value.translation_key == key
    await hass.async_block_till_done()
    assert snapshot(hass, outside) == before


@pytest.mark.parametrize("who", ["admin", "user", "automation"])
@pytest.mark.parametrize("action", list(RESTRICTED))
async def test_admins_users_and_automations_may(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    action: str,
    who: str,
) -> None:
    freezer.move_to("2026-03-02 12:00:00-08:00")
    await setup_walker(hass, freezer, **REMINDERS)
    users = {
        "admin": (await user_in(hass, GROUP_ID_ADMIN, "Anna")).id,
        "user": (await user_in(hass, GROUP_ID_USER, "Ben")).id,
        "automation": None,
    }
    service, data, prepare = RESTRICTED[action]
    await prepare(hass)
    before = snapshot(hass, outside)
    await act(hass, service, data, users[who])
    await hass.async_block_till_done()
    assert snapshot(hass, outside) != before


async def test_a_read_only_tablet_can_always_raise_the_alarm(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_read_only_user: MockUser,
) -> None:
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    await act(hass, "pause_session", {}, hass_read_only_user.id)
    assert value(hass, "sensor.alex_session_state") == "paused"
    await act(hass, "request_help", {}, hass_read_only_user.id)
    assert value(hass, "sensor.alex_check_in") == "escalated"
    # The buttons keep Home Assistant's own entity check.
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": "button.alex_acknowledge_check_in"},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert value(hass, "sensor.alex_check_in") == "escalated"


async def test_the_contacts_hear_who_is_on_it(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    anna = await user_in(hass, GROUP_ID_USER, "anna_k")
    hass.states.async_set("person.anna", "home", {"user_id": anna.id, "friendly_name": "Anna"})
    ben = await user_in(hass, GROUP_ID_USER, "Ben")
    await setup_walker(hass, freezer)
    await call(hass, "request_help")
    # The person linked to the user, by the action.
    await act(hass, "acknowledge_emergency", {}, anna.id)
    assert answered(hass) == ("emergency_acknowledged", "Anna")
    done = outside.to("carer_phone")[-1]
    assert done["title"] == "Emergency acknowledged"
    assert done["message"].startswith("Anna is taking care of Alex (acknowledged at ")
    # The user's name, by the button.
    await call(hass, "request_help")
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.alex_acknowledge_check_in"},
        blocking=True,
        context=Context(user_id=ben.id),
    )
    assert state(hass, "event.alex_session_event").attributes["by"] == "Ben"
    assert outside.to("carer_phone")[-1]["message"].startswith("Ben is taking care of Alex")
    # An automation, and who answered a check-in.
    await call(hass, "request_help")
    await call(hass, "acknowledge_emergency")
    assert state(hass, "event.alex_session_event").attributes["by"] == "an automation"
    assert outside.to("carer_phone")[-1]["message"].startswith("An automation is taking care")
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    await act(hass, "acknowledge_check_in", {}, ben.id)
    assert answered(hass) == ("check_in_acknowledged", "Ben")


async def test_german_contacts_hear_who_is_on_it(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    hass.config.language = "de"
    await setup_walker(hass, freezer, "Oma")
    await call(hass, "request_help")
    await call(hass, "acknowledge_emergency")
    assert outside.to("carer_phone")[-1]["message"].startswith(
        "Eine Automation kümmert sich um Oma"
    )


async def test_an_emergency_rings_on_a_muted_phone_and_is_cleared_everywhere(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    android = add_phone(hass, outside, "Anna's Pixel", "pixel-hook", "Android")
    iphone = add_phone(hass, outside, "Ben's iPhone", "iphone-hook", "iOS")
    entry = await setup_walker(
        hass, freezer, emergency_notify=[android, iphone, "notify.carer_phone"]
    )
    tag = f"backward_walking_emergency_{entry.entry_id}"
    await call(hass, "request_help")
    [alert, spoken] = outside.to("mobile_app_anna_s_pixel")
    assert alert["data"] == {
        "tag": tag,
        "actions": [{"action": f"BACKWARD_WALKING_ACK_{entry.entry_id}", "title": "I'm on it"}],
        "priority": "high",
        "ttl": 0,
        "channel": "alarm_stream",
        "push": {
            "interruption-level": "critical",
            "sound": {"name": "default", "critical": 1, "volume": 1.0},
        },
    }
    assert spoken == {
        "target": "mobile_app_anna_s_pixel",
        "message": "TTS",
        "data": {"tts_text": alert["message"], "media_stream": "alarm_stream_max"},
    }
    # The iPhone shows the critical alert; it would show "TTS" as text, so it is not sent there.
    [ios_alert] = outside.to("mobile_app_ben_s_iphone")
    assert ios_alert["data"] == alert["data"]
    # Not a companion app: time-sensitive as before.
    [other] = outside.to("carer_phone")
    assert other["data"]["push"] == {"interruption-level": "time-sensitive"}
    assert "channel" not in other["data"]
    # The walker's check-in prompt is time-sensitive.
    await call(hass, "acknowledge_emergency", {})
    for target in ("mobile_app_anna_s_pixel", "mobile_app_ben_s_iphone"):
        clear, done = outside.to(target)[-2:]
        assert clear == {
            "target": target,
            "message": "clear_notification",
            "data": {"tag": tag},
        }
        assert done["title"] == "Emergency acknowledged"
        assert done["data"]["tag"] == tag
    assert [m["message"] for m in outside.to("carer_phone")][-1].startswith("An automation")
    assert "clear_notification" not in [m["message"] for m in outside.to("carer_phone")]


async def test_the_companion_apps_own_event_is_understood(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """The apps send only the action; mobile_app fires it with the registering user's context."""
    anna = await hass.auth.async_create_user("Anna", group_ids=[GROUP_ID_USER])
    alex = await hass.auth.async_create_user("Alex", group_ids=[GROUP_ID_USER])
    pixel = add_phone(hass, outside, "Anna's Pixel", "pixel-hook", "Android", anna.id)
    add_phone(hass, outside, "Alex's iPhone", "alex-hook", "iOS", alex.id)
    entry = await setup_walker(hass, freezer, emergency_notify=[pixel])

    def tap(action: str, user_id: str) -> None:
        hass.bus.async_fire(
            "mobile_app_notification_action",
            {"action": f"BACKWARD_WALKING_{action}_{entry.entry_id}"},
            context=Context(user_id=user_id),
        )

    await call(hass, "start_session")
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    tap("OK", alex.id)  # the walker's own phone answers the check-in
    await hass.async_block_till_done()
    event = state(hass, "event.alex_session_event")
    # The phone's user has no person: their user name, not the phone's.
    assert (event.attributes["event_type"], event.attributes["by"]) == (
        "check_in_acknowledged",
        "Alex",
    )
    await call(hass, "request_help")
    tap("ACK", alex.id)  # not a contact's phone: the emergency stays
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_check_in") == "escalated"
    tap("ACK", anna.id)
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_check_in") == "idle"
    assert state(hass, "event.alex_session_event").attributes["by"] == "Anna"
    clear, done = outside.to("mobile_app_anna_s_pixel")[-2:]
    assert clear["message"] == "clear_notification"
    assert done["message"].startswith("Anna is taking care of Alex")


async def test_a_phone_may_do_only_what_its_user_may_and_names_only_its_own_phone(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_read_only_user: MockUser,
) -> None:
    carer = await hass.auth.async_create_user("Carer", group_ids=[GROUP_ID_USER])
    stranger = await hass.auth.async_create_user("Stranger", group_ids=[GROUP_ID_USER])
    carer_phone = add_phone(hass, outside, "Carer iPhone", "carer-hook", "iOS", carer.id)
    add_phone(hass, outside, "Stranger iPhone", "stranger-hook", "iOS", stranger.id)
    add_phone(hass, outside, "Tablet", "tablet-hook", "Android", hass_read_only_user.id)
    entry = await setup_walker(hass, freezer, emergency_notify=[carer_phone])

    async def tap(action: str, user_id: str, **data: str) -> None:
        hass.bus.async_fire(
            "mobile_app_notification_action",
            {"action": f"BACKWARD_WALKING_{action}_{entry.entry_id}", **data},
            context=Context(user_id=user_id),
        )
        await hass.async_block_till_done()

    # The read-only tablet's buttons: no start, no "I'm OK" to a fall; asking for help always works.
    await tap("START", hass_read_only_user.id)
    assert value(hass, "sensor.alex_session_state") == "idle"
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    await tap("OK", hass_read_only_user.id)
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    await tap("HELP", hass_read_only_user.id)
    assert value(hass, "sensor.alex_check_in") == "escalated"
    # A stranger's phone cannot pass itself off as the carer's by naming its device.
    await tap("ACK", stranger.id, device_id="app-carer-hook", webhook_id="carer-hook")
    assert value(hass, "sensor.alex_check_in") == "escalated"
    await tap("ACK", carer.id)
    assert value(hass, "sensor.alex_check_in") == "idle"
    assert state(hass, "event.alex_session_event").attributes["by"] == "Carer"


async def test_critical_alerts_can_be_turned_off(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    android = add_phone(hass, outside, "Anna's Pixel", "pixel-hook", "Android")
    await setup_walker(hass, freezer, emergency_notify=[android], critical_alerts=False)
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    [asked] = outside.to("walker_phone")
    assert asked["data"]["push"] == {"interruption-level": "time-sensitive"}
    assert (asked["data"]["priority"], asked["data"]["ttl"]) == ("high", 0)
    await advance(hass, freezer, 60)
    [alert] = outside.to("mobile_app_anna_s_pixel")
    assert alert["data"]["push"] == {"interruption-level": "time-sensitive"}
    assert "channel" not in alert["data"]


async def test_one_situation_one_notification(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, auto_resume=True)
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    hass.states.async_set(OBSTACLE, "off")
    await advance(hass, freezer, 10)
    hazard, clear = outside.to("walker_phone")
    assert (hazard["title"], clear["title"]) == ("Stop: the path is not clear", "Path clear")
    assert (
        hazard["data"]["tag"] == clear["data"]["tag"] == f"backward_walking_path_{entry.entry_id}"
    )
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    asked = outside.to("walker_phone")[-1]
    assert asked["data"]["tag"] == f"backward_walking_check_in_{entry.entry_id}"
    # The answer replaces the question (and its buttons) on the walker's phone.
    await call(hass, "acknowledge_check_in")
    answer = outside.to("walker_phone")[-1]
    assert (answer["title"], answer["data"]["tag"]) == ("Thank you", asked["data"]["tag"])
    assert "actions" not in answer["data"]


async def test_one_situation_one_panel_notification(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, walker_notify=[], emergency_notify=[])
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    hass.states.async_set(OBSTACLE, "off")
    await advance(hass, freezer, 10)
    await call(hass, "request_help")
    await call(hass, "acknowledge_emergency")
    notes = persistent_notification._async_get_or_create_notifications(hass)
    # "Path clear – resume when you are ready" went when the emergency made a resume impossible.
    assert {note_id: note["title"] for note_id, note in notes.items()} == {
        f"{DOMAIN}_backward_walking_emergency_{entry.entry_id}": "Emergency acknowledged",
    }


async def test_an_unknown_user_is_refused(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    await call(hass, "request_help")
    with pytest.raises(UnknownUser):
        await act(hass, "acknowledge_emergency", {}, "no-such-user")
    assert value(hass, "sensor.alex_check_in") == "escalated"
