"""Settings read from entries saved by earlier releases or through the API: never crash, never unsafe."""

from __future__ import annotations

from datetime import time
import math

import pytest

from custom_components.backward_walking.entry_settings import settings_from_entry

IDENTITY = {"name": "Alex", "person": None}


def test_short_quiet_times_from_older_entries_are_read() -> None:
    settings = settings_from_entry(IDENTITY, {"quiet_start": "7:30", "quiet_end": "21:05:00"})
    assert (settings.schedule.quiet_start, settings.schedule.quiet_end) == (
        time(7, 30),
        time(21, 5),
    )


@pytest.mark.parametrize("stored", [math.nan, math.inf, -math.inf, 1e300, -5, True, "10"])
def test_a_score_threshold_that_is_not_sensible_is_ignored(stored: object) -> None:
    settings = settings_from_entry(
        IDENTITY, {"not_now_sensor": "sensor.sleep", "not_now_below": stored}
    )
    assert settings.not_now_below is None


def test_a_sensible_score_threshold_is_kept() -> None:
    settings = settings_from_entry(
        IDENTITY, {"not_now_sensor": "sensor.sleep", "not_now_below": 60}
    )
    assert settings.not_now_below == 60.0
