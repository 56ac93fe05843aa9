"""The guard: what happens to a session when the path changes, and the check-in ladder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings, strategies as st

from custom_components.backward_walking.core.guard import (
    Action,
    ActionKind,
    Guard,
    GuardSettings,
    SessionStatus,
)
from custom_components.backward_walking.core.ladder import CheckInState, Ladder
from custom_components.backward_walking.core.safety import (
    PathMonitor,
    Reading,
    Role,
    SensorRule,
    Verdict,
)
from custom_components.backward_walking.core.session import PauseReason, SessionState

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
RUNNING = SessionStatus(SessionState.RUNNING, active_since=T0)
HAZARD_PAUSED = SessionStatus(SessionState.PAUSED, PauseReason.HAZARD)
IDLE = SessionStatus(SessionState.IDLE)
RULES = (
    SensorRule("b.obstacle", Role.OBSTACLE),
    SensorRule("b.crossing", Role.CROSSING),
    SensorRule("b.fall", Role.FALL),
    SensorRule("b.walker", Role.ACTIVITY),
)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def make_guard(auto_resume: bool = False, inactivity_s: float = 120) -> Guard:
    guard = Guard(
        PathMonitor(RULES, clear_hold_s=5),
        Ladder(check_in_s=60, realert_s=120),
        GuardSettings(auto_resume=auto_resume, inactivity_s=inactivity_s, repeat_interval_s=60),
    )
    # Loaded one clear-hold before T0, so every sensor has been checked by T0.
    guard.load({rule.entity_id: Reading("off", since=at(-5)) for rule in RULES}, at(-5))
    guard.evaluate(IDLE, T0)
    return guard


def kinds(actions: list[Action]) -> list[str]:
    return [f"{a.kind}:{a.message or a.pause_reason or a.event or ''}".rstrip(":") for a in actions]


def test_no_alarms_while_nobody_walks() -> None:
    guard = make_guard()
    assert guard.update_reading("b.obstacle", Reading("on", since=at(1)), IDLE, at(1)) == []
    assert guard.assessment.verdict is Verdict.UNSAFE
    assert guard.update_reading("b.fall", Reading("on", since=at(2)), IDLE, at(2)) == []
    assert guard.ladder.state is CheckInState.IDLE


def test_unsafe_pauses_and_clear_notifies() -> None:
    guard = make_guard()
    actions = guard.update_reading("b.obstacle", Reading("on"), RUNNING, at(1))
    # The pause comes first, before events and messages.
    assert kinds(actions) == [
        "pause:hazard",
        "event:hazard_detected",
        "notify_walker:hazard",
        "speak:hazard",
    ]
    assert actions[1].data["reasons"][0]["entity_id"] == "b.obstacle"
    assert guard.update_reading("b.obstacle", Reading("off"), HAZARD_PAUSED, at(2)) == []
    assert guard.next_deadline(HAZARD_PAUSED, at(2)) == at(7)
    cleared = guard.evaluate(HAZARD_PAUSED, at(7))
    assert kinds(cleared) == ["event:hazard_cleared", "notify_walker:clear", "speak:clear"]


def test_auto_resume_only_for_pauses_the_guard_made() -> None:
    guard = make_guard(auto_resume=True)
    guard.update_reading("b.obstacle", Reading("on"), RUNNING, at(1))
    guard.update_reading("b.obstacle", Reading("off"), HAZARD_PAUSED, at(2))
    assert kinds(guard.evaluate(HAZARD_PAUSED, at(7)))[-1] == "resume"
    # After a restart the guard did not make the pause: the walker resumes.
    restarted = make_guard(auto_resume=True)
    restarted.update_reading("b.obstacle", Reading("on"), HAZARD_PAUSED, at(1))
    restarted.update_reading("b.obstacle", Reading("off"), HAZARD_PAUSED, at(2))
    assert "resume" not in kinds(restarted.evaluate(HAZARD_PAUSED, at(7)))


def test_warning_keeps_going_and_is_rate_limited() -> None:
    guard = make_guard()
    first = guard.update_reading("b.crossing", Reading("on"), RUNNING, at(1))
    assert kinds(first) == ["event:hazard_detected", "notify_walker:warning", "speak:warning"]
    guard.update_reading("b.crossing", Reading("off"), RUNNING, at(2))
    guard.evaluate(RUNNING, at(8))
    assert guard.assessment.verdict is Verdict.CLEAR
    again = guard.update_reading("b.crossing", Reading("on"), RUNNING, at(20))
    assert kinds(again) == ["event:hazard_detected"]
    later = guard.update_reading("b.crossing", Reading("off"), RUNNING, at(21))
    guard.evaluate(RUNNING, at(27))
    later = guard.update_reading("b.crossing", Reading("on"), RUNNING, at(70))
    assert "notify_walker:warning" in kinds(later)


def test_thousand_flaps_give_one_pause_and_one_message() -> None:
    guard = make_guard()
    messages = pauses = 0
    session = RUNNING
    for i in range(1000):
        now = at(1 + i / 1000)
        actions = guard.update_reading(
            "b.obstacle", Reading("on" if i % 2 == 0 else "off"), session, now
        )
        pauses += sum(a.kind is ActionKind.PAUSE for a in actions)
        messages += sum(a.kind is ActionKind.NOTIFY_WALKER for a in actions)
        if pauses:
            session = HAZARD_PAUSED
    assert (pauses, messages) == (1, 1)
    assert guard.assessment.verdict is Verdict.UNSAFE
    assert len(guard.readings) == len(RULES)


def test_fall_pauses_and_asks_then_escalates() -> None:
    guard = make_guard()
    actions = guard.update_reading("b.fall", Reading("on"), RUNNING, at(1))
    assert kinds(actions) == [
        "pause:fall",
        "event:hazard_detected",
        "event:check_in_requested",
        "notify_walker:check_in",
        "speak:check_in",
    ]
    assert actions[2].data["cause"] == "fall"
    paused = SessionStatus(SessionState.PAUSED, PauseReason.FALL)
    assert guard.next_deadline(paused, at(1)) == at(61)
    escalated = guard.evaluate(paused, at(61))
    assert kinds(escalated) == ["event:emergency_escalated", "notify_emergency:emergency"]
    assert escalated[1].data["escalation"] == "no_answer"
    assert escalated[1].data["repeat"] is False
    realert = guard.evaluate(paused, at(181))
    assert kinds(realert) == ["notify_emergency:emergency"]
    assert realert[0].data["repeat"] is True
    done = guard.acknowledge_emergency(at(200), by="Anna")
    assert kinds(done) == [
        "event:emergency_acknowledged",
        "notify_emergency:emergency_acknowledged",
    ]
    assert done[0].data["cause"] == "fall"
    # Who acknowledged goes into the event and the contacts' message.
    assert done[0].data["by"] == "Anna"
    assert done[1].data["by"] == "Anna"


def test_im_ok_and_need_help() -> None:
    guard = make_guard()
    guard.update_reading("b.fall", Reading("on"), RUNNING, at(1))
    answered = guard.acknowledge_check_in(at(5))
    assert kinds(answered) == ["event:check_in_acknowledged", "notify_walker:check_in_ok"]
    assert answered[0].data["by"] is None  # nobody named: the shell says who
    # The fall sensor staying on does not ask again.
    paused = SessionStatus(SessionState.PAUSED, PauseReason.FALL)
    assert guard.evaluate(paused, at(6)) == []
    help_actions = guard.need_help(at(7))
    assert kinds(help_actions) == ["event:emergency_escalated", "notify_emergency:emergency"]
    assert help_actions[0].data["escalation"] == "need_help"


def test_inactivity_starts_a_check_in() -> None:
    guard = make_guard(inactivity_s=120)
    assert guard.next_deadline(RUNNING, at(10)) == at(120)
    assert guard.evaluate(RUNNING, at(119)) == []
    actions = guard.evaluate(RUNNING, at(120))
    assert kinds(actions)[:2] == ["pause:check_in", "event:check_in_requested"]
    assert actions[1].data["cause"] == "inactivity"
    # Movement seen pushes the deadline.
    moving = make_guard(inactivity_s=120)
    moving.update_reading("b.walker", Reading("on", since=at(100)), RUNNING, at(100))
    assert moving.evaluate(RUNNING, at(200)) == []
    moving.update_reading("b.walker", Reading("off", since=at(210)), RUNNING, at(210))
    assert moving.next_deadline(RUNNING, at(210)) == at(330)
    # Without activity sensors there is no inactivity check.
    none = Guard(PathMonitor(()), Ladder(), GuardSettings(inactivity_s=120))
    assert none.evaluate(RUNNING, at(1000)) == []
    assert none.next_deadline(RUNNING, at(1000)) is None


def test_forced_start_downgrades_what_it_overrode() -> None:
    guard = make_guard()
    guard.update_reading("b.walker", Reading("unavailable"), IDLE, at(1))
    assert guard.assessment.verdict is Verdict.UNSAFE
    gate = guard.gate(force=True)
    assert gate.allowed
    guard.accept_override(gate, at(1))
    actions = guard.evaluate(RUNNING, at(2))
    assert guard.assessment.verdict is Verdict.WARNING
    assert "pause:hazard" not in kinds(actions)
    # A new obstacle still pauses.
    assert "pause:hazard" in kinds(
        guard.update_reading("b.obstacle", Reading("on"), RUNNING, at(3))
    )
    # When it clears, the walker is told, naming what is still overridden, and may resume plainly.
    guard.update_reading("b.obstacle", Reading("off"), HAZARD_PAUSED, at(3.5))
    assert not guard.gate(force=False).allowed
    cleared = guard.evaluate(HAZARD_PAUSED, at(8.5))
    assert "notify_walker:clear" in kinds(cleared)
    clear = next(a for a in cleared if a.kind is ActionKind.NOTIFY_WALKER)
    assert clear.data["overridden"] == ["b.walker"]
    assert guard.gate(force=False).allowed
    guard.session_ended()
    guard.update_reading("b.obstacle", Reading("off"), IDLE, at(4))
    guard.evaluate(IDLE, at(10))
    assert guard.assessment.verdict is Verdict.UNSAFE


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([r.entity_id for r in RULES]),
            st.sampled_from(["on", "off", "unavailable"]),
            st.floats(0, 30),
        ),
        max_size=40,
    )
)
def test_never_running_while_unsafe(steps: list[tuple[str, str, float]]) -> None:
    guard = make_guard(auto_resume=True, inactivity_s=0)
    session = RUNNING
    now = T0
    for entity_id, state_, gap in steps:
        now += timedelta(seconds=gap)
        actions = guard.update_reading(entity_id, Reading(state_), session, now)
        actions += guard.evaluate(session, now)
        for action in actions:
            if action.kind is ActionKind.PAUSE:
                session = SessionStatus(SessionState.PAUSED, action.pause_reason)
            elif action.kind is ActionKind.RESUME:
                session = RUNNING
        if session.state is SessionState.RUNNING:
            assert guard.assessment.verdict.rank < Verdict.UNSAFE.rank
        messages = [a for a in actions if a.kind is ActionKind.NOTIFY_WALKER]
        assert len(messages) <= 2


def test_second_tier_after_unanswered_realerts() -> None:
    guard = make_guard()
    paused = SessionStatus(SessionState.PAUSED, PauseReason.HELP)
    first = guard.need_help(T0)
    assert [a.data["tier"] for a in first] == [None, None]
    # Default: two unanswered re-alerts, then the third goes to the second tier too.
    tiers = [guard.evaluate(paused, at(120 * n))[0].data["tier"] for n in (1, 2, 3, 4)]
    assert tiers == [None, None, 2, 2]
    done = guard.acknowledge_emergency(at(500), by="Ben")
    assert [a.data["tier"] for a in done] == [2, 2]  # the second tier is told it is handled


def test_a_voice_check_in_asks_by_voice_then_again_at_half_time() -> None:
    guard = make_guard()
    guard.ladder.ask_again = True
    actions = guard.update_reading("b.fall", Reading("on"), RUNNING, at(1))
    assert "ask:check_in" in kinds(actions)
    assert "speak:check_in" not in kinds(actions)
    paused = SessionStatus(SessionState.PAUSED, PauseReason.FALL)
    assert guard.next_deadline(paused, at(1)) == at(31)
    assert kinds(guard.evaluate(paused, at(30))) == []
    [again] = guard.evaluate(paused, at(31))
    assert (again.kind, again.message, again.data["again"]) == (
        ActionKind.ASK,
        "check_in",
        True,
    )
    assert guard.next_deadline(paused, at(31)) == at(61)
    assert "notify_emergency:emergency" in kinds(guard.evaluate(paused, at(61)))
