"""A refused start or resume says why in words of the translations, and what to do about it."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.backward_walking.core.safety import Hazard, Reason, Role, Verdict
from custom_components.backward_walking.texts import texts_now

from .helpers import advance, call, reload
from .safety_helpers import CROSSING, DISTANCE, OBSTACLE, Outside, setup_walker


async def refusal(hass: HomeAssistant, service: str = "start_session") -> ServiceValidationError:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service)
    return err.value


async def test_sensors_being_checked_say_when_they_are_ready_in_one_sentence(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await reload(hass, entry)
    refused = await refusal(hass)
    assert (refused.translation_key, refused.translation_placeholders) == (
        "path_checking",
        {"walker": "Alex", "seconds": "5"},
    )
    # Home Assistant leaves out a message's final full stop.
    assert str(refused) == "The hallway sensors for Alex are being checked: ready in 5 s"
    await advance(hass, freezer, 2.5, step=2.5)
    assert (await refusal(hass)).translation_placeholders["seconds"] == "3"
    await advance(hass, freezer, 2.5, step=2.5)
    assert (await call(hass, "start_session"))["state"] == "running"


async def test_a_hazard_is_named_with_the_sensors_still_checked_and_must_be_cleared(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await reload(hass, entry)
    refused = await refusal(hass)
    assert refused.translation_key == "path_not_clear"
    assert str(refused) == (
        "The path behind Alex is not clear: Something is in the way (Hallway beam) and the "
        "hallway sensors are still being checked (ready in 5 s). Clear it first."
    )


async def test_what_force_may_override_says_so(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    hass.states.async_set(CROSSING, "on", {"friendly_name": "Kitchen door"})
    hass.states.async_remove(DISTANCE)
    await hass.async_block_till_done()
    refused = await refusal(hass)
    assert str(refused) == (
        "The path behind Alex is not clear: Sensor.hallway_free_distance cannot be read (missing) "
        "and movement at Kitchen door. Warnings and sensors that cannot be read can be "
        "overridden with force."
    )


@pytest.mark.parametrize(
    ("reading", "unit", "shown"),
    [
        ("unavailable", "cm", "Free distance cannot be read (unavailable)"),
        ("5", None, "Free distance cannot be read (5, without a length unit)"),
        ("far\x07\u200b", "cm", "Free distance cannot be read (far\\x07\\u200b)"),
        ("80", "cm", "Only 80 cm free behind you (Free distance)"),
    ],
)
async def test_readings_are_words_and_odd_states_stay_visible(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    reading: str,
    unit: str | None,
    shown: str,
) -> None:
    await setup_walker(hass, freezer)
    attributes = {
        "friendly_name": "Free distance",
        **({"unit_of_measurement": unit} if unit else {}),
    }
    hass.states.async_set(DISTANCE, reading, attributes)
    await hass.async_block_till_done()
    assert (await refusal(hass)).translation_placeholders["reasons"] == shown


async def test_in_german_every_reason_and_reading_is_german(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    hass.config.language = "de"
    await setup_walker(hass, freezer)
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Flurschranke"})
    hass.states.async_set(DISTANCE, "unavailable", {"friendly_name": "Abstand"})
    await hass.async_block_till_done()
    refused = await refusal(hass)
    assert refused.translation_placeholders == {
        "walker": "Alex",
        "reasons": "Etwas ist im Weg (Flurschranke) und Abstand liefert keine Werte (nicht verfügbar)",
        "advice": "Räum ihn zuerst frei.",
    }


async def test_a_message_about_sensors_being_checked_needs_no_ready_time(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """A warning while walking (a sensor added mid-session) names them without a countdown."""
    await setup_walker(hass, freezer)
    checking = Reason("sensor.new", Role.DISTANCE, Hazard.CHECKING, "250 cm", Verdict.WARNING)
    assert texts_now(hass).reasons([checking], {}) == (
        "The hallway sensors are still being checked"
    )
