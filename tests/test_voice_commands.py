"""Voice commands through Home Assistant's own conversation agent, in a real core, in two languages.

The sentences are typed into the default agent (``conversation.process``, as Assist's text field
does) and reach the integration's intents through conversation triggers; what changes is read
from the walker's entities and what is answered from the agent's response.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import intent
import pytest
from pytest_homeassistant_custom_component.common import MockUser, async_fire_time_changed

from custom_components.backward_walking import voice_sentences
from custom_components.backward_walking.const import VoiceIntent
from custom_components.backward_walking.voice_sentences import SENTENCES

from .helpers import call, state, value
from .safety_helpers import FALL, OBSTACLE, Outside, setup_walker
from .test_emergency_people import snapshot
from .voice_helpers import assist_and_walker, common_text, process, setup_assist

EN_STARTED = "Alex, your walk has started: 10 minutes, backward first."


@pytest.fixture
async def walker(hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory) -> None:
    """Assist, and Alex in a clear hallway (10 minutes, backward only)."""
    await assist_and_walker(hass, freezer)


@pytest.mark.usefixtures("walker")
async def test_pause_my_walk_pauses_and_says_so(hass: HomeAssistant) -> None:
    assert await process(hass, "start backward walking") == EN_STARTED
    assert value(hass, "sensor.alex_session_state") == "running"
    said = await process(hass, "Pause my walk")
    assert said == common_text("en", "voice_paused", walker="Alex")
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert state(hass, "sensor.alex_session_state").attributes["pause_reason"] == "user"
    assert await process(hass, "resume my walk") == (
        "Alex, your walk goes on: 10 minutes left, backward now."
    )
    assert value(hass, "sensor.alex_session_state") == "running"
    assert await process(hass, "stop walking") == "Alex, your walk is over after 0 seconds."
    assert value(hass, "sensor.alex_session_state") == "stopped"


@pytest.mark.usefixtures("walker")
async def test_how_long_is_left_counts_with_the_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await process(hass, "start backward walking")
    freezer.tick(timedelta(minutes=2, seconds=30))
    assert await process(hass, "how long is left") == (
        "Alex, 7 minutes and 30 seconds left, walking backward."
    )
    await process(hass, "pause")
    freezer.tick(timedelta(minutes=5))  # a pause does not count
    assert await process(hass, "how long is left on my walk") == (
        "Alex, your walk is paused. 7 minutes and 30 seconds left."
    )
    await process(hass, "resume")
    freezer.tick(timedelta(minutes=7, seconds=29))
    assert await process(hass, "how long is left") == "Alex, 1 second left, walking backward."


@pytest.mark.usefixtures("walker")
async def test_german_sentences_get_german_answers(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    assert await process(hass, "Starte das Rückwärtsgehen", "de") == (
        "Alex, deine Einheit läuft: 10 Minuten, zuerst rückwärts."
    )
    freezer.tick(timedelta(seconds=61))
    assert await process(hass, "Wie lange noch?", "de") == (
        "Alex, noch 8 Minuten und 59 Sekunden, rückwärts."
    )
    assert await process(hass, "Pause", "de") == common_text("de", "voice_paused", walker="Alex")
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert await process(hass, "Weiter", "de") == (
        "Alex, weiter geht's: noch 8 Minuten und 59 Sekunden, jetzt rückwärts."
    )
    assert await process(hass, "Einheit beenden", "de") == (
        "Alex, deine Einheit ist beendet, nach 1 Minute und 1 Sekunde."
    )
    assert value(hass, "sensor.alex_session_state") == "stopped"
    assert await process(hass, "wie läuft meine Einheit", "de") == (
        "Alex, gerade läuft keine Einheit. Heute 1 Minute, diese Woche 1 von 60 Rückwärtsminuten."
    )


@pytest.mark.usefixtures("walker")
async def test_short_words_mean_the_walk_only_during_one(hass: HomeAssistant) -> None:
    """Outside a walk 'pause' and 'how long is left' are Home Assistant's (media, timers)."""
    before = value(hass, "sensor.alex_session_state")
    for text in ("pause", "how long is left", "wie lange noch", "resume", "weiter"):
        said = await process(hass, text)
        assert "Alex" not in said, (text, said)
    assert value(hass, "sensor.alex_session_state") == before
    await process(hass, "start my walk")
    assert await process(hass, "pause") == common_text("en", "voice_paused", walker="Alex")
    await process(hass, "stop my walk")
    said = await process(hass, "pause")
    assert "Alex" not in said
    assert value(hass, "sensor.alex_session_state") == "stopped"


@pytest.mark.usefixtures("walker")
async def test_an_unsafe_path_refuses_a_voice_start_with_the_reason(hass: HomeAssistant) -> None:
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    said = await process(hass, "start backward walking")
    assert said == "The path behind Alex is not clear: Something is in the way (Hallway beam)."
    assert value(hass, "sensor.alex_session_state") == "idle"
    # No slot of any intent forces a start; a 'force' slot is ignored.
    response = await intent.async_handle(
        hass, "test", VoiceIntent.START, {"force": {"value": True}, "name": {"value": "Alex"}}
    )
    assert response.response_type is intent.IntentResponseType.ERROR
    assert value(hass, "sensor.alex_session_state") == "idle"
    said = await process(hass, "starte das Rückwärtsgehen", "de")
    assert said == "Der Weg hinter Alex ist nicht frei: Etwas ist im Weg (Hallway beam)."


@pytest.mark.usefixtures("walker")
async def test_a_read_only_user_may_pause_and_ask_for_help_only(
    hass: HomeAssistant, outside: Outside, hass_read_only_user: MockUser
) -> None:
    tablet = hass_read_only_user.id
    refused = common_text("en", "voice_not_allowed", walker="Alex")
    before = snapshot(hass, outside)
    assert await process(hass, "start backward walking", user_id=tablet) == refused
    assert snapshot(hass, outside) == before
    await call(hass, "start_session")
    assert await process(hass, "pause my walk", user_id=tablet) == common_text(
        "en", "voice_paused", walker="Alex"
    )
    for text in ("resume my walk", "stop walking"):
        before = snapshot(hass, outside)
        assert await process(hass, text, user_id=tablet) == refused
        assert snapshot(hass, outside) == before
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_check_in") == "awaiting_response"
    before = snapshot(hass, outside)
    assert await process(hass, "I'm OK", user_id=tablet) == refused
    assert snapshot(hass, outside) == before
    assert await process(hass, "how am I doing", user_id=tablet) == (
        "Alex, a check-in is waiting: say “I'm OK” or “I need help”. The path behind Alex is "
        "not clear: A possible fall (binary_sensor.fall_detector). Alex, your walk is paused "
        "for a possible fall. 10 minutes left."
    )
    assert await process(hass, "I need help", user_id=tablet) == (
        "Alex, I am alerting your emergency contacts now."
    )
    assert value(hass, "sensor.alex_check_in") == "escalated"
    assert (await process(hass, "how am I doing")).startswith(
        "Alex, your emergency contacts have been alerted. The path behind Alex is not clear"
    )


@pytest.mark.usefixtures("walker")
async def test_i_am_ok_answers_the_check_in(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    hass.states.async_set(FALL, "off")
    await hass.async_block_till_done()
    # The fall detector reads fine again, but not yet for the clear-hold: the walker waits.
    assert await process(hass, "I'm fine") == common_text("en", "check_in_ok_wait", walker="Alex")
    event = state(hass, "event.alex_session_event")
    assert event.attributes["event_type"] == "check_in_acknowledged"
    assert event.attributes["by"] == "the walker, by voice"
    freezer.tick(6)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert outside.spoken[-1] == "The path behind Alex is clear again. Resume when you are ready."
    # Nothing is open any more: the action's refusal, spoken.
    assert await process(hass, "mir geht es gut", "de") == (
        "Für Alex gibt es keine offene Nachfrage zu bestätigen (Status: keiner offen)."
    )


async def test_help_without_contacts_says_where_the_alarm_went(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_assist(hass)
    await setup_walker(hass, freezer, emergency_notify=[])
    assert await process(hass, "help") == common_text("en", "voice_help_no_contacts", walker="Alex")
    assert value(hass, "sensor.alex_check_in") == "escalated"
    # Asked how it goes, the walker is never told that contacts were alerted.
    for language, text in (("en", "how am I doing"), ("de", "wie läuft meine Einheit")):
        assert (await process(hass, text, language)).startswith(
            common_text(language, "voice_status_emergency_no_contacts", walker="Alex")
        )


async def test_the_status_says_when_the_contacts_could_not_be_reached(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_assist(hass)
    await setup_walker(hass, freezer)
    outside.fail_with = HomeAssistantError("phone offline")
    assert await process(hass, "help") == common_text("en", "voice_help", walker="Alex")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert (await process(hass, "how am I doing")).startswith(
        common_text("en", "voice_status_emergency_failed", walker="Alex")
    )


# A few of each command's sentences, in both languages; help last, since it leaves a check-in open.
SAMPLES: dict[str, list[str]] = {
    VoiceIntent.START: [
        "start backward walking",
        "start my walk",
        "start the walk for Alex",
        "starte die Einheit",
        "Rückwärtsgehen starten",
        "starte das Rückwärtsgehen für Alex",
    ],
    VoiceIntent.PAUSE: [
        "pause my walk",
        "pause the walk for Alex",
        "pause Alex's walk",
        "pausiere die Einheit",
        "Einheit pausieren",
        "pause",
        "Pause bitte",
    ],
    VoiceIntent.RESUME: [
        "resume my walk",
        "continue walking",
        "continue Alex's walk",
        "setze die Einheit fort",
        "Rückwärtsgehen fortsetzen",
        "weiter",
    ],
    VoiceIntent.STOP: [
        "stop walking",
        "end my walk",
        "finish the walk for Alex",
        "Einheit stoppen",
    ],
    VoiceIntent.STATUS: [
        "how long is left on my walk",
        "how am I doing",
        "how is my walk going",
        "wie lange dauert die Einheit noch",
        "wie lange noch",
        "how much longer",
        "how long is left on Alex's walk",
    ],
    VoiceIntent.OK: ["I'm ok", "I am fine", "mir geht es gut", "alles in Ordnung"],
    VoiceIntent.HELP: [
        "help",
        "I need help",
        "call help",
        "Alex needs help",
        "Hilfe",
        "ich brauche Hilfe",
        "hilf mir",
    ],
}


@pytest.mark.usefixtures("walker")
async def test_every_sentence_reaches_exactly_its_own_intent(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No sentence of one command is understood as another (both would act), during a walk."""
    heard: list[tuple[str, object]] = []
    handle = intent.async_handle

    async def record(
        hass: HomeAssistant, platform: str, intent_type: str, slots: Any = None, **kwargs: Any
    ) -> intent.IntentResponse:
        heard.append((intent_type, (slots or {}).get("name", {}).get("value")))
        return await handle(hass, platform, intent_type, slots, **kwargs)

    monkeypatch.setattr(voice_sentences.intent, "async_handle", record)
    for intent_type, texts in SAMPLES.items():
        for text in texts:
            if value(hass, "sensor.alex_session_state") not in ("running", "paused"):
                await call(hass, "start_session")
            heard.clear()
            await process(hass, text)
            assert [h[0] for h in heard] == [intent_type], (text, heard)
            assert heard[0][1] == ("Alex" if "Alex" in text else None), (text, heard)
    assert {*SAMPLES} == {*SENTENCES}


@pytest.mark.usefixtures("walker")
async def test_the_answer_is_in_the_language_of_the_sentence(hass: HomeAssistant) -> None:
    """Typed in German into an English Assist: answered in German (and English the other way)."""
    await call(hass, "start_session")
    assert await process(hass, "Pause bitte", "en") == common_text(
        "de", "voice_paused", walker="Alex"
    )
    assert (await process(hass, "resume my walk", "de")).startswith(
        common_text("en", "voice_resumed", walker="Alex", left="", direction="").split(":")[0]
    )
    assert (await process(hass, "ich brauche Hilfe", "en")).startswith("Alex, ich")


@pytest.mark.usefixtures("walker")
async def test_a_resume_within_the_clear_hold_says_when_it_will_be_possible(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await call(hass, "start_session")
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    hass.states.async_set(OBSTACLE, "off", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    freezer.tick(2)  # 3 s of the 5 s clear-hold left
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "resume_session")
    assert err.value.translation_key == "path_clearing"
    assert err.value.translation_placeholders == {"walker": "Alex", "seconds": "3"}
    assert await process(hass, "resume my walk") == (
        "The path behind Alex reads clear again: ready in 3 seconds."
    )
    assert value(hass, "sensor.alex_session_state") == "paused"
