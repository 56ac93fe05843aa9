"""Escalation tiers and the emergency script, in a real core with a real script integration."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import advance, call, state, value
from .safety_helpers import Outside, add_phone, setup_walker
from .test_config_flow_safety import ALERTS_INPUT, _options_step


async def house_script(hass: HomeAssistant) -> list[dict[str, Any]]:
    """script.all_lights_on, which records the variables it was started with."""
    runs: list[dict[str, Any]] = []

    async def record(call_: ServiceCall) -> None:
        runs.append(dict(call_.data))

    hass.services.async_register("test", "record", record)
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "all_lights_on": {
                    "sequence": [
                        {
                            "action": "test.record",
                            "data": {
                                "walker": "{{ walker }}",
                                "cause": "{{ cause }}",
                                "hallway": "{{ hallway }}",
                                "since": "{{ since }}",
                            },
                        }
                    ]
                }
            }
        },
    )
    return runs


async def test_second_tier_and_the_script(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs = await house_script(hass)
    neighbour = add_phone(hass, outside, "Neighbour", "neighbour-hook")
    entry = await setup_walker(
        hass,
        freezer,
        tier2_notify=[neighbour, "notify.gone"],
        tier2_after=2,
        emergency_script="script.all_lights_on",
    )
    await call(hass, "start_session")
    await call(hass, "request_help")
    await hass.async_block_till_done()
    [run] = runs
    since = state(hass, "event.alex_session_event").attributes["since"]
    assert run == {"walker": "Alex", "cause": "help", "hallway": "upstairs hallway", "since": since}
    await advance(hass, freezer, 240, step=60)
    assert len(outside.to("carer_phone")) == 3  # the alert and two unanswered re-alerts
    assert outside.to("mobile_app_neighbour") == []
    await advance(hass, freezer, 120, step=60)
    assert len(outside.to("carer_phone")) == 4
    [alert, spoken] = outside.to("mobile_app_neighbour")
    assert alert["title"] == "Emergency: Alex may need help"
    assert alert["data"]["push"]["interruption-level"] == "critical"
    assert spoken["message"] == "TTS"
    # A missing second-tier target is logged once and never stops the re-alerts.
    await advance(hass, freezer, 240, step=60)
    assert len(outside.to("carer_phone")) == 6
    assert caplog.text.count("Could not notify notify.gone") == 1
    # The neighbour's phone may acknowledge; everyone alerted hears who took care of it.
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {
            "action": f"BACKWARD_WALKING_ACK_{entry.entry_id}",
            "webhook_id": "neighbour-hook",
            "device_id": "app-neighbour-hook",
        },
    )
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_check_in") == "idle"
    assert outside.to("carer_phone")[-1]["message"].startswith("Neighbour is taking care of Alex")
    clear, done = outside.to("mobile_app_neighbour")[-2:]
    assert clear["message"] == "clear_notification"
    assert done["title"] == "Emergency acknowledged"
    # The next emergency starts at the first tier again; the script runs again.
    await call(hass, "request_help")
    await hass.async_block_till_done()
    assert len(runs) == 2
    assert outside.to("mobile_app_neighbour")[-1]["title"] == "Emergency acknowledged"


async def test_a_missing_script_is_logged_once_and_the_contacts_are_alerted(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_walker(hass, freezer, emergency_script="script.removed")
    for _ in range(2):
        await call(hass, "request_help")
        await hass.async_block_till_done()
        assert outside.to("carer_phone")[-1]["title"] == "Emergency: Alex may need help"
        await call(hass, "acknowledge_emergency")
        await hass.async_block_till_done()
    assert caplog.text.count("script.removed does not exist") == 1


async def test_options_for_tiers_and_the_script(
    hass: HomeAssistant, outside: Outside, loaded: MockConfigEntry
) -> None:
    result = await _options_step(hass, loaded, "alerts")
    missing = await hass.config_entries.options.async_configure(
        result["flow_id"], {**ALERTS_INPUT, "emergency_script": "script.all_lights_on"}
    )
    assert missing["errors"] == {"emergency_script": "entity_invalid"}
    hass.states.async_set("script.all_lights_on", "off")
    tiers = {
        "tier2_notify": ["notify.carer_phone"],
        "tier2_after": 3,
        "emergency_script": "script.all_lights_on",
    }
    bad = await hass.config_entries.options.async_configure(
        result["flow_id"], {**ALERTS_INPUT, **tiers, "tier2_after": 0}
    )
    assert bad["errors"] == {"tier2_after": "tier2_after_range"}
    done = await hass.config_entries.options.async_configure(
        result["flow_id"], {**ALERTS_INPUT, **tiers, "critical_alerts": False}
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    settings = loaded.runtime_data.settings
    assert (settings.tier2_notify, settings.tier2_after, settings.emergency_script) == (
        ("notify.carer_phone",),
        3,
        "script.all_lights_on",
    )
    assert settings.critical_alerts is False
