"""Reminders and the coach in a real core with the clock under control (US/Pacific, the harness's zone)."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import advance, call, reload, state, value
from .safety_helpers import OBSTACLE, Outside, setup_walker

REMINDERS: dict[str, Any] = {
    "reminders_enabled": True,
    "reminder_days": ["mon", "wed", "fri"],
    "reminder_times": "18:00",
    "quiet_mode": "postpone",
    "nag_minutes": 15,
    "nag_count": 2,
    "grace_minutes": 30,
}
MONDAY_NOON = "2026-03-02 12:00:00-08:00"


def mobile_action(hass: HomeAssistant, action: str) -> None:
    hass.bus.async_fire(
        "mobile_app_notification_action", {"action": action, "webhook_id": "w", "device_id": "d"}
    )


def reminders_sent(outside: Outside) -> list[dict[str, Any]]:
    return [m for m in outside.to("walker_phone") if m["title"] == "Time for your backward walk"]


async def walker(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, **options: Any
) -> MockConfigEntry:
    # Set up just early enough that the sensors' clear-hold has passed at noon.
    freezer.move_to(MONDAY_NOON)
    freezer.tick(-5.1)
    return await setup_walker(hass, freezer, **{**REMINDERS, **options})


async def test_reminder_on_the_right_days_and_times(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await walker(hass, freezer, nag_count=0)
    assert value(hass, "sensor.alex_next_reminder") == "2026-03-03T02:00:00+00:00"
    await advance(hass, freezer, 6 * 3600 - 1, step=600)
    assert reminders_sent(outside) == []
    await advance(hass, freezer, 1)
    [sent] = reminders_sent(outside)
    assert sent["message"] == "Alex, time for 10 minutes of backward walking."
    assert [a["action"] for a in sent["data"]["actions"]] == [
        f"BACKWARD_WALKING_START_{entry.entry_id}",
        f"BACKWARD_WALKING_SNOOZE_{entry.entry_id}",
        f"BACKWARD_WALKING_SKIP_{entry.entry_id}",
    ]
    assert [a["title"] for a in sent["data"]["actions"]] == ["Start", "Snooze 15 min", "Skip today"]
    event = state(hass, "event.alex_session_event")
    assert (event.attributes["event_type"], event.attributes["repeat"]) == ("reminder_sent", 0)
    # Tuesday has none; the next is Wednesday 18:00.
    assert value(hass, "sensor.alex_next_reminder") == "2026-03-05T02:00:00+00:00"


async def test_nagging_stops_at_the_limit_or_when_walking(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await walker(hass, freezer)
    await advance(hass, freezer, 6 * 3600 + 3600, step=300)
    sent = reminders_sent(outside)
    assert len(sent) == 3
    assert sent[1]["message"] == "Alex, your backward walk is still waiting: 10 minutes."
    # Wednesday: starting the session stops the nagging.
    await advance(hass, freezer, 2 * 86400 - 3600, step=1800)
    assert len(reminders_sent(outside)) == 4
    await call(hass, "start_session")
    await advance(hass, freezer, 3600, step=300)
    assert len(reminders_sent(outside)) == 4


async def test_skipped_when_the_goal_is_met_or_not_now(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    hass.states.async_set("input_boolean.feeling_tired", "off")
    hass.states.async_set("sensor.sleep_score", "80")
    await walker(
        hass,
        freezer,
        not_now_entities=["input_boolean.feeling_tired"],
        not_now_sensor="sensor.sleep_score",
        not_now_below=60,
    )
    await call(hass, "start_session", {"duration": 10})
    await advance(hass, freezer, 600, step=10)
    await advance(hass, freezer, 6 * 3600, step=600)
    assert reminders_sent(outside) == []
    skipped = state(hass, "event.alex_session_event")
    assert (skipped.attributes["event_type"], skipped.attributes["reason"]) == (
        "reminder_skipped",
        "goal_met",
    )
    hass.states.async_set("input_boolean.feeling_tired", "on")
    await advance(hass, freezer, 2 * 86400, step=1800)
    assert state(hass, "event.alex_session_event").attributes["reason"] == "not_now"
    hass.states.async_set("input_boolean.feeling_tired", "off")
    hass.states.async_set("sensor.sleep_score", "40")
    await advance(hass, freezer, 2 * 86400, step=1800)
    assert state(hass, "event.alex_session_event").attributes["reason"] == "not_now"
    hass.states.async_set("sensor.sleep_score", "unavailable")
    await advance(hass, freezer, 3 * 86400, step=1800)
    assert len(reminders_sent(outside)) >= 1


async def test_quiet_hours_postpone_across_midnight(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await walker(
        hass,
        freezer,
        reminder_days=["mon"],
        reminder_times="23:00",
        quiet_start="22:00:00",
        quiet_end="07:00:00",
        nag_count=0,
    )
    assert value(hass, "sensor.alex_next_reminder") == "2026-03-03T15:00:00+00:00"  # Tue 07:00


async def test_repeats_wait_for_the_end_of_quiet_hours(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """A 21:00 reminder, quiet 21:30–08:00, repeats every 45 minutes: none at 21:45 or 22:30."""
    await walker(
        hass,
        freezer,
        reminder_times="21:00",
        quiet_start="21:30:00",
        quiet_end="08:00:00",
        nag_minutes=45,
    )
    await advance(hass, freezer, 9 * 3600, step=600)  # Monday 21:00
    assert len(reminders_sent(outside)) == 1
    assert value(hass, "sensor.alex_next_reminder") == "2026-03-03T16:00:00+00:00"  # Tue 08:00
    await advance(hass, freezer, 11 * 3600 - 1, step=600)  # the whole night
    assert len(reminders_sent(outside)) == 1
    await advance(hass, freezer, 1)
    assert len(reminders_sent(outside)) == 2
    await advance(hass, freezer, 45 * 60, step=300)
    sent = reminders_sent(outside)
    assert len(sent) == 3
    assert sent[2]["message"] == "Alex, your backward walk is still waiting: 10 minutes."
    assert state(hass, "event.alex_session_event").attributes["repeat"] == 2


async def test_snooze_and_skip_by_action_button_and_phone(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await walker(hass, freezer, nag_count=0)
    await call(hass, "snooze_reminder", {"minutes": 30})
    assert state(hass, "event.alex_session_event").attributes["event_type"] == "reminder_snoozed"
    assert value(hass, "sensor.alex_next_reminder") == "2026-03-02T20:30:00+00:00"
    await advance(hass, freezer, 1800, step=300)
    assert len(reminders_sent(outside)) == 1
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.alex_snooze_reminder"}, blocking=True
    )
    assert value(hass, "sensor.alex_next_reminder") == "2026-03-02T20:45:00+00:00"
    mobile_action(hass, f"BACKWARD_WALKING_SKIP_{entry.entry_id}")
    await hass.async_block_till_done()
    assert state(hass, "event.alex_session_event").attributes["reason"] == "skipped_today"
    await advance(hass, freezer, 6 * 3600, step=600)
    assert len(reminders_sent(outside)) == 1
    mobile_action(hass, f"BACKWARD_WALKING_SNOOZE_{entry.entry_id}")
    await hass.async_block_till_done()
    assert state(hass, "event.alex_session_event").attributes["event_type"] == "reminder_snoozed"
    await call(hass, "skip_today")
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.alex_skip_today"}, blocking=True
    )
    with pytest.raises(Exception, match="minutes"):
        await call(hass, "snooze_reminder", {"minutes": 0})


async def test_start_from_the_phone_goes_through_the_safety_gate(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await walker(hass, freezer)
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    mobile_action(hass, f"BACKWARD_WALKING_START_{entry.entry_id}")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "idle"
    refusal = outside.to("walker_phone")[-1]
    assert refusal["title"] == "Not yet"
    assert "Something is in the way (Hallway beam)" in refusal["message"]
    hass.states.async_set(OBSTACLE, "off")
    await hass.async_block_till_done()
    await advance(hass, freezer, 6)
    mobile_action(hass, f"BACKWARD_WALKING_START_{entry.entry_id}")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"


async def test_two_walkers_never_cross(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    alex = await walker(hass, freezer)
    robin = await setup_walker(hass, freezer, "Robin", **REMINDERS, obstacle_sensors=[])
    mobile_action(hass, f"BACKWARD_WALKING_SNOOZE_{robin.entry_id}")
    await hass.async_block_till_done()
    # Robin was set up after Alex's clear-hold, 5.1 s after noon.
    assert value(hass, "sensor.robin_next_reminder") == "2026-03-02T20:15:05+00:00"
    assert value(hass, "sensor.alex_next_reminder") == "2026-03-03T02:00:00+00:00"
    assert alex.entry_id != robin.entry_id


async def test_restart_keeps_a_pending_snooze(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await walker(hass, freezer, nag_count=0)
    await call(hass, "snooze_reminder", {"minutes": 20})
    await reload(hass, entry)
    assert value(hass, "sensor.alex_next_reminder") == "2026-03-02T20:20:00+00:00"
    await advance(hass, freezer, 1200, step=300)
    assert len(reminders_sent(outside)) == 1


@pytest.mark.parametrize(("down_minutes", "sent"), [(10, 1), (120, 0)])
async def test_downtime_grace(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    down_minutes: int,
    sent: int,
) -> None:
    entry = await walker(hass, freezer, nag_count=0)
    assert await hass.config_entries.async_unload(entry.entry_id)
    freezer.move_to(f"2026-03-02 18:{down_minutes % 60:02d}:00-08:00")
    if down_minutes >= 60:
        freezer.tick(down_minutes // 60 * 3600)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert len(reminders_sent(outside)) == sent
    if not sent:
        assert state(hass, "event.alex_session_event").attributes["reason"] == "too_late"


async def test_dst_both_ways(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    # US/Pacific springs forward on 2026-03-08 and falls back on 2026-11-01.
    freezer.move_to("2026-03-07 12:00:00-08:00")
    await setup_walker(
        hass,
        freezer,
        **{**REMINDERS, "reminder_days": ["sat", "sun"], "reminder_times": "07:30", "nag_count": 0},
    )
    assert value(hass, "sensor.alex_next_reminder") == "2026-03-08T14:30:00+00:00"  # PDT
    freezer.move_to("2026-10-31 12:00:00-07:00")
    await advance(hass, freezer, 1)
    await call(hass, "skip_today")
    assert value(hass, "sensor.alex_next_reminder") == "2026-11-01T15:30:00+00:00"  # PST
    await advance(hass, freezer, 20 * 3600, step=1800)
    assert reminders_sent(outside)
    assert dt_util.as_local(dt_util.utcnow()).hour == 7


async def test_persistent_notification_without_phones(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await walker(hass, freezer, walker_notify=[], nag_count=0)
    await advance(hass, freezer, 6 * 3600, step=600)
    notes = persistent_notification._async_get_or_create_notifications(hass)
    assert [n["title"] for n in notes.values()] == ["Time for your backward walk"]


async def test_emergencies_ignore_quiet_hours(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await walker(hass, freezer, quiet_start="00:00:00", quiet_end="23:59:00")
    await call(hass, "request_help")
    assert outside.to("carer_phone")[0]["title"] == "Emergency: Alex may need help"


async def test_reminders_switch(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await walker(hass, freezer)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.alex_reminders"}, blocking=True
    )
    await hass.async_block_till_done()
    assert entry.options["reminders_enabled"] is False
    assert value(hass, "sensor.alex_next_reminder") == "unknown"
    await advance(hass, freezer, 7 * 3600, step=900)
    assert reminders_sent(outside) == []
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.alex_reminders"}, blocking=True
    )
    await hass.async_block_till_done()
    assert value(hass, "switch.alex_reminders") == "on"
    assert value(hass, "sensor.alex_next_reminder") == "2026-03-05T02:00:00+00:00"


async def test_coach_suggests_and_start_uses_it(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await walker(hass, freezer)
    assert hass.states.get("sensor.alex_suggested_duration") is None
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.alex_coach"}, blocking=True
    )
    await hass.async_block_till_done()
    # Enabled with the coach; Home Assistant adds them when it reloads the walker, 30 s later.
    await advance(hass, freezer, 31)
    assert float(value(hass, "sensor.alex_suggested_duration")) == 5
    assert float(value(hass, "sensor.alex_suggested_speed")) == 1.61  # 1 mph in km/h
    assert float(value(hass, "sensor.alex_weekly_target")) == 15
    await advance(hass, freezer, 6 * 3600, step=600)
    assert reminders_sent(outside)[0]["message"] == "Alex, time for 5 minutes of backward walking."
    response = await call(hass, "start_session")
    assert response["target_minutes"] == 5
    await advance(hass, freezer, 300, step=10)
    assert float(value(hass, "sensor.alex_weekly_target_progress")) == pytest.approx(33.3, abs=0.1)
    # The session met today's goal: the nagging stopped and nothing more comes today.
    await advance(hass, freezer, 3600, step=600)
    assert len(reminders_sent(outside)) == 1
