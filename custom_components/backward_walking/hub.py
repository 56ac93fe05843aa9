"""One hub per walker: feeds the core, applies its decisions and tells the entities to write state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
import logging
from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.event import (
    async_call_later,
    async_track_time_change,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LIVE_REFRESH_SECONDS, SAVE_INTERVAL_SECONDS
from .core.programs import Direction, Program
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
from .store import WalkerStorage
from .units import WalkerUnits
from .view import WalkerView, build_view, session_energy_of, session_seconds

_LOGGER = logging.getLogger(__name__)

type EventListener = Callable[[SessionEvent], None]


def local_date(moment: datetime) -> date:
    """The calendar date of ``moment`` in Home Assistant's time zone."""
    return dt_util.as_local(moment).date()


class WalkerHub:
    """Owns one walker's session machine and history; the only place that changes them."""

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
        self._storage = storage
        self._listeners: list[CALLBACK_TYPE] = []
        self._event_listeners: list[EventListener] = []
        self._unsub_change: CALLBACK_TYPE | None = None
        self._unsub_refresh: CALLBACK_TYPE | None = None
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
        """Load what was saved; a session that was running comes back paused (reason restart)."""
        data = await self._storage.async_load()
        now = dt_util.utcnow()
        try:
            if data.get("history"):
                self.history = History.from_dict(data["history"])
            if data.get("session"):
                self.machine.restore(data["session"], now)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            await self._storage.async_set_aside(f"unexpected content ({err!r})")
            self.history = History()
            self.machine = SessionMachine()
        self.history.prune(local_date(now))
        self.entry.async_on_unload(
            async_track_time_change(self.hass, self._async_midnight, hour=0, minute=0, second=0)
        )
        self.entry.async_on_unload(
            self.hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, self._async_on_stop)
        )
        self._apply(now, [])

    async def async_unload(self) -> None:
        """Cancel timers and write the current state to disk."""
        self._cancel_timers()
        await self._storage.store.async_save(self._data())

    # --- listeners -------------------------------------------------------------------------

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update`` whenever the view changes; returns the remover."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @callback
    def async_add_event_listener(self, listener: EventListener) -> CALLBACK_TYPE:
        """Call ``listener`` for every session event; returns the remover."""
        self._event_listeners.append(listener)
        return lambda: self._event_listeners.remove(listener)

    # --- commands ------------------------------------------------------------------------------

    @callback
    def start_session(
        self,
        duration_min: float | None = None,
        program: str | None = None,
        speed_mph: float | None = None,
    ) -> None:
        """Start a session; arguments left out come from the walker's settings."""
        chosen = self.resolve_program(program)
        target_s = (duration_min or self.settings.target_minutes) * 60
        speed = speed_mph or self.settings.speed_mph
        self._command(lambda now: self.machine.start(now, chosen, target_s, speed))

    @callback
    def pause_session(self, reason: PauseReason = PauseReason.USER) -> None:
        """Pause a running session."""
        self._command(lambda now: self.machine.pause(now, reason))

    @callback
    def resume_session(self) -> None:
        """Resume a paused session."""
        self._command(self.machine.resume)

    @callback
    def stop_session(self) -> None:
        """Stop the session early."""
        self._command(self.machine.stop)

    def resolve_program(self, key: str | None) -> Program:
        """The program called ``key`` (built-in key or the walker's own name), or the default."""
        if key is None:
            return self.settings.default_program
        programs = self.settings.programs
        if key not in programs:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_program",
                translation_placeholders={"program": key, "known": ", ".join(programs)},
            )
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
        self.settings = settings
        self._refresh(dt_util.utcnow())

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
        }

    # --- internals -----------------------------------------------------------------------------

    def _command(self, action: Callable[[datetime], list[SessionEvent]]) -> None:
        now = dt_util.utcnow()
        pending = self.machine.advance(now)
        try:
            events = action(now)
        except InvalidTransitionError as err:
            self._apply(now, pending)
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=f"cannot_{err.action}",
                translation_placeholders={"walker": self.settings.name, "state": err.state.value},
            ) from err
        self._apply(now, pending + events)

    def _apply(self, now: datetime, events: list[SessionEvent]) -> None:
        for event in events:
            if event.type in (EventType.COMPLETED, EventType.STOPPED):
                self._record_finished(now)
        self._reschedule()
        if events or self.machine.state in ACTIVE_STATES:
            self._save(now)
        self._refresh(now)
        for event in events:
            for listener in list(self._event_listeners):
                listener(event)

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
        }

    def _build_view(self, now: datetime) -> WalkerView:
        session = self.machine.session
        return build_view(
            session,
            self.history,
            self.settings,
            local_date(now),
            local_date(session.started_at) if session else None,
        )

    def _refresh(self, now: datetime) -> None:
        self.view = self._build_view(now)
        for update in list(self._listeners):
            update()


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
