"""The option table drives every consumer: the flows, the parser, the entities, the forms' texts."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
import json
import math
from pathlib import Path
import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_system import METRIC_SYSTEM, US_CUSTOMARY_SYSTEM
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.backward_walking import number, select, switch
from custom_components.backward_walking.const import DOMAIN
from custom_components.backward_walking.core import options as table
from custom_components.backward_walking.core.options import (
    ALERTS,
    NOT_NOW_BELOW,
    OPTIONS,
    SENSOR_DELAY,
    SPEED_MPH,
    SPEED_SHOWN,
    TARGET_MINUTES,
    ChoiceOption,
    NumberOption,
    OptionSpec,
    SwitchOption,
    finite,
)
from custom_components.backward_walking.core.settings import WalkerSettings
from custom_components.backward_walking.display_units import WalkerUnits
from custom_components.backward_walking.entry_settings import settings_from_entry

from .helpers import make_entry, state
from .safety_helpers import SAFETY_OPTIONS, install_outside, set_clear_hallway
from .test_config_flow_fuzz import _on_loop

TRANSLATIONS = (
    Path(__file__).parent.parent / "custom_components" / "backward_walking" / "translations"
)
NUMBERS = [row for row in OPTIONS if isinstance(row, NumberOption)]
IDENTITY = {"name": "Alex", "person": None}
PLACEHOLDER = re.compile(r"{(\w+)}")


def _values(row: NumberOption) -> st.SearchStrategy[Any]:
    """Numbers around the row's limits, its limits and 'off' value, and what is no number."""
    low, high = row.limits
    span = (high - low) or 1
    return st.one_of(
        st.floats(low - span, high + span),
        st.integers(math.floor(low - span), math.ceil(high + span)),
        st.sampled_from([low, high, row.default, row.off, low - row.step, high + row.step]),
        st.sampled_from([math.nan, math.inf, -math.inf, True, False, "7", None, [], 1e400]),
    )


def _expected(row: NumberOption, value: Any) -> int | float | None:
    """What the row takes, worked out from its limits alone (a form sends numbers, never text)."""
    number = None if isinstance(value, str) else finite(value)
    if number is None:
        return None
    if row.off is not None and number == row.off:
        return row.off
    low, high = row.limits
    if not low <= number <= high or ((row.whole or row.integer) and not number.is_integer()):
        return None
    return int(number) if row.integer else number


@pytest.mark.parametrize("row", NUMBERS, ids=lambda row: row.key)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_number_takes_what_its_limits_allow_and_reads_clamped(
    row: NumberOption, data: st.DataObject
) -> None:
    value = data.draw(_values(row))
    assert row.accept(value) == _expected(row, value)
    read = row.read({row.key: value})
    low, high = row.limits
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        assert read == row.default  # what is no number is never read as one
    elif value == row.off:
        assert read == row.off
    elif row.default is None and not low <= value <= high:
        assert read is None  # an optional option out of range is ignored
    else:
        assert read == row.clamp(value)
        assert low <= read <= high


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_parser_fills_every_settings_field_from_its_row(data: st.DataObject) -> None:
    stored = {row.key: data.draw(_values(row)) for row in NUMBERS}
    stored |= {
        row.key: data.draw(st.booleans()) for row in OPTIONS if isinstance(row, SwitchOption)
    }
    settings_ = settings_from_entry(IDENTITY, stored)
    for row in OPTIONS:
        assert settings_.values[row.key] == row.read(stored)
        if row.field:
            assert getattr(settings_, row.field) == row.read(stored), row.key
    assert settings_.thresholds.min_lux == table.MIN_LUX.read(stored)
    assert settings_.schedule.nag_count == table.NAG_COUNT.read(stored)


def test_rows_name_real_settings_fields_and_defaults_match_them() -> None:
    fields = {field.name: field for field in dataclass_fields(WalkerSettings)}
    defaults = WalkerSettings(name="Alex")
    keys = [row.key for row in OPTIONS]
    assert len(keys) == len(set(keys))
    for row in OPTIONS:
        if row.field:
            assert row.field in fields, row.key
            assert getattr(defaults, row.field) == row.default, row.key
    assert settings_from_entry(IDENTITY, {}) == WalkerSettings(
        name="Alex", values=table.read_options({})
    )


def test_every_entity_row_has_one_description_keyed_by_its_entity_key() -> None:
    described: list[tuple[str, OptionSpec]] = [
        *((d.key, d.option) for d in number.numbers(WalkerUnits("kg", "km/h"))),
        *((d.key, d.option) for d in select.SELECTS),
        *((d.key, d.option) for d in switch.SWITCHES),
    ]
    assert sorted(described, key=lambda pair: pair[0]) == sorted(
        ((row.entity, row) for row in OPTIONS if row.entity), key=lambda pair: pair[0]
    )
    with pytest.raises(ValueError, match="min_lux has no entity"):
        _ = table.MIN_LUX.entity_key


def _answer(form: dict[str, Any]) -> dict[str, Any]:
    """What the frontend sends for a form left as shown: every field's default."""
    return {
        str(marker): marker.default()
        for marker in form["data_schema"].schema
        if isinstance(marker, vol.Required) and marker.default is not vol.UNDEFINED
    }


async def _options_form(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> dict[str, Any]:
    menu = await hass.config_entries.options.async_init(entry.entry_id)
    return dict(
        await hass.config_entries.options.async_configure(menu["flow_id"], {"next_step_id": step})
    )


FORM_ROWS = [row for row in OPTIONS if row.form]
# Fields outside the table a form needs to be saved at all: reminders on need a day and a time.
NEEDED = {table.REMINDERS: {"reminder_days": ["mon"], "reminder_times": ["07:00"]}}


@pytest.mark.parametrize("row", FORM_ROWS, ids=lambda row: row.key)
async def test_each_form_stores_what_its_rows_take(
    hass: HomeAssistant, loaded: MockConfigEntry, row: OptionSpec
) -> None:
    """Any value in a table field: stored as the row takes it, or refused with the row's error."""
    assert row.form is not None

    async def example(value: Any) -> None:
        before = dict(loaded.options)
        form = await _options_form(hass, loaded, row.form or "")
        assert row.key in {str(marker) for marker in form["data_schema"].schema}
        result = await hass.config_entries.options.async_configure(
            form["flow_id"], {**_answer(form), **NEEDED.get(row.form or "", {}), row.key: value}
        )
        await hass.async_block_till_done()
        hub = loaded.runtime_data
        if isinstance(row, SwitchOption):
            expected: Any = value
        elif isinstance(row, ChoiceOption):
            expected = None if value == "" else row.accept(value)
            if expected is None and value != "":
                assert result["type"] is FlowResultType.FORM
                assert result["errors"] == {row.key: row.error}
                assert loaded.options == before
                hass.config_entries.options.async_abort(result["flow_id"])
                return
        else:
            assert isinstance(row, NumberOption)
            expected = _expected(row, value)
            if expected is None:
                assert result["type"] is FlowResultType.FORM
                assert result["errors"] == {row.key: row.error}
                assert loaded.options == before
                hass.config_entries.options.async_abort(result["flow_id"])
                return
        assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
        assert loaded.options[row.key] == expected
        assert hub.settings.values[row.key] == row.read(loaded.options)
        if row.field:
            assert getattr(hub.settings, row.field) == row.read(loaded.options)

    if isinstance(row, SwitchOption):
        strategy: st.SearchStrategy[Any] = st.booleans()
    elif isinstance(row, ChoiceOption):
        # The choices, left empty (unset), and what no form offers.
        strategy = st.sampled_from([*row.choices, "", "loud", "OFF", 1, True])
    else:
        assert isinstance(row, NumberOption)
        strategy = _values(row)
    strategy = strategy.filter(lambda value: value is not None and value != [])

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(value=strategy)
    def run(value: Any) -> None:
        _on_loop(hass, example(value))

    await hass.async_add_executor_job(run)


@pytest.mark.parametrize("system", [METRIC_SYSTEM, US_CUSTOMARY_SYSTEM], ids=["metric", "us"])
async def test_numbers_take_their_limits_from_the_table(
    hass: HomeAssistant, entry: MockConfigEntry, system: Any
) -> None:
    hass.config.units = system
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    duration, speed = state(hass, "number.alex_duration"), state(hass, "number.alex_speed")
    assert (duration.attributes["min"], duration.attributes["max"]) == TARGET_MINUTES.limits
    assert duration.attributes["step"] == TARGET_MINUTES.step
    unit = speed.attributes["unit_of_measurement"]
    assert (speed.attributes["min"], speed.attributes["max"]) == SPEED_SHOWN[unit][:2]
    for entity_id, row, low, high in (
        ("number.alex_duration", TARGET_MINUTES, *TARGET_MINUTES.limits),
        ("number.alex_speed", SPEED_MPH, *SPEED_SHOWN[unit][:2]),
    ):
        for value in (low, high, (low + high) / 2):
            await hass.services.async_call(
                "number", "set_value", {"entity_id": entity_id, "value": value}, blocking=True
            )
            await hass.async_block_till_done()
            stored = entry.options[row.key]
            assert row.limits[0] <= stored <= row.limits[1]
            shown = row.clamp(value) if row.integer else value  # whole minutes: rounded
            assert float(state(hass, entity_id).state) == pytest.approx(shown, abs=0.01)
        before = dict(entry.options)
        for value in (low - 1, high + 1):
            with pytest.raises(ServiceValidationError):
                await hass.services.async_call(
                    "number", "set_value", {"entity_id": entity_id, "value": value}, blocking=True
                )
        assert entry.options == before


async def test_switches_and_the_select_store_their_rows(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    for description in switch.SWITCHES:
        entity_id = f"switch.alex_{description.key}"
        for service, on in (("turn_on", True), ("turn_off", False)):
            await hass.services.async_call("switch", service, {"entity_id": entity_id}, True)
            await hass.async_block_till_done()
            assert loaded.options[description.option.key] is on
            assert state(hass, entity_id).state == ("on" if on else "off")
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": "select.alex_program", "option": "beginner_10"},
        True,
    )
    assert loaded.options[table.PROGRAM.key] == "beginner_10"


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


async def test_every_range_in_the_forms_texts_comes_from_the_table(hass: HomeAssistant) -> None:
    """Each step supplies every placeholder its texts and its rows' errors use, in en and de."""
    set_clear_hallway(hass)
    install_outside(hass)
    walker = make_entry(**SAFETY_OPTIONS)
    walker.add_to_hass(hass)
    assert await hass.config_entries.async_setup(walker.entry_id)
    errors_of = {
        "walking": [TARGET_MINUTES, table.MET_OVERRIDE, table.WEEKLY_GOAL],
        "safety": [table.MIN_LUX],
        "alerts": [row for row in OPTIONS if row.form == ALERTS],
        "reminders": [row for row in OPTIONS if row.form == table.REMINDERS] + [NOT_NOW_BELOW],
        "sensor_details": [SENSOR_DELAY],
    }
    for path in TRANSLATIONS.glob("*.json"):
        texts = json.loads(path.read_text(encoding="utf-8"))["options"]
        for step, rows in errors_of.items():
            form = await _options_form(hass, walker, step)
            supplied = set(form.get("description_placeholders") or {})
            strings = texts["step"][step]
            used = _placeholders(strings.get("description", ""))
            for text in strings.get("data_description", {}).values():
                used |= _placeholders(text)
            for row in rows:
                if isinstance(row, NumberOption):
                    used |= _placeholders(texts["error"][row.error])
                    assert {f"{row.key}_min", f"{row.key}_max"} <= supplied, (step, row.key)
            assert used <= supplied, (path.name, step, used - supplied)
            hass.config_entries.options.async_abort(form["flow_id"])


async def test_a_row_added_to_the_table_shows_in_its_form_and_reaches_the_settings(
    hass: HomeAssistant, loaded: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's worked example: one row, and the option is in its form and the settings."""
    warm_up = NumberOption(
        key="warm_up_minutes", default=2, limits=(0, 10), unit=table.MINUTES, integer=True,
        form=table.WALKING,
    )  # fmt: skip
    at = OPTIONS.index(table.WEEKLY_GOAL) + 1
    monkeypatch.setattr(table, "OPTIONS", (*OPTIONS[:at], warm_up, *OPTIONS[at:]))
    form = await _options_form(hass, loaded, table.WALKING)
    keys = [str(marker) for marker in form["data_schema"].schema]
    assert keys[-3:] == ["weekly_goal_minutes", "warm_up_minutes", "custom_programs"]
    assert _answer(form)[warm_up.key] == warm_up.default
    shown = form["description_placeholders"]
    assert (shown["warm_up_minutes_min"], shown["warm_up_minutes_max"]) == ("0", "10")
    refused = await hass.config_entries.options.async_configure(
        form["flow_id"], {**_answer(form), warm_up.key: 11}
    )
    assert refused["errors"] == {warm_up.key: "number_range"}
    fraction = await hass.config_entries.options.async_configure(
        refused["flow_id"], {**_answer(form), warm_up.key: 4.4}
    )
    assert fraction["errors"] == {warm_up.key: "number_range"}  # whole minutes, never rounded
    for path in TRANSLATIONS.glob("*.json"):
        assert "number_range" in json.loads(path.read_text(encoding="utf-8"))["options"]["error"]
    saved = await hass.config_entries.options.async_configure(
        fraction["flow_id"], {**_answer(form), warm_up.key: 4}
    )
    await hass.async_block_till_done()
    assert saved["type"] is FlowResultType.CREATE_ENTRY
    assert loaded.options[warm_up.key] == 4
    assert loaded.runtime_data.settings.values[warm_up.key] == 4


async def test_unique_ids_of_earlier_releases_move_and_keep_entity_ids(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """A walker set up before entity keys were their own: its numbers keep IDs and history."""
    registry = er.async_get(hass)
    old = registry.async_get_or_create(
        "number",
        DOMAIN,
        f"{entry.entry_id}_target_minutes",
        config_entry=entry,
        suggested_object_id="alex_target_minutes",
        translation_key="target_minutes",
    )
    speed = registry.async_get_or_create(
        "number",
        DOMAIN,
        f"{entry.entry_id}_speed",
        config_entry=entry,
        suggested_object_id="alex_walking_speed",
    )
    assert old.entity_id == "number.alex_target_minutes"
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    moved = registry.async_get(old.entity_id)
    assert moved is not None
    assert (moved.id, moved.unique_id) == (old.id, f"{entry.entry_id}_duration")
    assert moved.translation_key == "duration"  # the card finds it by this key
    assert (
        registry.async_get_entity_id("number", DOMAIN, f"{entry.entry_id}_target_minutes") is None
    )
    assert hass.states.get("number.alex_duration") is None  # no twin
    assert state(hass, old.entity_id).state == "10"
    assert state(hass, speed.entity_id).state == "1.61"
    await hass.services.async_call(
        "number", "set_value", {"entity_id": old.entity_id, "value": 25}, blocking=True
    )
    assert entry.options[TARGET_MINUTES.key] == 25


async def test_a_walker_with_both_unique_ids_keeps_todays(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    old = registry.async_get_or_create(
        "number", DOMAIN, f"{entry.entry_id}_target_minutes", config_entry=entry
    )
    new = registry.async_get_or_create(
        "number", DOMAIN, f"{entry.entry_id}_duration", config_entry=entry,
        suggested_object_id="alex_duration",
    )  # fmt: skip
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert registry.async_get_entity_id("number", DOMAIN, f"{entry.entry_id}_duration") == (
        new.entity_id
    )
    assert state(hass, new.entity_id).state == "10"
    assert hass.states.get(old.entity_id) is None  # left over, as Home Assistant leaves orphans


@pytest.mark.parametrize(("field", "typed"), [("speed", "3\n"), ("weight", " 70 "), ("speed", "2")])
async def test_the_converted_numbers_refuse_text_too(
    hass: HomeAssistant, loaded: MockConfigEntry, field: str, typed: str
) -> None:
    """Speed and weight are typed in the user's unit and converted: a form sends them as numbers."""
    form = await _options_form(hass, loaded, table.WALKING)
    before = dict(loaded.options)
    refused = await hass.config_entries.options.async_configure(
        form["flow_id"], {**_answer(form), field: typed}
    )
    assert field in refused["errors"]
    assert dict(loaded.options) == before
