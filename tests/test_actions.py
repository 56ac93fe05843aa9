"""Every action error: a translated message, and nothing changes."""

from __future__ import annotations

import math
from typing import Any

from homeassistant.config_entries import SOURCE_IGNORE, ConfigEntryDisabler
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.const import DOMAIN

from .helpers import add_walker, call, make_entry, press, value


async def _refused(
    hass: HomeAssistant,
    service: str,
    data: dict[str, Any],
    key: str,
    target: dict[str, Any] | None = None,
) -> str:
    """Refuse the call with the translated message ``key``, change nothing, return the message."""
    before = {s.entity_id: (s.state, s.attributes) for s in hass.states.async_all()}
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, service, data, blocking=True, return_response=True, target=target
        )
    await hass.async_block_till_done()
    assert err.value.translation_domain == "backward_walking"
    assert err.value.translation_key == key
    # The message is the translated one, with its placeholders filled in.
    message = str(err.value)
    assert "{" not in message
    assert message not in ("", key)
    assert {s.entity_id: (s.state, s.attributes) for s in hass.states.async_all()} == before
    return message


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"duration": 0}, "invalid_duration"),
        ({"duration": 121}, "invalid_duration"),
        ({"duration": "ten"}, "invalid_duration"),
        ({"duration": True}, "invalid_duration"),
        ({"duration": [5]}, "invalid_duration"),
        ({"speed": 0.1}, "invalid_speed"),
        ({"speed": 7}, "invalid_speed"),
        ({"speed": "fast"}, "invalid_speed"),
        ({"program": "moonwalk"}, "unknown_program"),
        ({"program": ""}, "invalid_text"),
        ({"program": "x" * 300}, "invalid_text"),
        ({"program": 5}, "invalid_text"),
        ({"config_entry_id": "nope"}, "walker_not_found"),
        ({"config_entry_id": 42}, "invalid_text"),
        ({"device_id": "nope"}, "walker_not_found"),
    ],
)
async def test_start_rejects_bad_input(hass: HomeAssistant, data: dict[str, Any], key: str) -> None:
    await _refused(hass, "start_session", data, key)
    assert value(hass, "sensor.alex_session_state") == "idle"


@pytest.mark.usefixtures("loaded")
async def test_numbers_as_text_are_accepted(hass: HomeAssistant) -> None:
    response = await call(hass, "start_session", {"duration": "15", "speed": "2.5"})
    assert response["target_minutes"] == 15


@pytest.mark.usefixtures("loaded")
async def test_wrong_state_is_refused(hass: HomeAssistant) -> None:
    await _refused(hass, "pause_session", {}, "cannot_pause")
    await _refused(hass, "resume_session", {}, "cannot_resume")
    await _refused(hass, "stop_session", {}, "cannot_stop")
    await call(hass, "start_session")
    await _refused(hass, "start_session", {}, "cannot_start")
    await _refused(hass, "resume_session", {}, "cannot_resume")
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, "resume")
    assert err.value.translation_key == "cannot_resume"


@pytest.mark.usefixtures("loaded")
async def test_a_refusal_says_the_state_in_home_assistants_language(hass: HomeAssistant) -> None:
    await hass.config.async_update(language="de")
    await hass.async_block_till_done(wait_background_tasks=True)
    for service, key, state in [
        ("pause_session", "cannot_pause", "nicht gestartet"),
        ("acknowledge_check_in", "cannot_acknowledge_check_in", "keiner offen"),
    ]:
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, service)
        assert err.value.translation_key == key
        assert err.value.translation_placeholders["state"] == state
    await call(hass, "start_session")
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_session")
    assert err.value.translation_placeholders["state"] == "läuft"


async def test_two_walkers_need_a_target(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    robin = make_entry("Robin")
    robin.add_to_hass(hass)
    assert await hass.config_entries.async_setup(robin.entry_id)
    await _refused(hass, "start_session", {}, "walker_required")
    await call(hass, "start_session", {"config_entry_id": robin.entry_id})
    assert value(hass, "sensor.robin_session_state") == "running"
    assert value(hass, "sensor.alex_session_state") == "idle"
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), loaded.entry_id)
    await call(hass, "start_session", {"device_id": device.id})
    assert value(hass, "sensor.alex_session_state") == "running"
    # A device and an entry that name different walkers are refused.
    await _refused(
        hass,
        "stop_session",
        {"device_id": device.id, "config_entry_id": robin.entry_id},
        "walker_mismatch",
    )


async def test_device_of_another_integration(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    other = MockConfigEntry(domain="demo")
    other.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("demo", "x")}
    )
    await _refused(hass, "start_session", {"device_id": device.id}, "not_a_walker")
    await _refused(hass, "start_session", {"config_entry_id": other.entry_id}, "not_a_walker")


async def test_unloaded_walker(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    assert await hass.config_entries.async_unload(loaded.entry_id)
    await _refused(hass, "start_session", {}, "walker_not_loaded")


async def test_no_walker_at_all(hass: HomeAssistant) -> None:
    from homeassistant.setup import async_setup_component

    assert await async_setup_component(hass, "backward_walking", {})
    await _refused(hass, "start_session", {}, "walker_required")


# Everything that is not a finite number: text, NaN and infinities (also as text, and 1e400, which
# float() reads as infinity), an integer too big for a float, booleans, lists and mappings.
NOT_FINITE_NUMBERS = [
    "nan",
    math.nan,
    "inf",
    math.inf,
    -math.inf,
    "1e400",
    10**400,
    True,
    False,
    "ten",
    "",
    [5],
    "5 min",
]
NUMBER_FIELDS = [
    ("start_session", "duration", "invalid_duration"),
    ("start_session", "speed", "invalid_speed"),
    ("snooze_reminder", "minutes", "invalid_minutes"),
]


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize(("service", "field", "key"), NUMBER_FIELDS)
@pytest.mark.parametrize("bad", NOT_FINITE_NUMBERS, ids=repr)
async def test_number_fields_take_finite_numbers_only(
    hass: HomeAssistant, service: str, field: str, key: str, bad: Any
) -> None:
    message = await _refused(hass, service, {field: bad}, key)
    assert value(hass, "sensor.alex_session_state") == "idle"
    # The message says what was sent (shortened) and the limits.
    assert str(bad)[:20] in message
    assert " 1 " in message or " 0.5 " in message


@pytest.mark.usefixtures("loaded")
async def test_a_number_too_long_to_print_is_refused(hass: HomeAssistant) -> None:
    """Python will not turn an integer of more than 4300 digits into text: the message still comes."""
    message = await _refused(hass, "start_session", {"duration": 10**5000}, "invalid_duration")
    assert "“…”" in message


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize(
    ("field", "limits"),
    [("duration", "between 1 and 120"), ("minutes", "between 1 and 240")],
)
async def test_range_messages_name_the_limits(hass: HomeAssistant, field: str, limits: str) -> None:
    service = "snooze_reminder" if field == "minutes" else "start_session"
    message = await _refused(hass, service, {field: 1000}, f"invalid_{field}")
    assert limits in message
    assert "“1000”" in message


@pytest.mark.usefixtures("loaded")
async def test_snooze_minutes_are_whole(hass: HomeAssistant) -> None:
    message = await _refused(hass, "snooze_reminder", {"minutes": 2.5}, "invalid_minutes")
    assert "“2.5”" in message


@pytest.mark.parametrize("around", ["{}\n", " {}", "{}\t"])
async def test_an_id_is_taken_only_as_it_is(
    hass: HomeAssistant, loaded: MockConfigEntry, around: str
) -> None:
    await _refused(
        hass, "pause_session", {"config_entry_id": around.format(loaded.entry_id)}, "invalid_text"
    )


@pytest.mark.usefixtures("loaded")
async def test_speed_limits_follow_the_unit_system_of_the_moment(hass: HomeAssistant) -> None:
    message = await _refused(hass, "start_session", {"speed": 6.6}, "invalid_speed")
    assert "between 0.5 and 6.5 km/h" in message
    hass.config.units = US_CUSTOMARY_SYSTEM
    message = await _refused(hass, "start_session", {"speed": 4.1}, "invalid_speed")
    assert "between 0.3 and 4 mph" in message
    response = await call(hass, "start_session", {"speed": 4})
    assert response["state"] == "running"


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize(
    ("field", "bad", "shown"),
    [
        ("program", "Al\x00ex", "Al\\x00ex"),
        ("program", "F5\nB1", "F5\\nB1"),
        ("program", "back\u200bward_only", "back\\u200bward_only"),
        ("program", "\u202ebackward_only", "\\u202ebackward_only"),
        ("program", "\t", "\\t"),
        ("program", "   ", "   "),
        ("program", "x" * 41, "x" * 39 + "…"),
        ("program", 5, "5"),
        ("program", ["backward_only"], "['backward_only']"),
        ("config_entry_id", "abc\x1b[2J", "abc\\x1b[2J"),
        ("config_entry_id", 42, "42"),
        ("device_id", "", ""),
        ("device_id", ["abc"], "['abc']"),
    ],
)
async def test_text_fields_refuse_invisible_characters_and_other_types(
    hass: HomeAssistant, field: str, bad: Any, shown: str
) -> None:
    message = await _refused(hass, "start_session", {field: bad}, "invalid_text")
    # Control characters are shown as their escapes, never written into the message.
    assert f"“{shown}”" in message
    assert field in message
    assert value(hass, "sensor.alex_session_state") == "idle"


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize("service", ["start_session", "resume_session"])
@pytest.mark.parametrize("bad", ["yes", "true", "on", 1, 0, [True], "force"], ids=repr)
async def test_force_is_true_or_false_only(hass: HomeAssistant, service: str, bad: Any) -> None:
    """Overriding safety warnings is never read into a "yes" or a 1."""
    if service == "resume_session":
        await call(hass, "start_session")
        await call(hass, "pause_session")
    state = value(hass, "sensor.alex_session_state")
    message = await _refused(hass, service, {"force": bad}, "invalid_flag")
    assert "“force”" in message
    assert value(hass, "sensor.alex_session_state") == state


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize(
    ("service", "data", "target", "field"),
    [
        ("start_session", {"durations": 5}, None, "durations"),
        ("stop_session", {"duration": 5}, None, "duration"),
        ("snooze_reminder", {"minute": 5}, None, "minute"),
        ("pause_session", {}, {"entity_id": "sensor.alex_session_state"}, "entity_id"),
        ("request_help", {}, {"area_id": "hallway"}, "area_id"),
        # An unknown field is named first, before a wrong value of a known one.
        ("start_session", {"duration": "nan", "sped": 2}, None, "sped"),
    ],
)
async def test_unknown_fields_are_named(
    hass: HomeAssistant,
    service: str,
    data: dict[str, Any],
    target: dict[str, Any] | None,
    field: str,
) -> None:
    message = await _refused(hass, service, data, "unknown_field", target)
    assert f"“{field}”" in message
    assert "config_entry_id, device_id" in message


@pytest.mark.usefixtures("loaded")
async def test_the_first_wrong_field_is_named(hass: HomeAssistant) -> None:
    message = await _refused(
        hass, "start_session", {"force": "yes", "speed": "fast", "duration": 0}, "invalid_duration"
    )
    assert "“0”" in message


@pytest.mark.usefixtures("loaded")
async def test_null_fields_count_as_left_out(hass: HomeAssistant) -> None:
    """An empty blueprint input or a template rendering nothing gives null: the default applies."""
    fields = ("config_entry_id", "device_id", "duration", "program", "speed", "force")
    response = await call(hass, "start_session", dict.fromkeys(fields))
    assert (response["state"], response["target_minutes"]) == ("running", 10)
    assert response["program"] == "backward_only"
    await call(hass, "pause_session")
    await call(hass, "resume_session", {"force": None})
    await call(hass, "stop_session")
    response = await call(hass, "snooze_reminder", {"minutes": None})
    assert response["state"] == "stopped"


async def test_target_resolution_names_what_is_wrong(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """The errors of HA's service.async_get_config_entry, naming the walker or what was chosen."""
    robin = await add_walker(hass, "Robin")
    devices = dr.async_get(hass)
    [alex_device] = dr.async_entries_for_config_entry(devices, loaded.entry_id)
    other = MockConfigEntry(domain="demo", title="Demo lights")
    other.add_to_hass(hass)
    lamp = devices.async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("demo", "lamp")}, name="Hall lamp"
    )

    message = await _refused(hass, "start_session", {"config_entry_id": "nope"}, "walker_not_found")
    assert "“nope”" in message
    message = await _refused(hass, "start_session", {"device_id": "gone"}, "walker_not_found")
    assert "“gone”" in message
    message = await _refused(
        hass, "start_session", {"config_entry_id": other.entry_id}, "not_a_walker"
    )
    assert "“Demo lights”" in message
    message = await _refused(hass, "start_session", {"device_id": lamp.id}, "not_a_walker")
    assert "“Hall lamp”" in message
    message = await _refused(
        hass,
        "start_session",
        {"device_id": alex_device.id, "config_entry_id": robin.entry_id},
        "walker_mismatch",
    )
    assert "Alex and Robin" in message
    # The same device and entry, or a device given as Home Assistant's target, are fine.
    await call(
        hass, "start_session", {"device_id": alex_device.id, "config_entry_id": loaded.entry_id}
    )
    assert value(hass, "sensor.alex_session_state") == "running"
    await hass.services.async_call(
        DOMAIN, "pause_session", {}, blocking=True, target={"device_id": alex_device.id}
    )
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert value(hass, "sensor.robin_session_state") == "idle"


@pytest.mark.parametrize("by", ["config_entry_id", "device_id", None])
async def test_an_unloaded_walker_is_named(
    hass: HomeAssistant, loaded: MockConfigEntry, by: str | None
) -> None:
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), loaded.entry_id)
    target = {"config_entry_id": loaded.entry_id, "device_id": device.id, None: None}[by]
    assert await hass.config_entries.async_unload(loaded.entry_id)
    data = {} if by is None else {by: target}
    message = await _refused(hass, "request_help", data, "walker_not_loaded")
    assert "Alex" in message


async def test_disabled_and_ignored_walkers_do_not_count(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """As in HA's own helper, the only walker is the only one enabled and not ignored."""
    disabled = make_entry("Robin")
    disabled.disabled_by = ConfigEntryDisabler.USER
    disabled.add_to_hass(hass)
    ignored = MockConfigEntry(domain=DOMAIN, source=SOURCE_IGNORE, unique_id="sam", title="Sam")
    ignored.add_to_hass(hass)
    await call(hass, "start_session")
    assert value(hass, "sensor.alex_session_state") == "running"
    message = await _refused(
        hass, "stop_session", {"config_entry_id": disabled.entry_id}, "walker_not_loaded"
    )
    assert "Robin" in message
