"""A stateful property test over the walker engine: every input, the clock, reloads and new settings.

The invariants are the safety promises and the spoken coaching's rules, checked after every step.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from custom_components.backward_walking.core.figures import (
    MINUTE_S,
    next_minute_at,
    shown_elapsed_s,
)
from custom_components.backward_walking.core.ladder import (
    CheckInAnswered,
    CheckInState,
    EmergencyAcknowledged,
    EmergencyAlert,
)
from custom_components.backward_walking.core.messages import SITUATION, Channel, Message, Situation
from custom_components.backward_walking.core.safety import (
    Reading,
    Role,
    SensorRule,
    Thresholds,
    Verdict,
    judge,
)
from custom_components.backward_walking.core.session import SessionState
from custom_components.backward_walking.core.settings import WalkerSettings
from custom_components.backward_walking.core.stats import summarize
from custom_components.backward_walking.core.walker import Effects, Walker

from .invariants import CueLedger, elapsed_checked

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
RULES = (
    SensorRule("b.beam", Role.OBSTACLE),
    SensorRule("b.door", Role.CROSSING),
    SensorRule("b.fall", Role.FALL),
    SensorRule("s.gap", Role.DISTANCE),
    SensorRule("b.moving", Role.ACTIVITY),
)
READINGS = {
    "b.beam": st.sampled_from(["on", "off", "unavailable"]),
    "b.door": st.sampled_from(["on", "off"]),
    "b.fall": st.sampled_from(["on", "off", "off"]),
    "s.gap": st.sampled_from(["50", "300", "abc"]),
    "b.moving": st.sampled_from(["on", "off"]),
}
CLEAR = {
    "b.beam": "off",
    "b.door": "off",
    "b.fall": "off",
    "s.gap": "300",
    "b.moving": "on",
}
BASE = WalkerSettings(
    name="Alex",
    program="alternating_1_1",
    target_minutes=3,
    sensors=RULES,
    clear_hold_s=5,
    inactivity_s=90,
    check_in_s=60,
    realert_s=120,
    auto_resume=True,
    coaching="full",
)


def reading(entity_id: str, state: str, since: datetime) -> Reading:
    return Reading(state, "cm" if entity_id == "s.gap" else None, since)


class WholeEngine(RuleBasedStateMachine):
    """The engine under random readings, commands, clock steps, reloads and option changes."""

    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        # Real time that passed (a clock stepping back takes none away).
        self.real = 0.0
        self.states = {e: reading(e, s, T0) for e, s in CLEAR.items()}
        self.engine = Walker(BASE, UTC)
        self.bad_since_load: dict[str, float] = {}
        # The shortest clear-hold in force since each sensor was last bad (options may shorten it).
        self.hold_floor: dict[str, float] = {}
        self.completed = 0
        self.completions_this_session = 0
        self.last_elapsed = 0.0
        self.last_figure = 0.0
        self.shown_figure = 0.0
        self.asked = False
        self.help_asked = False
        # After a fall, a check-in or a call for help only the walker resumes (never auto-resume).
        self.needs_walker = False
        self.commanded = False
        # The situations whose notification is out, as the messages and withdrawals tell it.
        self.shown: set[Situation] = set()
        self.cues = CueLedger()
        self._take(self.engine.load(dict(self.states), self.now), loaded=True)

    # --- bookkeeping -------------------------------------------------------------------------

    def _take(self, fx: Effects, *, loaded: bool = False) -> None:
        self.cues.take(self.engine, fx, self.now)
        if loaded:
            self.bad_since_load = dict.fromkeys(self.states, self.real)
            self.hold_floor = dict.fromkeys(self.states, self.engine.settings.clear_hold_s)
        for event_type in (event.type for event in fx.events):
            if event_type == "resumed" and not self.commanded:
                assert not self.needs_walker, "auto-resumed after a fall, a check-in or help"
            if event_type in ("started", "resumed", "completed", "stopped"):
                self.needs_walker = False
            if event_type == "started":
                self.completions_this_session = 0
                self.last_elapsed = self.last_figure = 0.0
            elif event_type == "completed":
                self.completions_this_session += 1
                self.completed += 1
        for message in fx.messages:
            if message.message is Message.CHECK_IN:
                self.asked = True
            if isinstance(message, EmergencyAlert) and not message.repeat:
                assert self.asked or self.help_asked, "contacts alerted before the walker was asked"
        session = self.engine.machine.session
        if fx.changed and session is not None:
            self.shown_figure = shown_elapsed_s(session, self.now)
        if session is not None and self._status_active():
            # Every input leaves the minute figures current: the shell writes what it is told
            # changed, also when a late timer's minute comes with a sensor's change first.
            assert self.shown_figure == shown_elapsed_s(session, self.now), self.now
        due = next_minute_at(session, self.now)
        if due is not None:
            # The minute figures are written on the minute: the engine wakes up for it.
            assert fx.next_wakeup is not None
            assert fx.next_wakeup <= due, (fx.next_wakeup, due)
        if self.engine.check_in.state is CheckInState.IDLE:
            self.asked = self.help_asked = False
        elif self._status_active():
            self.needs_walker = True
        self.commanded = False
        self._notices(fx)

    def _notices(self, fx: Effects) -> None:
        """Only what is out is withdrawn, never the emergency; nothing out says something untrue."""
        notified = (Channel.NOTIFY_WALKER, Channel.NOTIFY_EMERGENCY)
        sent = {SITUATION[m.message] for m in fx.messages if m.channel in notified}
        withdrawn = set(fx.withdrawn)
        assert withdrawn <= self.shown | sent, "withdrew a notification that was not out"
        assert Situation.EMERGENCY not in withdrawn, "the emergency's last word was taken back"
        self.shown = (self.shown | sent) - withdrawn
        assert self.shown == set(self.engine.notices.shown)
        session = self.engine.machine.state
        if Situation.PATH in self.shown:
            assert session in (SessionState.RUNNING, SessionState.PAUSED), "path notice, no walk"
        if self.engine.check_in.state is CheckInState.ESCALATED:
            assert Situation.CHECK_IN not in self.shown, "the question stayed after the alarm"
        if session is SessionState.RUNNING and Situation.CHECK_IN in self.shown:
            raise AssertionError("'resume when you are ready' stayed while walking")

    def _passes(self, seconds: float) -> None:
        """Real time passes; counted as the clock counts it (to the microsecond)."""
        step = timedelta(seconds=seconds)
        self.now += step
        self.real += step.total_seconds()

    def _status_active(self) -> bool:
        return self.engine.machine.state in (SessionState.RUNNING, SessionState.PAUSED)

    # --- rules -------------------------------------------------------------------------------

    @rule(entity=st.sampled_from(list(READINGS)), data=st.data())
    def sensor(self, entity: str, data: st.DataObject) -> None:
        state = data.draw(READINGS[entity])
        changed = state != self.states[entity].state
        self.states[entity] = reading(entity, state, self.now)
        rule_ = next(r for r in RULES if r.entity_id == entity)
        if judge(rule_, self.states[entity], Thresholds()) is not None:
            self.bad_since_load[entity] = self.real
            self.hold_floor[entity] = self.engine.settings.clear_hold_s
        open_before = self.engine.guard.ladder.active
        self._take(self.engine.reading(entity, self.states[entity], self.now))
        # A session that reached its target before the fall is over (the engine caught up first);
        # Home Assistant reports a change only when the state changed.
        falls = entity == "b.fall" and state == "on" and changed
        if falls and (open_before or self._status_active()):
            assert self.engine.guard.ladder.active, "a fall during a session must open a check-in"

    @rule(seconds=st.floats(0, 200))
    def time_passes(self, seconds: float) -> None:
        self._passes(seconds)
        self._take(self.engine.tick(self.now))

    @rule()
    def on_time(self) -> None:
        """The engine's own wake-up, on time: a cue's moment, a phase change, a hold's end."""
        fx = self.engine.tick(self.now)
        self._take(fx)
        wakeup = fx.next_wakeup
        if wakeup is not None and wakeup > self.now:
            self.real += (wakeup - self.now).total_seconds()
            self.now = wakeup
            self._take(self.engine.tick(self.now))

    @rule()
    def hallway_clears(self) -> None:
        """Every sensor reads fine again (a walk needs a clear hallway to get anywhere)."""
        for entity, state in CLEAR.items():
            if self.states[entity].state != state:
                self.states[entity] = reading(entity, state, self.now)
                self._take(self.engine.reading(entity, self.states[entity], self.now))

    @rule(seconds=st.floats(-120, -1))
    def clock_steps_back(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self._take(self.engine.tick(self.now))

    @rule(late=st.floats(0, 400), entity=st.sampled_from(list(READINGS)), data=st.data())
    def late_timer_then_reading(self, late: float, entity: str, data: st.DataObject) -> None:
        """The clock jumps past due moments and a sensor changes before the timer runs."""
        self._passes(late)
        self.sensor(entity, data)

    @rule(
        minutes=st.integers(1, 3),
        force=st.booleans(),
        program=st.sampled_from([None, "backward_only"]),
    )
    def start(self, minutes: int, force: bool, program: str | None) -> None:
        # The default program changes direction every minute; Backward only never does.
        self.commanded = True
        self._take(self.engine.start(self.now, program, minutes, None, force))

    @rule()
    def pause(self) -> None:
        self._take(self.engine.pause(self.now))

    @rule(force=st.booleans())
    def resume(self, force: bool) -> None:
        self.commanded = True
        self._take(self.engine.resume(self.now, force))

    @rule()
    def stop(self) -> None:
        self._take(self.engine.stop(self.now))

    @rule()
    def help_(self) -> None:
        self.help_asked = True
        was_running = self.engine.machine.state is SessionState.RUNNING
        self._take(self.engine.request_help(self.now))
        if was_running:
            session = self.engine.machine.session
            assert session is not None
            assert session.pause_reason is not None
            assert session.pause_reason.value == "help"

    @rule()
    def acknowledge(self) -> None:
        self._take(self.engine.acknowledge(self.now))

    @rule(
        hold=st.sampled_from([0, 3, 5, 10]),
        auto=st.booleans(),
        drop=st.booleans(),
        coaching=st.sampled_from(["off", "changes", "full"]),
        lead=st.integers(0, 15),
    )
    def options_change(self, hold: int, auto: bool, drop: bool, coaching: str, lead: int) -> None:
        sensors = RULES[:-1] if drop else RULES
        new = replace(
            BASE,
            clear_hold_s=hold,
            auto_resume=auto,
            sensors=sensors,
            coaching=coaching,
            coaching_lead_s=lead,
        )
        readings = {r.entity_id: self.states[r.entity_id] for r in sensors}
        for r in sensors:
            self.hold_floor[r.entity_id] = min(self.hold_floor.get(r.entity_id, hold), hold)
            if r not in self.engine.settings.sensors:
                self.bad_since_load[r.entity_id] = self.real
                self.hold_floor[r.entity_id] = hold
        self._take(self.engine.reconfigure(new, readings, self.now))

    @rule()
    def restart(self) -> None:
        saved = self.engine.to_dict(self.now)
        settings_now = self.engine.settings
        self.engine = Walker(settings_now, UTC)
        self.engine.restore(saved, self.now)
        assert self.engine.to_dict(self.now)["history"] == saved["history"]
        readings = {r.entity_id: self.states[r.entity_id] for r in settings_now.sensors}
        self._take(self.engine.load(readings, self.now), loaded=True)
        self._take(self.engine.start_reminders(self.now))
        assert self.engine.machine.state is not SessionState.RUNNING

    # --- invariants --------------------------------------------------------------------------

    @invariant()
    def never_running_into_a_hazard(self) -> None:
        if self.engine.machine.state is SessionState.RUNNING:
            open_ = self.engine.guard.open_reasons(self.engine.guard.assessment)
            assert all(r.severity.rank < Verdict.UNSAFE.rank for r in open_), open_

    @invariant()
    def clear_only_after_the_full_hold(self) -> None:
        # Measured in real time: a clock stepping back may restart a hold, never shorten one.
        engine = self.engine
        if engine.guard.assessment.verdict is not Verdict.CLEAR:
            return
        for rule_ in engine.settings.sensors:
            bad = self.bad_since_load.get(rule_.entity_id)
            hold = self.hold_floor.get(rule_.entity_id, 0)
            if bad is not None:
                assert self.real - bad >= hold - 1e-9, (rule_.entity_id, bad, self.real)

    @invariant()
    def elapsed_only_grows_while_running(self) -> None:
        self.last_elapsed = elapsed_checked(self.engine.machine.session, self.last_elapsed)

    @invariant()
    def holds_count_down_within_their_length(self) -> None:
        """What the card counts ("clearing… 4 s") is a held reason, ending within one hold."""
        assessment = self.engine.guard.assessment
        hold = timedelta(seconds=self.engine.settings.clear_hold_s)
        for held in assessment.clearing:
            assert held.reason in assessment.reasons
            assert self.now < held.at <= self.now + hold, (held, self.now)

    @invariant()
    def minute_figures_are_the_whole_minutes_walked(self) -> None:
        session = self.engine.machine.session
        if session is None or not self._status_active():
            return
        figure, walked = shown_elapsed_s(session, self.now), session.elapsed_at(self.now)
        assert figure % MINUTE_S == 0 or figure == session.target_s, figure
        assert walked - MINUTE_S < figure <= walked + 1e-3, (figure, walked)
        assert figure >= self.last_figure, (figure, self.last_figure)  # never shrinks, restarts too
        self.last_figure = figure

    @invariant()
    def completion_fires_once(self) -> None:
        assert self.completions_this_session <= 1

    @invariant()
    def statistics_equal_a_recomputation(self) -> None:
        history = self.engine.history
        today = self.now.date()
        summary = summarize(history, today, 60)
        assert summary.sessions_completed == self.completed
        week_start = today - timedelta(days=today.weekday())
        # This week up to today: after the clock stepped back over midnight, a session that started
        # "tomorrow" joins the figures once the clock reaches its day again.
        expected = sum(
            r.backward_s for r in history.sessions if week_start <= r.started_at.date() <= today
        )
        assert abs(summary.week_backward_min * 60 - expected) < 1e-6


TestWholeEngine = WholeEngine.TestCase
TestWholeEngine.settings = settings(max_examples=150, stateful_step_count=50, deadline=None)


def test_messages_are_effects_not_calls() -> None:
    """The engine only returns what to do: a pause message is an action in the effects."""
    engine = Walker(BASE, UTC)
    engine.load({e: reading(e, s, T0) for e, s in CLEAR.items()}, T0)
    now = T0 + timedelta(seconds=6)
    engine.tick(now)
    started = engine.start(now)
    assert started.refusal is None
    fx = engine.reading("b.beam", reading("b.beam", "on", now), now)
    assert [m.channel for m in fx.messages] == [Channel.NOTIFY_WALKER, Channel.SPEAK]
    assert fx.events[0].type == "paused"


def test_who_answered_reaches_the_events_and_the_contacts() -> None:
    """The engine's acknowledge commands take who answered and pass it on unchanged."""
    engine = Walker(BASE, UTC)
    engine.load({e: reading(e, s, T0) for e, s in CLEAR.items()}, T0)
    now = T0 + timedelta(seconds=6)
    engine.request_help(now)
    fx = engine.acknowledge(now + timedelta(seconds=5), by="Anna")
    assert fx.refusal is None
    [event] = [e for e in fx.events if e.type == "emergency_acknowledged"]
    assert isinstance(event, CheckInAnswered)
    assert event.by == "Anna"
    [message] = [m for m in fx.messages if m.message is Message.EMERGENCY_ACKNOWLEDGED]
    assert isinstance(message, EmergencyAcknowledged)
    assert message.by == "Anna"
