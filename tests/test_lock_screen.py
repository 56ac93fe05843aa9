"""The session on the lock screen, in a real core: what the phones get, when, and what their buttons do.

The phones are companion-app registrations whose notify services record what they are sent (the
only thing mocked: what leaves Home Assistant). Time runs with the freezer, every timer firing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Context, Event, HomeAssistant, ServiceCall
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from .helpers import advance, call, reload, state, value
from .safety_helpers import OBSTACLE, Outside, add_phone, settle, setup_walker

START = "2026-03-02 17:00:00+00:00"
ALTERNATING = {"program": "alternating_1_1", "lock_screen": True}


async def act(hass: HomeAssistant, service: str) -> None:
    """Call the walker's action and let what it sends reach the phones."""
    await call(hass, service)
    await hass.async_block_till_done(wait_background_tasks=True)


def clock(moment: datetime) -> str:
    return dt_util.as_local(moment).strftime("%H:%M")


def at(seconds: float) -> datetime:
    return datetime.fromisoformat(START) + timedelta(seconds=seconds)


class Phones:
    """The walker's and the carer's companion-app phones."""

    def __init__(self, hass: HomeAssistant, outside: Outside, user_id: str | None = None) -> None:
        self.outside = outside
        self.walker = add_phone(hass, outside, "Walker Pixel", "walker-hook", "Android", user_id)
        self.carer = add_phone(hass, outside, "Carer iPhone", "carer-hook", "iOS")

    def options(self, **options: Any) -> dict[str, Any]:
        """The walker's phones besides the plain test targets, and the carer's among the contacts."""
        return {
            "walker_notify": ["notify.walker_phone", self.walker],
            "emergency_notify": ["notify.carer_phone", self.carer],
            **options,
        }

    def shown(self, target: str) -> list[dict[str, Any]]:
        """What ``target`` got of the lock-screen notification (shown or cleared)."""
        service = target.removeprefix("notify.")
        return [
            m
            for m in self.outside.to(service)
            if str(m.get("data", {}).get("tag", "")).startswith("backward_walking_session_")
        ]


async def walking(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, **options: Any
) -> tuple[Phones, MockConfigEntry]:
    freezer.move_to(START)
    phones = Phones(hass, outside)
    entry = await setup_walker(hass, None, **phones.options(clear_hold_seconds=0, **options))
    return phones, entry


async def walked(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    seconds: float,
    **options: Any,
) -> tuple[Phones, MockConfigEntry]:
    """Walking for ``seconds`` with the lock screen on."""
    phones, entry = await walking(hass, outside, freezer, lock_screen=True, **options)
    await act(hass, "start_session")
    await advance(hass, freezer, seconds)
    return phones, entry


async def test_it_is_off_by_default(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phones, _ = await walking(hass, outside, freezer, program="alternating_1_1")
    await act(hass, "start_session")
    await advance(hass, freezer, 90)
    await act(hass, "stop_session")
    assert phones.shown(phones.walker) == phones.shown(phones.carer) == []


async def test_the_walk_on_the_lock_screen_changes_only_with_the_session(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phones, entry = await walking(hass, outside, freezer, **ALTERNATING)
    await act(hass, "start_session")
    await hass.async_block_till_done()
    (first,) = phones.shown(phones.walker)
    tag = f"backward_walking_session_{entry.entry_id}"
    assert first["title"] == "Backward walk: Alex"
    assert first["message"] == f"Forward until {clock(at(60))}. The walk ends at {clock(at(600))}."
    data = first["data"]
    assert data == {
        "tag": tag,
        "sticky": True,
        "alert_once": True,
        "visibility": "public",
        "channel": "Backward walking session",
        "importance": "low",
        "notification_icon": "mdi:walk",
        "live_update": True,
        "progress": 0,
        "progress_max": 600,
        "push": {"interruption-level": "passive"},
        "critical_text": "Forward",
        "chronometer": True,
        "when": round(at(60).timestamp()),
        "when_relative": False,
        "actions": [
            {"action": f"BACKWARD_WALKING_PAUSE_{entry.entry_id}", "title": "Pause"},
            {"action": f"BACKWARD_WALKING_STOP_{entry.entry_id}", "title": "Stop"},
        ],
    }
    # Only companion-app phones, and the contacts' only when asked for.
    assert not [
        m
        for m in outside.to("walker_phone")
        if "tag" in m.get("data", {}) and m["data"]["tag"] == tag
    ]
    assert phones.shown(phones.carer) == []
    # The phone counts; nothing is sent until the direction changes.
    await advance(hass, freezer, 55, step=1)
    assert len(phones.shown(phones.walker)) == 1
    await advance(hass, freezer, 5, step=1)
    second = phones.shown(phones.walker)[-1]
    assert (
        second["message"] == f"Backward until {clock(at(120))}. The walk ends at {clock(at(600))}."
    )
    assert second["data"]["when"] == round(at(120).timestamp())
    assert second["data"]["progress"] == 60
    # Ten minutes: nine changes of direction, then the walk is done and the notification cleared.
    await advance(hass, freezer, 545, step=5)
    shown = phones.shown(phones.walker)
    assert len(shown) == 11
    assert value(hass, "sensor.alex_session_state") == "completed"
    assert shown[-1] == {
        "target": "mobile_app_walker_pixel",
        "message": "clear_notification",
        "data": {"tag": tag},
    }
    last_walk = shown[-2]
    assert last_walk["message"] == f"Backward until {clock(at(600))}, the end of the walk."


async def test_pause_resume_and_stop_on_the_lock_screen(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phones, _entry = await walked(hass, outside, freezer, 30)
    await act(hass, "pause_session")
    paused = phones.shown(phones.walker)[-1]
    assert paused["message"] == "Paused. 9:30 left."
    assert "chronometer" not in paused["data"]
    assert paused["data"]["critical_text"] == "Paused"
    assert paused["data"]["progress"] == 30
    assert [a["title"] for a in paused["data"]["actions"]] == ["Resume", "Stop"]
    await advance(hass, freezer, 120)  # a pause sends nothing more
    assert len(phones.shown(phones.walker)) == 2
    await act(hass, "resume_session")
    resumed = phones.shown(phones.walker)[-1]
    assert resumed["message"] == f"Backward until {clock(at(720))}, the end of the walk."
    assert resumed["data"]["when"] == round(at(720).timestamp())
    await act(hass, "stop_session")
    assert phones.shown(phones.walker)[-1]["message"] == "clear_notification"
    assert len(phones.shown(phones.walker)) == 4


async def test_a_walker_deleted_mid_walk_leaves_nothing_on_the_phone(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phones, entry = await walked(hass, outside, freezer, 30)
    assert phones.shown(phones.walker)[-1]["message"].startswith("Backward until")
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    cleared = phones.shown(phones.walker)[-1]
    assert (cleared["message"], cleared["data"]) == (
        "clear_notification",
        {"tag": f"backward_walking_session_{entry.entry_id}"},
    )


async def test_the_contacts_see_it_when_asked_and_options_apply_mid_walk(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phones, entry = await walking(hass, outside, freezer, lock_screen=True)
    await act(hass, "start_session")
    assert len(phones.shown(phones.carer)) == 0

    async def options(**changed: Any) -> None:
        hass.config_entries.async_update_entry(entry, options={**entry.options, **changed})
        await hass.async_block_till_done()

    await options(lock_screen_contacts=True)
    assert phones.shown(phones.carer)[-1]["message"].startswith("Backward until")
    assert len(phones.shown(phones.walker)) == 1  # nothing changed for the walker's phone
    await options(walker_notify=["notify.walker_phone"])
    assert phones.shown(phones.walker)[-1]["message"] == "clear_notification"
    await options(lock_screen=False)
    assert phones.shown(phones.carer)[-1]["message"] == "clear_notification"
    await options(lock_screen=True, walker_notify=["notify.walker_phone", phones.walker])
    assert phones.shown(phones.walker)[-1]["message"].startswith("Backward until")
    assert phones.shown(phones.carer)[-1]["message"].startswith("Backward until")


async def test_a_restart_shows_the_session_paused(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phones, entry = await walked(hass, outside, freezer, 40)
    await reload(hass, entry)
    assert value(hass, "sensor.alex_session_state") == "paused"
    shown = phones.shown(phones.walker)[-1]
    assert shown["message"] == "Paused after Home Assistant restarted. 9:20 left."
    assert [a["title"] for a in shown["data"]["actions"]] == ["Resume", "Stop"]


async def test_a_hazard_is_told_before_the_lock_screen_changes(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phones, _entry = await walking(hass, outside, freezer, lock_screen=True)
    await act(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    titles = [m.get("title") for m in outside.to("mobile_app_walker_pixel")]
    assert titles[-2:] == ["Stop: the path is not clear", "Backward walk: Alex"]
    assert phones.shown(phones.walker)[-1]["message"] == (
        "Paused because the path is not clear. 10:00 left."
    )


async def test_the_buttons_follow_the_actions_permissions(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_read_only_user: MockUser,
    hass_admin_user: MockUser,
) -> None:
    _phones, entry = await walking(hass, outside, freezer, lock_screen=True)

    async def tap(action: str, user: MockUser) -> None:
        hass.bus.async_fire(
            "mobile_app_notification_action",
            {"action": f"BACKWARD_WALKING_{action}_{entry.entry_id}"},
            context=Context(user_id=user.id),
        )
        await hass.async_block_till_done()

    await act(hass, "start_session")
    await tap("PAUSE", hass_read_only_user)  # anyone may pause, from a watch too
    assert value(hass, "sensor.alex_session_state") == "paused"
    await tap("RESUME", hass_read_only_user)
    told = outside.to("mobile_app_walker_pixel")[-1]
    assert (told["title"], told["message"]) == (
        "Not yet",
        "You may not do that for Alex. Ask someone who may, or say “I need help”.",
    )
    await tap("STOP", hass_read_only_user)
    assert value(hass, "sensor.alex_session_state") == "paused"
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    await tap("RESUME", hass_admin_user)
    assert value(hass, "sensor.alex_session_state") == "paused"
    told = outside.to("mobile_app_walker_pixel")[-1]
    assert told["title"] == "Not yet"
    assert told["message"].startswith("The path behind Alex is not clear: Something is in the way")
    hass.states.async_set(OBSTACLE, "off")
    await hass.async_block_till_done()
    await tap("RESUME", hass_admin_user)
    assert value(hass, "sensor.alex_session_state") == "running"
    await tap("STOP", hass_admin_user)
    assert value(hass, "sensor.alex_session_state") == "stopped"


async def test_a_failing_phone_is_logged_once_and_the_others_get_it(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(call: ServiceCall) -> None:
        raise ConnectionError("no push channel")

    hass.services.async_register("notify", "mobile_app_broken", broken)
    phones, entry = await walking(hass, outside, freezer, lock_screen=True)
    hass.config_entries.async_update_entry(
        entry,
        options={**entry.options, "walker_notify": ["notify.mobile_app_broken", phones.walker]},
    )
    await hass.async_block_till_done()
    with caplog.at_level(logging.ERROR):
        await act(hass, "start_session")
        await act(hass, "pause_session")
        await act(hass, "resume_session")
        await hass.async_block_till_done()
    assert len(phones.shown(phones.walker)) == 3
    failures = [r for r in caplog.records if "mobile_app_broken" in r.getMessage()]
    assert len(failures) == 1


async def test_no_state_is_written_for_it(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """The same walk writes the same states with and without the lock screen."""
    phones, entry = await walking(hass, outside, freezer, program="alternating_1_1")
    writes: list[str] = []

    def written(event: Event[Any]) -> None:
        if event.data["entity_id"].split(".")[1].startswith("alex_"):
            writes.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, written)

    async def walk() -> list[str]:
        writes.clear()
        await act(hass, "start_session")
        await advance(hass, freezer, 150)
        await act(hass, "pause_session")
        await act(hass, "stop_session")
        return sorted(writes)

    await walk()  # the first walk of the day also writes the day's first figures
    without = await walk()
    hass.config_entries.async_update_entry(entry, options={**entry.options, "lock_screen": True})
    await hass.async_block_till_done()
    assert await walk() == without
    assert len(phones.shown(phones.walker)) == 5  # start, 2 changes, pause, and cleared at the stop


async def test_a_new_name_or_language_mid_walk_is_shown_at_once(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phones, entry = await walked(hass, outside, freezer, 30)
    sent = len(phones.shown(phones.walker))
    await hass.config.async_update(language="de")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(phones.shown(phones.walker)) == sent + 1
    assert phones.shown(phones.walker)[-1]["message"].startswith("Rückwärts bis")
    hass.config_entries.async_update_entry(
        entry, title="Alexandra", data={**entry.data, "name": "Alexandra"}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert phones.shown(phones.walker)[-1]["title"] == "Rückwärtsgehen: Alexandra"
    assert len(phones.shown(phones.walker)) == sent + 2


async def test_german_on_the_lock_screen(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phones, entry = await walking(hass, outside, freezer, lock_screen=True)
    await hass.config.async_update(language="de")
    await act(hass, "start_session")
    await hass.async_block_till_done()
    shown = phones.shown(phones.walker)[-1]
    assert shown["title"] == "Rückwärtsgehen: Alex"
    assert shown["message"] == f"Rückwärts bis {clock(at(600))}, dann ist die Einheit geschafft."
    assert [a["title"] for a in shown["data"]["actions"]] == ["Pause", "Beenden"]
    await settle(hass, freezer, entry)
    assert state(hass, "sensor.alex_session_state").state == "running"


async def test_pause_from_the_watch_and_the_phone_at_once_pauses_once(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    phones, entry = await walked(hass, outside, freezer, 20)
    paused: list[str] = []

    def on_event(event: Event[Any]) -> None:
        new_state = event.data["new_state"]
        if event.data["entity_id"] == "event.alex_session_event" and new_state is not None:
            paused.append(new_state.attributes.get("event_type"))

    hass.bus.async_listen(EVENT_STATE_CHANGED, on_event)
    for _ in range(2):
        hass.bus.async_fire(
            "mobile_app_notification_action",
            {"action": f"BACKWARD_WALKING_PAUSE_{entry.entry_id}"},
        )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert paused == ["paused"]
    assert [m["message"] for m in phones.shown(phones.walker)] == [
        f"Backward until {clock(at(600))}, the end of the walk.",
        "Paused. 9:40 left.",
    ]
