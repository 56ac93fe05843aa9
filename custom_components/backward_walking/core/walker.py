"""One walker's engine: session, path monitor, check-in ladder, reminders and history.

Every input carries ``now`` and first advances the engine to it: a session whose target passed is
completed (minutes counted, ``completed`` once), a hazard whose on-delay ran out pauses the session,
an inactivity check-in opens, each at the moment it fell due and in time order, before the input
itself is judged. An input never raises: what it cannot do comes back as a ``Refusal``. What the shell
must do comes back as ``Effects``: events, messages, whether to save, and when to wake the engine next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import partial
from typing import Any

from ..const import SAVE_INTERVAL_SECONDS, SENSOR_UNAVAILABLE_REPAIR_SECONDS
from .coach import Suggestion, review, suggest, week_start
from .energy import EnergyEstimate, session_energy
from .guard import (
    Action,
    ActionKind,
    Guard,
    GuardSettings,
    Message,
    SafetyEvent,
    SessionStatus,
    reasons_data,
)
from .ladder import CheckInState, Ladder, LadderError
from .programs import Direction, Program, time_by_direction
from .reminders import Conditions, Outcome, ReminderEvent, Reminders
from .safety import PathMonitor, Reading, Reason
from .session import (
    ACTIVE_STATES,
    EventType,
    PauseReason,
    Session,
    SessionEvent,
    SessionMachine,
    SessionState,
)
from .settings import WalkerSettings
from .stats import History, LiveContribution, PauseEntry, SessionRecord, summarize

# More due moments than this in one catch-up means something is wrong; the rest waits for `now`.
_MAX_CATCH_UP = 1000
_UNREADABLE = frozenset({"unavailable", "unknown"})


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a command was not carried out: a translation key and its placeholders."""

    key: str
    placeholders: dict[str, str] = field(default_factory=dict)
    reasons: tuple[dict[str, str], ...] = ()


@dataclass(slots=True)
class Effects:
    """What the shell must do after one input."""

    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    messages: list[Action] = field(default_factory=list)
    refusal: Refusal | None = None
    overridden: tuple[Reason, ...] = ()
    save: bool = False
    changed: bool = False
    next_wakeup: datetime | None = None


def session_seconds(session: Session, elapsed_s: float | None = None) -> dict[Direction, float]:
    """Seconds per direction walked in ``session`` so far (or in its first ``elapsed_s``)."""
    return time_by_direction(session.program, session.elapsed_s if elapsed_s is None else elapsed_s)


def session_energy_of(
    session: Session, settings: WalkerSettings, elapsed_s: float | None = None
) -> EnergyEstimate:
    """Energy of ``session`` (or of its first ``elapsed_s``) for the walker's weight and MET."""
    return session_energy(
        session_seconds(session, elapsed_s),
        session.speed_mph,
        settings.weight_kg,
        settings.met_override,
    )


def guard_settings(settings: WalkerSettings, repeat_interval_s: float) -> GuardSettings:
    """The guard's behaviour from the walker's settings."""
    return GuardSettings(
        settings.auto_resume,
        settings.inactivity_s,
        repeat_interval_s,
        tier2_after=settings.tier2_after,
    )


def ladder_timings(settings: WalkerSettings) -> tuple[float, float, bool]:
    """The check-in countdown, the re-alert interval, and whether a voice question comes again."""
    return settings.check_in_s, settings.realert_s, settings.voice_satellite is not None


def new_guard(settings: WalkerSettings, repeat_interval_s: float) -> Guard:
    """A guard with nothing seen yet, for the walker's sensors, thresholds and timings."""
    return Guard(
        PathMonitor(settings.sensors, settings.thresholds, settings.clear_hold_s),
        Ladder(*ladder_timings(settings)),
        guard_settings(settings, repeat_interval_s),
    )


class Walker:
    """The engine of one walker. Only its methods change its state; each returns Effects."""

    def __init__(
        self,
        settings: WalkerSettings,
        zone: tzinfo,
        *,
        not_now: Callable[[], bool] = lambda: False,
        repeat_interval_s: float = 60.0,
    ) -> None:
        """A walker with no session and no history; ``not_now`` tells whether to hold reminders."""
        self.settings = settings
        self.zone = zone
        self._not_now = not_now
        self._repeat_interval_s = repeat_interval_s
        self.machine = SessionMachine()
        self.history = History()
        self.guard = new_guard(settings, repeat_interval_s)
        self.reminders = Reminders(settings.schedule)
        self._active_since: datetime | None = None
        self._coach: tuple[tuple[Any, ...], Suggestion] | None = None
        self._catch_up_at: datetime | None = None
        self._last_save: datetime | None = None
        self._reminders_started = False

    # --- state for the view ----------------------------------------------------------------------

    @property
    def reminders_on(self) -> bool:
        """Whether reminders are switched on and anything is scheduled."""
        return self.settings.reminders_enabled and self.settings.schedule.active

    @property
    def next_reminder(self) -> datetime | None:
        """When the next reminder (or repeat, or snoozed reminder) is due."""
        return self.reminders.due_at if self.reminders_on else None

    @property
    def _reminders_due(self) -> datetime | None:
        # Nothing is due before start_reminders has caught up on the downtime.
        return self.next_reminder if self._reminders_started else None

    def local_date(self, moment: datetime) -> date:
        """The calendar date of ``moment`` in the walker's time zone."""
        return moment.astimezone(self.zone).date()

    def coach_suggestion(self, now: datetime) -> Suggestion:
        """The coach's advice for this week (recomputed only when the history or week changes)."""
        today = self.local_date(now)
        sessions = self.history.sessions
        settings = self.settings
        key = (
            week_start(today),
            len(sessions),
            sessions[-1].ended_at if sessions else None,
            settings.sessions_per_week,
            settings.speed_mph,
        )
        if self._coach is None or self._coach[0] != key:
            weeks = review((self.local_date(r.started_at), r) for r in sessions)
            advice = suggest(
                weeks, week_start(today), settings.sessions_per_week, settings.speed_mph
            )
            self._coach = (key, advice)
        return self._coach[1]

    def coach_or_none(self, now: datetime) -> Suggestion | None:
        """The coach's suggestion while the coach is on."""
        return self.coach_suggestion(now) if self.settings.coach_enabled else None

    def session_goal_minutes(self, now: datetime) -> float:
        """Today's session length: the coach's suggestion when it is on, else the default."""
        coach = self.coach_or_none(now)
        return coach.session_min if coach else float(self.settings.target_minutes)

    def status(self) -> SessionStatus:
        """The session as the guard sees it."""
        session = self.machine.session
        return SessionStatus(
            self.machine.state, session.pause_reason if session else None, self._active_since
        )

    def long_unavailable(self, now: datetime) -> frozenset[str]:
        """Sensors that have been unavailable or unknown for the repair time or longer."""
        limit = timedelta(seconds=SENSOR_UNAVAILABLE_REPAIR_SECONDS)
        return frozenset(
            entity_id
            for entity_id, since in self._unreadable_since().items()
            if now - since >= limit
        )

    # --- set-up and persistence ------------------------------------------------------------------

    def load(self, readings: dict[str, Reading | None], now: datetime) -> Effects:
        """Take the sensors' readings at set-up; the path clears only after a full hold from now."""
        self.guard.load(readings, now)
        self._last_save = now
        # A walker who fell while Home Assistant was down is asked at once.
        return self._step(
            now, lambda fx: self._apply(self.guard.fall_at_load(self.status(), now), now, fx)
        )

    def restore(self, data: dict[str, Any], now: datetime) -> None:
        """Take back what was saved; raises KeyError/TypeError/ValueError/AttributeError if damaged."""
        history = History.from_dict(data["history"]) if data.get("history") else History()
        machine = SessionMachine()
        if data.get("session"):
            machine.restore(data["session"], now)
        guard = new_guard(self.settings, self._repeat_interval_s)
        if data.get("safety"):
            guard.restore(data["safety"])
        reminders = Reminders(self.settings.schedule)
        if data.get("reminders"):
            reminders.restore(data["reminders"])
        history.prune(self.local_date(now))
        self.history, self.machine, self.guard, self.reminders = history, machine, guard, reminders

    def to_dict(self, now: datetime) -> dict[str, Any]:
        """Everything to save, with a running session's time folded up to ``now``."""
        session = self.machine.session
        return {
            "session": session.to_dict(now) if session else None,
            "history": self.history.to_dict(),
            "safety": self.guard.to_dict(),
            "reminders": self.reminders.to_dict(),
        }

    # --- inputs ----------------------------------------------------------------------------------

    def reading(self, entity_id: str, reading: Reading | None, now: datetime) -> Effects:
        """A sensor changed. The hot path: a running session that must stop is paused first."""
        caught_up = None
        if self._catch_up_at is not None and now >= self._catch_up_at:
            caught_up = Effects()
            self._advance(now, caught_up)
        # Nothing that can wait comes before the pause: no effects, no status are built first.
        running = self.machine.state is SessionState.RUNNING
        urgent = self.guard.take_reading(entity_id, reading, now)
        paused = self.machine.pause(now, urgent) if urgent is not None and running else None
        fx = caught_up or Effects()
        if paused is None:
            status = self.status()
        else:
            # The guard judges the reading against the session as it was: running.
            status = SessionStatus(SessionState.RUNNING, None, self._active_since)
            self._session_events(paused, now, fx)
        before = self._signature()
        self._apply(self.guard.evaluate(status, now), now, fx)
        if self._signature() != before:
            fx.changed = True
        return self._finish(now, fx)

    def tick(self, now: datetime) -> Effects:
        """The wake-up the last Effects asked for (or any later moment)."""
        fx = self._step(now, None)
        fx.changed = True
        return fx

    def reconfigure(
        self, settings: WalkerSettings, readings: dict[str, Reading | None], now: datetime
    ) -> Effects:
        """New settings: only the rules change; hold, debounce, overrides and check-in stay."""

        def body(fx: Effects) -> None:
            self.settings = settings
            ladder = self.guard.ladder
            ladder.check_in_s, ladder.realert_s, ladder.ask_again = ladder_timings(settings)
            self.guard.reconfigure(
                guard_settings(settings, self._repeat_interval_s),
                readings,
                now,
                rules=settings.sensors,
                thresholds=settings.thresholds,
                clear_hold_s=settings.clear_hold_s,
            )
            self.reminders.schedule = settings.schedule
            self.reminders.plan(now, self.zone)
            self._evaluate(now, fx)
            fx.changed = fx.save = True

        return self._step(now, body)

    def start(
        self,
        now: datetime,
        program: str | None = None,
        duration_min: float | None = None,
        speed_mph: float | None = None,
        force: bool = False,
    ) -> Effects:
        """Start a session if the path allows it; what is left out comes from the settings."""

        def body(fx: Effects) -> None:
            chosen = self._program(program, fx)
            if chosen is None:
                return
            active = self.machine.state in ACTIVE_STATES
            if not active and not self._path_allows("start", force, now, fx):
                return
            if active:
                fx.refusal = self.refusal("cannot_start", state=self.machine.state.value)
                return
            coach = self.coach_or_none(now)
            minutes = duration_min or (coach.session_min if coach else self.settings.target_minutes)
            speed = speed_mph or (coach.speed_mph if coach else self.settings.speed_mph)
            self._session_events(self.machine.start(now, chosen, minutes * 60, speed), now, fx)
            self._evaluate(now, fx)

        return self._step(now, body)

    def pause(self, now: datetime, reason: PauseReason = PauseReason.USER) -> Effects:
        """Pause a running session."""

        def body(fx: Effects) -> None:
            if self.machine.state is not SessionState.RUNNING:
                fx.refusal = self.refusal("cannot_pause", state=self.machine.state.value)
                return
            self._session_events(self.machine.pause(now, reason), now, fx)
            self._evaluate(now, fx)

        return self._step(now, body)

    def resume(self, now: datetime, force: bool = False) -> Effects:
        """Resume a paused session if the path allows it."""

        def body(fx: Effects) -> None:
            if self.machine.state is not SessionState.PAUSED:
                fx.refusal = self.refusal("cannot_resume", state=self.machine.state.value)
                return
            if not self._path_allows("resume", force, now, fx):
                return
            self._session_events(self.machine.resume(now), now, fx)
            self._evaluate(now, fx)

        return self._step(now, body)

    def stop(self, now: datetime) -> Effects:
        """Stop the session early; its minutes still count."""

        def body(fx: Effects) -> None:
            if self.machine.state not in ACTIVE_STATES:
                fx.refusal = self.refusal("cannot_stop", state=self.machine.state.value)
                return
            self._session_events(self.machine.stop(now), now, fx)
            self._evaluate(now, fx)

        return self._step(now, body)

    def acknowledge_check_in(self, now: datetime, by: str | None = None) -> Effects:
        """The walker is OK; ``by`` names who answered (the events and messages say it)."""
        return self._step(
            now, lambda fx: self._answer(partial(self.guard.acknowledge_check_in, by=by), now, fx)
        )

    def acknowledge_emergency(self, now: datetime, by: str | None = None) -> Effects:
        """A contact (``by``) is taking care of the walker."""
        return self._step(
            now, lambda fx: self._answer(partial(self.guard.acknowledge_emergency, by=by), now, fx)
        )

    def acknowledge(self, now: datetime, by: str | None = None) -> Effects:
        """Acknowledge whatever is open: the emergency, else the check-in."""
        if self.guard.ladder.state is CheckInState.ESCALATED:
            return self.acknowledge_emergency(now, by)
        return self.acknowledge_check_in(now, by)

    def request_help(self, now: datetime) -> Effects:
        """The walker needs help: a running session stops at once and the contacts are alerted."""

        def body(fx: Effects) -> None:
            self._pause_for(PauseReason.HELP, now, fx)
            self._answer(self.guard.need_help, now, fx)

        return self._step(now, body)

    def start_reminders(self, now: datetime) -> Effects:
        """At set-up: catch up on a reminder that fell due while Home Assistant was down."""

        def body(fx: Effects) -> None:
            self._reminders_started = True
            if self.reminders_on:
                conditions = self._conditions(now)
                self._outcomes(
                    self.reminders.resume_after_downtime(now, self.zone, conditions), now, fx
                )

        return self._step(now, body)

    def snooze(self, now: datetime, minutes: int) -> Effects:
        """Remind the walker again in ``minutes``."""
        return self._step(
            now, lambda fx: self._outcomes([self.reminders.snooze(now, minutes)], now, fx)
        )

    def skip_today(self, now: datetime) -> Effects:
        """No more reminders today."""
        return self._step(
            now, lambda fx: self._outcomes([self.reminders.skip_today(now, self.zone)], now, fx)
        )

    # --- stepping --------------------------------------------------------------------------------

    def _step(self, now: datetime, body: Callable[[Effects], None] | None) -> Effects:
        fx = Effects()
        self._advance(now, fx)
        if body is not None:
            body(fx)
            fx.changed = True
        return self._finish(now, fx)

    def _advance(self, now: datetime, fx: Effects) -> None:
        """Catch up to ``now``: every moment that fell due is handled at that moment, in order."""
        for _ in range(_MAX_CATCH_UP):
            due = self._session_due(now)
            if due is None or due > now:
                break
            self._settle(due, fx, tick_ladder=False)
        self._settle(now, fx, tick_ladder=True)
        if (due_at := self._reminders_due) is not None and due_at <= now:
            self._outcomes(self.reminders.due(now, self.zone, self._conditions(now)), now, fx)

    def _settle(self, at: datetime, fx: Effects, *, tick_ladder: bool) -> None:
        self._session_events(self.machine.advance(at), at, fx)
        self._evaluate(at, fx, tick_ladder=tick_ladder)

    def _session_due(self, now: datetime) -> datetime | None:
        """The earliest moment at which the session or the path changes by itself."""
        status = self.status()
        candidates = [self.machine.next_change_at(), self.guard.assessment.recheck_at]
        if status.state is SessionState.RUNNING:
            candidates.append(self.guard.inactivity_deadline(status, now))
        return min((c for c in candidates if c is not None), default=None)

    def _finish(self, now: datetime, fx: Effects) -> Effects:
        running = self.machine.state is SessionState.RUNNING
        checkpoint = self._last_save is None or now - self._last_save >= timedelta(
            seconds=SAVE_INTERVAL_SECONDS
        )
        fx.save = fx.save or bool(fx.events or fx.messages) or (running and checkpoint)
        if fx.save:
            self._last_save = now
        internal = [
            self._session_due(now),
            self.guard.ladder.due_at,
            self._reminders_due,
        ]
        self._catch_up_at = min((c for c in internal if c is not None), default=None)
        wakeups = [self._catch_up_at, self._next_midnight(now), *self._health_due(now)]
        if running:
            # No display refresh: the entities show timestamps the dashboards count from.
            wakeups.append((self._last_save or now) + timedelta(seconds=SAVE_INTERVAL_SECONDS))
        fx.next_wakeup = min((w for w in wakeups if w is not None), default=None)
        return fx

    # --- internals -------------------------------------------------------------------------------

    def _evaluate(self, now: datetime, fx: Effects, *, tick_ladder: bool = True) -> None:
        self._apply(self.guard.evaluate(self.status(), now, tick_ladder=tick_ladder), now, fx)

    def _apply(self, actions: list[Action], now: datetime, fx: Effects) -> None:
        """Carry out the guard's actions; messages and events go to the shell."""
        for action in actions:
            if action.kind is ActionKind.PAUSE:
                self._pause_for(action.pause_reason, now, fx)
            elif action.kind is ActionKind.RESUME:
                if self.machine.state is SessionState.PAUSED and self.guard.gate(False).allowed:
                    self._session_events(self.machine.resume(now), now, fx)
            elif action.kind is ActionKind.EVENT:
                assert action.event is not None
                fx.events.append((action.event.value, action.data))
            else:
                fx.messages.append(action)
        if actions:
            fx.changed = True

    def _pause_for(self, reason: PauseReason | None, now: datetime, fx: Effects) -> None:
        """Pause a running session; a paused one is now paused for a fall or a call for help."""
        assert reason is not None
        state = self.machine.state
        if state is SessionState.RUNNING:
            self._session_events(self.machine.pause(now, reason), now, fx)
        elif state is SessionState.PAUSED and reason in (PauseReason.FALL, PauseReason.HELP):
            self._session_events(self.machine.repause(now, reason), now, fx)

    def _session_events(self, events: list[SessionEvent], now: datetime, fx: Effects) -> None:
        for event in events:
            if event.type in (EventType.STARTED, EventType.RESUMED):
                self._active_since = now
                if event.type is EventType.STARTED:
                    self.guard.session_started()
                    self.reminders.answered()
            elif event.type in (EventType.COMPLETED, EventType.STOPPED):
                self._record_finished(now)
                self.guard.session_ended()
                self._active_since = None
            fx.events.append((event.type.value, event.data))
            fx.changed = True

    def _answer(
        self, answer: Callable[[datetime], list[Action]], now: datetime, fx: Effects
    ) -> None:
        try:
            actions = answer(now)
        except LadderError as err:
            fx.refusal = self.refusal(f"cannot_{err.action}", state=err.state.value)
            return
        self._apply(actions, now, fx)

    def _path_allows(self, action: str, force: bool, now: datetime, fx: Effects) -> bool:
        if self.guard.ladder.active:
            fx.refusal = self.refusal("check_in_open")
            return False
        gate = self.guard.gate(force)
        if not gate.allowed:
            reasons = reasons_data(gate.blocking)
            fx.events.append(
                (SafetyEvent.START_REFUSED.value, {"action": action, "reasons": reasons})
            )
            fx.refusal = Refusal("path_not_clear", {"walker": self.settings.name}, tuple(reasons))
            return False
        fx.overridden = gate.overridden
        self.guard.accept_override(gate, now)
        return True

    def _program(self, key: str | None, fx: Effects) -> Program | None:
        if key is None:
            return self.settings.default_program
        programs = self.settings.programs
        if key not in programs:
            fx.refusal = self.refusal("unknown_program", program=key, known=", ".join(programs))
            return None
        return programs[key]

    def refusal(self, key: str, **placeholders: str) -> Refusal:
        """A refusal naming this walker."""
        return Refusal(key, {"walker": self.settings.name, **placeholders})

    def _signature(self) -> tuple[Any, ...]:
        assessment = self.guard.assessment
        return (assessment.verdict, assessment.reasons, self.guard.ladder.state)

    def _record_finished(self, now: datetime) -> None:
        session = self.machine.session
        assert session is not None
        assert session.ended_at is not None
        seconds = session_seconds(session)
        energy = session_energy_of(session, self.settings)
        record = SessionRecord(
            started_at=session.started_at,
            ended_at=session.ended_at,
            completed=session.state is SessionState.COMPLETED,
            program=session.program.key,
            target_s=session.target_s,
            speed_mph=session.speed_mph,
            backward_s=seconds[Direction.BACKWARD],
            forward_s=seconds[Direction.FORWARD],
            rest_s=seconds[Direction.REST],
            kcal=energy.kcal,
            extra_kcal=energy.extra_kcal_vs_forward,
            pauses=tuple(
                PauseEntry(
                    pause.reason.value,
                    pause.started_at.isoformat(),
                    ((pause.ended_at or now) - pause.started_at).total_seconds(),
                )
                for pause in session.pauses
            ),
        )
        self.history.add(record, self.local_date(session.started_at))

    def _conditions(self, now: datetime) -> Conditions:
        session = self.machine.session
        live = None
        if session is not None and session.state in ACTIVE_STATES:
            seconds = session_seconds(session)
            live = LiveContribution(
                self.local_date(session.started_at), seconds[Direction.BACKWARD], session.elapsed_s
            )
        today = summarize(
            self.history, self.local_date(now), self.settings.weekly_goal_minutes, live
        )
        goal_met = today.today_total_min >= self.session_goal_minutes(now)
        return Conditions(goal_met_today=goal_met, not_now=self._not_now())

    def _outcomes(self, outcomes: list[Outcome], now: datetime, fx: Effects) -> None:
        for outcome in outcomes:
            data: dict[str, Any] = {}
            if outcome.event is ReminderEvent.SENT:
                data = {"repeat": outcome.repeat, "minutes": self.session_goal_minutes(now)}
                fx.messages.append(Action(ActionKind.NOTIFY_WALKER, Message.REMINDER, data=data))
            elif outcome.reason is not None:
                data = {"reason": outcome.reason.value}
            if outcome.event is ReminderEvent.SNOOZED and self.reminders.snoozed_until:
                data = {"until": self.reminders.snoozed_until.isoformat()}
            fx.events.append((outcome.event.value, data))
            fx.changed = fx.save = True

    def _unreadable_since(self) -> dict[str, datetime]:
        found: dict[str, datetime] = {}
        for entity_id in self.settings.sensor_ids:
            reading = self.guard.readings.get(entity_id)
            if reading is not None and reading.state in _UNREADABLE and reading.since:
                found[entity_id] = reading.since
        return found

    def _health_due(self, now: datetime) -> list[datetime]:
        limit = timedelta(seconds=SENSOR_UNAVAILABLE_REPAIR_SECONDS)
        return [since + limit for since in self._unreadable_since().values() if since + limit > now]

    def _next_midnight(self, now: datetime) -> datetime:
        tomorrow = self.local_date(now) + timedelta(days=1)
        # Through UTC, so that a midnight inside a daylight-saving gap is a real moment.
        return datetime.combine(tomorrow, time(0), tzinfo=self.zone).astimezone(UTC)
