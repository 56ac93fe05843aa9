"""Check-in ladder: answer, no answer, need help, re-alerts, acknowledge, persistence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.backward_walking.core.ladder import (
    CheckInCause,
    CheckInState,
    EscalationCause,
    Ladder,
    LadderError,
    Step,
)

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_answered_check_in() -> None:
    ladder = Ladder(check_in_s=60, realert_s=120)
    assert ladder.request(CheckInCause.FALL, T0) == [Step.CHECK_IN_REQUESTED]
    assert (ladder.state, ladder.deadline) == (CheckInState.AWAITING_RESPONSE, at(60))
    assert ladder.request(CheckInCause.INACTIVITY, at(1)) == []
    assert ladder.tick(at(59)) == []
    assert ladder.answer_ok() == [Step.CHECK_IN_ACKNOWLEDGED]
    assert (ladder.state, ladder.deadline, ladder.cause) == (CheckInState.IDLE, None, None)


def test_no_answer_escalates_and_repeats_until_acknowledged() -> None:
    ladder = Ladder(check_in_s=60, realert_s=120)
    ladder.request(CheckInCause.INACTIVITY, T0)
    assert ladder.tick(at(60)) == [Step.EMERGENCY_ESCALATED]
    assert (ladder.state, ladder.escalation) == (CheckInState.ESCALATED, EscalationCause.NO_ANSWER)
    assert ladder.tick(at(100)) == []
    assert ladder.tick(at(180)) == [Step.EMERGENCY_REALERT]
    # A long gap (HA was busy or down) gives one re-alert, not a burst.
    assert ladder.tick(at(2000)) == [Step.EMERGENCY_REALERT]
    assert ladder.deadline == at(2120)
    with pytest.raises(LadderError):
        ladder.answer_ok()
    assert ladder.acknowledge_emergency() == [Step.EMERGENCY_ACKNOWLEDGED]
    assert ladder.state is CheckInState.IDLE


def test_need_help() -> None:
    ladder = Ladder()
    ladder.request(CheckInCause.FALL, T0)
    assert ladder.need_help(at(5)) == [Step.EMERGENCY_ESCALATED]
    assert ladder.escalation is EscalationCause.NEED_HELP
    assert ladder.need_help(at(6)) == []
    # Help asked for without an open check-in escalates too.
    fresh = Ladder()
    assert fresh.need_help(T0) == [Step.EMERGENCY_ESCALATED]
    assert fresh.cause is CheckInCause.HELP


def test_answers_that_do_not_fit() -> None:
    ladder = Ladder()
    with pytest.raises(LadderError) as err:
        ladder.answer_ok()
    assert err.value.state is CheckInState.IDLE
    with pytest.raises(LadderError):
        ladder.acknowledge_emergency()
    assert ladder.tick(T0) == []


def test_round_trip() -> None:
    ladder = Ladder()
    ladder.request(CheckInCause.FALL, T0)
    ladder.tick(at(60))
    restored = Ladder()
    restored.restore(ladder.to_dict())
    assert restored == ladder
    idle = Ladder()
    idle.restore(Ladder().to_dict())
    assert idle.state is CheckInState.IDLE


@pytest.mark.parametrize(
    "data",
    [
        {"state": "panic", "cause": None, "escalation": None, "started_at": None, "deadline": None},
        {
            "state": "escalated",
            "cause": None,
            "escalation": None,
            "started_at": None,
            "deadline": None,
        },
        {"state": "idle"},
    ],
)
def test_restore_rejects_bad_data(data: dict[str, object]) -> None:
    with pytest.raises((ValueError, KeyError)):
        Ladder().restore(data)


def test_unanswered_realerts_are_counted_and_kept() -> None:
    ladder = Ladder(check_in_s=60, realert_s=120)
    ladder.need_help(T0)
    assert ladder.realerts == 0
    ladder.tick(at(120))
    ladder.tick(at(240))
    assert ladder.realerts == 2
    copy = Ladder()
    copy.restore(ladder.to_dict())
    assert copy.realerts == 2
    # Saved before re-alerts were counted: none counted.
    old = {k: v for k, v in ladder.to_dict().items() if k != "realerts"}
    copy.restore(old)
    assert copy.realerts == 0
    ladder.acknowledge_emergency()
    assert ladder.realerts == 0


def test_voice_asks_again_once_at_half_time() -> None:
    ladder = Ladder(check_in_s=60, realert_s=120, ask_again=True)
    ladder.request(CheckInCause.FALL, T0)
    assert ladder.due_at == at(30)
    assert ladder.tick(at(29)) == []
    assert ladder.tick(at(30)) == [Step.CHECK_IN_ASKED_AGAIN]
    assert (ladder.ask_again_at, ladder.due_at) == (None, at(60))
    assert ladder.tick(at(45)) == []
    assert ladder.tick(at(60)) == [Step.EMERGENCY_ESCALATED]


def test_voice_never_asks_again_after_the_deadline_or_an_answer() -> None:
    late = Ladder(check_in_s=60, realert_s=120, ask_again=True)
    late.request(CheckInCause.FALL, T0)
    # A wake-up that comes after the deadline escalates and does not ask first.
    assert late.tick(at(61)) == [Step.EMERGENCY_ESCALATED]
    assert late.ask_again_at is None
    answered = Ladder(check_in_s=60, realert_s=120, ask_again=True)
    answered.request(CheckInCause.FALL, T0)
    answered.answer_ok()
    assert (answered.ask_again_at, answered.tick(at(30))) == (None, [])
    helped = Ladder(check_in_s=60, realert_s=120, ask_again=True)
    helped.request(CheckInCause.FALL, T0)
    helped.need_help(at(10))
    assert (helped.ask_again_at, helped.tick(at(30))) == (None, [])


def test_without_voice_nothing_happens_at_half_time() -> None:
    ladder = Ladder(check_in_s=60, realert_s=120)
    ladder.request(CheckInCause.FALL, T0)
    assert (ladder.ask_again_at, ladder.due_at, ladder.tick(at(30))) == (None, at(60), [])


def test_ask_again_after_the_clock_stepped_back() -> None:
    ladder = Ladder(check_in_s=60, realert_s=120, ask_again=True)
    ladder.request(CheckInCause.FALL, at(1000))
    # The clock went back 1000 s: the countdown restarts from now, the question halfway through.
    assert ladder.tick(T0) == []
    assert (ladder.deadline, ladder.ask_again_at) == (at(60), at(30))
    assert ladder.tick(at(30)) == [Step.CHECK_IN_ASKED_AGAIN]


def test_ask_again_survives_a_restore_and_older_files_have_none() -> None:
    ladder = Ladder(check_in_s=60, realert_s=120, ask_again=True)
    ladder.request(CheckInCause.FALL, T0)
    saved = ladder.to_dict()
    back = Ladder(check_in_s=60, realert_s=120, ask_again=True)
    back.restore(saved)
    assert back.tick(at(30)) == [Step.CHECK_IN_ASKED_AGAIN]
    old = Ladder(check_in_s=60, realert_s=120, ask_again=True)
    old.restore({k: v for k, v in saved.items() if k != "ask_again_at"})
    assert (old.ask_again_at, old.tick(at(30)), old.tick(at(60))) == (
        None,
        [],
        [Step.EMERGENCY_ESCALATED],
    )


def test_no_second_question_once_the_satellite_was_removed() -> None:
    ladder = Ladder(check_in_s=60, realert_s=120, ask_again=True)
    ladder.request(CheckInCause.FALL, T0)
    ladder.ask_again = False  # the walker's settings changed during the check-in
    assert (ladder.tick(at(30)), ladder.ask_again_at) == ([], None)
    assert ladder.tick(at(60)) == [Step.EMERGENCY_ESCALATED]
