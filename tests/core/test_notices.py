"""Which notifications the engine withdraws: a situation's, once it is over; never the emergency's."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.backward_walking.core.ladder import CheckInOk, CheckInState
from custom_components.backward_walking.core.messages import Message, Situation
from custom_components.backward_walking.core.notices import Holds, Moment, Notices, still_true
from custom_components.backward_walking.core.reminders import (
    ReminderSkipped,
    ReminderSnoozed,
    Schedule,
    SkipReason,
)
from custom_components.backward_walking.core.safety import Reading, Role, SensorRule
from custom_components.backward_walking.core.session import SessionState
from custom_components.backward_walking.core.settings import WalkerSettings
from custom_components.backward_walking.core.walker import Effects, Walker

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)  # a Monday
RULES = (SensorRule("b.beam", Role.OBSTACLE), SensorRule("b.fall", Role.FALL))
SETTINGS = WalkerSettings(name="Alex", sensors=RULES, clear_hold_s=5, check_in_s=60)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def loaded(settings: WalkerSettings = SETTINGS) -> Walker:
    walker = Walker(settings, UTC)
    walker.load({rule.entity_id: Reading("off", since=T0) for rule in RULES}, T0)
    walker.tick(at(6))
    return walker


def beam(walker: Walker, state: str, seconds: float) -> Effects:
    return walker.reading("b.beam", Reading(state, since=at(seconds)), at(seconds))


def test_the_path_notice_is_withdrawn_when_the_walker_walks_again() -> None:
    walker = loaded()
    assert walker.start(at(10)).withdrawn == []
    assert beam(walker, "on", 20).withdrawn == []  # "Stop": shown
    cleared = beam(walker, "off", 30)
    assert cleared.withdrawn == []
    waited = walker.tick(at(36))  # "Path clear – resume when you are ready" replaces it
    assert [m.message for m in waited.messages] == ["clear", "clear"]
    assert waited.withdrawn == []
    assert set(walker.notices.shown) == {Situation.PATH}
    assert walker.resume(at(40)).withdrawn == [Situation.PATH]
    assert walker.notices.shown == {}
    # Nothing more to withdraw: walking on, pausing, stopping send nothing.
    assert walker.pause(at(50)).withdrawn == []
    assert walker.stop(at(55)).withdrawn == []


def test_auto_resume_keeps_its_own_path_clear_until_the_session_ends() -> None:
    walker = loaded(replace(SETTINGS, auto_resume=True))
    walker.start(at(10))
    beam(walker, "on", 20)
    beam(walker, "off", 30)
    resumed = walker.tick(at(36))
    assert [e.type for e in resumed.events if e.type == "resumed"] == ["resumed"]
    # "Path clear – the session continues" went out with the resume: it is not taken back.
    assert resumed.withdrawn == []
    assert set(walker.notices.shown) == {Situation.PATH}
    assert walker.stop(at(40)).withdrawn == [Situation.PATH]


def test_the_question_goes_when_the_contacts_are_alerted_and_the_emergency_stays() -> None:
    walker = loaded()
    walker.start(at(10))
    walker.reading("b.fall", Reading("on", since=at(20)), at(20))
    assert set(walker.notices.shown) == {Situation.CHECK_IN}
    escalated = walker.tick(at(80))
    assert escalated.withdrawn == [Situation.CHECK_IN]
    assert set(walker.notices.shown) == {Situation.EMERGENCY}
    acknowledged = walker.acknowledge_emergency(at(90), by="Anna")
    assert acknowledged.withdrawn == []
    walker.reading("b.fall", Reading("off", since=at(95)), at(95))
    walker.tick(at(101))
    # Walking again and stopping never take back who took care.
    assert Situation.EMERGENCY not in walker.resume(at(110)).withdrawn
    assert Situation.EMERGENCY not in walker.stop(at(120)).withdrawn
    assert set(walker.notices.shown) == {Situation.EMERGENCY}


def test_the_thank_you_goes_when_the_walker_walks_again() -> None:
    walker = loaded()
    walker.start(at(10))
    walker.reading("b.fall", Reading("on", since=at(20)), at(20))
    walker.reading("b.fall", Reading("off", since=at(25)), at(25))
    answered = walker.acknowledge_check_in(at(30), by="Alex")
    assert answered.withdrawn == []  # "Thank you" replaces the question
    assert walker.tick(at(41)).withdrawn == []
    # The path had cleared while the question waited: told with the answer, and gone with it.
    assert walker.resume(at(42)).withdrawn == [Situation.CHECK_IN, Situation.PATH]


def test_thanks_that_say_wait_go_when_the_path_clears() -> None:
    walker = loaded()
    walker.start(at(10))
    walker.reading("b.fall", Reading("on", since=at(20)), at(20))
    answered = walker.acknowledge_check_in(at(30), by="Alex")  # the fall sensor still reads on
    [thanks] = [m for m in answered.messages if isinstance(m, CheckInOk)]
    assert not thanks.path_clear
    walker.reading("b.fall", Reading("off", since=at(35)), at(35))
    cleared = walker.tick(at(45))  # clear for the hold: "Path clear" says what the thanks said
    assert cleared.withdrawn == [Situation.CHECK_IN]
    assert [m.message for m in cleared.messages] == [Message.CLEAR, Message.CLEAR]
    assert walker.resume(at(46)).withdrawn == [Situation.PATH]


def test_a_question_asked_and_escalated_in_one_late_step_is_withdrawn() -> None:
    """A timer that ran late: the question and the alarm come in one step; the question is moot."""
    moving = SensorRule("b.moving", Role.ACTIVITY)
    walker = Walker(replace(SETTINGS, sensors=(*RULES, moving), inactivity_s=90), UTC)
    readings = {rule.entity_id: Reading("off", since=T0) for rule in RULES}
    walker.load({**readings, "b.moving": Reading("on", since=T0)}, T0)
    walker.tick(at(6))
    walker.start(at(10))
    walker.reading("b.moving", Reading("off", since=at(11)), at(11))
    fx = walker.tick(at(500))
    assert next(m.message for m in fx.messages if m.channel == "notify_walker") == "check_in"
    assert [m.message for m in fx.messages][-1] == "emergency"
    assert fx.withdrawn == [Situation.CHECK_IN]
    assert set(walker.notices.shown) == {Situation.EMERGENCY}


def test_what_is_shown_survives_a_restart() -> None:
    walker = loaded()
    walker.start(at(10))
    beam(walker, "on", 20)
    saved = walker.to_dict(at(21))
    assert saved["notices"] == {"path": "paused"}
    again = Walker(SETTINGS, UTC)
    again.restore(saved, at(30))
    again.load(
        {"b.beam": Reading("off", since=at(30)), "b.fall": Reading("off", since=at(30))}, at(30)
    )
    again.tick(at(36))
    # The session came back paused (restart); the walker's resume withdraws the old "Stop".
    assert again.resume(at(40)).withdrawn == [Situation.PATH]


@pytest.mark.parametrize(
    "saved",
    [None, "path", 3, ["path"], {"nonsense": "paused", "path": "often", "check_in": [1]}],
)
def test_a_damaged_record_of_notices_forgets_them_and_nothing_else(saved: object) -> None:
    notices = Notices()
    notices.restore(saved)
    assert notices.shown == {}
    notices.restore({"reminder": "unanswered", "path": None})
    assert notices.shown == {Situation.REMINDER: Holds.UNANSWERED}


def test_a_reminder_holds_until_answered() -> None:
    idle = Moment(SessionState.IDLE, CheckInState.IDLE)
    walking = Moment(SessionState.RUNNING, CheckInState.IDLE)
    assert still_true(Holds.UNANSWERED, idle, [])
    assert not still_true(Holds.UNANSWERED, walking, [])
    assert not still_true(Holds.UNANSWERED, idle, [ReminderSnoozed(at(60))])
    skipped = ReminderSkipped(SkipReason.SKIPPED_TODAY)
    assert not still_true(Holds.UNANSWERED, idle, [skipped])
    schedule = Schedule(days=frozenset({0}), times=(T0.time().replace(hour=9),))
    walker = loaded(replace(SETTINGS, reminders_enabled=True, schedule=schedule))
    walker.start_reminders(at(7))
    sent = walker.tick(T0.replace(hour=9))
    assert [m.message for m in sent.messages] == ["reminder"]
    assert walker.snooze(T0.replace(hour=9, minute=1), 15).withdrawn == [Situation.REMINDER]


def test_resume_when_ready_goes_once_an_emergency_is_open() -> None:
    """Found by the engine's state machine: "Thank you – resume when ready", then the walker asks
    for help; a resume is refused while the emergency is open, so the thank-you is withdrawn."""
    walker = loaded()
    walker.start(at(10))
    walker.reading("b.fall", Reading("on", since=at(20)), at(20))
    walker.acknowledge_check_in(at(25), by="Alex")
    assert walker.notices.shown == {
        Situation.CHECK_IN: Holds.UNTIL_CLEAR
    }  # the fall still reads on
    helped = walker.request_help(at(30))
    assert helped.withdrawn == [Situation.CHECK_IN]
    assert set(walker.notices.shown) == {Situation.EMERGENCY}
