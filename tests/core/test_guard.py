"""The guard: what happens to a session when the path changes, and the check-in ladder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings, strategies as st

from custom_components.backward_walking.core.guard import (
    Guard,
    GuardAction,
    GuardSettings,
    PauseFor,
    Resume,
    SessionStatus,
)
from custom_components.backward_walking.core.ladder import (
    CheckInAnswered,
    CheckInCause,
    CheckInEvent,
    CheckInQuestion,
    CheckInState,
    CheckInTimings,
    EmergencyAcknowledged,
    EmergencyAlert,
    EscalationCause,
    Ladder,
    NotOpen,
)
from custom_components.backward_walking.core.messages import (
    Channel,
    HazardCleared,
    HazardDetected,
    Message,
    PathClear,
)
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
        Ladder(CheckInTimings(check_in_s=60, realert_s=120)),
        GuardSettings(auto_resume=auto_resume, inactivity_s=inactivity_s, repeat_interval_s=60),
    )
    # Loaded one clear-hold before T0, so every sensor has been checked by T0.
    guard.load({rule.entity_id: Reading("off", since=at(-5)) for rule in RULES}, at(-5))
    guard.evaluate(IDLE, T0)
    return guard


def kind(action: GuardAction) -> str:
    match action:
        case PauseFor(reason):
            return f"pause:{reason}"
        case Resume():
            return "resume"
        case HazardDetected() | HazardCleared() | CheckInEvent():
            return f"event:{action.type}"
        case _:
            return f"{action.channel}:{action.message}"


def kinds(actions: list[GuardAction] | NotOpen) -> list[str]:
    assert not isinstance(actions, NotOpen)
    return [kind(a) for a in actions]


def tier(action: GuardAction) -> int | None:
    assert isinstance(action, CheckInEvent | EmergencyAlert | EmergencyAcknowledged)
    return action.tier


def update(
    guard: Guard, entity_id: str, reading: Reading, session: SessionStatus, now: datetime
) -> list[GuardAction]:
    """A sensor changed, as the engine hands it on: judged at once, then the path evaluated."""
    guard.take_reading(entity_id, reading, now)
    return guard.evaluate(session, now)


def test_no_alarms_while_nobody_walks() -> None:
    guard = make_guard()
    assert update(guard, "b.obstacle", Reading("on", since=at(1)), IDLE, at(1)) == []
    assert guard.assessment.verdict is Verdict.UNSAFE
    assert update(guard, "b.fall", Reading("on", since=at(2)), IDLE, at(2)) == []
    assert guard.ladder.view.state is CheckInState.IDLE


def test_unsafe_pauses_and_clear_notifies() -> None:
    guard = make_guard()
    actions = update(guard, "b.obstacle", Reading("on"), RUNNING, at(1))
    # The pause comes first, before events and messages.
    assert kinds(actions) == [
        "pause:hazard",
        "event:hazard_detected",
        "notify_walker:hazard",
        "speak:hazard",
    ]
    detected = actions[1]
    assert isinstance(detected, HazardDetected)
    assert detected.reasons[0].entity_id == "b.obstacle"
    assert update(guard, "b.obstacle", Reading("off"), HAZARD_PAUSED, at(2)) == []
    # The clear-hold ends at 7 s, and nothing else is due.
    assert (guard.assessment.recheck_at, guard.ladder.due_at) == (at(7), None)
    cleared = guard.evaluate(HAZARD_PAUSED, at(7))
    assert kinds(cleared) == ["event:hazard_cleared", "notify_walker:clear", "speak:clear"]


def test_auto_resume_only_for_pauses_the_guard_made() -> None:
    guard = make_guard(auto_resume=True)
    update(guard, "b.obstacle", Reading("on"), RUNNING, at(1))
    update(guard, "b.obstacle", Reading("off"), HAZARD_PAUSED, at(2))
    assert kinds(guard.evaluate(HAZARD_PAUSED, at(7)))[-1] == "resume"
    # After a restart the guard did not make the pause: the walker resumes.
    restarted = make_guard(auto_resume=True)
    update(restarted, "b.obstacle", Reading("on"), HAZARD_PAUSED, at(1))
    update(restarted, "b.obstacle", Reading("off"), HAZARD_PAUSED, at(2))
    assert "resume" not in kinds(restarted.evaluate(HAZARD_PAUSED, at(7)))


def test_warning_keeps_going_and_is_rate_limited() -> None:
    guard = make_guard()
    first = update(guard, "b.crossing", Reading("on"), RUNNING, at(1))
    assert kinds(first) == ["event:hazard_detected", "notify_walker:warning", "speak:warning"]
    update(guard, "b.crossing", Reading("off"), RUNNING, at(2))
    guard.evaluate(RUNNING, at(8))
    assert guard.assessment.verdict is Verdict.CLEAR
    again = update(guard, "b.crossing", Reading("on"), RUNNING, at(20))
    assert kinds(again) == ["event:hazard_detected"]
    later = update(guard, "b.crossing", Reading("off"), RUNNING, at(21))
    guard.evaluate(RUNNING, at(27))
    later = update(guard, "b.crossing", Reading("on"), RUNNING, at(70))
    assert "notify_walker:warning" in kinds(later)


def test_thousand_flaps_give_one_pause_and_one_message() -> None:
    guard = make_guard()
    messages = pauses = 0
    session = RUNNING
    for i in range(1000):
        now = at(1 + i / 1000)
        actions = update(guard, "b.obstacle", Reading("on" if i % 2 == 0 else "off"), session, now)
        pauses += sum(isinstance(a, PauseFor) for a in actions)
        messages += sum(kind(a).startswith("notify_walker:") for a in actions)
        if pauses:
            session = HAZARD_PAUSED
    assert (pauses, messages) == (1, 1)
    assert guard.assessment.verdict is Verdict.UNSAFE
    assert len(guard.readings) == len(RULES)


def test_fall_pauses_and_asks_then_escalates() -> None:
    guard = make_guard()
    actions = update(guard, "b.fall", Reading("on"), RUNNING, at(1))
    assert kinds(actions) == [
        "pause:fall",
        "event:hazard_detected",
        "event:check_in_requested",
        "notify_walker:check_in",
        "speak:check_in",
    ]
    requested = actions[2]
    assert isinstance(requested, CheckInEvent)
    assert requested.cause is CheckInCause.FALL
    paused = SessionStatus(SessionState.PAUSED, PauseReason.FALL)
    assert (guard.assessment.recheck_at, guard.ladder.due_at) == (None, at(61))
    escalated = guard.evaluate(paused, at(61))
    assert kinds(escalated) == ["event:emergency_escalated", "notify_emergency:emergency"]
    alert = escalated[1]
    assert isinstance(alert, EmergencyAlert)
    assert alert.escalation is EscalationCause.NO_ANSWER
    assert alert.repeat is False
    [realert] = guard.evaluate(paused, at(181))
    assert kind(realert) == "notify_emergency:emergency"
    assert isinstance(realert, EmergencyAlert)
    assert realert.repeat is True
    done = guard.acknowledge_emergency(paused, at(200), by="Anna")
    assert kinds(done) == [
        "event:emergency_acknowledged",
        "notify_emergency:emergency_acknowledged",
    ]
    assert not isinstance(done, NotOpen)
    event, message = done
    assert isinstance(event, CheckInAnswered)
    assert isinstance(message, EmergencyAcknowledged)
    assert event.cause is CheckInCause.FALL
    # Who acknowledged goes into the event and the contacts' message.
    assert event.by == "Anna"
    assert message.by == "Anna"


def test_im_ok_and_need_help() -> None:
    guard = make_guard()
    update(guard, "b.fall", Reading("on"), RUNNING, at(1))
    answered = guard.acknowledge_check_in(RUNNING, at(2), by=None)
    assert kinds(answered) == ["event:check_in_acknowledged", "notify_walker:check_in_ok"]
    assert not isinstance(answered, NotOpen)
    event = answered[0]
    assert isinstance(event, CheckInAnswered)
    assert event.by is None  # nobody named: the shell says who
    # The fall sensor staying on does not ask again.
    paused = SessionStatus(SessionState.PAUSED, PauseReason.FALL)
    assert guard.evaluate(paused, at(6)) == []
    help_actions = guard.need_help(at(7))
    assert kinds(help_actions) == ["event:emergency_escalated", "notify_emergency:emergency"]
    escalated = help_actions[0]
    assert isinstance(escalated, CheckInEvent)
    assert escalated.escalation is EscalationCause.NEED_HELP


def test_inactivity_starts_a_check_in() -> None:
    guard = make_guard(inactivity_s=120)
    assert guard.inactivity_deadline(RUNNING, at(10)) == at(120)
    assert guard.evaluate(RUNNING, at(119)) == []
    actions = guard.evaluate(RUNNING, at(120))
    assert kinds(actions)[:2] == ["pause:check_in", "event:check_in_requested"]
    requested = actions[1]
    assert isinstance(requested, CheckInEvent)
    assert requested.cause is CheckInCause.INACTIVITY
    # Movement seen pushes the deadline.
    moving = make_guard(inactivity_s=120)
    update(moving, "b.walker", Reading("on", since=at(100)), RUNNING, at(100))
    assert moving.evaluate(RUNNING, at(200)) == []
    update(moving, "b.walker", Reading("off", since=at(210)), RUNNING, at(210))
    assert moving.inactivity_deadline(RUNNING, at(210)) == at(330)
    # Without activity sensors there is no inactivity check.
    none = Guard(PathMonitor(()), Ladder(), GuardSettings(inactivity_s=120))
    assert none.evaluate(RUNNING, at(1000)) == []
    assert none.inactivity_deadline(RUNNING, at(1000)) is None


def test_forced_start_downgrades_what_it_overrode() -> None:
    guard = make_guard()
    update(guard, "b.walker", Reading("unavailable"), IDLE, at(1))
    assert guard.assessment.verdict is Verdict.UNSAFE
    gate = guard.gate(force=True)
    assert gate.allowed
    guard.accept_override(gate, at(1))
    actions = guard.evaluate(RUNNING, at(2))
    assert guard.assessment.verdict is Verdict.WARNING
    assert "pause:hazard" not in kinds(actions)
    # A new obstacle still pauses.
    assert "pause:hazard" in kinds(update(guard, "b.obstacle", Reading("on"), RUNNING, at(3)))
    # When it clears, the walker is told, naming what is still overridden, and may resume plainly.
    update(guard, "b.obstacle", Reading("off"), HAZARD_PAUSED, at(3.5))
    assert not guard.gate(force=False).allowed
    cleared = guard.evaluate(HAZARD_PAUSED, at(8.5))
    assert "notify_walker:clear" in kinds(cleared)
    clear = next(a for a in cleared if kind(a) == "notify_walker:clear")
    assert isinstance(clear, PathClear)
    assert [r.entity_id for r in clear.overridden] == ["b.walker"]
    assert guard.gate(force=False).allowed
    guard.session_ended()
    update(guard, "b.obstacle", Reading("off"), IDLE, at(4))
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
        actions = update(guard, entity_id, Reading(state_), session, now)
        actions += guard.evaluate(session, now)
        for action in actions:
            if isinstance(action, PauseFor):
                session = SessionStatus(SessionState.PAUSED, action.reason)
            elif isinstance(action, Resume):
                session = RUNNING
        if session.state is SessionState.RUNNING:
            assert guard.assessment.verdict.rank < Verdict.UNSAFE.rank
        messages = [a for a in actions if kind(a).startswith("notify_walker:")]
        assert len(messages) <= 2


def test_second_tier_after_unanswered_realerts() -> None:
    guard = make_guard()
    paused = SessionStatus(SessionState.PAUSED, PauseReason.HELP)
    first = guard.need_help(T0)
    assert [tier(a) for a in first] == [None, None]
    # Default: two unanswered re-alerts, then the third goes to the second tier too.
    tiers = [tier(guard.evaluate(paused, at(120 * n))[0]) for n in (1, 2, 3, 4)]
    assert tiers == [None, None, 2, 2]
    done = guard.acknowledge_emergency(paused, at(500), by="Ben")
    assert not isinstance(done, NotOpen)
    assert [tier(a) for a in done] == [2, 2]  # the second tier is told it is handled


def test_a_voice_check_in_asks_by_voice_then_again_at_half_time() -> None:
    guard = make_guard()
    guard.ladder.configure(CheckInTimings(check_in_s=60, realert_s=120, ask_again=True))
    actions = update(guard, "b.fall", Reading("on"), RUNNING, at(1))
    assert "ask:check_in" in kinds(actions)
    assert "speak:check_in" not in kinds(actions)
    paused = SessionStatus(SessionState.PAUSED, PauseReason.FALL)
    assert (guard.assessment.recheck_at, guard.ladder.due_at) == (None, at(31))
    assert kinds(guard.evaluate(paused, at(30))) == []
    [again] = guard.evaluate(paused, at(31))
    assert isinstance(again, CheckInQuestion)
    assert (again.channel, again.message, again.again) == (Channel.ASK, Message.CHECK_IN, True)
    assert guard.ladder.due_at == at(61)
    assert "notify_emergency:emergency" in kinds(guard.evaluate(paused, at(61)))
