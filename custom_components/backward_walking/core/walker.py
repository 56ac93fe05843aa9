"""One walker's engine: session, path monitor, check-in ladder, reminders and history.

Every input carries ``now`` and first advances the engine to it: a session whose target passed is
completed (minutes counted, ``completed`` once), a hazard whose on-delay ran out pauses the session,
an inactivity check-in opens, each at the moment it fell due and in time order, before the input
itself is judged. An input never raises: what it cannot do comes back as a ``Refusal``. What the shell
must do comes back as ``Effects``: events, messages, whether to save, and when to wake the engine next.

Each input reads the same way: ``fx = self._begin(now)`` catches up, the input is judged into
``fx``, and ``return self._end(now, fx)`` decides about saving and the next wake-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from .coach import Suggestion
from .cues import Cues
from .effects import Effects, Refusal
from .figures import next_minute_at
from .guard import Guard, GuardAction, PauseFor, Resume, SessionStatus
from .ladder import CheckInEvent, CheckInState, CheckInView, NotOpen
from .logbook import Logbook
from .messages import HazardCleared, HazardDetected, ReminderNotice, StartRefused
from .notices import Moment, Notices
from .programs import Program
from .reminders import Conditions
from .reminding import Today, WalkerReminders
from .safety import Reading
from .saved import mapping
from .session import (
    ACTIVE_STATES,
    Finished,
    PauseReason,
    Resumed,
    SessionEvent,
    SessionMachine,
    SessionState,
    Started,
)
from .settings import EngineTimings, WalkerSettings
from .stats import History
from .unreadable import long_unreadable, repairs_due, unreadable_since

# More due moments than this in one catch-up means something is wrong; the rest waits for `now`.
_MAX_CATCH_UP = 1000


class Walker:
    """The engine of one walker. Only its methods change its state; each returns Effects."""

    def __init__(
        self,
        settings: WalkerSettings,
        zone: tzinfo,
        *,
        not_now: Callable[[], bool] = lambda: False,
        timings: EngineTimings | None = None,
    ) -> None:
        """A walker with no session and no history; ``not_now`` tells whether to hold reminders."""
        self.settings = settings
        self.zone = zone
        self.timings = timings or EngineTimings()
        self._not_now = not_now
        self.machine = SessionMachine()
        self.logbook = Logbook(zone)
        self.guard = Guard.for_walker(settings, self.timings.message_repeat_s)
        self.reminders = WalkerReminders(settings, zone)
        self.notices = Notices()
        self.cues = Cues()
        self._active_since: datetime | None = None
        self._catch_up_at: datetime | None = None
        self._last_save: datetime | None = None
        # The whole walking minute the figures are shown for next (a late timer may pass it).
        self._minute_due: datetime | None = None

    # --- state for the view ----------------------------------------------------------------------

    @property
    def check_in(self) -> CheckInView:
        """The check-in as it stands."""
        return self.guard.ladder.view

    @property
    def next_reminder(self) -> datetime | None:
        """When the next reminder (or repeat, or snoozed reminder) is due."""
        return self.reminders.next_at

    @property
    def history(self) -> History:
        """The walker's finished sessions and daily totals."""
        return self.logbook.history

    def local_date(self, moment: datetime) -> date:
        """The calendar date of ``moment`` in the walker's time zone."""
        return self.logbook.local_date(moment)

    def coach_or_none(self, now: datetime) -> Suggestion | None:
        """The coach's suggestion while the coach is on."""
        return self.logbook.coach(self.settings, now)

    def status(self) -> SessionStatus:
        """The session as the guard sees it."""
        session = self.machine.session
        return SessionStatus(
            self.machine.state, session.pause_reason if session else None, self._active_since
        )

    def long_unavailable(self, now: datetime) -> frozenset[str]:
        """Sensors that have been unavailable or unknown for the repair time or longer."""
        return long_unreadable(*self._unreadable(), now)

    # --- set-up and persistence ------------------------------------------------------------------

    def load(self, readings: dict[str, Reading | None], now: datetime) -> Effects:
        """Take the sensors' readings at set-up; the path clears only after a full hold from now."""
        self.guard.load(readings, now)
        self._last_save = now
        fx = self._begin(now)
        # A walker who fell while Home Assistant was down is asked at once.
        self._apply(self.guard.fall_at_load(self.status(), now), now, fx)
        fx.changed = True  # the restored state is shown for the first time
        return self._end(now, fx)

    def restore(self, saved: object, now: datetime) -> None:
        """Take back what was saved; raises KeyError/TypeError/ValueError if it is damaged."""
        data = mapping(saved)
        history = History.from_dict(data["history"]) if data.get("history") else History()
        machine = SessionMachine()
        if data.get("session"):
            machine.restore(data["session"], now)
        guard = Guard.for_walker(self.settings, self.timings.message_repeat_s)
        if data.get("safety"):
            guard.restore(data["safety"])
        # Last: nothing else may fail once the reminders are taken back.
        self.reminders.restore(data.get("reminders"))
        history.prune(self.local_date(now))
        self.logbook = Logbook(self.zone, history)
        self.machine, self.guard = machine, guard
        self.notices.restore(data.get("notices"))

    def to_dict(self, now: datetime) -> dict[str, Any]:
        """Everything to save, with a running session's time folded up to ``now``."""
        session = self.machine.session
        return {
            "session": session.to_dict(now) if session else None,
            "history": self.history.to_dict(),
            "safety": self.guard.to_dict(),
            "reminders": self.reminders.to_dict(),
            "notices": self.notices.to_dict(),
        }

    # --- inputs ----------------------------------------------------------------------------------

    def reading(self, entity_id: str, reading: Reading | None, now: datetime) -> Effects:
        """A sensor changed. The hot path: a running session that must stop is paused first."""
        fx = self._begin(now, only_if_due=True)
        # Nothing that can wait comes before the pause: no status is built first.
        running = self.machine.state is SessionState.RUNNING
        urgent = self.guard.take_reading(entity_id, reading, now)
        if urgent is not None and running:
            self._session_events(self.machine.pause(now, urgent), now, fx)
            # The guard judges the reading against the session as it was: running.
            was = SessionStatus(SessionState.RUNNING, None, self._active_since)
            self._evaluate(now, fx, status=was)
        else:
            self._evaluate(now, fx)
        return self._end(now, fx)

    def tick(self, now: datetime) -> Effects:
        """The wake-up the last Effects asked for (or any later moment)."""
        fx = self._begin(now)
        fx.changed = True  # it may be the local midnight, which starts a new day's figures
        return self._end(now, fx)

    def reconfigure(
        self, settings: WalkerSettings, readings: dict[str, Reading | None], now: datetime
    ) -> Effects:
        """New settings: only the rules change; hold, debounce, overrides and check-in stay."""
        fx = self._begin(now)
        self.settings = settings
        self.guard.reconfigure(settings, readings, now, self.timings.message_repeat_s)
        self.reminders.configure(settings, now)
        self._evaluate(now, fx)
        fx.changed = fx.save = True
        return self._end(now, fx)

    def start(
        self,
        now: datetime,
        program: str | None = None,
        duration_min: float | None = None,
        speed_mph: float | None = None,
        force: bool = False,
    ) -> Effects:
        """Start a session if the path allows it; what is left out comes from the settings."""
        fx = self._begin(now)
        chosen = self._program(program, fx)
        if chosen is not None and self._may_start(force, now, fx):
            coach = self.logbook.coach(self.settings, now)
            minutes = duration_min or (coach.session_min if coach else self.settings.target_minutes)
            speed = speed_mph or (coach.speed_mph if coach else self.settings.speed_mph)
            self._session_events(self.machine.start(now, chosen, minutes * 60, speed), now, fx)
            self._evaluate(now, fx)
        return self._end(now, fx)

    def pause(self, now: datetime, reason: PauseReason = PauseReason.USER) -> Effects:
        """Pause a running session."""
        fx = self._begin(now)
        if self.machine.state is SessionState.RUNNING:
            self._session_events(self.machine.pause(now, reason), now, fx)
            self._evaluate(now, fx)
        else:
            fx.refusal = self.refusal("cannot_pause", state=self.machine.state.value)
        return self._end(now, fx)

    def resume(self, now: datetime, force: bool = False) -> Effects:
        """Resume a paused session if the path allows it."""
        fx = self._begin(now)
        if self.machine.state is not SessionState.PAUSED:
            fx.refusal = self.refusal("cannot_resume", state=self.machine.state.value)
        elif self._path_allows("resume", force, now, fx):
            self._session_events(self.machine.resume(now), now, fx)
            self._evaluate(now, fx)
        return self._end(now, fx)

    def stop(self, now: datetime) -> Effects:
        """Stop the session early; its minutes still count."""
        fx = self._begin(now)
        if self.machine.state in ACTIVE_STATES:
            self._session_events(self.machine.stop(now), now, fx)
            self._evaluate(now, fx)
        else:
            fx.refusal = self.refusal("cannot_stop", state=self.machine.state.value)
        return self._end(now, fx)

    def acknowledge_check_in(self, now: datetime, by: str | None = None) -> Effects:
        """The walker is OK; ``by`` names who answered (the events and messages say it)."""
        fx = self._begin(now)
        answered = self.guard.acknowledge_check_in(self.status(), now, by)
        self._answered(answered, "cannot_acknowledge_check_in", now, fx)
        return self._end(now, fx)

    def acknowledge_emergency(self, now: datetime, by: str | None = None) -> Effects:
        """A contact (``by``) is taking care of the walker."""
        fx = self._begin(now)
        answered = self.guard.acknowledge_emergency(self.status(), now, by)
        self._answered(answered, "cannot_acknowledge_emergency", now, fx)
        return self._end(now, fx)

    def acknowledge(self, now: datetime, by: str | None = None) -> Effects:
        """Acknowledge whatever is open: the emergency, else the check-in."""
        if self.check_in.state is CheckInState.ESCALATED:
            return self.acknowledge_emergency(now, by)
        return self.acknowledge_check_in(now, by)

    def request_help(self, now: datetime) -> Effects:
        """The walker needs help: a running session stops at once and the contacts are alerted."""
        fx = self._begin(now)
        self._pause_for(PauseReason.HELP, now, fx)
        self._apply(self.guard.need_help(now), now, fx)
        return self._end(now, fx)

    def start_reminders(self, now: datetime) -> Effects:
        """At set-up: catch up on a reminder that fell due while Home Assistant was down."""
        fx = self._begin(now)
        self.reminders.start(now, lambda: self._today(now), fx)
        fx.changed = True  # the next reminder is known from now on
        return self._end(now, fx)

    def snooze(self, now: datetime, minutes: int) -> Effects:
        """Remind the walker again in ``minutes``."""
        fx = self._begin(now)
        self.reminders.snooze(now, minutes, fx)
        return self._end(now, fx)

    def skip_today(self, now: datetime) -> Effects:
        """No more reminders today."""
        fx = self._begin(now)
        self.reminders.skip_today(now, fx)
        return self._end(now, fx)

    def refusal(self, key: str, **placeholders: str) -> Refusal:
        """A refusal naming this walker."""
        return Refusal(key, {"walker": self.settings.name, **placeholders})

    # --- stepping --------------------------------------------------------------------------------

    def _begin(self, now: datetime, *, only_if_due: bool = False) -> Effects:
        """The effects of one input, after catching up to ``now`` (``only_if_due``: if needed)."""
        fx = Effects()
        if not only_if_due or (self._catch_up_at is not None and now >= self._catch_up_at):
            self._advance(now, fx)
        return fx

    def _advance(self, now: datetime, fx: Effects) -> None:
        """Catch up to ``now``: every moment that fell due is handled at that moment, in order."""
        for _ in range(_MAX_CATCH_UP):
            due = self._session_due(now)
            if due is None or due > now:
                break
            self._settle(due, fx, tick_ladder=False)
        self._settle(now, fx, tick_ladder=True)
        self.reminders.catch_up(now, lambda: self._today(now), fx)

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

    def _end(self, now: datetime, fx: Effects) -> Effects:
        """What the step ended, the cue, whether it is shown and saved, and when to wake up next."""
        moment = Moment(self.machine.state, self.guard.ladder.view.state)
        fx.withdrawn = self.notices.settle(fx.messages, moment, fx.events)
        safety = any(not isinstance(m, ReminderNotice) for m in fx.messages)
        session = self.machine.session
        fx.cues += self.cues.decide(session, self.settings, fx.events, safety, now)
        announced = bool(fx.events or fx.messages or fx.withdrawn)
        fx.changed = fx.changed or announced
        running = self.machine.state is SessionState.RUNNING
        save_interval = timedelta(seconds=self.timings.save_interval_s)
        checkpoint = self._last_save is None or now - self._last_save >= save_interval
        fx.save = fx.save or announced or (running and checkpoint)
        if fx.save:
            self._last_save = now
        internal = [self._session_due(now), self.guard.ladder.due_at, self.reminders.due_at]
        self._catch_up_at = min((c for c in internal if c is not None), default=None)
        repairs = repairs_due(*self._unreadable(), now)
        cue_at = self.cues.next_at(session, self.settings)
        wakeups = [self._catch_up_at, self.logbook.next_midnight(now), cue_at, *repairs]
        # Minute figures are written on the minute, or by the first input after a late timer.
        if self._minute_due is not None and now >= self._minute_due:
            fx.changed = True
        self._minute_due = next_minute_at(self.machine.session, now)
        if running:
            wakeups.append((self._last_save or now) + save_interval)
            wakeups.append(self._minute_due)
        fx.next_wakeup = min((w for w in wakeups if w is not None), default=None)
        return fx

    # --- internals -------------------------------------------------------------------------------

    def _evaluate(
        self,
        now: datetime,
        fx: Effects,
        *,
        status: SessionStatus | None = None,
        tick_ladder: bool = True,
    ) -> None:
        """Let the guard judge the path at ``now``; a changed verdict or reasons is shown."""
        before = self.guard.assessment
        actions = self.guard.evaluate(status or self.status(), now, tick_ladder=tick_ladder)
        after = self.guard.assessment
        if after.shown != before.shown:
            fx.changed = True
        self._apply(actions, now, fx)

    def _apply(self, actions: Iterable[GuardAction], now: datetime, fx: Effects) -> None:
        """Carry out the guard's actions; messages and events go to the shell."""
        for action in actions:
            match action:
                case PauseFor(reason):
                    self._pause_for(reason, now, fx)
                case Resume():
                    if self.machine.state is SessionState.PAUSED and self.guard.gate(False).allowed:
                        self._session_events(self.machine.resume(now), now, fx)
                case HazardDetected() | HazardCleared() | CheckInEvent():
                    fx.events.append(action)
                case _:
                    fx.messages.append(action)

    def _answered(
        self, answered: list[GuardAction] | NotOpen, refused: str, now: datetime, fx: Effects
    ) -> None:
        """An answer to the check-in: carried out, or refused as ``refused`` when nothing fits."""
        if isinstance(answered, NotOpen):
            fx.refusal = self.refusal(refused, state=answered.state.value)
        else:
            self._apply(answered, now, fx)

    def _pause_for(self, reason: PauseReason, now: datetime, fx: Effects) -> None:
        """Pause a running session; a paused one is now paused for a fall or a call for help."""
        state = self.machine.state
        if state is SessionState.RUNNING:
            self._session_events(self.machine.pause(now, reason), now, fx)
        elif state is SessionState.PAUSED and reason in (PauseReason.FALL, PauseReason.HELP):
            self._session_events(self.machine.repause(now, reason), now, fx)

    def _session_events(self, events: list[SessionEvent], now: datetime, fx: Effects) -> None:
        for event in events:
            if isinstance(event, Started | Resumed):
                self._active_since = now
                self.guard.walking_again()
                if isinstance(event, Started):
                    self.guard.session_started()
                    self.reminders.session_started()
            elif isinstance(event, Finished):
                assert self.machine.session is not None
                self.logbook.record(self.machine.session, self.settings, now)
                self.guard.session_ended()
                self._active_since = None
            fx.events.append(event)

    def _may_start(self, force: bool, now: datetime, fx: Effects) -> bool:
        if self.machine.state in ACTIVE_STATES:
            fx.refusal = self.refusal("cannot_start", state=self.machine.state.value)
            return False
        return self._path_allows("start", force, now, fx)

    def _path_allows(self, action: str, force: bool, now: datetime, fx: Effects) -> bool:
        if self.guard.ladder.active:
            fx.refusal = self.refusal("check_in_open")
            return False
        gate = self.guard.gate(force)
        if not gate.allowed:
            fx.events.append(StartRefused(action, gate.blocking))
            fx.refusal = Refusal("path_not_clear", {"walker": self.settings.name}, gate.blocking)
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

    def _today(self, now: datetime) -> Today:
        goal = self.logbook.session_goal(self.settings, now)
        walked = self.logbook.walked_today(self.machine.session, self.settings, now)
        return Today(Conditions(goal_met_today=walked >= goal, not_now=self._not_now()), goal)

    def _unreadable(self) -> tuple[dict[str, datetime], timedelta]:
        """Since when each sensor is unreadable, and after how long that is a repair."""
        since = unreadable_since(self.guard.readings, self.settings.sensor_ids)
        return since, timedelta(seconds=self.timings.repair_after_s)
