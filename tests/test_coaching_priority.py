"""Safety speech comes first: a cue never delays a warning and never talks over one.

A hazard at a cue's moment is spoken and the cue is left out; after the hazard pause the next cue
is the one for the resume, said once the path-clear message has been said.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import Unauthorized
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.backward_walking.coaching import speaking_s

from .helpers import call, value
from .safety_helpers import CROSSING, OBSTACLE, Outside
from .test_coaching import BY_EAR, Heard, coached, walk

HAZARD = (
    "Alex, stop and stand still. Something is in the way (Hallway beam). The session is paused."
)
CLEAR_WAIT = "The path behind Alex is clear again. Resume when you are ready."
CLEAR_ON = "The path behind Alex is clear again. The session continues."


async def obstacle(hass: HomeAssistant, on: bool) -> None:
    hass.states.async_set(OBSTACLE, "on" if on else "off", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()


async def test_a_hazard_at_a_cues_moment_is_said_and_the_cue_left_out(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    _, heard = await coached(hass, freezer, outside)
    await walk(hass, freezer, 299)
    freezer.tick(1)  # the moment of the change, before its timer has run
    await obstacle(hass, on=True)
    await walk(hass, freezer, 10)
    assert heard.texts()[1:] == ["In 5 seconds: turn around.", HAZARD]
    await obstacle(hass, on=False)
    await walk(hass, freezer, 5)  # the clear-hold
    assert heard.texts()[-1] == CLEAR_WAIT
    # Resumed at once: the resume cue waits until the path-clear message has been said.
    await call(hass, "resume_session")
    await hass.async_block_till_done()
    assert heard.texts()[-1] == CLEAR_WAIT
    await walk(hass, freezer, speaking_s(CLEAR_WAIT) + 1)
    assert heard.texts()[-1] == "Go on: backward, 1 minute left in this part."
    assert "Turn around: backward for 1 minute." not in heard.texts()
    await walk(hass, freezer, 61)
    assert heard.texts()[-2:] == [
        "In 5 seconds: turn around.",
        "Turn around: forward for 5 minutes.",
    ]


async def test_after_an_automatic_resume_the_resume_cue_follows_the_clear_message(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    _, heard = await coached(hass, freezer, outside, auto_resume=True)
    await walk(hass, freezer, 100)
    await obstacle(hass, on=True)
    await obstacle(hass, on=False)
    await walk(hass, freezer, 6)
    assert value(hass, "sensor.alex_session_state") == "running"
    assert heard.texts()[-2:] == [HAZARD, CLEAR_ON]
    await walk(hass, freezer, speaking_s(CLEAR_ON) + 1)
    # 200 s of the first 5 minutes forward are left, said as people say it.
    assert heard.texts()[-1] == "Go on: forward, 3 and a half minutes left in this part."


async def test_a_planned_cue_never_talks_over_a_warning(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    _, heard = await coached(hass, freezer, outside)
    await walk(hass, freezer, 293)
    hass.states.async_set(CROSSING, "on", {"friendly_name": "Kitchen door motion"})
    await walk(hass, freezer, 10)
    [warning] = [t for t in heard.texts() if t.startswith("Alex, careful")]
    assert speaking_s(warning) > 2  # still playing at the lead's moment, 2 s later
    assert heard.texts()[1:] == [warning, "Turn around: backward for 1 minute."]
    assert value(hass, "sensor.alex_session_state") == "running"


async def resumed_while_the_path_clear_is_said(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> tuple[MockConfigEntry, Heard]:
    """A hazard pause at 100 s; resumed the moment the path-clear message is spoken."""
    entry, heard = await coached(hass, freezer, outside)
    await walk(hass, freezer, 100)
    await obstacle(hass, on=True)
    await obstacle(hass, on=False)
    await walk(hass, freezer, 5)
    await call(hass, "resume_session")
    return entry, heard


async def test_a_waiting_resume_cue_is_dropped_when_the_walker_stops_again(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    _, heard = await resumed_while_the_path_clear_is_said(hass, outside, freezer)
    await call(hass, "pause_session")
    await walk(hass, freezer, 30)
    assert heard.texts()[-1] == CLEAR_WAIT
    assert not any(text.startswith("Go on") for text in heard.texts())


async def test_a_change_while_the_resume_cue_waits_is_said_in_its_place(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    _, heard = await coached(hass, freezer, outside)
    await walk(hass, freezer, 293)
    freezer.tick(2)  # the lead's moment, before its timer has run
    await obstacle(hass, on=True)
    await obstacle(hass, on=False)
    await walk(hass, freezer, 5)
    await call(hass, "resume_session")  # 5 s before the change, the path-clear message playing
    await walk(hass, freezer, 5)
    assert heard.texts()[-1] == CLEAR_WAIT
    await walk(hass, freezer, speaking_s(CLEAR_WAIT))
    # What the walker does now, once: not the resume's 'forward, 5 seconds left'.
    assert heard.texts()[-2:] == [CLEAR_WAIT, "Turn around: backward for 1 minute."]
    await walk(hass, freezer, 30)
    assert not any(text.startswith("Go on") for text in heard.texts())
    assert heard.texts().count("Turn around: backward for 1 minute.") == 1


async def test_an_unloaded_walker_says_nothing_more(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry, heard = await resumed_while_the_path_clear_is_said(hass, outside, freezer)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await walk(hass, freezer, 30)
    assert heard.texts()[-1] == CLEAR_WAIT


async def test_a_read_only_user_cannot_silence_the_coaching(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_read_only_user: MockUser,
) -> None:
    entry, _ = await coached(hass, freezer, outside)
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            "select",
            "select_option",
            {"entity_id": "select.alex_voice_cues", "option": "off"},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert "coaching" not in entry.options
    assert value(hass, "select.alex_voice_cues") == "changes"


async def test_the_choice_sticks_once_made(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """Unset, coaching follows the speaker; chosen, it stays what was chosen."""
    entry, heard = await coached(hass, freezer, outside)
    await hass.services.async_call(
        "select", "select_option", {"entity_id": "select.alex_voice_cues", "option": "off"}, True
    )
    assert entry.options["coaching"] == "off"
    await walk(hass, freezer, 400)
    assert heard.said == BY_EAR["en"][:1]  # the start, before it was switched off
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "media_player": "media_player.kitchen_speaker"}
    )
    await hass.async_block_till_done()
    assert value(hass, "select.alex_voice_cues") == "off"
