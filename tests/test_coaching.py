"""Spoken coaching in a real core: a whole interval session followed by ear.

The speaker is the demo hallway's (``tts.speak`` recorded with the moment it was asked); the voice
satellite is an ``AssistSatelliteEntity`` of a test integration, set up through Home Assistant's
own ``assist_satellite`` component, so ``assist_satellite.announce`` (its schema and its check of
the entity's features) is Home Assistant's; only the audio is left out.
"""

from __future__ import annotations

from datetime import datetime
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.assist_satellite import AssistSatelliteEntityFeature
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .helpers import advance, call, reload, value
from .safety_helpers import Outside, setup_walker
from .test_voice_check_in import SATELLITE, HallwaySatellite, add_satellite

FIVE_ONE = {"program": "forward5_backward1", "target_minutes": 12}

BY_EAR = {
    "en": [
        (0, "Walk forward for 5 minutes."),
        (295, "In 5 seconds: turn around."),
        (300, "Turn around: backward for 1 minute."),
        (355, "In 5 seconds: turn around."),
        (360, "Turn around: forward for 5 minutes."),
        (655, "In 5 seconds: turn around."),
        (660, "Turn around: backward for 1 minute."),
        (720, "Well done, Alex. The session is complete."),
    ],
    "de": [
        (0, "Geh 5 Minuten vorwärts."),
        (295, "In 5 Sekunden: umdrehen."),
        (300, "Dreh dich um: 1 Minute rückwärts."),
        (355, "In 5 Sekunden: umdrehen."),
        (360, "Dreh dich um: 5 Minuten vorwärts."),
        (655, "In 5 Sekunden: umdrehen."),
        (660, "Dreh dich um: 1 Minute rückwärts."),
        (720, "Gut gemacht, Alex. Die Einheit ist geschafft."),
    ],
}
FULL_CHANGES = {
    "en": {
        360: "Turn around: forward for 5 minutes. Halfway.",
        660: "Turn around: backward for 1 minute. One minute left.",
        720: "Well done, Alex: 12 minutes in all, 2 minutes of them backward, about 35 kilocalories.",
    },
    "de": {
        360: "Dreh dich um: 5 Minuten vorwärts. Halbzeit.",
        660: "Dreh dich um: 1 Minute rückwärts. Noch eine Minute.",
        720: "Gut gemacht, Alex: 12 Minuten insgesamt, davon 2 Minuten rückwärts, "
        "etwa 35 Kilokalorien.",
    },
}


class Heard:
    """What the speaker was asked to say, with the second of the session it was asked at."""

    def __init__(self, hass: HomeAssistant, outside: Outside) -> None:
        self.start: datetime | None = None
        self.said: list[tuple[float, str]] = []

        async def speak(call: ServiceCall) -> None:
            outside.spoken.append(call.data["message"])
            self.said.append((self.second(), call.data["message"]))

        hass.services.async_register("tts", "speak", speak)

    def second(self) -> float:
        assert self.start is not None
        return round((dt_util.utcnow() - self.start).total_seconds(), 3)

    def texts(self) -> list[str]:
        return [text for _, text in self.said]


class AnnouncingSatellite(HallwaySatellite):
    """A hallway satellite that can announce too; it records what it was asked to say."""

    _attr_supported_features = (
        AssistSatelliteEntityFeature.ANNOUNCE | AssistSatelliteEntityFeature.START_CONVERSATION
    )

    def __init__(self, heard: Heard) -> None:
        super().__init__()
        self.heard = heard
        self.announced: list[tuple[float, str]] = []
        self.chimes: list[bool] = []
        self.fail_with: Exception | None = None

    async def async_internal_announce(
        self,
        message: str | None = None,
        media_id: str | None = None,
        preannounce: bool = True,
        preannounce_media_id: str | None = None,
    ) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.announced.append((self.heard.second(), message or ""))
        self.chimes.append(preannounce)


async def coached(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    outside: Outside,
    language: str = "en",
    **options: Any,
) -> tuple[MockConfigEntry, Heard]:
    """A walker with the demo hallway and its speaker, walking the 12-minute 5/1 program."""
    heard = Heard(hass, outside)
    entry = await setup_walker(hass, freezer, **{**FIVE_ONE, **options})
    await hass.config.async_update(language=language)
    heard.start = dt_util.utcnow()
    await call(hass, "start_session")
    # Just after a change of language the first cue waits for the new texts to load.
    await hass.async_block_till_done(wait_background_tasks=True)
    return entry, heard


async def walk(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    """Let ``seconds`` pass a second at a time, as a walker's clock does."""
    await advance(hass, freezer, seconds, step=1)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.parametrize("language", ["en", "de"])
async def test_a_whole_interval_session_by_ear_on_the_speaker(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, language: str
) -> None:
    _, heard = await coached(hass, freezer, outside, language)
    assert value(hass, "select.alex_voice_cues") == "changes"  # a speaker is set
    await walk(hass, freezer, 730)
    assert heard.said == BY_EAR[language]
    assert value(hass, "sensor.alex_session_state") == "completed"
    await walk(hass, freezer, 120)
    assert len(heard.said) == len(BY_EAR[language])  # nothing after the completion


@pytest.mark.parametrize("language", ["en", "de"])
async def test_full_coaching_adds_halfway_the_last_minute_and_the_figures(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, language: str
) -> None:
    _, heard = await coached(hass, freezer, outside, language, coaching="full")
    await walk(hass, freezer, 730)
    expected = [(t, FULL_CHANGES[language].get(t, text)) for t, text in BY_EAR[language]]
    assert heard.said == expected


async def coached_by_a_satellite(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    language: str = "en",
    *,
    unavailable: bool = False,
    fail_with: Exception | None = None,
) -> tuple[Heard, AnnouncingSatellite]:
    """A walker with the hallway satellite and the speaker, walking the 12-minute 5/1 program."""
    heard = Heard(hass, outside)
    satellite = AnnouncingSatellite(heard)
    satellite.fail_with = fail_with
    await add_satellite(hass, satellite)
    await setup_walker(hass, freezer, **FIVE_ONE, voice_satellite=SATELLITE)
    if unavailable:
        hass.states.async_set(SATELLITE, "unavailable")
    await hass.config.async_update(language=language)
    heard.start = dt_util.utcnow()
    await call(hass, "start_session")
    await hass.async_block_till_done(wait_background_tasks=True)
    return heard, satellite


@pytest.mark.parametrize("language", ["en", "de"])
async def test_a_voice_satellite_says_the_cues_without_a_chime(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory, language: str
) -> None:
    heard, satellite = await coached_by_a_satellite(hass, outside, freezer, language)
    await walk(hass, freezer, 730)
    assert satellite.announced == BY_EAR[language]
    assert not any(satellite.chimes)
    assert heard.said == []  # the speaker stays for warnings and check-ins


async def test_a_satellite_that_cannot_announce_leaves_the_cues_to_the_speaker(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    heard, satellite = await coached_by_a_satellite(hass, outside, freezer, unavailable=True)
    await walk(hass, freezer, 301)
    assert heard.texts() == [text for t, text in BY_EAR["en"] if t <= 300]
    assert satellite.announced == []
    told = [r for r in caplog.records if "uses the speaker" in r.getMessage()]
    assert len(told) == 1  # said once, not at every cue
    assert told[0].levelno == logging.INFO


async def test_without_the_announce_action_the_speaker_says_the_cues(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A satellite set while Home Assistant's assist_satellite is not loaded (no announce action)."""
    hass.states.async_set(SATELLITE, "idle", {"supported_features": 3})
    _, heard = await coached(hass, freezer, outside, voice_satellite=SATELLITE)
    await walk(hass, freezer, 1)
    assert heard.texts() == ["Walk forward for 5 minutes."]
    assert "no assist_satellite.announce action" in caplog.text


async def test_a_failing_satellite_is_logged_once_and_stops_nothing(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    failure = HomeAssistantError("the satellite's pipeline has no voice")
    _, satellite = await coached_by_a_satellite(hass, outside, freezer, fail_with=failure)
    await walk(hass, freezer, 361)
    failures = [r for r in caplog.records if "Could not notify" in r.getMessage()]
    assert len(failures) == 1
    assert failures[0].levelno == logging.WARNING
    assert value(hass, "sensor.alex_current_phase") == "forward"  # the walk goes on
    # Busy with the cue before: this one is left out quietly.
    satellite.fail_with = type("SatelliteBusyError", (HomeAssistantError,), {})()
    await walk(hass, freezer, 300)
    assert len([r for r in caplog.records if "Could not notify" in r.getMessage()]) == 1
    ours = [r for r in caplog.records if "backward_walking" in r.name]
    assert [r for r in ours if r.levelno >= logging.ERROR] == []


async def test_a_failing_speaker_is_logged_once_as_a_warning(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(call: ServiceCall) -> None:
        raise HomeAssistantError("the speaker is off")

    await setup_walker(hass, freezer, **FIVE_ONE)
    hass.services.async_register("tts", "speak", broken)
    await call(hass, "start_session")
    await walk(hass, freezer, 361)
    failures = [r for r in caplog.records if "Could not notify tts.home" in r.getMessage()]
    assert [r.levelno for r in failures] == [logging.WARNING]
    assert value(hass, "sensor.alex_session_state") == "running"


async def test_without_a_speaker_or_satellite_nothing_is_said(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    heard = Heard(hass, outside)
    await setup_walker(hass, freezer, **FIVE_ONE, media_player=None, tts_entity=None)
    assert value(hass, "select.alex_voice_cues") == "off"
    await call(hass, "start_session")
    await walk(hass, freezer, 301)
    assert heard.said == []
    # Chosen on the dashboard, it speaks nowhere still; the choice is stored.
    await hass.services.async_call(
        "select", "select_option", {"entity_id": "select.alex_voice_cues", "option": "full"}, True
    )
    assert value(hass, "select.alex_voice_cues") == "full"
    await walk(hass, freezer, 61)
    assert heard.said == []


async def test_a_restart_repeats_no_cue_and_the_resume_says_which_way(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry, heard = await coached(hass, freezer, outside)
    await walk(hass, freezer, 297)
    await reload(hass, entry)  # as after a restart: the session comes back paused
    await walk(hass, freezer, 30)
    assert heard.texts() == [text for t, text in BY_EAR["en"] if t <= 295]
    await call(hass, "resume_session")
    await walk(hass, freezer, 70)
    assert heard.said[2:] == [
        # 3 s forward: too short to say; the backward minute follows them.
        (327, "Go on: backward, 1 minute left in this part."),
        (385, "In 5 seconds: turn around."),
        (390, "Turn around: forward for 5 minutes."),
    ]


async def test_the_language_of_the_moment(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    _, heard = await coached(hass, freezer, outside)
    await walk(hass, freezer, 200)
    await hass.config.async_update(language="de")
    await walk(hass, freezer, 101)
    assert heard.texts() == [
        "Walk forward for 5 minutes.",
        "In 5 Sekunden: umdrehen.",
        "Dreh dich um: 1 Minute rückwärts.",
    ]
