"""The voice check-in in a real core: an Assist satellite asks, the walker answers by voice.

The satellite is an ``AssistSatelliteEntity`` of a test-only integration, set up through Home
Assistant's own ``assist_satellite`` component, so ``assist_satellite.ask_question`` (its schema, its
answer matching with hassil and its response) is Home Assistant's. Only the audio is left out: the
entity's ``async_internal_ask_question`` takes the words "heard" from the test and matches them with
the entity's own matcher, instead of playing the question and running a speech-to-text pipeline.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.assist_satellite import (
    AssistSatelliteConfiguration,
    AssistSatelliteEntity,
    AssistSatelliteEntityFeature,
)
from homeassistant.components.assist_satellite.errors import SatelliteBusyError
from homeassistant.config_entries import ConfigEntry, ConfigFlow
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.backward_walking.event_data import event_data

from .helpers import advance, call, reload, state, value
from .safety_helpers import FALL, Outside, setup_walker
from .test_config_flow_safety import ALERTS_INPUT, _options_step

SATELLITE = "assist_satellite.hallway_satellite"
QUESTION = "Alex, are you OK? Say 'I'm OK' or 'help'."

needs_ask_question = pytest.mark.skipif(
    not hasattr(AssistSatelliteEntity, "async_internal_ask_question"),
    reason="assist_satellite.ask_question needs Home Assistant 2025.7 or newer",
)

type Heard = str | Exception | asyncio.Future[str]


class HallwaySatellite(AssistSatelliteEntity):
    """A satellite that "hears" what the test queued: words, silence (an error), or words later."""

    _attr_name = "Hallway satellite"
    _attr_unique_id = "hallway-satellite"
    _attr_supported_features = AssistSatelliteEntityFeature.START_CONVERSATION

    def __init__(self) -> None:
        self.questions: list[tuple[str | None, list[dict[str, Any]] | None]] = []
        self.heard: list[Heard] = []

    def async_get_configuration(self) -> AssistSatelliteConfiguration:
        return AssistSatelliteConfiguration(
            available_wake_words=[], active_wake_words=[], max_active_wake_words=1
        )

    async def async_set_configuration(self, config: AssistSatelliteConfiguration) -> None:
        """Nothing to configure."""

    def on_pipeline_event(self, event: Any) -> None:
        """No pipeline runs."""

    async def async_internal_ask_question(
        self,
        question: str | None = None,
        question_media_id: str | None = None,
        preannounce: bool = True,
        preannounce_media_id: str | None = None,
        answers: list[dict[str, Any]] | None = None,
    ) -> Any:
        self.questions.append((question, answers))
        heard = self.heard.pop(0) if self.heard else HomeAssistantError("No answer from question")
        if isinstance(heard, asyncio.Future):
            heard = await heard
        if isinstance(heard, Exception):
            raise heard
        assert answers is not None
        # Home Assistant's own matching of the words against the answers' sentences.
        return self._question_response_to_answer(heard, answers)  # type: ignore[attr-defined]


class HallwayVoiceFlow(ConfigFlow):
    """The test integration's (unused) config flow: Home Assistant wants one for an entry."""


async def add_satellite(
    hass: HomeAssistant, satellite: HallwaySatellite | None = None
) -> HallwaySatellite:
    """Set up assist_satellite with one satellite (by default one that only asks) from a test
    integration.

    Its dependency ``tts`` registers the real ``tts.speak``; the demo speaker's recorder comes back.
    """
    speak = hass.services.async_services()["tts"]["speak"].job.target
    assert await async_setup_component(hass, "homeassistant", {})
    entity = satellite if satellite is not None else HallwaySatellite()

    async def setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, [Platform.ASSIST_SATELLITE])
        return True

    async def add_entities(
        hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddEntitiesCallback
    ) -> None:
        async_add_entities([entity])

    mock_integration(hass, MockModule("hallway_voice", async_setup_entry=setup_entry))
    mock_platform(hass, "hallway_voice.config_flow")
    mock_platform(
        hass, "hallway_voice.assist_satellite", MockPlatform(async_setup_entry=add_entities)
    )
    entry = MockConfigEntry(domain="hallway_voice")
    entry.add_to_hass(hass)
    with mock_config_flow("hallway_voice", HallwayVoiceFlow):
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    hass.services.async_register("tts", "speak", speak)
    assert hass.states.get(SATELLITE) is not None
    return entity


async def settled(hass: HomeAssistant) -> None:
    """Let the question in the background run to its end."""
    await hass.async_block_till_done(wait_background_tasks=True)


async def fall(hass: HomeAssistant, *, answered: bool = True) -> None:
    """The walker falls; ``answered``: wait for the question's answer (not while it is pending)."""
    hass.states.async_set(FALL, "on", {"friendly_name": "Fall detector"})
    if answered:
        await settled(hass)
    else:
        await hass.async_block_till_done()


def events_of(entry: MockConfigEntry) -> list[tuple[str, dict[str, Any]]]:
    """The event entity's events as it fires them: type and attributes."""
    events: list[tuple[str, dict[str, Any]]] = []
    entry.runtime_data.async_add_event_listener(lambda event: events.append(event_data(event)))
    return events


def kinds(events: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [kind for kind, _ in events]


def spoken_check_ins(outside: Outside) -> list[str]:
    return [s for s in outside.spoken if "are you OK?" in s]


def carer_alerts(outside: Outside) -> list[dict[str, Any]]:
    return [m for m in outside.to("carer_phone") if m["title"].startswith("Emergency")]


async def walker_with_satellite(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> tuple[HallwaySatellite, MockConfigEntry, list[tuple[str, dict[str, Any]]]]:
    satellite = await add_satellite(hass)
    entry = await setup_walker(hass, freezer, voice_satellite=SATELLITE)
    events = events_of(entry)
    await call(hass, "start_session")
    return satellite, entry, events


async def fallen_hearing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *heard: Heard, language: str = "en"
) -> tuple[HallwaySatellite, list[tuple[str, dict[str, Any]]]]:
    """The walker fell (in a home speaking ``language``); the satellite hears ``heard``."""
    satellite, _, events = await walker_with_satellite(hass, freezer)
    await hass.config.async_update(language=language)
    satellite.heard += heard
    await fall(hass)
    return satellite, events


async def fallen_and_listening(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *first: Heard
) -> tuple[
    HallwaySatellite, MockConfigEntry, list[tuple[str, dict[str, Any]]], asyncio.Future[str]
]:
    """The walker fell; the satellite hears ``first``, then waits for words the test gives later."""
    satellite, entry, events = await walker_with_satellite(hass, freezer)
    later: asyncio.Future[str] = hass.loop.create_future()
    satellite.heard += [*first, later]
    await fall(hass, answered=False)
    return satellite, entry, events, later


@needs_ask_question
@pytest.mark.parametrize("words", ["I'm OK", "yes", "I am fine", "Mir geht es gut", "alles gut"])
async def test_i_am_ok_by_voice_acknowledges(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, words: str
) -> None:
    satellite, events = await fallen_hearing(hass, freezer, words)
    [(question, answers)] = satellite.questions
    assert question == QUESTION
    assert answers is not None
    assert [a["id"] for a in answers] == ["ok", "help"]
    assert value(hass, "sensor.alex_check_in") == "idle"
    [data] = [d for k, d in events if k == "check_in_acknowledged"]
    assert data["by"] == "the walker, by voice"
    assert state(hass, "event.alex_session_event").attributes["by"] == "the walker, by voice"
    # The satellite asked instead of the speaker; the phone asked too, and no contact was alerted.
    assert spoken_check_ins(outside) == []
    assert [m["title"] for m in outside.to("walker_phone")][-2:] == ["Are you OK?", "Thank you"]
    assert outside.to("carer_phone") == []


@needs_ask_question
async def test_question_follows_the_language(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    satellite, _ = await fallen_hearing(hass, freezer, "Mir geht es gut", language="de")
    [(question, _)] = satellite.questions
    assert question == "Alex, ist alles in Ordnung? Sag „Mir geht es gut“ oder „Hilfe“."
    assert value(hass, "sensor.alex_check_in") == "idle"


@needs_ask_question
@pytest.mark.parametrize("words", ["help", "I need help", "no", "Hilfe", "ich brauche Hilfe"])
async def test_help_by_voice_alerts_the_contacts(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, words: str
) -> None:
    _, events = await fallen_hearing(hass, freezer, words)
    session = state(hass, "sensor.alex_session_state")
    assert (session.state, session.attributes["pause_reason"]) == ("paused", "help")
    check_in = state(hass, "sensor.alex_check_in")
    assert (check_in.state, check_in.attributes["escalation"]) == ("escalated", "need_help")
    assert "emergency_escalated" in kinds(events)
    [alert] = carer_alerts(outside)
    assert "Alex asked for help" in alert["message"]


@needs_ask_question
async def test_no_answer_keeps_the_countdown_asks_again_at_half_time_then_escalates(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    # Words that match no answer, then silence.
    satellite, events = await fallen_hearing(
        hass, freezer, "what is for dinner", HomeAssistantError("No answer from question")
    )
    assert len(satellite.questions) == 1
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    await advance(hass, freezer, 29, step=1)
    await settled(hass)
    assert len(satellite.questions) == 1
    await advance(hass, freezer, 1, step=1)
    await settled(hass)
    assert [q for q, _ in satellite.questions] == [QUESTION, QUESTION]
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    assert carer_alerts(outside) == []
    await advance(hass, freezer, 30, step=1)
    await settled(hass)
    assert value(hass, "sensor.alex_check_in") == "escalated"
    assert len(carer_alerts(outside)) == 1
    assert len(satellite.questions) == 2  # not asked again after the emergency
    assert "check_in_acknowledged" not in kinds(events)


@needs_ask_question
async def test_a_busy_or_failing_satellite_is_no_answer_and_logs_once(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    satellite, _ = await fallen_hearing(
        hass, freezer, SatelliteBusyError(), RuntimeError("satellite crashed"), TimeoutError()
    )
    await advance(hass, freezer, 30, step=1)
    await settled(hass)
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    hass.states.async_set(FALL, "off")
    await call(hass, "acknowledge_check_in")
    await advance(hass, freezer, 10, step=1)
    await fall(hass)  # a new check-in: the satellite crashes again
    assert len(satellite.questions) == 3
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    ours = [r for r in caplog.records if r.name.startswith("custom_components.backward_walking")]
    # Busy is no answer (debug); a crash is told once, never as an error.
    assert [(r.levelno, r.getMessage()) for r in ours if r.levelno >= logging.WARNING] == [
        (logging.WARNING, f"The voice check-in on {SATELLITE} failed: satellite crashed")
    ]


@needs_ask_question
async def test_late_ok_after_the_phone_answered_does_nothing_more(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    satellite, entry, events, later = await fallen_and_listening(hass, freezer)
    asked_for = entry.runtime_data.engine.check_in.started_at
    await call(hass, "acknowledge_check_in")
    assert later.cancelled()  # the satellite stops listening once the check-in is answered
    # An answer that arrives all the same changes nothing.
    satellite.heard.append("I'm OK")
    await entry.runtime_data.voice._ask(SATELLITE, asked_for)
    assert kinds(events).count("check_in_acknowledged") == 1
    assert value(hass, "sensor.alex_check_in") == "idle"


@needs_ask_question
@pytest.mark.parametrize("words", ["I'm OK", "help"])
async def test_late_answer_after_the_emergency_never_acknowledges_it(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, words: str
) -> None:
    satellite, entry, events, later = await fallen_and_listening(hass, freezer, "mumble")
    asked_for = entry.runtime_data.engine.check_in.started_at
    await advance(hass, freezer, 60, step=1)  # asked again at 30 s, still listening at 60 s
    assert value(hass, "sensor.alex_check_in") == "escalated"
    assert later.cancelled()  # the emergency ends the listening
    alerts = len(carer_alerts(outside))
    # An answer that arrives all the same: "I'm OK" is not taken, "help" is what the button does.
    satellite.heard.append(words)
    await entry.runtime_data.voice._ask(SATELLITE, asked_for)
    await settled(hass)
    assert value(hass, "sensor.alex_check_in") == "escalated"
    assert "emergency_acknowledged" not in kinds(events)
    assert "check_in_acknowledged" not in kinds(events)
    assert kinds(events).count("emergency_escalated") == 1
    # A call for help during the emergency is what the phone's button does: nothing new to send.
    assert len(carer_alerts(outside)) == alerts


@needs_ask_question
async def test_ok_after_the_session_stopped_acts_like_the_phone_button(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    _, _, events, later = await fallen_and_listening(hass, freezer)
    await call(hass, "stop_session")
    # The check-in outlives the session (the walker may still be on the floor): it can be answered.
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    later.set_result("I'm OK")
    await settled(hass)
    assert value(hass, "sensor.alex_check_in") == "idle"
    [data] = [d for k, d in events if k == "check_in_acknowledged"]
    assert data["by"] == "the walker, by voice"
    assert value(hass, "sensor.alex_session_state") == "stopped"


@needs_ask_question
async def test_an_answer_after_a_reload_is_dropped_and_the_question_comes_again(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    satellite, entry, _, later = await fallen_and_listening(hass, freezer)
    unloaded = entry.runtime_data
    await reload(hass, entry)
    assert unloaded.voice.ask() is False  # the unloaded walker asks nothing any more
    events = events_of(entry)
    # The reload cancelled the question: the satellite no longer waits for these words.
    assert later.cancelled()
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    satellite.heard.append("I'm OK")
    await advance(hass, freezer, 30, step=1)
    await settled(hass)
    assert len(satellite.questions) == 2
    assert value(hass, "sensor.alex_check_in") == "idle"
    assert kinds(events).count("check_in_acknowledged") == 1


@needs_ask_question
async def test_an_answer_about_an_earlier_check_in_never_closes_a_new_one(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """Answered on the phone, the satellite goes away, a second fall: it must reach the contacts."""
    satellite, entry, events, later = await fallen_and_listening(hass, freezer)
    first = entry.runtime_data.engine.check_in.started_at
    await call(hass, "acknowledge_check_in")
    assert later.cancelled()  # nobody listens for an answer to a closed check-in
    hass.states.async_set(SATELLITE, "unavailable")
    hass.states.async_set(FALL, "off", {"friendly_name": "Fall detector"})
    await advance(hass, freezer, 10, step=1)
    await fall(hass)
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    # An "I'm OK" that still arrives for the first check-in is not an answer to this one.
    hass.states.async_set(SATELLITE, "idle")
    satellite.heard.append("I'm OK")
    await entry.runtime_data.voice._ask(SATELLITE, first)
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    assert kinds(events).count("check_in_acknowledged") == 1
    await advance(hass, freezer, 61, step=1)
    assert value(hass, "sensor.alex_check_in") == "escalated"
    assert carer_alerts(outside)


@needs_ask_question
async def test_a_satellite_removed_while_it_listens_takes_no_answer(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    _, entry, events, later = await fallen_and_listening(hass, freezer)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "voice_satellite": None}
    )
    await hass.async_block_till_done()
    assert later.cancelled()
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    assert "check_in_acknowledged" not in kinds(events)


async def test_without_ask_question_the_speaker_and_phone_ask(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """On Home Assistant before 2025.7 (no ask_question), or with the satellite unavailable."""
    if hasattr(AssistSatelliteEntity, "async_internal_ask_question"):
        hass.states.async_set(SATELLITE, "unavailable")
    else:
        await add_satellite(hass)
    entry = await setup_walker(hass, freezer, voice_satellite=SATELLITE)
    await call(hass, "start_session")
    await fall(hass)
    assert len(spoken_check_ins(outside)) == 1
    assert [m["title"] for m in outside.to("walker_phone")][-1] == "Are you OK?"
    await advance(hass, freezer, 30, step=1)
    await settled(hass)
    assert len(spoken_check_ins(outside)) == 1  # the speaker does not ask again
    await call(hass, "acknowledge_check_in")
    hass.states.async_set(FALL, "off")
    await advance(hass, freezer, 10, step=1)
    await call(hass, "resume_session")
    await fall(hass)
    assert len(spoken_check_ins(outside)) == 2
    ours = [r for r in caplog.records if r.name == "custom_components.backward_walking.voice"]
    assert [r.levelno for r in ours] == [logging.WARNING]
    assert "uses the speaker and the phone" in ours[0].getMessage()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR and "backward" in r.name] == []
    assert entry.runtime_data.voice.ask() is False


async def test_the_satellite_is_chosen_in_the_alerts_options(
    hass: HomeAssistant, outside: Outside, loaded: MockConfigEntry
) -> None:
    result = await _options_step(hass, loaded, "alerts")
    [field] = [key for key in result["data_schema"].schema if key == "voice_satellite"]
    assert field.description is None  # nothing suggested before a satellite is chosen
    # A satellite that does not exist is refused (the selector refuses other kinds of entity).
    refused = await hass.config_entries.options.async_configure(
        result["flow_id"], {**ALERTS_INPUT, "voice_satellite": SATELLITE}
    )
    assert refused["errors"] == {"voice_satellite": "entity_invalid"}
    hass.states.async_set(SATELLITE, "idle")
    done = await hass.config_entries.options.async_configure(
        refused["flow_id"], {**ALERTS_INPUT, "voice_satellite": SATELLITE}
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded.runtime_data.settings.voice_satellite == SATELLITE
    assert loaded.runtime_data.engine.guard.ladder.timings.ask_again is True
    result = await _options_step(hass, loaded, "alerts")
    [field] = [key for key in result["data_schema"].schema if key == "voice_satellite"]
    assert field.description == {"suggested_value": SATELLITE}
    await hass.config_entries.options.async_configure(result["flow_id"], ALERTS_INPUT)
    await hass.async_block_till_done()
    assert loaded.runtime_data.settings.voice_satellite is None
    assert loaded.runtime_data.engine.guard.ladder.timings.ask_again is False
