"""A demo hallway for the safety tests: sensors as plain states, a phone and a speaker as fakes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.util import slugify
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import advance, make_entry

OBSTACLE = "binary_sensor.hallway_beam"
DISTANCE = "sensor.hallway_free_distance"
CROSSING = "binary_sensor.kitchen_door_motion"
LIGHT = "sensor.hallway_light"
FALL = "binary_sensor.fall_detector"
ACTIVITY = "binary_sensor.hallway_motion"

SAFETY_OPTIONS: dict[str, Any] = {
    "obstacle_sensors": [OBSTACLE],
    "distance_sensors": [DISTANCE],
    "crossing_sensors": [CROSSING],
    "light_sensors": [LIGHT],
    "fall_sensors": [FALL],
    "activity_sensors": [ACTIVITY],
    "min_distance_m": 1.0,
    "min_lux": 10.0,
    "hallway": "upstairs hallway",
    "walker_notify": ["notify.walker_phone"],
    "emergency_notify": ["notify.carer_phone"],
    "media_player": "media_player.hallway_speaker",
    "tts_entity": "tts.home",
    "clear_hold_seconds": 5,
    "inactivity_seconds": 120,
    "check_in_seconds": 60,
    "realert_seconds": 120,
    "auto_resume": False,
}


def set_clear_hallway(hass: HomeAssistant) -> None:
    """Every sensor reads safe."""
    hass.states.async_set(OBSTACLE, "off", {"friendly_name": "Hallway beam"})
    hass.states.async_set(
        DISTANCE, "250", {"unit_of_measurement": "cm", "friendly_name": "Free distance"}
    )
    hass.states.async_set(CROSSING, "off", {"friendly_name": "Kitchen door motion"})
    hass.states.async_set(
        LIGHT, "120", {"unit_of_measurement": "lx", "friendly_name": "Hallway light"}
    )
    hass.states.async_set(FALL, "off", {"friendly_name": "Fall detector"})
    hass.states.async_set(ACTIVITY, "on", {"friendly_name": "Hallway motion"})
    hass.states.async_set("media_player.hallway_speaker", "idle")
    hass.states.async_set("tts.home", "unknown")


@dataclass
class Outside:
    """What left Home Assistant: messages to phones and spoken prompts."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    spoken: list[str] = field(default_factory=list)
    fail_with: Exception | None = None

    def to(self, target: str) -> list[dict[str, Any]]:
        """Messages sent to ``target`` (e.g. "walker_phone")."""
        return [m for m in self.messages if m["target"] == target]


def install_outside(hass: HomeAssistant) -> Outside:
    """Register the phones' notify services and a speaking TTS service that record what they get."""
    outside = Outside()

    async def phone(call: ServiceCall) -> None:
        if outside.fail_with is not None:
            raise outside.fail_with
        outside.messages.append({"target": call.service, **call.data})

    async def speak(call: ServiceCall) -> None:
        outside.spoken.append(call.data["message"])

    hass.services.async_register("notify", "walker_phone", phone)
    hass.services.async_register("notify", "carer_phone", phone)
    hass.services.async_register("tts", "speak", speak)
    return outside


def add_phone(
    hass: HomeAssistant,
    outside: Outside,
    name: str,
    webhook_id: str,
    os_name: str = "Android",
    user_id: str | None = None,
) -> str:
    """A companion-app phone as the mobile_app integration registers it; returns its notify target.

    Its config entry and device exist as after the app's registration; its legacy notify service
    (``notify.mobile_app_<name>``) records what it is sent.
    """
    app_device_id = f"app-{webhook_id}"
    phone_entry = MockConfigEntry(
        domain="mobile_app",
        title=name,
        data={
            "webhook_id": webhook_id,
            "device_id": app_device_id,
            "device_name": name,
            "os_name": os_name,
            "app_id": "io.homeassistant.companion",
            "user_id": user_id,
        },
    )
    phone_entry.add_to_hass(hass)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=phone_entry.entry_id,
        identifiers={("mobile_app", app_device_id)},
        name=name,
    )
    service = f"mobile_app_{slugify(name)}"

    async def phone(call: ServiceCall) -> None:
        outside.messages.append({"target": call.service, **call.data})

    hass.services.async_register("notify", service, phone)
    return f"notify.{service}"


async def setup_walker(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory | None, name: str = "Alex", **options: Any
) -> MockConfigEntry:
    """A walker with the demo hallway, set up, once every sensor has read clear for the hold."""
    entry = make_entry(name, **{**SAFETY_OPTIONS, **options})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await settle(hass, freezer, entry)
    return entry


async def settle(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory | None, entry: MockConfigEntry
) -> None:
    """Let the clear-hold pass that every sensor needs after set-up, a reload or a restart.

    Without a frozen clock (a test that needs real time) the hold must be 0.
    """
    hold = float(entry.options.get("clear_hold_seconds", 5))
    if freezer is None:
        assert hold == 0, "a clear-hold needs the freezer to pass"
        return
    await advance(hass, freezer, hold + 0.1, step=hold + 0.1)
