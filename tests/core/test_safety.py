"""Path policy: every role, fail-closed readings, debounce, clear-hold and the start gate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, strategies as st
import pytest

from custom_components.backward_walking.core.gate import gate_start
from custom_components.backward_walking.core.safety import (
    Hazard,
    PathMonitor,
    Reading,
    Role,
    SensorRule,
    Thresholds,
    Verdict,
    judge,
    last_activity,
)
from custom_components.backward_walking.core.units import distance_in_metres, metres_in

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
LIMITS = Thresholds(min_distance_m=1.0, min_lux=10)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("role", "state", "unit", "hazard", "severity"),
    [
        (Role.OBSTACLE, "on", None, Hazard.OBSTACLE, Verdict.UNSAFE),
        (Role.OBSTACLE, "off", None, None, None),
        (Role.CROSSING, "on", None, Hazard.CROSSING, Verdict.WARNING),
        (Role.CROSSING, "off", None, None, None),
        (Role.FALL, "on", None, Hazard.FALL, Verdict.FALL),
        (Role.FALL, "off", None, None, None),
        (Role.ACTIVITY, "on", None, None, None),
        (Role.ACTIVITY, "off", None, None, None),
        (Role.DISTANCE, "99", "cm", Hazard.TOO_CLOSE, Verdict.UNSAFE),
        (Role.DISTANCE, "100", "cm", None, None),
        (Role.DISTANCE, "0.5", "m", Hazard.TOO_CLOSE, Verdict.UNSAFE),
        (Role.DISTANCE, "3", "ft", Hazard.TOO_CLOSE, Verdict.UNSAFE),
        (Role.DISTANCE, "40", "in", None, None),
        (Role.DISTANCE, "5", None, Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
        (Role.DISTANCE, "5", "lx", Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
        (Role.DISTANCE, "far", "cm", Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
        (Role.DISTANCE, "nan", "cm", Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
        (Role.DISTANCE, "inf", "cm", Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
        (Role.LIGHT, "9.9", "lx", Hazard.TOO_DARK, Verdict.UNSAFE),
        (Role.LIGHT, "10", "lx", None, None),
        (Role.LIGHT, "dark", "lx", Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
        (Role.OBSTACLE, "unavailable", None, Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
        (Role.OBSTACLE, "unknown", None, Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
        (Role.OBSTACLE, "open", None, Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
        (Role.ACTIVITY, "unavailable", None, Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
        (Role.FALL, "", None, Hazard.SENSOR_UNAVAILABLE, Verdict.UNSAFE),
    ],
)
def test_every_role(
    role: Role, state: str, unit: str | None, hazard: Hazard | None, severity: Verdict | None
) -> None:
    found = judge(SensorRule("x.y", role), Reading(state, unit, T0), LIMITS)
    if hazard is None:
        assert found is None
    else:
        assert found is not None
        assert (found.hazard, found.severity, found.role) == (hazard, severity, role)


def test_missing_sensor_is_unsafe_and_can_be_downgraded() -> None:
    for reading in (None, Reading(None)):
        found = judge(SensorRule("x.y", Role.OBSTACLE), reading, LIMITS)
        assert found is not None
        assert (found.hazard, found.severity, found.reading) == (
            Hazard.SENSOR_UNAVAILABLE,
            Verdict.UNSAFE,
            "missing",
        )
    warned = judge(SensorRule("x.y", Role.OBSTACLE, unavailable_warns=True), None, LIMITS)
    assert warned is not None
    assert warned.severity is Verdict.WARNING
    # The downgrade is only for unreadable sensors, never for a real obstacle.
    real = judge(SensorRule("x.y", Role.OBSTACLE, unavailable_warns=True), Reading("on"), LIMITS)
    assert real is not None
    assert real.severity is Verdict.UNSAFE


def test_reading_text_shows_value_and_unit() -> None:
    found = judge(SensorRule("s.d", Role.DISTANCE), Reading("40", "cm"), LIMITS)
    assert found is not None
    assert found.reading == "40 cm"
    unknown = judge(SensorRule("s.d", Role.DISTANCE), Reading("40", "parsec"), LIMITS)
    assert unknown is not None
    assert unknown.reading == "40 parsec (unknown unit)"


def test_worst_reason_first() -> None:
    monitor = PathMonitor(
        (
            SensorRule("b.cross", Role.CROSSING),
            SensorRule("b.fall", Role.FALL),
            SensorRule("b.obst", Role.OBSTACLE),
        )
    )
    result = monitor.assess(
        {"b.cross": Reading("on"), "b.fall": Reading("on"), "b.obst": Reading("on")}, T0
    )
    assert result.verdict is Verdict.FALL
    assert [r.entity_id for r in result.reasons] == ["b.fall", "b.obst", "b.cross"]
    assert result.top_hazard is Hazard.FALL


def test_debounce_and_clear_hold() -> None:
    monitor = PathMonitor((SensorRule("b.o", Role.OBSTACLE, on_delay_s=2),), clear_hold_s=5)
    on, off = {"b.o": Reading("on")}, {"b.o": Reading("off")}
    first = monitor.assess(on, at(0))
    assert (first.verdict, first.recheck_at) == (Verdict.CLEAR, at(2))
    assert monitor.assess(off, at(1)).verdict is Verdict.CLEAR  # a blip shorter than the delay
    assert monitor.assess(on, at(3)).verdict is Verdict.CLEAR
    held = monitor.assess(on, at(5))
    assert held.verdict is Verdict.UNSAFE
    clearing = monitor.assess(off, at(6))
    assert (clearing.verdict, clearing.recheck_at) == (Verdict.UNSAFE, at(11))
    assert monitor.assess(off, at(10.9)).verdict is Verdict.UNSAFE
    # The hazard comes back during the hold: the hold starts again when it goes.
    assert monitor.assess(on, at(10.95)).verdict is Verdict.UNSAFE
    assert monitor.assess(off, at(12)).verdict is Verdict.UNSAFE
    assert monitor.assess(off, at(17)).verdict is Verdict.CLEAR


def test_no_sensors_is_clear() -> None:
    assert PathMonitor(()).assess({}, T0).verdict is Verdict.CLEAR


def test_start_gate() -> None:
    monitor = PathMonitor((SensorRule("b.cross", Role.CROSSING), SensorRule("b.o", Role.OBSTACLE)))
    clear = monitor.assess({"b.cross": Reading("off"), "b.o": Reading("off")}, T0)
    assert gate_start(clear, force=False).allowed
    warning = monitor.assess({"b.cross": Reading("on"), "b.o": Reading("off")}, T0)
    assert not gate_start(warning, force=False).allowed
    forced = gate_start(warning, force=True)
    assert forced.allowed
    assert [r.hazard for r in forced.overridden] == [Hazard.CROSSING]
    unreadable = monitor.assess({"b.cross": Reading("off")}, T0)
    assert gate_start(unreadable, force=True).allowed
    blocked = monitor.assess({"b.cross": Reading("on"), "b.o": Reading("on")}, at(1))
    refused = gate_start(blocked, force=True)
    assert not refused.allowed
    assert [r.hazard for r in refused.blocking] == [Hazard.OBSTACLE]


def test_last_activity() -> None:
    readings = {"m.a": Reading("off", since=at(10)), "m.b": Reading("off", since=at(20))}
    assert last_activity(readings, ("m.a", "m.b"), at(30)) == at(20)
    readings["m.a"] = Reading("on", since=at(25))
    assert last_activity(readings, ("m.a", "m.b"), at(30)) == at(30)
    assert last_activity({"m.a": None}, ("m.a",), at(30)) is None


def test_units() -> None:
    assert distance_in_metres(250, "cm") == pytest.approx(2.5)
    assert distance_in_metres(1, "mi") == pytest.approx(1609.344)
    assert distance_in_metres(1, None) is None
    assert metres_in(0.3048, "ft") == pytest.approx(1)


states = st.one_of(
    st.sampled_from(["on", "off", "unavailable", "unknown", "", "12", "0.2", "abc"]),
    st.none(),
)
roles = st.sampled_from(list(Role))


@given(st.lists(st.tuples(roles, states), min_size=1, max_size=8))
def test_never_clear_while_a_sensor_cannot_be_read(sensors: list[tuple[Role, str | None]]) -> None:
    rules = tuple(SensorRule(f"s.n{i}", role) for i, (role, _) in enumerate(sensors))
    readings = {f"s.n{i}": Reading(state, "m") for i, (_, state) in enumerate(sensors)}
    result = PathMonitor(rules).assess(readings, T0)
    for rule in rules:
        reason = judge(rule, readings[rule.entity_id], LIMITS)
        if reason is not None:
            assert result.verdict.rank >= reason.severity.rank
    unreadable = any(
        readings[r.entity_id].state in (None, "unavailable", "unknown", "") for r in rules
    )
    if unreadable:
        assert result.verdict.rank >= Verdict.UNSAFE.rank


@given(st.lists(st.tuples(st.booleans(), st.floats(0, 3)), min_size=1, max_size=60))
def test_clear_only_after_the_hold(flips: list[tuple[bool, float]]) -> None:
    monitor = PathMonitor((SensorRule("b.o", Role.OBSTACLE),), clear_hold_s=5)
    now = T0
    last_on: datetime | None = None
    for on, gap in flips:
        now += timedelta(seconds=gap)
        if on:
            last_on = now
        result = monitor.assess({"b.o": Reading("on" if on else "off")}, now)
        if on:
            assert result.verdict is Verdict.UNSAFE
        elif result.verdict is Verdict.CLEAR and last_on is not None:
            assert now - last_on >= timedelta(seconds=5)


def test_a_cleared_hazard_says_when_its_hold_ends() -> None:
    monitor = PathMonitor(
        (SensorRule("b.o", Role.OBSTACLE), SensorRule("b.late", Role.OBSTACLE, on_delay_s=3)),
        clear_hold_s=5,
    )
    on = {"b.o": Reading("on"), "b.late": Reading("off")}
    off = {"b.o": Reading("off"), "b.late": Reading("off")}
    assert monitor.assess(on, at(0)).clearing == ()
    clearing = monitor.assess(off, at(2))
    [held] = clearing.clearing
    assert (held.reason, held.at) == (clearing.reasons[0], at(7))
    assert clearing.shown != monitor.assess(on, at(3)).shown  # the hazard came back: no hold
    again = monitor.assess(off, at(4))
    assert [h.at for h in again.clearing] == [at(9)]
    # A hazard waiting out its on-delay holds the path and is not clearing.
    waiting = monitor.assess({"b.o": Reading("off"), "b.late": Reading("on")}, at(10))
    assert (waiting.verdict, waiting.clearing) == (Verdict.CLEAR, ())
    assert monitor.assess({"b.o": Reading("off"), "b.late": Reading("on")}, at(13)).clearing == ()


def test_sensors_being_checked_say_when_they_are_ready() -> None:
    monitor = PathMonitor(
        (SensorRule("b.o", Role.OBSTACLE), SensorRule("s.d", Role.DISTANCE)), clear_hold_s=5
    )
    readings = {"b.o": Reading("off"), "s.d": Reading("250", "cm")}
    monitor.load(readings, at(0))
    checking = monitor.assess(None, at(1))
    assert {r.hazard for r in checking.reasons} == {Hazard.CHECKING}
    assert [h.at for h in checking.clearing] == [at(5), at(5)]
    assert [h.reason for h in checking.clearing] == list(checking.reasons)
    # The clock stepped back: the hold starts again from then, never later than its length.
    stepped = monitor.assess(None, at(-10))
    assert [h.at for h in stepped.clearing] == [at(-5), at(-5)]
    assert monitor.assess(None, at(-5)).verdict is Verdict.CLEAR
