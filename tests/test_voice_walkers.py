"""Which walker a voice command is about, and what a household does to voice commands.

Two walkers, people, a satellite in an area, an unknown name, a walker that is not loaded; slots
with garbage; two commands at once; a reload and a restart; the clock stepping back; an option
changed from the dashboard; a language without a translation; Assist set up after the walkers.
"""

from __future__ import annotations

import asyncio
from dataclasses import fields
from datetime import timedelta
import inspect
import math
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.const import GROUP_ID_USER
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    intent,
    llm,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.const import DOMAIN, VoiceIntent

from .helpers import call, reload, state, value
from .safety_helpers import Outside, setup_walker
from .test_emergency_people import snapshot, user_in
from .voice_helpers import (
    assist_and_walker,
    common_text,
    converse,
    message_text,
    process,
    setup_assist,
)

PAUSED_ALEX = "Alex, your walk is paused. Say “resume my walk” when you are ready."


async def two_walkers(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> tuple[MockConfigEntry, MockConfigEntry]:
    """Alex and Rosa, both walking."""
    freezer.move_to("2026-03-02 17:00:00+00:00")
    await setup_assist(hass)
    alex = await setup_walker(hass, freezer)
    rosa = await setup_walker(hass, freezer, "Rosa")
    await call(hass, "start_session", {"config_entry_id": alex.entry_id})
    await call(hass, "start_session", {"config_entry_id": rosa.entry_id})
    return alex, rosa


def states(hass: HomeAssistant) -> tuple[str, str]:
    return value(hass, "sensor.alex_session_state"), value(hass, "sensor.rosa_session_state")


async def test_two_walkers_are_asked_about_never_guessed(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await two_walkers(hass, freezer)
    before = snapshot(hass, outside)
    assert await process(hass, "pause my walk") == "Which walker: Alex or Rosa?"
    assert await process(hass, "I need help") == "Which walker: Alex or Rosa?"
    assert await process(hass, "Pause", "de") == "Welche Person: Alex oder Rosa?"
    assert snapshot(hass, outside) == before
    assert states(hass) == ("running", "running")
    said = await process(hass, "pause the walk for rosa")
    assert said == "Rosa, your walk is paused. Say “resume my walk” when you are ready."
    assert states(hass) == ("running", "paused")
    assert await process(hass, "pause Alex's walk") == PAUSED_ALEX
    assert states(hass) == ("paused", "paused")
    # A name as an LLM may pass it.
    for said in ("Alex's", "ALEX’s", " rosa "):
        response = await intent.async_handle(
            hass, "test", VoiceIntent.STATUS, {"name": {"value": said}}
        )
        assert response.speech["plain"]["speech"].startswith(said.strip().title()[:4]), said


async def test_of_two_walkers_the_one_the_command_can_be_about_is_meant(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    alex, rosa = await two_walkers(hass, freezer)
    await call(hass, "pause_session", {"config_entry_id": rosa.entry_id})
    # Only Rosa is paused: "resume" can only be about her; "pause" still asks.
    assert (await process(hass, "resume my walk")).startswith("Rosa, your walk goes on")
    assert states(hass) == ("running", "running")
    assert await process(hass, "pause my walk") == "Which walker: Alex or Rosa?"
    await call(hass, "request_help", {"config_entry_id": alex.entry_id})
    # Only Alex has a check-in open: help and "how am I doing" are about Alex.
    assert (await process(hass, "how am I doing")).startswith("Alex, your emergency contacts")
    assert (await process(hass, "Hilfe", "de")).startswith("Alex")
    # Nobody is being asked "Are you OK?" (Alex's is an emergency already): which walker.
    assert await process(hass, "I'm OK") == "Which walker: Alex or Rosa?"
    assert value(hass, "sensor.alex_check_in") == "escalated"


async def test_a_name_with_punctuation_is_heard_without_it(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await two_walkers(hass, freezer)
    await setup_walker(hass, freezer, "Dr. Müller-Lüdenscheidt: Senior")
    said = await process(hass, "Dr. Müller-Lüdenscheidt: Senior braucht Hilfe", "de")
    assert said.startswith("Dr. Müller-Lüdenscheidt: Senior,"), said
    # Letters still count: a name said without its umlauts is another name.
    assert await process(hass, "dr muller needs help") == message_text(
        "en", "walker_not_found", walker="dr muller"
    )
    assert value(hass, "sensor.dr_muller_ludenscheidt_senior_check_in") == "escalated"
    assert states(hass) == ("running", "running")


async def test_the_person_speaking_is_their_own_walker(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    rosa_user = await user_in(hass, GROUP_ID_USER, "rosa_m")
    hass.states.async_set(
        "person.rosa", "home", {"user_id": rosa_user.id, "friendly_name": "Rosa Maria"}
    )
    _alex, rosa = await two_walkers(hass, freezer)
    # Linking a person applies at once: her session goes on.
    hass.config_entries.async_update_entry(rosa, data={**rosa.data, "person": "person.rosa"})
    await hass.async_block_till_done()
    assert states(hass) == ("running", "running")
    assert await process(hass, "pause my walk", user_id=rosa_user.id) == (
        "Rosa, your walk is paused. Say “resume my walk” when you are ready."
    )
    assert states(hass) == ("running", "paused")
    # Her person's name is her walker's name too.
    assert await process(hass, "continue the walk for Rosa Maria", user_id=rosa_user.id) == (
        "Rosa, your walk goes on: 10 minutes left, backward now."
    )


async def test_the_satellite_in_the_hallway_means_the_hallway_walker(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    alex, rosa = await two_walkers(hass, freezer)
    hallway = ar.async_get(hass).async_create("Hallway")
    devices = dr.async_get(hass)
    satellite_entry = MockConfigEntry(domain="test")
    satellite_entry.add_to_hass(hass)
    satellite = devices.async_get_or_create(
        config_entry_id=satellite_entry.entry_id, identifiers={("test", "satellite")}
    )
    devices.async_update_device(satellite.id, area_id=hallway.id)
    (alex_device,) = dr.async_entries_for_config_entry(devices, alex.entry_id)
    devices.async_update_device(alex_device.id, area_id=hallway.id)
    result = await converse(hass, "pause my walk", device_id=satellite.id)
    assert result.response.speech["plain"]["speech"] == PAUSED_ALEX
    assert states(hass) == ("paused", "running")
    # Rosa's own voice check-in satellite, in no area, is hers.
    kitchen = devices.async_get_or_create(
        config_entry_id=satellite_entry.entry_id, identifiers={("test", "kitchen")}
    )
    kitchen_satellite = er.async_get(hass).async_get_or_create(
        "assist_satellite", "test", "kitchen", device_id=kitchen.id
    )
    hass.config_entries.async_update_entry(
        rosa, options={**rosa.options, "voice_satellite": kitchen_satellite.entity_id}
    )
    await hass.async_block_till_done()
    if "satellite_id" in inspect.signature(conversation.async_converse).parameters:
        heard_by = {"satellite_id": kitchen_satellite.entity_id}
    else:  # 2025.4 knows a satellite by its device only
        heard_by = {"device_id": kitchen.id}
    result = await converse(hass, "pause my walk", **heard_by)
    assert result.response.speech["plain"]["speech"] == (
        "Rosa, your walk is paused. Say “resume my walk” when you are ready."
    )
    # By the satellite's entity too, as newer releases pass it on.
    if "satellite_id" not in inspect.signature(intent.async_handle).parameters:
        heard_by = {"device_id": kitchen.id}
    response = await intent.async_handle(hass, "test", "BackwardWalkingStatus", {}, **heard_by)
    assert response.speech["plain"]["speech"].startswith("Rosa, your walk is paused")


async def test_an_unknown_or_unloaded_walker_is_named_and_nothing_changes(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    alex, rosa = await two_walkers(hass, freezer)
    before = snapshot(hass, outside)
    assert await process(hass, "pause the walk for Bob") == message_text(
        "en", "walker_not_found", walker="Bob"
    )
    assert snapshot(hass, outside) == before
    assert await hass.config_entries.async_unload(rosa.entry_id)
    await hass.async_block_till_done()
    assert await process(hass, "pause the walk for Rosa") == message_text(
        "en", "walker_not_loaded", walker="Rosa"
    )
    # Without a name, the walker that is loaded is meant.
    assert await process(hass, "pause my walk") == PAUSED_ALEX
    assert await hass.config_entries.async_unload(alex.entry_id)
    await hass.async_block_till_done()
    assert await process(hass, "help") == "Which walker: Alex or Rosa?"


async def test_without_walkers_voice_commands_say_so(hass: HomeAssistant) -> None:
    await setup_assist(hass)
    assert await async_setup_component(hass, DOMAIN, {})
    assert await process(hass, "I need help") == common_text("en", "voice_no_walker")
    assert await process(hass, "Hilfe", "de") == common_text("de", "voice_no_walker")


GARBAGE_NAMES = ["\x00", "Alex\u200b", "x" * 500, "line\nbreak", 5, math.nan, ["Alex"]]


@pytest.mark.parametrize("name", GARBAGE_NAMES, ids=repr)
async def test_garbage_names_are_unknown_walkers(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, name: Any
) -> None:
    freezer.move_to("2026-03-02 17:00:00+00:00")
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    before = snapshot(hass, outside)
    response = await intent.async_handle(hass, "test", VoiceIntent.PAUSE, {"name": {"value": name}})
    assert response.response_type is intent.IntentResponseType.ERROR
    said = response.speech["plain"]["speech"]
    assert said.startswith("No Backward Walking walker matches “"), said
    assert "\x00" not in said
    assert "\n" not in said
    assert len(said) < 120
    assert snapshot(hass, outside) == before


@pytest.mark.parametrize(
    "minutes", [math.nan, math.inf, 1e400, True, "ten", 0, 121, 10.5, "\x00", -5]
)
async def test_a_wrong_length_is_refused_with_the_actions_message(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, minutes: Any
) -> None:
    await setup_walker(hass, freezer)
    before = snapshot(hass, outside)
    response = await intent.async_handle(
        hass, "test", VoiceIntent.START, {"minutes": {"value": minutes}}
    )
    said = response.speech["plain"]["speech"]
    assert said.startswith("The duration must be a number of minutes between 1 and 120"), said
    assert snapshot(hass, outside) == before


async def test_a_length_and_a_name_from_an_llm(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    response = await intent.async_handle(
        hass, "test", VoiceIntent.START, {"minutes": {"value": "12"}, "name": {"value": " alex "}}
    )
    assert response.speech["plain"]["speech"] == (
        "Alex, your walk has started: 12 minutes, backward first."
    )
    assert state(hass, "sensor.alex_session_state").attributes["target_minutes"] == 12


async def test_two_voice_commands_at_once_act_once(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await assist_and_walker(hass, freezer)
    said = await asyncio.gather(
        process(hass, "start backward walking"), process(hass, "starte die Einheit", "de")
    )
    assert value(hass, "sensor.alex_session_state") == "running"
    assert sorted(said) == sorted(
        [
            "Alex, your walk has started: 10 minutes, backward first.",
            "Alex hat bereits eine laufende Einheit (läuft); beende sie, bevor du eine "
            "neue startest.",
        ]
    ) or sorted(said) == sorted(
        [
            "Alex, deine Einheit läuft: 10 Minuten, zuerst rückwärts.",
            "Alex already has a session in progress (running); stop it before starting a new one.",
        ]
    )
    said = await asyncio.gather(process(hass, "pause my walk"), process(hass, "stop walking"))
    assert value(hass, "sensor.alex_session_state") == "stopped"
    assert len(set(said)) == 2
    started = [e for e in outside.messages if e.get("title") == "Stop: the path is not clear"]
    assert not started


async def test_after_a_reload_and_a_restart_voice_works_once(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await assist_and_walker(hass, freezer)
    await process(hass, "start my walk")
    freezer.tick(timedelta(minutes=4))
    await reload(hass, entry)  # as a restart: the session comes back paused, from the store
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert await process(hass, "how long is left") == (
        "The sensors behind Alex are still being checked; that takes a few seconds. "
        "Alex, your walk is paused after Home Assistant restarted. 6 minutes left."
    )
    assert await process(hass, "resume my walk") == (
        "The sensors behind Alex are still being checked: ready in 5 seconds."
    )
    freezer.tick(timedelta(seconds=6))  # the sensors' clear-hold after the restart
    assert await process(hass, "resume my walk") == (
        "Alex, your walk goes on: 6 minutes left, backward now."
    )
    assert await process(hass, "pause my walk") == PAUSED_ALEX
    events = [
        s for s in hass.states.async_all("event") if s.entity_id == "event.alex_session_event"
    ]
    assert events[0].attributes["event_type"] == "paused"


async def test_the_clock_stepping_back_never_adds_time(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await assist_and_walker(hass, freezer)
    await process(hass, "start my walk")
    freezer.tick(timedelta(seconds=-30))
    assert await process(hass, "how long is left") == "Alex, 10 minutes left, walking backward."


async def test_an_option_changed_from_the_dashboard_mid_walk(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await assist_and_walker(hass, freezer)
    await call(hass, "start_session", {"program": "alternating_1_1"})
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": "select.alex_program", "option": "backward_only"},
        blocking=True,
    )
    freezer.tick(timedelta(seconds=20))
    # The running session keeps its own program: forward for another 40 seconds.
    assert await process(hass, "how long is left") == (
        "Alex, 9 minutes and 40 seconds left. Now forward for 40 seconds."
    )


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        ("en-GB", PAUSED_ALEX),
        (
            "de-CH",
            "Alex, deine Einheit ist pausiert. Sag „Einheit fortsetzen“, wenn du bereit bist.",
        ),
        ("fr", PAUSED_ALEX),
    ],
)
async def test_a_language_without_its_own_file(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    language: str,
    answer: str,
) -> None:
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    response = await intent.async_handle(hass, "test", VoiceIntent.PAUSE, {}, language=language)
    assert response.speech["plain"]["speech"] == answer


async def test_assist_set_up_after_the_walkers(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    await call(hass, "start_session")
    await setup_assist(hass)
    assert await process(hass, "pause") == PAUSED_ALEX


async def test_llm_agents_get_every_command_as_a_tool(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_assist(hass)
    await setup_walker(hass, freezer)
    values = {
        "platform": "test",
        "context": Context(),
        "user_prompt": None,
        "language": "en",
        "assistant": "conversation",
        "device_id": None,
    }
    wanted = {f.name for f in fields(llm.LLMContext)}
    api = await llm.async_get_api(
        hass, "assist", llm.LLMContext(**{k: v for k, v in values.items() if k in wanted})
    )
    # 2025.4 names a tool by its intent; newer releases ask for "<integration>__<intent>".
    tools = {
        tool.name.removeprefix(f"{DOMAIN}__"): tool
        for tool in api.tools
        if "BackwardWalking" in tool.name
    }
    assert set(tools) == {
        "BackwardWalkingStart",
        "BackwardWalkingPause",
        "BackwardWalkingResume",
        "BackwardWalkingStop",
        "BackwardWalkingStatus",
        "BackwardWalkingOk",
        "BackwardWalkingHelp",
    }
    for tool in tools.values():
        assert tool.description
        assert "Backward Walking" in tool.description
        assert "name" in _parameters(tool, api)
    assert set(_parameters(tools["BackwardWalkingStart"], api)) == {"name", "minutes"}
    result = await api.async_call_tool(
        llm.ToolInput(tools["BackwardWalkingStart"].name, {"minutes": 5})
    )
    assert value(hass, "sensor.alex_session_state") == "running"
    assert "5 minutes" in str(result)
    await api.async_call_tool(llm.ToolInput(tools["BackwardWalkingPause"].name, {"name": "Alex"}))
    assert value(hass, "sensor.alex_session_state") == "paused"


def _parameters(tool: llm.Tool, api: llm.APIInstance) -> dict[str, Any]:
    """The tool's parameters as an LLM is given them (OpenAPI properties)."""
    try:
        import probatio  # the newest Home Assistant

        converted: dict[str, Any] = probatio.to_openapi(
            tool.parameters, custom_serializer=api.custom_serializer
        )
    except ImportError:
        from voluptuous_openapi import convert

        converted = convert(tool.parameters, custom_serializer=api.custom_serializer)
    properties: dict[str, Any] = converted.get("properties", {})
    return properties
