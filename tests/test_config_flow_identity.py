"""Who a walker is, in the set-up and in Reconfigure: one name and one person per walker.

A name or person already taken is refused next to its field with what was typed kept; a set-up
left open holds on to nothing; walkers of earlier releases get a unique ID that never changes.
"""

from __future__ import annotations

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.const import DOMAIN

from .helpers import OPTIONS, call, make_entry, state, value
from .safety_helpers import Outside, setup_walker
from .test_config_flow import TRANSLATIONS, USER_INPUT, _shown, _start, _walker

OPTION_FORMS = ("walking", "safety", "alerts", "sensor_details", "reminders")


def _suggested(result: Any) -> dict[str, Any]:
    """What the form shows in its fields: suggested values over defaults."""
    shown = {str(m): m.default() for m in result["data_schema"].schema if callable(m.default)}
    return {**shown, **_shown(result)}


async def _linked(hass: HomeAssistant, entry: MockConfigEntry, person: str) -> None:
    hass.states.async_set(person, "home")
    hass.config_entries.async_update_entry(entry, data={**entry.data, "person": person})


async def test_a_new_walker_gets_a_unique_id_no_name_decides(hass: HomeAssistant) -> None:
    hass.states.async_set("person.alex", "home")
    flow_id = await _start(hass)
    result = await _walker(hass, flow_id, {**USER_INPUT, "person": "person.alex"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    unique_id = result["result"].unique_id
    assert unique_id not in ("alex", "person.alex")
    assert len(unique_id) == 32
    assert int(unique_id, 16) >= 0
    assert (result["result"].version, result["result"].minor_version) == (1, 2)


async def test_a_set_up_left_open_blocks_no_name(hass: HomeAssistant) -> None:
    """One tab stops after the first step; another adds the same walker; the first comes back."""
    left_open = await _start(hass)
    safety = await hass.config_entries.flow.async_configure(left_open, USER_INPUT)
    assert safety["step_id"] == "safety"
    other = await _start(hass)
    done = await _walker(hass, other, USER_INPUT)
    assert done["type"] is FlowResultType.CREATE_ENTRY
    # The first tab finishes: the name is taken now, so its first step comes back, as typed.
    alerts = await hass.config_entries.flow.async_configure(left_open, {"hallway": "porch"})
    again = await hass.config_entries.flow.async_configure(alerts["flow_id"], {})
    assert again["type"] is FlowResultType.FORM
    assert (again["step_id"], again["errors"]) == ("user", {"name": "name_taken"})
    assert _suggested(again)["name"] == "Alex"
    assert _suggested(again)["weight"] == USER_INPUT["weight"]
    # Another name, and the walker is created with the answers of the later steps.
    created = await hass.config_entries.flow.async_configure(
        left_open, {**USER_INPUT, "name": "Alex Two"}
    )
    assert created["type"] is FlowResultType.CREATE_ENTRY
    assert created["options"]["hallway"] == "porch"
    assert [e.title for e in hass.config_entries.async_entries(DOMAIN)] == ["Alex", "Alex Two"]


@pytest.mark.parametrize("name", ["Alex", "alex", " ALEX ", "Ａｌｅｘ"])
@pytest.mark.parametrize("linked", [False, True])
async def test_a_second_walker_of_the_same_name_is_refused(
    hass: HomeAssistant, entry: MockConfigEntry, name: str, linked: bool
) -> None:
    if linked:
        await _linked(hass, entry, "person.alex")
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {**USER_INPUT, "name": name})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"name": "name_taken"}
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_a_person_another_walker_is_refused_next_to_the_field(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(entry, title="Demo Walker", data={"name": "Demo Walker"})
    await _linked(hass, entry, "person.demo")
    flow_id = await _start(hass)
    typed = {**USER_INPUT, "name": "Grandpa", "person": "person.demo", "weight": 81}
    result = await hass.config_entries.flow.async_configure(flow_id, typed)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"person": "person_taken"}
    assert result["description_placeholders"]["linked_walker"] == "Demo Walker"
    shown = _suggested(result)
    assert {key: shown[key] for key in typed} == typed
    # Without the person, the same answers make the walker.
    done = await _walker(hass, flow_id, {k: v for k, v in typed.items() if k != "person"})
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert done["data"] == {"name": "Grandpa", "person": None}


async def test_the_forms_say_no_placeholder_is_missing(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["description_placeholders"]["linked_walker"] == ""


# --- Reconfigure -----------------------------------------------------------------------------


async def test_reconfigure_renames_and_relinks_without_pausing_the_walk(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    hass.states.async_set("person.sam", "home")
    unique_id = loaded.unique_id
    await call(hass, "start_session")
    result = await loaded.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"]["walker"] == "Alex"
    bad = await hass.config_entries.flow.async_configure(result["flow_id"], {"name": ""})
    assert bad["errors"] == {"name": "name_invalid"}
    done = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Sam", "person": "person.sam"}
    )
    await hass.async_block_till_done()
    assert (done["type"], done["reason"]) == (FlowResultType.ABORT, "reconfigure_successful")
    assert (loaded.title, loaded.data) == ("Sam", {"name": "Sam", "person": "person.sam"})
    assert loaded.unique_id == unique_id
    # Live: the walk goes on, the entities say the new name and the new person.
    assert loaded.state is ConfigEntryState.LOADED
    session = state(hass, "sensor.alex_session_state")
    assert session.state == "running"
    assert session.attributes["person"] == "person.sam"
    assert session.attributes["friendly_name"] == "Sam Session state"
    assert loaded.runtime_data.settings.name == "Sam"


async def test_reconfigure_refuses_another_walkers_name_or_person_next_to_the_field(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    other = make_entry("Robin")
    other.add_to_hass(hass)
    await _linked(hass, other, "person.robin")
    result = await loaded.start_reconfigure_flow(hass)
    taken = await hass.config_entries.flow.async_configure(result["flow_id"], {"name": "robin"})
    assert (taken["type"], taken["errors"]) == (FlowResultType.FORM, {"name": "name_taken"})
    linked = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Alex", "person": "person.robin"}
    )
    assert linked["type"] is FlowResultType.FORM
    assert linked["errors"] == {"person": "person_taken"}
    assert linked["description_placeholders"]["linked_walker"] == "Robin"
    assert _suggested(linked)["person"] == "person.robin"
    assert (loaded.title, loaded.data) == ("Alex", {"name": "Alex", "person": None})


async def test_reconfigure_keeps_its_own_name_and_person(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    await _linked(hass, loaded, "person.alex")
    await hass.async_block_till_done()
    result = await loaded.start_reconfigure_flow(hass)
    done = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "ALEX", "person": "person.alex"}
    )
    await hass.async_block_till_done()
    assert done["reason"] == "reconfigure_successful"
    assert loaded.title == "ALEX"


# --- walkers of earlier releases -------------------------------------------------------------


@pytest.mark.parametrize(
    ("unique_id", "person"), [("alex", None), ("person.alex", "person.alex"), (None, None)]
)
async def test_an_earlier_walker_gets_a_unique_id_that_never_changes(
    hass: HomeAssistant, unique_id: str | None, person: str | None
) -> None:
    old = MockConfigEntry(
        domain=DOMAIN,
        title="Alex",
        data={"name": "Alex", "person": person},
        options=OPTIONS,
        unique_id=unique_id,
        version=1,
        minor_version=1,
    )
    old.add_to_hass(hass)
    assert await hass.config_entries.async_setup(old.entry_id)
    await hass.async_block_till_done()
    assert old.state is ConfigEntryState.LOADED
    assert (old.minor_version, old.unique_id) == (2, old.entry_id)
    assert value(hass, "sensor.alex_session_state") == "idle"
    # A new walker of that name is refused by name, not by the old unique ID.
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, USER_INPUT)
    assert result["errors"] == {"name": "name_taken"}


async def test_a_walker_of_a_newer_release_is_left_alone(hass: HomeAssistant) -> None:
    newer = MockConfigEntry(
        domain=DOMAIN, title="Alex", data={"name": "Alex"}, options=OPTIONS, version=2
    )
    newer.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(newer.entry_id)
    assert newer.state is ConfigEntryState.MIGRATION_ERROR


# --- whose settings ---------------------------------------------------------------------------


async def test_every_options_step_says_whose_settings_they_are(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, "Grandpa Joe")
    menu = await hass.config_entries.options.async_init(entry.entry_id)
    assert menu["description_placeholders"] == {"walker": "Grandpa Joe"}
    for step in menu["menu_options"]:
        form = await hass.config_entries.options.async_configure(
            menu["flow_id"], {"next_step_id": step}
        )
        assert form["step_id"] == step
        assert form["description_placeholders"]["walker"] == "Grandpa Joe", step
        menu = await hass.config_entries.options.async_init(entry.entry_id)
    # The set-up's later steps name the walker being added.
    flow_id = await _start(hass)
    safety = await hass.config_entries.flow.async_configure(flow_id, {**USER_INPUT, "name": "Rosa"})
    assert safety["description_placeholders"]["walker"] == "Rosa"


def test_the_titles_name_the_walker() -> None:
    strings = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))
    for flow, steps in (("config", ("reconfigure", "safety", "alerts")), ("options", OPTION_FORMS)):
        for step in steps:
            assert "{walker}" in strings[flow]["step"][step]["title"], (flow, step)
    # Home Assistant shows no placeholders in a menu's title: the menu's description names them.
    assert "{walker}" in strings["options"]["step"]["init"]["description"]
