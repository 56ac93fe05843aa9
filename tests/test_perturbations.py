"""Every safety state under every perturbation a household produces, in a real core.

A state is reached the way a household reaches it; then one perturbation is applied (an option
changed through an entity or an options-flow step, a reload, a restart from the saved store, the
clock stepping, timers running late, a sensor flipping, a read-only tablet speaking to Assist, the
lock screen switched on); then the safety invariants must still hold.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.const import GROUP_ID_READ_ONLY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
import voluptuous as vol

from .helpers import advance, call, reload, state, value
from .safety_helpers import CROSSING, FALL, OBSTACLE, Outside, setup_walker
from .test_emergency_people import user_in
from .voice_helpers import process, setup_assist

type Step = Callable[[HomeAssistant, MockConfigEntry, FrozenDateTimeFactory], Awaitable[None]]


async def flip(hass: HomeAssistant, entity_id: str, to: str) -> None:
    hass.states.async_set(entity_id, to)
    await hass.async_block_till_done()


# --- the safety states -------------------------------------------------------------------------


async def hazard_held(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await flip(hass, OBSTACLE, "on")


async def hold_counting(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await flip(hass, OBSTACLE, "on")
    await flip(hass, OBSTACLE, "off")
    await advance(hass, freezer, 1)


async def paused_by_hazard(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await call(hass, "start_session")
    await hold_counting(hass, entry, freezer)


async def paused_by_walker(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await call(hass, "start_session")
    await call(hass, "pause_session")


async def check_in_open(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await call(hass, "start_session")
    await flip(hass, FALL, "on")


async def emergency_escalated(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await call(hass, "start_session")
    await call(hass, "request_help")


STATES: dict[str, Step] = {
    "hazard_held": hazard_held,
    "hold_counting": hold_counting,
    "paused_by_hazard": paused_by_hazard,
    "paused_by_walker": paused_by_walker,
    "check_in_open": check_in_open,
    "emergency_escalated": emergency_escalated,
}

# --- the perturbations -------------------------------------------------------------------------


async def entity_action(
    hass: HomeAssistant, domain: str, service: str, data: dict[str, Any]
) -> None:
    await hass.services.async_call(domain, service, data, blocking=True)
    await hass.async_block_till_done()


def form_values(schema: vol.Schema) -> dict[str, Any]:
    """What the user submits when they open a form and press Submit without changing anything."""
    values: dict[str, Any] = {}
    for marker in schema.schema:
        if marker.default is not vol.UNDEFINED:
            values[str(marker)] = marker.default()
        elif (suggested := (marker.description or {}).get("suggested_value")) is not None:
            values[str(marker)] = suggested
    return values


def options_step(step: str) -> Step:
    async def submit(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
        result = await hass.config_entries.options.async_init(entry.entry_id)
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"next_step_id": step}
        )
        assert result["type"] is FlowResultType.FORM, result
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], form_values(result["data_schema"])
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY, result
        await hass.async_block_till_done()

    return submit


async def target_number(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await entity_action(
        hass, "number", "set_value", {"entity_id": "number.alex_duration", "value": 12}
    )


async def speed_number(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await entity_action(hass, "number", "set_value", {"entity_id": "number.alex_speed", "value": 2})


async def program_select(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await entity_action(
        hass,
        "select",
        "select_option",
        {"entity_id": "select.alex_program", "option": "alternating_1_1"},
    )


def switch(key: str) -> Step:
    async def toggle(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
        await entity_action(hass, "switch", "toggle", {"entity_id": f"switch.alex_{key}"})

    return toggle


async def reload_entry(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await reload(hass, entry)


async def restart(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    """Home Assistant stops (final write), is down for a while, and starts from the saved store."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    freezer.tick(timedelta(seconds=20))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def clock_step(seconds: float) -> Step:
    async def step(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
        freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    return step


async def late_timers(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    """Timers run late: time passes, and a sensor changes before any timer has run."""
    freezer.tick(timedelta(seconds=20))
    await flip(hass, CROSSING, "on")
    await flip(hass, CROSSING, "off")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def flapping(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    """The obstacle sensor flips 20 times within a second and ends where it started."""
    start = state(hass, OBSTACLE).state
    other = "off" if start == "on" else "on"
    for i in range(20):
        hass.states.async_set(OBSTACLE, other if i % 2 == 0 else start)
    await hass.async_block_till_done()


async def tablet_speaks(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    """A read-only wall tablet's Assist tries what it may not: refused, by voice."""
    await setup_assist(hass)
    tablet = await user_in(hass, GROUP_ID_READ_ONLY, "Wall tablet")
    for text in ("resume my walk", "start backward walking", "stop walking", "I'm OK"):
        assert "may not" in await process(hass, text, user_id=tablet.id)


async def lock_screen_on(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    """The lock screen is switched on mid-state, for the walker's and the contacts' phones."""
    options = {**entry.options, "lock_screen": True, "lock_screen_contacts": True}
    hass.config_entries.async_update_entry(entry, options=options)
    await hass.async_block_till_done()


PERTURBATIONS: dict[str, Step] = {
    "target_number": target_number,
    "speed_number": speed_number,
    "program_select": program_select,
    "reminders_switch": switch("reminders"),
    "coach_switch": switch("coach"),
    **{
        f"options_{step}": options_step(step)
        for step in ("walking", "safety", "alerts", "sensor_details", "reminders")
    },
    "reload": reload_entry,
    "restart": restart,
    "ntp_forward": clock_step(30),
    "ntp_back": clock_step(-30),
    "late_timers": late_timers,
    "flapping": flapping,
    "tablet_speaks": tablet_speaks,
    "lock_screen_on": lock_screen_on,
}
# Perturbations after which the wall clock moved past the 5 s clear-hold.
_TIME_PASSES = {"ntp_forward", "late_timers", "restart"}


def path(hass: HomeAssistant) -> tuple[str, str]:
    binary = state(hass, "binary_sensor.alex_path")
    return binary.state, binary.attributes["verdict"]


def check_invariants(hass: HomeAssistant, outside: Outside, name: str, perturbation: str) -> None:
    session = state(hass, "sensor.alex_session_state")
    on_off, verdict = path(hass)
    # Never walking into a known hazard or past a sensor that cannot be read.
    if session.state == "running":
        assert verdict in ("clear", "warning"), verdict
    # Contacts hear of it only after the walker was asked, unless the walker asked for help.
    if outside.to("carer_phone") and name != "emergency_escalated":
        assert any(m["title"] == "Are you OK?" for m in outside.to("walker_phone"))
    if name == "hazard_held":
        assert verdict == "unsafe"
    if name in ("hold_counting", "paused_by_hazard") and perturbation not in _TIME_PASSES:
        assert on_off == "on", "the clear-hold must not be cut short"
        assert not any(m["title"] == "Path clear" for m in outside.to("walker_phone"))
    if name in ("paused_by_hazard", "paused_by_walker") and perturbation not in _TIME_PASSES:
        assert session.state == "paused"
    if name == "paused_by_walker":
        assert session.attributes["pause_reason"] in ("user", "restart")
    if name == "check_in_open":
        assert value(hass, "sensor.alex_check_in") == "awaiting_response"
        assert session.state == "paused"
    if name == "emergency_escalated":
        assert value(hass, "sensor.alex_check_in") == "escalated"
        assert session.state == "paused"


@pytest.mark.parametrize("perturbation", list(PERTURBATIONS))
@pytest.mark.parametrize("name", list(STATES))
async def test_safety_state_survives(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    name: str,
    perturbation: str,
) -> None:
    entry = await setup_walker(hass, freezer, auto_resume=True)
    await STATES[name](hass, entry, freezer)
    check_invariants(hass, outside, name, "")
    await PERTURBATIONS[perturbation](hass, entry, freezer)
    check_invariants(hass, outside, name, perturbation)
    # And the path still clears, after the whole hold, once the hazard is gone.
    await flip(hass, OBSTACLE, "off")
    await flip(hass, FALL, "off")
    await advance(hass, freezer, 6)
    assert path(hass) == ("off", "clear")


# --- spoken coaching under the same perturbations ----------------------------------------------


async def before_a_lead(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await call(hass, "start_session")
    await advance(hass, freezer, 293, step=1)


async def paused_at_a_change(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await before_a_lead(hass, entry, freezer)
    await advance(hass, freezer, 7, step=1)
    await call(hass, "pause_session")


async def hazard_at_a_lead(hass: HomeAssistant, entry: MockConfigEntry, freezer: Any) -> None:
    await before_a_lead(hass, entry, freezer)
    freezer.tick(timedelta(seconds=2))
    await flip(hass, OBSTACLE, "on")


COACHED = {
    "before_a_lead": before_a_lead,
    "paused_at_a_change": paused_at_a_change,
    "hazard_at_a_lead": hazard_at_a_lead,
}
COACHING_PERTURBATIONS = {
    **PERTURBATIONS,
    "voice_cues_select": lambda hass, entry, freezer: entity_action(
        hass, "select", "select_option", {"entity_id": "select.alex_voice_cues", "option": "full"}
    ),
}


def cues(outside: Outside) -> list[str]:
    """What the speaker said that is spoken coaching (warnings name the walker or the path)."""
    return [text for text in outside.spoken if not text.startswith(("Alex,", "The path"))]


@pytest.mark.parametrize("perturbation", list(COACHING_PERTURBATIONS))
@pytest.mark.parametrize("name", list(COACHED))
async def test_coaching_survives(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    name: str,
    perturbation: str,
) -> None:
    """A 6-minute 5/1 walk (one change, at 300 s): whatever happens, no cue is said twice, none
    while paused, the resume says which way, and the walk still ends with its completion."""
    entry = await setup_walker(hass, freezer, program="forward5_backward1", target_minutes=6)
    await COACHED[name](hass, entry, freezer)
    said = len(cues(outside))
    await COACHING_PERTURBATIONS[perturbation](hass, entry, freezer)
    if value(hass, "sensor.alex_session_state") == "paused":
        assert len(cues(outside)) == said, "a cue while paused"
    await flip(hass, OBSTACLE, "off")
    await advance(hass, freezer, 6)
    if value(hass, "sensor.alex_session_state") == "paused":
        assert len(cues(outside)) == said, "a cue while paused"
        await call(hass, "resume_session")
        await advance(hass, freezer, 10, step=1)  # said after a path-clear message, if any
        # The resume's cue, or the change that came while it waited for the path-clear message.
        assert cues(outside)[said].startswith(("Go on", "Turn around")), cues(outside)
    # A clock stepping back costs the time walked since the last save: up to 30 s more.
    await advance(hass, freezer, 130, step=3)
    assert value(hass, "sensor.alex_session_state") == "completed"
    heard = cues(outside)
    assert heard[0] == "Walk forward for 5 minutes."
    assert heard[-1].startswith("Well done, Alex")
    for text in set(heard):
        assert heard.count(text) == 1, (text, heard)
