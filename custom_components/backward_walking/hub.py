"""One hub per walker: feeds the engine its inputs and carries out the effects it returns.

One sensor subscription, one timer (the engine's next wake-up), one save path; entities follow the
view the hub builds after a change. The hub decides nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
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
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.helpers.start import async_at_started
from homeassistant.util import dt as dt_util

from .alerts import Alerts, friendly_names
from .const import DEFAULT_SNOOZE_MINUTES, DOMAIN, MESSAGE_REPEAT_SECONDS, MOBILE_ACTION_START
from .core.guard import Guard
from .core.safety import Reading
from .core.session import PauseReason
from .core.settings import WalkerSettings
from .core.stats import History
from .core.walker import Effects, Refusal, Walker
from .data import BackwardWalkingConfigEntry
from .errors import validation_error
from .mobile import MOBILE_ACTION_EVENT, is_walker_action, mobile_command
from .not_now import not_now
from .notify import Notifier
from .options import settings_from_entry
from .sensor_health import SensorHealth
from .store import WalkerStorage
from .units import WalkerUnits
from .view import WalkerView, build_view

_LOGGER = logging.getLogger(__name__)

type EventListener = Callable[[str, dict[str, Any]], None]
_DAMAGED = (KeyError, TypeError, ValueError, AttributeError)


def reading_of(state: State | None) -> Reading | None:
    """A core reading from a Home Assistant state (None when the entity does not exist)."""
    if state is None:
        return None
    return Reading(state.state, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT), state.last_changed)


class WalkerHub:
    """Adapts one walker's engine to Home Assistant."""

    def __init__(
        self, hass: HomeAssistant, entry: BackwardWalkingConfigEntry, storage: WalkerStorage
    ) -> None:
        """Create the hub; call async_setup before use."""
        self.hass = hass
        self.entry = entry
        self.units = WalkerUnits.of(hass)
        self.engine = Walker(
            settings_from_entry(dict(entry.data), dict(entry.options)),
            dt_util.get_default_time_zone(),
            not_now=lambda: not_now(hass, self.settings),
            repeat_interval_s=MESSAGE_REPEAT_SECONDS,
        )
        self.alerts = Alerts(hass, Notifier(hass, entry), entry.entry_id)
        self.health = SensorHealth(hass, entry.entry_id, self.settings.name)
        self._storage = storage
        self._listeners: list[CALLBACK_TYPE] = []
        self._event_listeners: list[EventListener] = []
        self._unsub_wakeup: CALLBACK_TYPE | None = None
        self._wakeup_at: datetime | None = None
        self._unsub_sensors: CALLBACK_TYPE | None = None
        self.view = self._build_view(dt_util.utcnow())

    @property
    def settings(self) -> WalkerSettings:
        """The walker's current settings."""
        return self.engine.settings

    @property
    def history(self) -> History:
        """The walker's history."""
        return self.engine.history

    @property
    def guard(self) -> Guard:
        """The walker's safety guard."""
        return self.engine.guard

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

        A session that was running comes back paused (reason restart); an open check-in comes back
        with its deadline; every sensor must read fine for the clear-hold time before the path clears.
        """
        data = await self._storage.async_load()
        now = dt_util.utcnow()
        try:
            self.engine.restore(data, now)
        except _DAMAGED as err:
            await self._storage.async_set_aside(f"unexpected content ({err!r})")
        on_unload = self.entry.async_on_unload
        on_unload(self.hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, self._async_on_stop))
        on_unload(
            self.hass.bus.async_listen(
                MOBILE_ACTION_EVENT,
                self._async_mobile_action,
                event_filter=self._is_our_action,
            )
        )
        self._subscribe()
        on_unload(async_at_started(self.hass, self._async_check_sensor_health))
        self._apply(self.engine.load(self._readings(), now))

    @callback
    def async_start_reminders(self) -> None:
        """Start the reminders once the entities exist, so a catch-up reminder's event is seen."""
        self._apply(self.engine.start_reminders(dt_util.utcnow()))

    async def async_unload(self) -> None:
        """Cancel the timer and the subscription and write the current state to disk."""
        self._schedule(None)
        if self._unsub_sensors is not None:
            self._unsub_sensors()
            self._unsub_sensors = None
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

    # --- commands (each raises a translated error when refused) ----------------------------------

    @callback
    def start_session(
        self,
        duration_min: float | None = None,
        program: str | None = None,
        speed_mph: float | None = None,
        force: bool = False,
    ) -> None:
        """Start a session if the path allows it; arguments left out come from the settings."""
        self._command(lambda now: self.engine.start(now, program, duration_min, speed_mph, force))

    @callback
    def pause_session(self, reason: PauseReason = PauseReason.USER) -> None:
        """Pause a running session."""
        self._command(lambda now: self.engine.pause(now, reason))

    @callback
    def resume_session(self, force: bool = False) -> None:
        """Resume a paused session if the path allows it."""
        self._command(lambda now: self.engine.resume(now, force))

    @callback
    def stop_session(self) -> None:
        """Stop the session early."""
        self._command(self.engine.stop)

    @callback
    def acknowledge_check_in(self) -> None:
        """The walker is OK."""
        self._command(self.engine.acknowledge_check_in)

    @callback
    def request_help(self) -> None:
        """The walker needs help: pause and alert the emergency contacts now."""
        self._command(self.engine.request_help)

    @callback
    def acknowledge_emergency(self) -> None:
        """A contact is taking care of the walker."""
        self._command(self.engine.acknowledge_emergency)

    @callback
    def acknowledge(self) -> None:
        """Acknowledge whatever is open: the emergency, else the check-in."""
        self._command(self.engine.acknowledge)

    @callback
    def snooze_reminder(self, minutes: int = DEFAULT_SNOOZE_MINUTES) -> None:
        """Remind the walker again in ``minutes``."""
        self._command(lambda now: self.engine.snooze(now, minutes))

    @callback
    def skip_today(self) -> None:
        """No more reminders today."""
        self._command(self.engine.skip_today)

    def resolve_program(self, key: str) -> None:
        """Raise a translated error unless ``key`` names one of the walker's programs."""
        if key not in self.settings.programs:
            known = ", ".join(self.settings.programs)
            raise self._error(self.engine.refusal("unknown_program", program=key, known=known))

    @callback
    def async_set_option(self, key: str, value: Any) -> None:
        """Change one stored option; the entry's update listener applies it."""
        self.hass.config_entries.async_update_entry(
            self.entry, options={**self.entry.options, key: value}
        )

    @callback
    def async_update_settings(self, settings: WalkerSettings) -> None:
        """Apply changed options without interrupting a session or forgetting safety state."""
        resubscribe = settings.sensor_ids != self.settings.sensor_ids
        self.health.walker = settings.name
        readings = self._readings(settings.sensor_ids)
        self._apply(self.engine.reconfigure(settings, readings, dt_util.utcnow()))
        if resubscribe:
            self._subscribe()

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

    def fire_event(self, event_type: str, data: dict[str, Any]) -> None:
        """Hand an event to the event entity."""
        for listener in list(self._event_listeners):
            listener(event_type, data)

    # --- inputs from Home Assistant --------------------------------------------------------------

    @callback
    def _async_sensor_changed(self, event: Event[EventStateChangedData]) -> None:
        """The hot path: the engine pauses first; events, messages and entity states follow."""
        entity_id = event.data["entity_id"]
        new_state = event.data["new_state"]
        self._apply(self.engine.reading(entity_id, reading_of(new_state), dt_util.utcnow()))
        if self.hass.is_running:
            self.health.check_missing(entity_id, new_state)
        if entity_id in self.health.unavailable:
            self.health.sync_unavailable(self.engine.long_unavailable(dt_util.utcnow()))

    @callback
    def _async_wakeup(self, _now: datetime) -> None:
        self._unsub_wakeup = self._wakeup_at = None
        now = dt_util.utcnow()
        self._apply(self.engine.tick(now))
        self.health.sync_unavailable(self.engine.long_unavailable(now))

    @callback
    def _async_check_sensor_health(self, _hass: HomeAssistant) -> None:
        for entity_id in self.settings.sensor_ids:
            self.health.check_missing(entity_id, self.hass.states.get(entity_id))

    @callback
    def _is_our_action(self, event_data: Mapping[str, Any]) -> bool:
        return is_walker_action(event_data, self.entry.entry_id)

    @callback
    def _async_mobile_action(self, event: Event[Mapping[str, Any]]) -> None:
        action = str(event.data.get("action", ""))
        command = mobile_command(self, action)
        if command is None:
            return
        try:
            command()
        except ServiceValidationError as err:
            _LOGGER.info("Ignoring %s from the companion app: %s", action, err.translation_key)
            if action.startswith(MOBILE_ACTION_START):
                self.alerts.tell_refusal(self.settings, str(err))

    @callback
    def _async_on_stop(self, _event: Event) -> None:
        # Registers Home Assistant's final write with the elapsed time at the moment of stopping.
        self._storage.store.async_delay_save(self._data)

    # --- effects ---------------------------------------------------------------------------------

    def _command(self, step: Callable[[datetime], Effects]) -> None:
        effects = step(dt_util.utcnow())
        if effects.overridden:
            _LOGGER.warning(
                "Walking of %s forced despite: %s",
                self.settings.name,
                ", ".join(f"{r.entity_id} ({r.hazard})" for r in effects.overridden),
            )
        self._apply(effects)
        if effects.refusal is not None:
            raise self._error(effects.refusal)

    def _apply(self, effects: Effects) -> None:
        """Send the messages, arm the timer, save, show the change, then fire the events."""
        for message in effects.messages:
            self.alerts.deliver(message, self.settings)
        self._schedule(effects.next_wakeup)
        if effects.save:
            self._storage.store.async_delay_save(self._data, 1)
        if effects.changed:
            self._refresh()
        for event_type, data in effects.events:
            self.fire_event(event_type, data)

    def _error(self, refusal: Refusal) -> ServiceValidationError:
        placeholders = dict(refusal.placeholders)
        if refusal.reasons:
            reasons = list(refusal.reasons)
            names = friendly_names(self.hass, [r["entity_id"] for r in reasons])
            placeholders["reasons"] = self.alerts.texts.reasons(reasons, names)
        return validation_error(refusal.key, **placeholders)

    def _schedule(self, when: datetime | None) -> None:
        if when == self._wakeup_at and (when is None or self._unsub_wakeup is not None):
            return
        if self._unsub_wakeup is not None:
            self._unsub_wakeup()
        self._unsub_wakeup, self._wakeup_at = None, when
        if when is not None:
            self._unsub_wakeup = async_track_point_in_utc_time(self.hass, self._async_wakeup, when)

    def _subscribe(self) -> None:
        if self._unsub_sensors is not None:
            self._unsub_sensors()
            self._unsub_sensors = None
        if ids := self.settings.sensor_ids:
            self._unsub_sensors = async_track_state_change_event(
                self.hass, ids, self._async_sensor_changed
            )

    def _readings(self, ids: tuple[str, ...] | None = None) -> dict[str, Reading | None]:
        states = self.hass.states
        wanted = self.settings.sensor_ids if ids is None else ids
        return {e: reading_of(states.get(e)) for e in wanted}

    def _data(self) -> dict[str, Any]:
        return self.engine.to_dict(dt_util.utcnow())

    def _build_view(self, now: datetime) -> WalkerView:
        engine = self.engine
        session = engine.machine.session
        assessment = engine.guard.assessment
        return build_view(
            session,
            engine.history,
            self.settings,
            engine.local_date(now),
            engine.local_date(session.started_at) if session else None,
            assessment=assessment,
            check_in=engine.guard.ladder.state,
            check_in_info=engine.guard.ladder.to_dict(),
            next_reminder=engine.next_reminder,
            coach=engine.coach_or_none(now),
            names=friendly_names(self.hass, [r.entity_id for r in assessment.reasons]),
        )

    def _refresh(self) -> None:
        self.view = self._build_view(dt_util.utcnow())
        for update in list(self._listeners):
            update()


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
