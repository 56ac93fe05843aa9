"""The walker's logbook: today's walking with the session in progress, and the coach's advice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from custom_components.backward_walking.core.logbook import Logbook
from custom_components.backward_walking.core.programs import BUILTIN_PROGRAMS
from custom_components.backward_walking.core.session import PauseReason, SessionMachine
from custom_components.backward_walking.core.settings import WalkerSettings

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
SETTINGS = WalkerSettings(name="Alex", target_minutes=12)


def test_today_counts_the_session_in_progress_and_the_finished_ones() -> None:
    logbook = Logbook(UTC)
    machine = SessionMachine()
    machine.start(T0, BUILTIN_PROGRAMS["backward_only"], 600, 1.0)
    machine.stop(T0 + timedelta(minutes=4))
    assert machine.session is not None
    logbook.record(machine.session, SETTINGS, T0 + timedelta(minutes=4))
    machine.start(T0 + timedelta(minutes=5), BUILTIN_PROGRAMS["backward_only"], 600, 1.0)
    machine.pause(T0 + timedelta(minutes=8), PauseReason.USER)
    walked = logbook.walked_today(machine.session, SETTINGS, T0 + timedelta(minutes=9))
    assert walked == 7.0
    assert logbook.walked_today(None, SETTINGS, T0 + timedelta(days=1)) == 0.0


def test_the_session_goal_is_the_coachs_while_the_coach_is_on() -> None:
    logbook = Logbook(UTC)
    assert logbook.coach(SETTINGS, T0) is None
    assert logbook.session_goal(SETTINGS, T0) == 12.0
    coached = replace(SETTINGS, coach_enabled=True)
    advice = logbook.coach(coached, T0)
    assert advice is not None
    assert logbook.session_goal(coached, T0) == advice.session_min
    assert logbook.coach(coached, T0) is advice  # worked out once while nothing changed
