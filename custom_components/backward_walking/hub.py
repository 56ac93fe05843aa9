"""One hub per walker: feeds the core, applies its decisions and tells the entities to write state."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
import logging
from typing import Any

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
    async_track_state_change_event,
    async_track_time_change,
    async_track_time_interval,
)
from homeassistant.helpers.start import async_at_started
from homeassistant.util import dt as dt_util

from .alerts import Alerts, friendly_names
from .const import (
    DOMAIN,
    LIVE_REFRESH_SECONDS,
    MESSAGE_REPEAT_SECONDS,
    MOBILE_ACTION_ACK,
    MOBILE_ACTION_HELP,
    MOBILE_ACTION_OK,
    SAVE_INTERVAL_SECONDS,
)
from .core.coach import Suggestion, review, suggest, week_start
from .core.guard import (
    Action,
    ActionKind,
    Guard,
    GuardSettings,
    SafetyEvent,
    SessionStatus,
    reasons_data,
)
from .core.ladder import CheckInState, Ladder, LadderError
from .core.programs import Direction, Program
from .core.safety import PathMonitor, Reading
from .core.session import (
    ACTIVE_STATES,
    EventType,
    InvalidTransitionError,
    PauseReason,
    SessionEvent,
    SessionMachine,
    SessionState,
)
from .core.stats import History, PauseEntry, SessionRecord
from .data import BackwardWalkingConfigEntry, WalkerSettings
from .errors import validation_error
from .notify import Notifier
from .reminder_runner import ReminderRunner
from .sensor_health import SensorHealth
from .store import WalkerStorage
from .units import WalkerUnits
from .view import WalkerView, build_view, session_energy_of, session_seconds

_LOGGER = logging.getLogger(__name__)

type EventListener = Callable[[str, dict[str, Any]], None]
MOBILE_ACTION_EVENT = "mobile_app_notification_action"
_MESSAGES = frozenset({ActionKind.NOTIFY_WALKER, ActionKind.NOTIFY_EMERGENCY, ActionKind.SPEAK})


def local_date(moment: datetime) -> date:
    """The calendar date of ``moment`` in Home Assistant's time zone."""
    return dt_util.as_local(moment).date()


def reading_of(state: State | None) -> Reading | None:
    """A core reading from a Home Assistant state (None when the entity does not exist)."""
    if state is None:
        return None
    return Reading(state.state, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT), state.last_changed)


def make_guard(settings: WalkerSettings, ladder: Ladder | None = None) -> Guard:
    """A guard for the walker's sensors, thresholds and timings; an open check-in carries over."""
    if ladder is None:
        ladder = Ladder()
    ladder.check_in_s, ladder.realert_s = settings.check_in_s, settings.realert_s
    return Guard(
        PathMonitor(settings.sensors, settings.thresholds, settings.clear_hold_s),
        ladder,
        GuardSettings(settings.auto_resume, settings.inactivity_s, MESSAGE_REPEAT_SECONDS),
    )


class WalkerHub:
    """Owns one walker's session, history and safety guard; the only place that changes them."""

    def __init__(
        self, hass: HomeAssistant, entry: BackwardWalkingConfigEntry, storage: WalkerStorage
    ) -> None:
        """Create the hub; call async_setup before use."""
        self.hass = hass
        self.entry = entry
        self.settings = WalkerSettings.from_entry(dict(entry.data), dict(entry.options))
        self.units = WalkerUnits.of(hass)
        self.machine = SessionMachine()
        self.history = History()
        self.guard = make_guard(self.settings)
        self.alerts = Alerts(hass, Notifier(hass, entry), entry.entry_id)
        self.health = SensorHealth(hass, entry.entry_id, self.settings.name)
        self.reminders = ReminderRunner(self)
        self._coach_cache: tuple[tuple[Any, ...], Suggestion] | None = None
        self._storage = storage
        self._listeners: list[CALLBACK_TYPE] = []
        self._event_listeners: list[EventListener] = []
        self._unsub_change: CALLBACK_TYPE | None = None
        self._unsub_refresh: CALLBACK_TYPE | None = None
        self._unsub_guard: CALLBACK_TYPE | None = None
        self._unsub_sensors: CALLBACK_TYPE | None = None
        self._guard_due: datetime | None = None
        self._active_since: datetime | None = None
        self._last_save = dt_util.utcnow()
        self.view = self._build_view(dt_util.utcnow())

    @property
    def device_info(self) -> DeviceInfo:
        """The single device that groups this walker's entities."""
        return DeviceInfo(
            identifiers={(DOMAIN, self.entry.entry_id)},
            name=self.settings.name,
            manufacturer="Backward Walking",
            model="Retro-walking coach",
            entry_type=DeviceEntryType.SERVICE,
        )

    async def async_setup(self) -> None:
        """Load what was saved and start watching the sensors.

        A session that was running comes back paused (reason restart); an open check-in or emergency
        comes back as it was, with its deadline.
        """
        data = await self._storage.async_load()
        now = dt_util.utcnow()
        try:
            if data.get("history"):
                self.history = History.from_dict(data["history"])
            if data.get("session"):
                self.machine.restore(data["session"], now)
            if data.get("safety"):
                self.guard.ladder.restore(data["safety"]["ladder"])
            if data.get("reminders"):
                self.reminders.state.restore(data["reminders"])
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            await self._storage.async_set_aside(f"unexpected content ({err!r})")
            self.history = History()
            self.machine = SessionMachine()
            self.guard = make_guard(self.settings)
            self.reminders = ReminderRunner(self)
        self.history.prune(local_date(now))
        on_unload = self.entry.async_on_unload
        on_unload(
            async_track_time_change(self.hass, self._async_midnight, hour=0, minute=0, second=0)
        )
        on_unload(self.hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, self._async_on_stop))
        on_unload(
            self.hass.bus.async_listen(
                MOBILE_ACTION_EVENT, self._async_mobile_action, event_filter=self._is_our_action
            )
        )
        self._watch_sensors()
        on_unload(async_at_started(self.hass, self._async_check_sensor_health))
        self._apply(now, [], self.guard.evaluate(self._status(), now))

    @callback
    def async_start_reminders(self) -> None:
        """Start the reminders once the entities exist, so a catch-up reminder's event is seen."""
        self.reminders.start(dt_util.utcnow())
        self.async_changed()

    async def async_unload(self) -> None:
        """Cancel timers and listeners and write the current state to disk."""
        self._cancel_timers()
        self._cancel_guard_timer()
        if self._unsub_sensors is not None:
            self._unsub_sensors()
            self._unsub_sensors = None
        self.health.async_stop()
        self.reminders.stop()
        await self._storage.store.async_save(self._data())

    # --- listeners -------------------------------------------------------------------------------

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update`` whenever the view changes; returns the remover."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @callback
    def async_add_event_listener(self, listener: EventListener) -> CALLBACK_TYPE:
        """Call ``listener(event_type, data)`` for every session and safety event."""
        self._event_listeners.append(listener)
        return lambda: self._event_listeners.remove(listener)

    # --- commands --------------------------------------------------------------------------------

    @callback
    def start_session(
        self,
        duration_min: float | None = None,
        program: str | None = None,
        speed_mph: float | None = None,
        force: bool = False,
    ) -> None:
        """Start a session if the path allows it; arguments left out come from the settings."""
        chosen = self.resolve_program(program)
        coach = self.coach_suggestion() if self.settings.coach_enabled else None
        target_s = (
            duration_min or (coach.session_min if coach else self.settings.target_minutes)
        ) * 60
        speed = speed_mph or (coach.speed_mph if coach else self.settings.speed_mph)
        if self.machine.state not in ACTIVE_STATES:
            self._check_path("start", force)
        self._command(lambda now: self.machine.start(now, chosen, target_s, speed))

    @callback
    def pause_session(self, reason: PauseReason = PauseReason.USER) -> None:
        """Pause a running session."""
        self._command(lambda now: self.machine.pause(now, reason))

    @callback
    def resume_session(self, force: bool = False) -> None:
        """Resume a paused session if the path allows it."""
        if self.machine.state is SessionState.PAUSED:
            self._check_path("resume", force)
        self._command(self.machine.resume)

    @callback
    def stop_session(self) -> None:
        """Stop the session early."""
        self._command(self.machine.stop)

    @callback
    def acknowledge_check_in(self) -> None:
        """The walker is OK."""
        self._answer(self.guard.acknowledge_check_in)

    @callback
    def request_help(self) -> None:
        """The walker needs help: alert the emergency contacts now."""
        self._answer(self.guard.need_help)

    @callback
    def acknowledge_emergency(self) -> None:
        """A contact is taking care of the walker."""
        self._answer(self.guard.acknowledge_emergency)

    @callback
    def acknowledge(self) -> None:
        """Acknowledge whatever is open: the emergency, else the check-in."""
        if self.guard.ladder.state is CheckInState.ESCALATED:
            self.acknowledge_emergency()
        else:
            self.acknowledge_check_in()

    @callback
    def snooze_reminder(self, minutes: int) -> None:
        """Remind the walker again in ``minutes``."""
        self.reminders.snooze(minutes)
        self.async_changed()

    @callback
    def skip_today(self) -> None:
        """No more reminders today."""
        self.reminders.skip_today()
        self.async_changed()

    def session_goal_minutes(self) -> float:
        """Today's session length: the coach's suggestion when it is on, else the default."""
        if self.settings.coach_enabled:
            return self.coach_suggestion().session_min
        return float(self.settings.target_minutes)

    def coach_suggestion(self) -> Suggestion:
        """The coach's advice for this week (recomputed only when the history or week changes)."""
        today = local_date(dt_util.utcnow())
        sessions = self.history.sessions
        settings = self.settings
        key = (
            week_start(today),
            len(sessions),
            sessions[-1].ended_at if sessions else None,
            settings.sessions_per_week,
            settings.speed_mph,
        )
        if self._coach_cache is None or self._coach_cache[0] != key:
            weeks = review((local_date(r.started_at), r) for r in sessions)
            advice = suggest(
                weeks, week_start(today), settings.sessions_per_week, settings.speed_mph
            )
            self._coach_cache = (key, advice)
        return self._coach_cache[1]

    @callback
    def async_changed(self) -> None:
        """Save and show a change made outside the session machine (reminders)."""
        now = dt_util.utcnow()
        self._save(now)
        self._refresh(now)

    def resolve_program(self, key: str | None) -> Program:
        """The program called ``key`` (built-in key or the walker's own name), or the default."""
        if key is None:
            return self.settings.default_program
        programs = self.settings.programs
        if key not in programs:
            raise validation_error("unknown_program", program=key, known=", ".join(programs))
        return programs[key]

    @callback
    def async_set_option(self, key: str, value: Any) -> None:
        """Change one stored option; the entry's update listener applies it."""
        self.hass.config_entries.async_update_entry(
            self.entry, options={**self.entry.options, key: value}
        )

    @callback
    def async_update_settings(self, settings: WalkerSettings) -> None:
        """Apply changed options without interrupting a session."""
        sensors_changed = settings.sensors != self.settings.sensors
        self.settings = settings
        self.health.walker = settings.name
        # The guard keeps its verdict, rate limits, overrides and open check-in; only its rules change.
        fresh = make_guard(settings, self.guard.ladder)
        self.guard.monitor, self.guard.settings = fresh.monitor, fresh.settings
        self._watch_sensors(resubscribe=sensors_changed)
        now = dt_util.utcnow()
        self.reminders.reconfigure(now)
        self._apply(now, [], self.guard.evaluate(self._status(), now))

    def session_summary(self) -> dict[str, Any]:
        """The session as an action response and for diagnostics."""
        view = self.view
        return {
            "walker": self.settings.name,
            "state": view.state.value,
            "pause_reason": view.pause_reason.value if view.pause_reason else None,
            "program": view.program,
            "direction": view.direction.value if view.direction else None,
            "target_minutes": _round(view.target_min),
            "elapsed_minutes": _round(view.elapsed_min),
            "remaining_minutes": _round(view.remaining_min),
            "backward_minutes": _round(view.backward_min),
            "kcal": _round(view.kcal),
            "extra_kcal_vs_forward": _round(view.extra_kcal),
            "started_at": view.started_at.isoformat() if view.started_at else None,
            "path": view.verdict.value,
            "check_in": view.check_in.value,
            "next_reminder": view.next_reminder.isoformat() if view.next_reminder else None,
        }

    # --- safety internals ------------------------------------------------------------------------

    def _status(self) -> SessionStatus:
        session = self.machine.session
        return SessionStatus(
            self.machine.state, session.pause_reason if session else None, self._active_since
        )

    def _check_path(self, action: str, force: bool) -> None:
        now = dt_util.utcnow()
        self._apply(now, [], self.guard.evaluate(self._status(), now))
        if self.guard.ladder.active:
            raise validation_error("check_in_open", walker=self.settings.name)
        gate = self.guard.gate(force)
        if not gate.allowed:
            reasons = reasons_data(gate.blocking)
            self.fire_event(SafetyEvent.START_REFUSED.value, {"action": action, "reasons": reasons})
            names = friendly_names(self.hass, [r["entity_id"] for r in reasons])
            raise validation_error(
                "path_not_clear",
                walker=self.settings.name,
                reasons=self.alerts.texts.reasons(reasons, names),
            )
        if gate.overridden:
            _LOGGER.warning(
                "%s of %s forced despite: %s",
                action.capitalize(),
                self.settings.name,
                ", ".join(f"{r.entity_id} ({r.hazard})" for r in gate.overridden),
            )
            self.guard.accept_override(gate)

    def _answer(self, answer: Callable[[datetime], list[Action]]) -> None:
        now = dt_util.utcnow()
        try:
            actions = answer(now)
        except LadderError as err:
            raise validation_error(
                f"cannot_{err.action}", walker=self.settings.name, state=err.state.value
            ) from err
        self._apply(now, [], actions)

    def _watch_sensors(self, resubscribe: bool = True) -> None:
        ids = self.settings.sensor_ids
        self.guard.load({e: reading_of(self.hass.states.get(e)) for e in ids}, dt_util.utcnow())
        if not resubscribe:
            return
        if self._unsub_sensors is not None:
            self._unsub_sensors()
            self._unsub_sensors = None
        if ids:
            self._unsub_sensors = async_track_state_change_event(
                self.hass, ids, self._async_sensor_changed
            )

    @callback
    def _async_sensor_changed(self, event: Event[EventStateChangedData]) -> None:
        """The hot path: pause first, then work out events, messages and entity states."""
        entity_id = event.data["entity_id"]
        new_state = event.data["new_state"]
        now = dt_util.utcnow()
        status = self._status()
        urgent = self.guard.take_reading(entity_id, reading_of(new_state), now)
        events: list[SessionEvent] = []
        if urgent is not None and status.state is SessionState.RUNNING:
            events = self.machine.pause(now, urgent)
        before = self._safety_signature()  # the guard's verdict only changes in evaluate
        actions = self.guard.evaluate(status, now)
        if events or actions or self._safety_signature() != before:
            self._apply(now, events, actions)
        else:
            self._reschedule_guard(now)
        if self.hass.is_running:
            self.health.check(entity_id, new_state)

    @callback
    def _async_check_sensor_health(self, _hass: HomeAssistant) -> None:
        for entity_id in self.settings.sensor_ids:
            self.health.check(entity_id, self.hass.states.get(entity_id))

    @callback
    def _async_guard_timer(self, _now: datetime) -> None:
        self._unsub_guard = None
        self._guard_due = None
        now = dt_util.utcnow()
        session_events = self.machine.advance(now)
        self._apply(now, session_events, self.guard.evaluate(self._status(), now))

    @callback
    def _is_our_action(self, event_data: Mapping[str, Any]) -> bool:
        action = str(event_data.get("action", ""))
        return action.endswith(self.entry.entry_id) and action.startswith("BACKWARD_WALKING_")

    @callback
    def _async_mobile_action(self, event: Event[Mapping[str, Any]]) -> None:
        action = str(event.data.get("action", ""))
        if self.reminders.handle_mobile_action(action):
            return
        answer = {
            f"{MOBILE_ACTION_OK}{self.entry.entry_id}": self.acknowledge_check_in,
            f"{MOBILE_ACTION_HELP}{self.entry.entry_id}": self.request_help,
            f"{MOBILE_ACTION_ACK}{self.entry.entry_id}": self.acknowledge_emergency,
        }.get(action)
        if answer is None:
            return
        try:
            answer()
        except ServiceValidationError as err:
            _LOGGER.info("Ignoring %s from the companion app: %s", action, err.translation_key)

    def _safety_signature(self) -> tuple[Any, ...]:
        assessment = self.guard.assessment
        return (assessment.verdict, assessment.reasons, self.guard.ladder.state)

    def _reschedule_guard(self, now: datetime) -> None:
        due = self.guard.next_deadline(self._status(), now)
        if due == self._guard_due:
            return
        self._cancel_guard_timer()
        if due is not None:
            self._guard_due = due
            self._unsub_guard = async_track_point_in_utc_time(
                self.hass, self._async_guard_timer, due
            )

    def _cancel_guard_timer(self) -> None:
        if self._unsub_guard is not None:
            self._unsub_guard()
        self._unsub_guard = None
        self._guard_due = None

    # --- session internals -----------------------------------------------------------------------

    def _command(self, action: Callable[[datetime], list[SessionEvent]]) -> None:
        now = dt_util.utcnow()
        pending = self.machine.advance(now)
        try:
            events = action(now)
        except InvalidTransitionError as err:
            self._apply(now, pending)
            raise validation_error(
                f"cannot_{err.action}", walker=self.settings.name, state=err.state.value
            ) from err
        self._apply(now, pending + events)

    def _apply(
        self, now: datetime, events: list[SessionEvent], actions: list[Action] | None = None
    ) -> None:
        """Carry out session events and guard actions, save, and write the entities once.

        Without ``actions``, session events are shown to the guard first: a transition changes what
        it watches for (armed or not, inactivity since when).
        """
        events = list(events)
        self._note(now, events)
        if actions is None:
            actions = self.guard.evaluate(self._status(), now) if events else []
        safety_events: list[tuple[str, dict[str, Any]]] = []
        for action in actions:
            caused: list[SessionEvent] = []
            if action.kind is ActionKind.PAUSE and self.machine.state is SessionState.RUNNING:
                assert action.pause_reason is not None
                caused = self.machine.pause(now, action.pause_reason)
            elif action.kind is ActionKind.RESUME and self.machine.state is SessionState.PAUSED:
                if self.guard.gate(force=False).allowed:
                    caused = self.machine.resume(now)
            elif action.kind is ActionKind.EVENT:
                assert action.event is not None
                safety_events.append((action.event.value, action.data))
            elif action.kind in _MESSAGES:
                self.alerts.deliver(action, self.settings)
            self._note(now, caused)
            events += caused
        self._reschedule()
        self._reschedule_guard(now)
        if events or actions or self.machine.state in ACTIVE_STATES:
            self._save(now)
        self._refresh(now)
        for event in events:
            self.fire_event(event.type.value, event.data)
        for event_type, data in safety_events:
            self.fire_event(event_type, data)

    def _note(self, now: datetime, events: list[SessionEvent]) -> None:
        for event in events:
            if event.type in (EventType.STARTED, EventType.RESUMED):
                self._active_since = now
                if event.type is EventType.STARTED:
                    self.reminders.answered()
            elif event.type in (EventType.COMPLETED, EventType.STOPPED):
                self._record_finished(now)
                self.guard.session_ended()

    def fire_event(self, event_type: str, data: dict[str, Any]) -> None:
        """Hand an event to the event entity."""
        for listener in list(self._event_listeners):
            listener(event_type, data)

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
        self.history.add(record, local_date(session.started_at))

    def _reschedule(self) -> None:
        self._cancel_timers()
        delay = self.machine.seconds_to_next_change()
        if delay is None:
            return
        self._unsub_change = async_call_later(self.hass, delay, self._async_on_timer)
        self._unsub_refresh = async_track_time_interval(
            self.hass, self._async_on_timer, timedelta(seconds=LIVE_REFRESH_SECONDS)
        )

    def _cancel_timers(self) -> None:
        for unsub in (self._unsub_change, self._unsub_refresh):
            if unsub is not None:
                unsub()
        self._unsub_change = self._unsub_refresh = None

    @callback
    def _async_on_timer(self, _now: datetime) -> None:
        now = dt_util.utcnow()
        events = self.machine.advance(now)
        if events:
            self._apply(now, events)
            return
        if (now - self._last_save).total_seconds() >= SAVE_INTERVAL_SECONDS:
            self._save(now)
        self._refresh(now)

    @callback
    def _async_midnight(self, _now: datetime) -> None:
        self._refresh(dt_util.utcnow())

    @callback
    def _async_on_stop(self, _event: Event) -> None:
        # Registers Home Assistant's final write with the elapsed time at the moment of stopping.
        self._storage.store.async_delay_save(self._data)

    def _save(self, now: datetime) -> None:
        self._last_save = now
        self._storage.store.async_delay_save(self._data, 1)

    def _data(self) -> dict[str, Any]:
        session = self.machine.session
        return {
            "session": session.to_dict(dt_util.utcnow()) if session else None,
            "history": self.history.to_dict(),
            "safety": {"ladder": self.guard.ladder.to_dict()},
            "reminders": self.reminders.state.to_dict(),
        }

    def _build_view(self, now: datetime) -> WalkerView:
        session = self.machine.session
        assessment = self.guard.assessment
        return build_view(
            session,
            self.history,
            self.settings,
            local_date(now),
            local_date(session.started_at) if session else None,
            assessment=assessment,
            check_in=self.guard.ladder.state,
            check_in_info=self.guard.ladder.to_dict(),
            next_reminder=self.reminders.next_at,
            coach=self.coach_suggestion() if self.settings.coach_enabled else None,
            names=friendly_names(self.hass, [r.entity_id for r in assessment.reasons]),
        )

    def _refresh(self, now: datetime) -> None:
        self.view = self._build_view(now)
        for update in list(self._listeners):
            update()


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
