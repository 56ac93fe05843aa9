"""Energy model against the Compendium formula."""

from __future__ import annotations

from hypothesis import given, strategies as st
import pytest

from custom_components.backward_walking.core.energy import (
    BACKWARD_TO_FORWARD,
    MetSource,
    backward_met,
    forward_met,
    kcal_per_minute,
    session_energy,
)
from custom_components.backward_walking.core.programs import Direction


def test_compendium_anchor_values() -> None:
    anchor = backward_met(3.5)
    assert (anchor.value, anchor.source, anchor.code) == (6.0, MetSource.COMPENDIUM, "17320")
    assert forward_met(3.7).value == 4.8
    assert forward_met(2.7).value == 3.5
    assert forward_met(1.0).value == 2.3
    assert forward_met(1.0).source is MetSource.COMPENDIUM


def test_slow_backward_is_an_estimate_scaled_from_forward() -> None:
    slow = backward_met(1.0)
    assert slow.source is MetSource.ESTIMATE
    assert slow.code is None
    assert forward_met(1.0).value < slow.value < 6.0


def test_override_wins() -> None:
    met = backward_met(1.0, override=4.2)
    assert (met.value, met.source) == (4.2, MetSource.OVERRIDE)


def test_kcal_formula() -> None:
    # MET × 3.5 × kg / 200 = 6 × 3.5 × 70 / 200 = 7.35 kcal/min
    assert kcal_per_minute(6.0, 70) == pytest.approx(7.35)


def test_session_energy_and_extra_versus_forward() -> None:
    energy = session_energy(
        {Direction.BACKWARD: 600, Direction.FORWARD: 300, Direction.REST: 60}, 3.5, 70
    )
    backward = 10 * kcal_per_minute(6.0, 70)
    forward = 5 * kcal_per_minute(forward_met(3.5).value, 70)
    rest = 1 * kcal_per_minute(1.3, 70)
    assert energy.kcal == pytest.approx(backward + forward + rest)
    assert energy.extra_kcal_vs_forward == pytest.approx(
        10 * kcal_per_minute(6.0 - forward_met(3.5).value, 70)
    )


@given(st.floats(0.3, 4.0), st.floats(20, 300), st.floats(0, 7200))
def test_backward_minutes_match_the_formula(speed: float, kg: float, seconds: float) -> None:
    energy = session_energy({Direction.BACKWARD: seconds}, speed, kg)
    expected = seconds / 60 * backward_met(speed).value * 3.5 * kg / 200
    assert energy.kcal == pytest.approx(expected)
    assert energy.extra_kcal_vs_forward >= 0


@given(st.floats(0.3, 3.9), st.floats(0.01, 0.1))
def test_met_grows_with_speed(speed: float, step: float) -> None:
    assert backward_met(speed + step).value >= backward_met(speed).value - 1e-9


@pytest.mark.parametrize(
    ("speed", "forward", "backward", "source", "backward_kcal", "extra_kcal"),
    [
        # The README's table: a 70 kg walker, kcal per minute.
        (1.0, 2.3, 2.875, MetSource.ESTIMATE, 3.52, 0.70),
        (2.7, 3.5, 4.375, MetSource.ESTIMATE, 5.36, 1.07),
        (3.5, 4.8, 6.0, MetSource.COMPENDIUM, 7.35, 1.47),
        # 5.63 km/h is stored as 3.498 mph: still the Compendium's 3.5 mph on both sides.
        (3.498, 4.8, 6.0, MetSource.COMPENDIUM, 7.35, 1.47),
    ],
)
def test_readme_figures(
    speed: float,
    forward: float,
    backward: float,
    source: MetSource,
    backward_kcal: float,
    extra_kcal: float,
) -> None:
    assert forward_met(speed).value == forward
    met = backward_met(speed)
    assert (met.value, met.source) == (backward, source)
    energy = session_energy({Direction.BACKWARD: 60}, speed, 70)
    assert round(energy.kcal, 2) == backward_kcal
    assert round(energy.extra_kcal_vs_forward, 2) == extra_kcal


def test_backward_to_forward_ratio_is_the_compendiums() -> None:
    assert BACKWARD_TO_FORWARD == 6.0 / 4.8 == 1.25
    for speed in (0.5, 1.0, 2.0, 2.7, 3.0, 3.8, 4.0):
        assert backward_met(speed).value == pytest.approx(forward_met(speed).value * 1.25, abs=1e-3)
