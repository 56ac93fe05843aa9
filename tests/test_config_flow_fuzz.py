"""Fuzzing every field of every config, options and reconfigure step.

Each example fills a step's form with valid values, then replaces some fields with hostile ones (NaN,
infinities, huge integers, booleans, text of any kind, control and invisible characters, lists) or
leaves them out. Whatever arrives, the flow must answer with a field error (its own, translated, or
Home Assistant's form validation) or store options that are valid; no exception may escape.

Hypothesis drives the examples from a worker thread; each example runs on Home Assistant's loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import json
import math
import os
from pathlib import Path
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking import const
from custom_components.backward_walking.core.names import has_invisible
from custom_components.backward_walking.core.options import (
    OPTIONS,
    SENSOR_DELAY,
    SPEED_MPH,
    TARGET_MINUTES,
    WEEKLY_GOAL,
    WEIGHT_KG,
    NumberOption,
)
from custom_components.backward_walking.core.programs import (
    MAX_PROGRAMS,
    PROGRAM_NAME_MAX_LENGTH,
    parse_segments,
)
from custom_components.backward_walking.entry_settings import settings_from_entry

from .safety_helpers import LIGHT, OBSTACLE, SAFETY_OPTIONS, install_outside, set_clear_hallway
from .test_config_flow import OPTIONS_INPUT, USER_INPUT
from .test_config_flow_reminders import REMINDERS_INPUT
from .test_config_flow_safety import ALERTS_INPUT, SAFETY_INPUT

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
TRANSLATIONS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components/backward_walking/translations/en.json"
    ).read_text()
)
PLAUSIBLE = [
    "person.alex",
    OBSTACLE,
    LIGHT,
    "binary_sensor.nowhere",
    "notify.walker_phone",
    "media_player.hallway_speaker",
    "tts.home",
    "input_boolean.feeling_tired",
    "sensor.sleep_score",
    "backward_only",
    "mon",
    "07:30",
    "22:00:00",
    "7:5",
    "Easy: B1 R1",
    "X: B" + "9" * 400,
    "\n".join(f"P{n}: B1" for n in range(MAX_PROGRAMS + 1)),
    "0" * 32,
]
HOSTILE = [
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e400",
    "-0",
    "",
    " ",
    1e400,
    -1e400,
    math.nan,
    10**400,
    -(10**400),
    2**63,
    True,
    False,
    None,
    "\x00",
    "\u200b",
    "Al\tex",
    "Al\nex",
    "\u202eAlex",
    "\ufeff",
    "０",
    "٥",
    "x" * 5000,
]
NUMBERISH = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "1e400", 1e400, -1e400, math.nan, 10**400, True, False]),
    st.floats(),
    st.integers(),
    st.floats(-5000, 5000).map(str),
)
ANY = st.one_of(
    NUMBERISH,
    st.sampled_from([*HOSTILE, *PLAUSIBLE]),
    st.floats(),
    st.integers(),
    st.booleans(),
    st.text(max_size=60),
    st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"]), min_size=1, max_size=4),
    st.lists(st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=8), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _on_loop(hass: HomeAssistant, job: Coroutine[Any, Any, None]) -> None:
    """Run ``job`` on Home Assistant's loop and wait until all it started is done.

    The loop stays idle while Hypothesis draws the next example in this thread.
    """

    async def settled() -> None:
        try:
            await job
        finally:
            await hass.async_block_till_done()

    asyncio.run_coroutine_threadsafe(settled(), hass.loop).result(timeout=60)


def _fuzzed(data: st.DataObject, fields: list[str], valid: dict[str, Any]) -> dict[str, Any]:
    """The valid input with one to three fields made hostile or left out, now and then an extra."""
    answer = {field: valid[field] for field in fields if field in valid}
    chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True))
    for field in chosen:
        kind = data.draw(st.sampled_from(["number", "number", "any", "any", "absent"]), field)
        if kind == "absent":
            answer.pop(field, None)
        else:
            answer[field] = data.draw(NUMBERISH if kind == "number" else ANY, field)
    if data.draw(st.integers(0, 9), "extra field?") == 0:
        answer[data.draw(st.text(min_size=1, max_size=8), "extra name")] = data.draw(ANY, "extra")
    return answer


def _fields(result: dict[str, Any]) -> list[str]:
    return [str(key) for key in result["data_schema"].schema]


def _check_form(result: dict[str, Any], step: str, section: str) -> None:
    """A form shown again: the same step, with errors that are translated."""
    assert result["type"] is FlowResultType.FORM, result
    assert result["step_id"] == step
    assert result["errors"], "a form shown again must say what is wrong"
    for code in result["errors"].values():
        assert code in TRANSLATIONS[section]["error"], code


def assert_valid(data: dict[str, Any], options: dict[str, Any]) -> None:
    """Stored data and options a walker can run with: finite, in range, JSON without NaN."""
    json.dumps({"data": data, "options": options}, allow_nan=False)
    name = data["name"]
    assert isinstance(name, str)
    assert 1 <= len(name) <= const.NAME_MAX_LENGTH
    assert name == name.strip()
    assert not has_invisible(name)
    assert data["person"] is None or data["person"].startswith("person.")

    # Every number of the table is within its limits (or is its "off" value) once it is set.
    assert {WEIGHT_KG.key, TARGET_MINUTES.key, SPEED_MPH.key, WEEKLY_GOAL.key} <= options.keys()
    for row in OPTIONS:
        value = options.get(row.key)
        if not isinstance(row, NumberOption) or value is None or value == row.off:
            continue
        assert not isinstance(value, bool), row.key
        assert isinstance(value, int | float), row.key
        assert row.limits[0] <= value <= row.limits[1], (row.key, value)
    for delay in options.get(const.CONF_SENSOR_DELAYS, {}).values():
        assert SENSOR_DELAY.limits[0] <= delay <= SENSOR_DELAY.limits[1]
    hallway = options.get(const.CONF_HALLWAY, "")
    assert len(hallway) <= const.NAME_MAX_LENGTH
    assert not has_invisible(hallway)
    programs = options.get(const.CONF_CUSTOM_PROGRAMS, {})
    assert len(programs) <= MAX_PROGRAMS
    for program_name, compact in programs.items():
        assert len(program_name) <= PROGRAM_NAME_MAX_LENGTH
        assert not has_invisible(program_name)
        parse_segments(compact)
    settings = settings_from_entry(data, options)
    assert settings.program in settings.programs
    assert settings.default_program.cycle_s > 0


def _run(
    hass: HomeAssistant,
    fields: list[str],
    valid: dict[str, Any],
    example: Callable[[dict[str, Any]], Coroutine[Any, Any, None]],
) -> Any:
    """Draw answers in a worker thread (Hypothesis' own) and try each on Home Assistant's loop."""

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        _on_loop(hass, example(_fuzzed(data, fields, valid)))

    return hass.async_add_executor_job(fuzz)


@pytest.fixture
def hallway(hass: HomeAssistant) -> None:
    set_clear_hallway(hass)
    install_outside(hass)
    hass.states.async_set("person.alex", "home", {"user_id": "abc"})
    hass.states.async_set("input_boolean.feeling_tired", "off")
    hass.states.async_set("sensor.sleep_score", "75")


CONFIG_STEPS = {"user": USER_INPUT, "safety": SAFETY_INPUT, "alerts": ALERTS_INPUT}


async def _config_step(hass: HomeAssistant, target: str) -> dict[str, Any]:
    """A new config flow, answered validly up to the form of ``target``."""
    result: Any = await hass.config_entries.flow.async_init(
        const.DOMAIN, context={"source": SOURCE_USER}
    )
    for step, valid in CONFIG_STEPS.items():
        if step == target:
            break
        result = await hass.config_entries.flow.async_configure(result["flow_id"], valid)
    assert result["step_id"] == target
    return dict(result)


def _abort_left_over(hass: HomeAssistant, flow_id: str) -> None:
    for manager in (hass.config_entries.flow, hass.config_entries.options):
        if flow_id in {flow["flow_id"] for flow in manager.async_progress()}:
            manager.async_abort(flow_id)


@pytest.mark.usefixtures("hallway")
@pytest.mark.parametrize("target", list(CONFIG_STEPS))
async def test_fuzz_config_flow(hass: HomeAssistant, target: str) -> None:
    async def example(answer: dict[str, Any]) -> None:
        result = await _config_step(hass, target)
        flow_id = result["flow_id"]
        steps = list(CONFIG_STEPS)
        try:
            for step in steps[steps.index(target) :]:
                assert result["step_id"] == step
                try:
                    result = dict(await hass.config_entries.flow.async_configure(flow_id, answer))
                except InvalidData:
                    return  # refused by Home Assistant's own form validation
                if result["type"] is FlowResultType.CREATE_ENTRY:
                    assert_valid(result["data"], result["options"])
                    await hass.config_entries.async_remove(result["result"].entry_id)
                    return
                if result["step_id"] == step:
                    _check_form(result, step, "config")
                    return
                answer = CONFIG_STEPS[result["step_id"]]
        finally:
            _abort_left_over(hass, flow_id)

    form = await _config_step(hass, target)
    _abort_left_over(hass, form["flow_id"])
    await _run(hass, _fields(form), CONFIG_STEPS[target], example)


OPTION_STEPS = {
    "walking": {**OPTIONS_INPUT, "custom_programs": "Easy: B1 R1"},
    "safety": SAFETY_INPUT,
    "alerts": ALERTS_INPUT,
    "sensor_details": {"warn_only_sensors": [LIGHT], "Hallway beam": 2, "Hallway light": 0},
    "reminders": REMINDERS_INPUT,
}


@pytest.mark.usefixtures("hallway")
@pytest.mark.parametrize("step", list(OPTION_STEPS))
async def test_fuzz_options_flow(hass: HomeAssistant, step: str) -> None:
    entry = MockConfigEntry(
        domain=const.DOMAIN,
        title="Alex",
        data={"name": "Alex", "person": None},
        options={**OPTIONS_INPUT, "weight_kg": 70.0, "speed_mph": 1.0, **SAFETY_OPTIONS},
        unique_id="alex",
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    baseline = dict(entry.options)

    async def step_form() -> dict[str, Any]:
        menu = await hass.config_entries.options.async_init(entry.entry_id)
        return dict(
            await hass.config_entries.options.async_configure(
                menu["flow_id"], {"next_step_id": step}
            )
        )

    async def example(answer: dict[str, Any]) -> None:
        result = await step_form()
        flow_id = result["flow_id"]
        try:
            try:
                result = dict(await hass.config_entries.options.async_configure(flow_id, answer))
            except InvalidData:
                return
            if result["type"] is not FlowResultType.CREATE_ENTRY:
                _check_form(result, step, "options")
                assert dict(entry.options) == baseline
                return
            await hass.async_block_till_done()
            assert_valid(dict(entry.data), dict(entry.options))
            # The options were applied live, without an error on the way.
            hub = entry.runtime_data
            assert hub.settings == settings_from_entry(dict(entry.data), dict(entry.options))
            hass.config_entries.async_update_entry(entry, options=baseline)
            await hass.async_block_till_done()
        finally:
            _abort_left_over(hass, flow_id)

    form = await step_form()
    _abort_left_over(hass, form["flow_id"])
    await _run(hass, _fields(form), OPTION_STEPS[step], example)


@pytest.mark.usefixtures("hallway")
async def test_fuzz_reconfigure(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    robin = MockConfigEntry(
        domain=const.DOMAIN,
        title="Robin",
        data={"name": "Robin", "person": "person.alex"},
        unique_id="person.alex",
    )
    robin.add_to_hass(hass)
    baseline = dict(loaded.data)

    async def example(answer: dict[str, Any]) -> None:
        result: Any = await loaded.start_reconfigure_flow(hass)
        flow_id = result["flow_id"]
        try:
            try:
                result = await hass.config_entries.flow.async_configure(flow_id, answer)
            except InvalidData:
                return
            if result["type"] is FlowResultType.ABORT:
                assert result["reason"] == "reconfigure_successful"
                await hass.async_block_till_done()
                assert_valid(dict(loaded.data), dict(loaded.options))
                # The walker's name is one: its title says the same.
                assert loaded.title == loaded.data["name"]
                hass.config_entries.async_update_entry(loaded, data=baseline, title="Alex")
                await hass.async_block_till_done()
                return
            _check_form(result, "reconfigure", "config")
            assert dict(loaded.data) == baseline
        finally:
            _abort_left_over(hass, flow_id)

    form = await loaded.start_reconfigure_flow(hass)
    _abort_left_over(hass, form["flow_id"])
    await _run(hass, _fields(form), {"name": "Sam"}, example)
