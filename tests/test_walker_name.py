"""One name per walker: Home Assistant's Rename of the entry and the device page's rename follow.

The entry's title, its data, the device's name, the entities' names and the messages always say the
same, a rename never pauses a walk, and a rename that could not be a walker's name is undone with a
repair issue that says why.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.const import DOMAIN

from .helpers import call, make_entry, reload, state, value
from .safety_helpers import FALL, OBSTACLE, Outside, settle, setup_walker


def device_of(hass: HomeAssistant, entry: MockConfigEntry) -> dr.DeviceEntry:
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return device


def names(hass: HomeAssistant, entry: MockConfigEntry) -> tuple[str, str, str | None, str | None]:
    """Title, name in the data, the device's name and its user-given name."""
    device = device_of(hass, entry)
    return entry.title, entry.data["name"], device.name, device.name_by_user


def refused(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    """The repair issue of a rename that was undone, if there is one."""
    return ir.async_get(hass).async_get_issue(DOMAIN, f"rename_refused_{entry.entry_id}")


def rename_device(hass: HomeAssistant, entry: MockConfigEntry, name: str | None) -> None:
    """What the device page's rename dialog does."""
    dr.async_get(hass).async_update_device(device_of(hass, entry).id, name_by_user=name)


async def test_renaming_the_entry_renames_the_walker_everywhere_while_walking(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session")
    hass.config_entries.async_update_entry(entry, title="Grandpa Joe")
    await hass.async_block_till_done()
    assert names(hass, entry) == ("Grandpa Joe", "Grandpa Joe", "Grandpa Joe", None)
    session = state(hass, "sensor.alex_session_state")
    assert (session.state, session.attributes["friendly_name"]) == (
        "running",
        "Grandpa Joe Session state",
    )
    hass.states.async_set(OBSTACLE, "on", {"friendly_name": "Hallway beam"})
    await hass.async_block_till_done()
    assert outside.to("walker_phone")[-1]["message"].startswith("Grandpa Joe, stop")
    assert outside.spoken[-1].startswith("Grandpa Joe, stop")


async def test_renaming_the_device_renames_the_walker_everywhere(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session")
    rename_device(hass, entry, "Rosa")
    await hass.async_block_till_done()
    assert names(hass, entry) == ("Rosa", "Rosa", "Rosa", None)
    assert value(hass, "sensor.alex_session_state") == "running"
    assert entry.runtime_data.settings.name == "Rosa"
    # A check-in asks by the new name.
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    assert outside.to("walker_phone")[-1]["message"].startswith("Rosa, are you OK?")
    # And the name stays after a reload.
    await reload(hass, entry)
    await settle(hass, freezer, entry)
    assert names(hass, entry) == ("Rosa", "Rosa", "Rosa", None)
    assert state(hass, "sensor.alex_session_state").attributes["friendly_name"] == (
        "Rosa Session state"
    )


@pytest.mark.parametrize(
    ("how", "new", "issue"),
    [
        ("entry", "Robin", "rename_name_taken"),
        ("entry", " robin ", "rename_name_taken"),
        ("device", "ROBIN", "rename_name_taken"),
        ("entry", "", "rename_name_invalid"),
        ("entry", "x" * 61, "rename_name_invalid"),
        ("device", "Al\x00ex", "rename_name_invalid"),
        ("device", "\u200b", "rename_name_invalid"),
    ],
)
async def test_a_rename_that_cannot_be_a_walkers_name_is_undone_and_explained(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    how: str,
    new: str,
    issue: str,
) -> None:
    robin = make_entry("Robin")
    robin.add_to_hass(hass)
    entry = await setup_walker(hass, freezer)
    await call(hass, "start_session", {"config_entry_id": entry.entry_id})
    if how == "entry":
        hass.config_entries.async_update_entry(entry, title=new)
    else:
        rename_device(hass, entry, new)
    await hass.async_block_till_done()
    assert names(hass, entry) == ("Alex", "Alex", "Alex", None)
    assert value(hass, "sensor.alex_session_state") == "running"
    found = refused(hass, entry)
    assert found is not None
    assert found.translation_key == issue
    assert found.translation_placeholders is not None
    assert found.translation_placeholders["walker"] == "Alex"
    assert "\x00" not in found.translation_placeholders["name"]
    # A rename that is fine afterwards takes the issue away.
    hass.config_entries.async_update_entry(entry, title="Sam")
    await hass.async_block_till_done()
    assert names(hass, entry) == ("Sam", "Sam", "Sam", None)
    assert refused(hass, entry) is None


async def test_three_names_from_an_earlier_release_become_the_device_pages(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """The integration page said Grandpa Joe, the device Second Walker, the card Rosa."""
    entry = await setup_walker(hass, freezer, "Rosa")
    assert await hass.config_entries.async_unload(entry.entry_id)
    rename_device(hass, entry, "Second Walker")
    hass.config_entries.async_update_entry(entry, title="Grandpa Joe")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert names(hass, entry) == ("Second Walker", "Second Walker", "Second Walker", None)
    assert entry.runtime_data.settings.name == "Second Walker"


async def test_a_reset_device_name_changes_nothing(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    rename_device(hass, entry, "Alex")  # the same name typed again
    await hass.async_block_till_done()
    rename_device(hass, entry, None)
    await hass.async_block_till_done()
    assert names(hass, entry) == ("Alex", "Alex", "Alex", None)
    assert refused(hass, entry) is None


async def test_both_renamed_at_once_take_the_device_pages_name(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    hass.config_entries.async_update_entry(entry, title="From the entry")
    rename_device(hass, entry, "From the device")
    await hass.async_block_till_done()
    assert names(hass, entry) == ("From the device",) * 3 + (None,)
