"""Entity-ID renames are followed in the walker's settings; the missing-sensor repair's fix flow."""

from __future__ import annotations

import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockEntity, MockEntityPlatform

from .helpers import advance, call, value
from .safety_helpers import LIGHT, OBSTACLE, Outside, setup_walker


class _Beam(MockEntity):
    """A light beam across the hallway that reads clear."""

    @property
    def state(self) -> str:
        return "off"


async def _real_beam(hass: HomeAssistant, unique_id: str = "beam") -> str:
    """A binary sensor backed by a real entity (it rewrites its state itself on a rename)."""
    platform = MockEntityPlatform(hass, domain="binary_sensor", platform_name="test")
    entity = _Beam(unique_id=unique_id, name=f"Real {unique_id}")
    await platform.async_add_entities([entity])
    await hass.async_block_till_done()
    assert entity.entity_id is not None
    return entity.entity_id


@pytest.mark.parametrize("entity_first", [True, False])
async def test_renaming_a_real_sensor_keeps_the_path_monitored(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    entity_first: bool,
) -> None:
    """Whichever hears the registry first, the entity or the walker: no pause, no repair."""
    beam = await _real_beam(hass) if entity_first else "binary_sensor.real_beam"
    if not entity_first:
        hass.states.async_set(beam, "off")  # restored, until its integration sets it up
    entry = await setup_walker(
        hass,
        freezer,
        obstacle_sensors=[OBSTACLE, beam],
        warn_only_sensors=[beam],
        sensor_delays={beam: 2},
    )
    if not entity_first:
        hass.states.async_remove(beam)
        assert await _real_beam(hass) == beam
    await call(hass, "start_session")
    caplog.set_level(logging.INFO)
    er.async_get(hass).async_update_entity(beam, new_entity_id="binary_sensor.hall_beam")
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.hall_beam") is not None
    assert value(hass, "sensor.alex_session_state") == "running"
    assert (
        value(hass, "sensor.alex_path_hazard") == "checking"
    )  # the new ID reads clear for the hold
    await advance(hass, freezer, 5.1)
    assert value(hass, "sensor.alex_path_hazard") == "none"
    assert value(hass, "sensor.alex_session_state") == "running"
    assert entry.options["obstacle_sensors"] == [OBSTACLE, "binary_sensor.hall_beam"]
    assert entry.options["warn_only_sensors"] == ["binary_sensor.hall_beam"]
    assert entry.options["sensor_delays"] == {"binary_sensor.hall_beam": 2}
    assert "binary_sensor.real_beam was renamed to binary_sensor.hall_beam" in caplog.text
    assert not [i for i in ir.async_get(hass).issues if "missing" in i[1]]
    rules = {rule.entity_id for rule in entry.runtime_data.settings.sensors}
    assert "binary_sensor.hall_beam" in rules
    assert beam not in rules


async def test_a_state_moved_before_the_walker_hears_of_the_rename(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    """An integration that moves the state while the registry event is still being handed out."""
    registry = er.async_get(hass)
    beam = registry.async_get_or_create("binary_sensor", "demo", "b", suggested_object_id="beam")
    hass.states.async_set(beam.entity_id, "off")

    @callback
    def move_state(event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        data: dict[str, Any] = dict(event.data)
        if data.get("old_entity_id") == beam.entity_id:
            hass.states.async_remove(beam.entity_id)
            hass.states.async_set(data["entity_id"], "off")

    hass.bus.async_listen(er.EVENT_ENTITY_REGISTRY_UPDATED, move_state)
    entry = await setup_walker(hass, freezer, fall_sensors=[beam.entity_id])
    await call(hass, "start_session")
    registry.async_update_entity(beam.entity_id, new_entity_id="binary_sensor.fall_mat")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"
    assert entry.options["fall_sensors"] == ["binary_sensor.fall_mat"]
    assert not [i for i in ir.async_get(hass).issues if "missing" in i[1]]
    hass.states.async_set("binary_sensor.fall_mat", "on")
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "paused"


async def test_a_renamed_sensor_that_never_reports_counts_as_missing(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    registry = er.async_get(hass)
    beam = registry.async_get_or_create("binary_sensor", "demo", "b", suggested_object_id="beam")
    hass.states.async_set(beam.entity_id, "off")
    entry = await setup_walker(hass, freezer, obstacle_sensors=[beam.entity_id])
    await call(hass, "start_session")
    registry.async_update_entity(beam.entity_id, new_entity_id="binary_sensor.silent_beam")
    hass.states.async_remove(beam.entity_id)
    await hass.async_block_till_done()
    assert value(hass, "sensor.alex_session_state") == "running"
    await advance(hass, freezer, 9)
    assert value(hass, "sensor.alex_session_state") == "running"
    await advance(hass, freezer, 1.1)
    assert value(hass, "sensor.alex_session_state") == "paused"
    assert value(hass, "sensor.alex_path_hazard") == "sensor_unavailable"
    issue_id = f"sensor_missing_{entry.entry_id}_binary_sensor.silent_beam"
    assert ir.async_get(hass).async_get_issue("backward_walking", issue_id) is None  # registered
    await hass.config_entries.async_unload(entry.entry_id)


async def test_every_option_naming_the_old_id_follows(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    registry = er.async_get(hass)
    speaker = registry.async_get_or_create("media_player", "demo", "spk", suggested_object_id="spk")
    tired = registry.async_get_or_create("input_boolean", "demo", "t", suggested_object_id="tired")
    score = registry.async_get_or_create("sensor", "demo", "s", suggested_object_id="sleep")
    phone = registry.async_get_or_create("notify", "demo", "p", suggested_object_id="phone")
    for entity in (speaker, tired, score, phone):
        hass.states.async_set(entity.entity_id, "idle")
    entry = await setup_walker(
        hass,
        freezer,
        media_player=speaker.entity_id,
        not_now_entities=[tired.entity_id],
        not_now_sensor=score.entity_id,
        not_now_below=50,
        walker_notify=["notify.walker_phone", phone.entity_id],
        emergency_notify=[phone.entity_id],
    )
    for entity, new in (
        (speaker, "media_player.hall_speaker"),
        (tired, "input_boolean.feeling_tired"),
        (score, "sensor.sleep_score"),
        (phone, "notify.alex_phone"),
    ):
        registry.async_update_entity(entity.entity_id, new_entity_id=new)
    await hass.async_block_till_done()
    assert entry.options["media_player"] == "media_player.hall_speaker"
    assert entry.options["not_now_entities"] == ["input_boolean.feeling_tired"]
    assert entry.options["not_now_sensor"] == "sensor.sleep_score"
    assert entry.options["walker_notify"] == ["notify.walker_phone", "notify.alex_phone"]
    assert entry.options["emergency_notify"] == ["notify.alex_phone"]
    settings = entry.runtime_data.settings
    assert settings.media_player == "media_player.hall_speaker"
    assert settings.not_now_sensor == "sensor.sleep_score"


async def test_a_rename_of_an_unrelated_entity_changes_nothing(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    registry = er.async_get(hass)
    other = registry.async_get_or_create("light", "demo", "x", suggested_object_id="kitchen")
    entry = await setup_walker(hass, freezer)
    before = dict(entry.options)
    registry.async_update_entity(other.entity_id, new_entity_id="light.kitchen_ceiling")
    registry.async_update_entity(other.entity_id.replace("kitchen", "kitchen_ceiling"), name="x")
    await hass.async_block_till_done()
    assert dict(entry.options) == before


async def test_the_repair_goes_when_the_settings_no_longer_name_the_sensor(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, obstacle_sensors=[OBSTACLE, "binary_sensor.gone"])
    issue_id = f"sensor_missing_{entry.entry_id}_binary_sensor.gone"
    issues = ir.async_get(hass)
    assert issues.async_get_issue("backward_walking", issue_id) is not None
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "obstacle_sensors": [OBSTACLE]}
    )
    await hass.async_block_till_done()
    assert issues.async_get_issue("backward_walking", issue_id) is None
    assert value(hass, "sensor.alex_path_hazard") == "none"
    assert LIGHT in entry.options["light_sensors"]


async def _fix_flow(hass: HomeAssistant, issue_id: str) -> tuple[Any, dict[str, Any]]:
    assert await async_setup_component(hass, "repairs", {})
    await hass.async_block_till_done()
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init("backward_walking", data={"issue_id": issue_id})
    return manager, dict(result)


async def test_fix_flow_re_picks_a_replacement(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    gone = "binary_sensor.gone"
    entry = await setup_walker(
        hass, freezer, obstacle_sensors=[OBSTACLE, gone], sensor_delays={gone: 3}
    )
    issue_id = f"sensor_missing_{entry.entry_id}_{gone}"
    issue = ir.async_get(hass).async_get_issue("backward_walking", issue_id)
    assert issue is not None
    assert issue.is_fixable
    manager, menu = await _fix_flow(hass, issue_id)
    assert menu["type"] is FlowResultType.MENU
    assert menu["menu_options"] == ["replace", "remove"]
    assert menu["description_placeholders"] == {"entity_id": gone, "walker": "Alex"}
    form = await manager.async_configure(menu["flow_id"], {"next_step_id": "replace"})
    assert form["step_id"] == "replace"
    for wrong in ("sensor.hallway_light", "binary_sensor.nowhere", 7):
        bad = await manager.async_configure(menu["flow_id"], {"replacement": wrong})
        assert bad["errors"] == {"replacement": "sensor_invalid"}
    # A walker's own entity is not offered, and refused if sent anyway.
    [picker] = form["data_schema"].schema.values()
    assert "binary_sensor.alex_path" in picker.config["exclude_entities"]
    own = await manager.async_configure(menu["flow_id"], {"replacement": "binary_sensor.alex_path"})
    assert own["errors"] == {"replacement": "sensor_own"}
    hass.states.async_set("binary_sensor.new_beam", "off")
    done = await manager.async_configure(menu["flow_id"], {"replacement": "binary_sensor.new_beam"})
    assert done["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["obstacle_sensors"] == [OBSTACLE, "binary_sensor.new_beam"]
    assert entry.options["sensor_delays"] == {"binary_sensor.new_beam": 3}
    assert ir.async_get(hass).async_get_issue("backward_walking", issue_id) is None
    await advance(hass, freezer, 5.1)
    assert value(hass, "sensor.alex_path_hazard") == "none"


async def test_fix_flow_removes_the_sensor(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    gone = "sensor.gone_distance"
    entry = await setup_walker(
        hass,
        freezer,
        distance_sensors=[gone],
        warn_only_sensors=[gone, LIGHT],
        sensor_delays={gone: 1, LIGHT: 2},
    )
    issue_id = f"sensor_missing_{entry.entry_id}_{gone}"
    manager, menu = await _fix_flow(hass, issue_id)
    replace = await manager.async_configure(menu["flow_id"], {"next_step_id": "replace"})
    schema = replace["data_schema"].schema
    selector = schema[next(iter(schema))]
    assert selector.config["filter"][0]["device_class"] == ["distance"]
    manager.async_abort(menu["flow_id"])
    manager, menu = await _fix_flow(hass, issue_id)
    confirm = await manager.async_configure(menu["flow_id"], {"next_step_id": "remove"})
    assert confirm["step_id"] == "remove"
    done = await manager.async_configure(menu["flow_id"], {})
    assert done["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["distance_sensors"] == []
    assert entry.options["warn_only_sensors"] == [LIGHT]
    assert entry.options["sensor_delays"] == {LIGHT: 2}
    assert ir.async_get(hass).async_get_issue("backward_walking", issue_id) is None
    await advance(hass, freezer, 5.1)
    assert value(hass, "sensor.alex_path_hazard") == "none"


async def test_fix_flow_of_a_walker_deleted_meanwhile(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer, obstacle_sensors=["binary_sensor.gone"])
    issue_id = f"sensor_missing_{entry.entry_id}_binary_sensor.gone"
    manager, first = await _fix_flow(hass, issue_id)
    _manager, second = await _fix_flow(hass, issue_id)
    await hass.config_entries.async_remove(entry.entry_id)
    for flow, step in ((first, "replace"), (second, "remove")):
        gone = await manager.async_configure(flow["flow_id"], {"next_step_id": step})
        assert gone["type"] is FlowResultType.ABORT
        assert gone["reason"] == "walker_gone"
    ir.async_create_issue(
        hass,
        "backward_walking",
        issue_id,
        is_fixable=True,
        severity=ir.IssueSeverity.ERROR,
        translation_key="sensor_missing",
        translation_placeholders={"walker": "Alex", "entity_id": "binary_sensor.gone"},
        data={"entry_id": entry.entry_id, "entity_id": "binary_sensor.gone"},
    )
    _manager, again = await _fix_flow(hass, issue_id)
    assert again["type"] is FlowResultType.ABORT
