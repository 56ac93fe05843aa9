"""The number and text checks every form field goes through."""

from __future__ import annotations

import math
from typing import Any

import pytest

from custom_components.backward_walking.flow_helpers import (
    finite,
    number_box,
    number_in,
    text_field,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, 5.0),
        (2.5, 2.5),
        ("7", 7.0),
        (" 7.5 ", 7.5),
        (-0.0, 0.0),
        (True, None),
        (False, None),
        (None, None),
        ("", None),
        ("ten", None),
        ("nan", None),
        ("inf", None),
        ("-inf", None),
        ("1e400", None),
        (math.nan, None),
        (math.inf, None),
        (10**400, None),
        ([1], None),
        ({"a": 1}, None),
    ],
)
def test_finite(value: Any, expected: float | None) -> None:
    assert finite(value) == expected


@pytest.mark.parametrize(
    ("value", "whole", "expected"),
    [
        (1, False, 1.0),
        (120, True, 120.0),
        (0.5, False, None),
        (121, False, None),
        (10.5, True, None),
        (10.5, False, 10.5),
        ("nan", False, None),
        (True, True, None),
    ],
)
def test_number_in(value: Any, whole: bool, expected: float | None) -> None:
    assert number_in(value, (1, 120), whole=whole) == expected


def test_number_in_tolerance() -> None:
    assert number_in(120.005, (1, 120), tolerance=0.01) == 120.005
    assert number_in(120.02, (1, 120), tolerance=0.01) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Alex  ", "Alex"),
        ("Zoë Ødegård", "Zoë Ødegård"),
        ("", ""),
        ("x" * 60, "x" * 60),
        ("x" * 61, None),
        (5, None),
        (None, None),
        (["Alex"], None),
        ("Al\x00ex", None),
        ("Al\tex", None),
        ("Al\nex", None),
        ("Alex\u200b", None),
        ("\u202eAlex", None),
        ("Al\u2028ex", None),
        ("Alex\u2028", "Alex"),
    ],
)
def test_text_field(value: Any, expected: str | None) -> None:
    assert text_field(value, 60) == expected


def test_number_box_passes_the_value_on_as_sent() -> None:
    box = number_box("min")
    for value in ("nan", True, 10**400, "ten"):
        assert box(value) is value
    assert box.serialize() == {
        "selector": {"number": {"mode": "box", "step": 1, "unit_of_measurement": "min"}}
    }
