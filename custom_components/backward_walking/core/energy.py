"""Energy model: METs from the 2024 Adult Compendium of Physical Activities → kcal.

kcal/min = MET × 3.5 × body kg / 200.

Compendium anchors used:
- backward walking, 3.5 mph, level: 6.0 MET (code 17320);
- forward walking 3.5–3.9 mph: 4.8 MET; 2.5–2.9 mph: 3.5 MET; about 1 mph: 2.3 MET.

Backward walking at other speeds has no Compendium code. Its MET is estimated by scaling the forward MET
at the same speed by the backward/forward ratio at 3.5 mph, 6.0 / 4.8 = 1.25 (the Compendium's band
value, not an interpolation), and is labelled an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from .programs import Direction

BACKWARD_35_MPH_MET = 6.0
BACKWARD_COMPENDIUM_CODE = "17320"
BACKWARD_REFERENCE_MPH = 3.5
FORWARD_35_MPH_MET = 4.8  # the 3.5–3.9 mph band
BACKWARD_TO_FORWARD = BACKWARD_35_MPH_MET / FORWARD_35_MPH_MET  # 1.25
REST_MET = 1.3  # standing quietly; used for rest segments
# (speed mph, MET): band centres of the forward-walking entries, interpolated linearly between them.
FORWARD_POINTS = ((1.0, 2.3), (2.7, 3.5), (3.7, FORWARD_35_MPH_MET))
FORWARD_BANDS = ((0.9, 1.1, 2.3), (2.5, 2.9, 3.5), (3.5, 3.9, FORWARD_35_MPH_MET))
# A speed set in km/h is stored in mph with rounding: 5.63 km/h is 3.498 mph, and counts as 3.5.
_REFERENCE_TOLERANCE_MPH = 0.05


class MetSource(StrEnum):
    """Where a MET value comes from."""

    COMPENDIUM = "compendium"
    ESTIMATE = "estimate"
    OVERRIDE = "override"


@dataclass(frozen=True, slots=True)
class Met:
    """A MET value and whether it is a Compendium figure, an estimate or the walker's override."""

    value: float
    source: MetSource
    code: str | None = None


def _interpolate(speed_mph: float) -> float:
    points = FORWARD_POINTS
    if speed_mph <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in pairwise(points):
        if speed_mph <= x1:
            return y0 + (y1 - y0) * (speed_mph - x0) / (x1 - x0)
    return points[-1][1]


def _at_reference(speed_mph: float) -> bool:
    return abs(speed_mph - BACKWARD_REFERENCE_MPH) <= _REFERENCE_TOLERANCE_MPH


def forward_met(speed_mph: float) -> Met:
    """Forward walking MET; Compendium inside its speed bands, interpolated between them."""
    if _at_reference(speed_mph):
        return Met(FORWARD_35_MPH_MET, MetSource.COMPENDIUM)
    for low, high, value in FORWARD_BANDS:
        if low <= speed_mph <= high:
            return Met(value, MetSource.COMPENDIUM)
    return Met(round(_interpolate(speed_mph), 3), MetSource.ESTIMATE)


def backward_met(speed_mph: float, override: float | None = None) -> Met:
    """Backward walking MET; the walker's override wins over everything."""
    if override is not None:
        return Met(override, MetSource.OVERRIDE)
    if _at_reference(speed_mph):
        return Met(BACKWARD_35_MPH_MET, MetSource.COMPENDIUM, BACKWARD_COMPENDIUM_CODE)
    return Met(round(forward_met(speed_mph).value * BACKWARD_TO_FORWARD, 3), MetSource.ESTIMATE)


def kcal_per_minute(met: float, body_kg: float) -> float:
    """The Compendium's conversion of a MET value to kilocalories per minute."""
    return met * 3.5 * body_kg / 200


@dataclass(frozen=True, slots=True)
class EnergyEstimate:
    """Energy of a session and what walking it forward instead would have cost."""

    kcal: float
    extra_kcal_vs_forward: float
    backward_met: Met


def session_energy(
    seconds_by_direction: dict[Direction, float],
    speed_mph: float,
    body_kg: float,
    met_override: float | None = None,
) -> EnergyEstimate:
    """kcal of a session split by direction, and the extra versus the same minutes walked forward."""
    backward = backward_met(speed_mph, met_override)
    forward = forward_met(speed_mph).value
    minutes = {direction: seconds / 60 for direction, seconds in seconds_by_direction.items()}
    kcal = (
        minutes.get(Direction.BACKWARD, 0.0) * kcal_per_minute(backward.value, body_kg)
        + minutes.get(Direction.FORWARD, 0.0) * kcal_per_minute(forward, body_kg)
        + minutes.get(Direction.REST, 0.0) * kcal_per_minute(REST_MET, body_kg)
    )
    extra = minutes.get(Direction.BACKWARD, 0.0) * kcal_per_minute(
        backward.value - forward, body_kg
    )
    return EnergyEstimate(kcal, extra, backward)
