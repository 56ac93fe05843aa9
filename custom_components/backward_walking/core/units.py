"""Length units as Home Assistant sensors report them, converted to metres."""

from __future__ import annotations

_METRES_PER_UNIT = {
    "mm": 0.001,
    "cm": 0.01,
    "m": 1.0,
    "km": 1000.0,
    "in": 0.0254,
    "ft": 0.3048,
    "yd": 0.9144,
    "mi": 1609.344,
}


def distance_in_metres(value: float, unit: str | None) -> float | None:
    """``value`` in metres, or None when the unit is missing or not a length."""
    factor = _METRES_PER_UNIT.get(unit or "")
    return None if factor is None else value * factor


def metres_in(value_m: float, unit: str) -> float:
    """Metres expressed in ``unit`` (one of the length units above)."""
    return value_m / _METRES_PER_UNIT[unit]
