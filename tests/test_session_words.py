"""The session in words: the times a walker hears and reads, at their edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.backward_walking.core.programs import Direction
from custom_components.backward_walking.core.session import SessionState
from custom_components.backward_walking.core.stats import Summary
from custom_components.backward_walking.session_words import (
    clock_shown,
    last_phase,
    names_or,
    phase_seconds_left,
    seconds_left,
    spoken_duration,
)
from custom_components.backward_walking.texts import Texts
from custom_components.backward_walking.view import WalkerView

from .test_packaging import load

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
SUMMARY = Summary(0, 0, 0, 0, 0, 0, 0, None, 0)


def texts(language: str = "en") -> Texts:
    common = load(f"translations/{language}.json")["common"]
    return Texts({f"component.backward_walking.common.{k}": v for k, v in common.items()})


def walking(left_s: float, phase_left_s: float | None, remaining_min: float) -> WalkerView:
    return WalkerView(
        SessionState.RUNNING,
        SUMMARY,
        direction=Direction.FORWARD,
        ends_at=NOW + timedelta(seconds=left_s),
        phase_ends_at=None if phase_left_s is None else NOW + timedelta(seconds=phase_left_s),
        remaining_min=remaining_min,
    )


@pytest.mark.parametrize(
    ("seconds", "english", "german"),
    [
        (0, "0 seconds", "0 Sekunden"),
        (-5, "0 seconds", "0 Sekunden"),
        (0.2, "1 second", "1 Sekunde"),
        (60, "1 minute", "1 Minute"),
        (61, "1 minute and 1 second", "1 Minute und 1 Sekunde"),
        (599.5, "10 minutes", "10 Minuten"),
        (7260, "121 minutes", "121 Minuten"),
    ],
)
def test_durations_as_they_are_said(seconds: float, english: str, german: str) -> None:
    assert spoken_duration(texts(), seconds) == english
    assert spoken_duration(texts("de"), seconds) == german


def test_durations_as_shown() -> None:
    assert [clock_shown(s) for s in (0, -1, 0.1, 59.5, 60, 601)] == [
        "0:00",
        "0:00",
        "0:01",
        "1:00",
        "1:00",
        "10:01",
    ]


def test_time_left_never_more_than_at_the_last_transition() -> None:
    # The clock stepped back 30 s after a start: the walk still has its 10 minutes, not 10:30.
    view = walking(630, 90, 10)
    assert seconds_left(view, NOW) == 600
    assert phase_seconds_left(view, NOW) == 60
    # After the end nothing is left, and an idle walker has nothing left.
    assert seconds_left(walking(-5, -5, 0), NOW) == 0
    assert seconds_left(WalkerView(SessionState.IDLE, SUMMARY), NOW) == 0


def test_the_last_direction_lasts_to_the_end() -> None:
    assert last_phase(walking(300, 300.4, 5))
    assert not last_phase(walking(300, 60, 5))
    # Without a phase's end (not walking) the session's own end is all there is.
    assert last_phase(walking(300, None, 5))
    assert phase_seconds_left(walking(300, None, 5), NOW) == 300


def test_names_are_joined_with_or() -> None:
    assert names_or(texts(), []) == ""
    assert names_or(texts(), ["Alex"]) == "Alex"
    assert names_or(texts(), ["Alex", "Rosa", "Sam"]) == "Alex, Rosa or Sam"
    assert names_or(texts("de"), ["Alex", "Rosa"]) == "Alex oder Rosa"
