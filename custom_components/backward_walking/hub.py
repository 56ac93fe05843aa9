"""One hub per walker: feeds the engine its inputs and carries out the effects it returns.

One sensor subscription, one timer (the engine's next wake-up), one save path; after a change the
hub pushes a new view to its coordinator, which the entities follow. The hub decides nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_CORE_CONFIG_UPDATE, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.helpers.start import async_at_started
from homeassistant.util import dt as dt_util

from .alerts import Alerts, friendly_names
from .coaching import CueVoice
from .const import DEFAULT_SNOOZE_MINUTES
from .coordinator import WalkerCoordinator
from .core.effects import Effects, Refusal, WalkerEvent
from .core.ladder import CheckInView
from .core.messages import Channel
from .core.safety import Reading
from .core.session import PauseReason, SessionState
from .core.settings import WalkerSettings
from .core.walker import Walker
from .display_units import WalkerUnits
from .entry_settings import settings_from_entry
from .errors import CommandRefusedError
from .mobile import async_listen_mobile
from .not_now import not_now
from .notify import Notifier
from .sensor_health import SensorHealth, reading_of
from .store import WalkerStorage
from .texts import async_texts, texts_now
from .view import WalkerView, engine_view, session_summary
from .voice import VoiceCheckIn

_LOGGER = logging.getLogger(__name__)

type EventListener = Callable[[WalkerEvent], None]
# What a damaged file makes the engine's restore raise (anything else is a bug, and surfaces).
_DAMAGED = (KeyError, TypeError, ValueError)


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
        )
        notifier = Notifier(hass, entry)
        self.cues = CueVoice(hass, notifier, self._walking)
        self.alerts = Alerts(
            hass,
            notifier,
            entry.entry_id,
            self.engine.settings,
            on_reach=self._refresh,
            spoken=self.cues.safety_spoken,
        )
        self.health = SensorHealth(hass, entry.entry_id, self.settings.name)
        self.voice = VoiceCheckIn(hass, entry, self)
        self._storage = storage
        self._event_listeners: list[EventListener] = []
        self._unsub_wakeup: CALLBACK_TYPE | None = None
        self._wakeup_at: datetime | None = None
        self._unsub_sensors: CALLBACK_TYPE | None = None
        self.coordinator = WalkerCoordinator(hass, entry, self._view(dt_util.utcnow()))

    @property
    def view(self) -> WalkerView:
        """What the entities show now."""
        return self.coordinator.data

    @property
    def settings(self) -> WalkerSettings:
        """The walker's current settings."""
        return self.engine.settings

    @property
    def check_in(self) -> CheckInView:
        """The check-in as it stands now."""
        return self.engine.check_in

    async def async_setup(self) -> None:
        """Load what was saved and start watching the sensors.

        A session that was running comes back paused (reason restart); an open check-in comes back
        with its deadline; every sensor must read fine for the clear-hold time before the path clears.
        """
        data = await self._storage.async_load()
        # Cached from here on, so messages and refusals never wait for a file.
        await async_texts(self.hass)
        now = dt_util.utcnow()
        try:
            self.engine.restore(data, now)
        except _DAMAGED as err:
            await self._storage.async_set_aside(f"unexpected content ({err!r})")
        on_unload = self.entry.async_on_unload
        on_unload(self.hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, self._async_on_stop))
        on_unload(self.hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, self._async_config_updated))
        on_unload(async_listen_mobile(self.hass, self.entry.entry_id, self))
        self._subscribe()
        on_unload(async_at_started(self.hass, self._async_check_sensor_health))
        self._apply(self.engine.load(self._readings(), now))

    async def _async_config_updated(self, _event: Event) -> None:
        """A new language is loaded at once; refusals and the lock screen follow it."""
        await async_texts(self.hass)
        self._refresh()

    @callback
    def async_start_reminders(self) -> None:
        """Start the reminders once the entities exist, so a catch-up reminder's event is seen."""
        self._apply(self.engine.start_reminders(dt_util.utcnow()))

    async def async_unload(self) -> None:
        """Cancel the timer, the subscription and a voice question; write the state to disk."""
        self._schedule(None)
        self.voice.close()
        self.cues.close()
        if self._unsub_sensors is not None:
            self._unsub_sensors()
            self._unsub_sensors = None
        await self._storage.store.async_save(self._data())

    # --- listeners -------------------------------------------------------------------------------

    @callback
    def async_add_event_listener(self, listener: EventListener) -> CALLBACK_TYPE:
        """Call ``listener(event)`` for every session, safety and reminder event."""
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
    def acknowledge_check_in(self, by: str | None = None) -> None:
        """The walker is OK; ``by`` names who answered."""
        self._command(lambda now: self.engine.acknowledge_check_in(now, by))

    @callback
    def request_help(self) -> None:
        """Pause and alert the emergency contacts now."""
        self._command(self.engine.request_help)

    @callback
    def acknowledge_emergency(self, by: str | None = None) -> None:
        """A contact (``by``) is taking care of the walker."""
        self._command(lambda now: self.engine.acknowledge_emergency(now, by))

    @callback
    def acknowledge(self, by: str | None = None) -> None:
        """Acknowledge the open emergency, else the open check-in."""
        self._command(lambda now: self.engine.acknowledge(now, by))

    @callback
    def snooze_reminder(self, minutes: int = DEFAULT_SNOOZE_MINUTES) -> None:
        """Remind the walker again in ``minutes``."""
        self._command(lambda now: self.engine.snooze(now, minutes))

    @callback
    def skip_today(self) -> None:
        """No more reminders today."""
        self._command(self.engine.skip_today)

    def tell_refusal(self, why: str) -> None:
        """Tell the walker why a start or resume from a phone's button was refused."""
        self.alerts.tell_refusal(self.settings, why)

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
        # A new name (a rename) is taken at once, like any option.
        self.health.walker = self._storage.walker_name = settings.name
        readings = self._readings(settings.sensor_ids)
        self._apply(self.engine.reconfigure(settings, readings, dt_util.utcnow()))
        if resubscribe:
            self._subscribe()

    def session_summary(self) -> dict[str, Any]:
        """The session as an action response and for diagnostics, to the second."""
        view = engine_view(self.hass, self.engine, dt_util.utcnow(), exact=True)
        return session_summary(view, self.settings.name)

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
    def _async_on_stop(self, _event: Event) -> None:
        # Planned, not at once: it happens at Home Assistant's final write, with the elapsed time
        # of that moment.
        self._storage.store.async_delay_save(self._data, 1)

    # --- effects ---------------------------------------------------------------------------------

    def _command(self, step: Callable[[datetime], Effects]) -> None:
        """Run an engine command now; a refusal becomes the translated error the caller sees."""
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
        """Show the change first (before messages and the file), arm the timer, save, fire events."""
        if effects.changed:
            self._refresh()
        for message in effects.messages:
            # The satellite asks in the background; without it the speaker asks.
            if message.channel is Channel.ASK and self.voice.ask():
                continue
            self.alerts.deliver(message, self.settings)
        # After the messages: one sent and made untrue in the same step is taken back too.
        for situation in effects.withdrawn:
            self.alerts.deliver(situation, self.settings)
        # After the safety messages, which always come first.
        for cue in effects.cues:
            self.cues.say(cue, self.settings)
        self.voice.follow()
        self._schedule(effects.next_wakeup)
        if effects.save:
            # At once: a crash right after a transition must not lose it.
            self._storage.store.async_delay_save(self._data, 0)
        for event in effects.events:
            for listener in list(self._event_listeners):
                listener(event)

    def _error(self, refusal: Refusal) -> CommandRefusedError:
        texts = texts_now(self.hass)
        key, placeholders = (
            refusal.key,
            texts.refusal_placeholders(refusal.key, refusal.placeholders),
        )
        if reasons := refusal.reasons:
            names = friendly_names(self.hass, (r.entity_id for r in reasons))
            clearing = self.engine.guard.assessment.clearing
            key, placeholders = texts.path_refusal(
                self.settings.name, reasons, names, clearing, dt_util.utcnow()
            )
        return CommandRefusedError(refusal, placeholders, key)

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

    def _walking(self) -> bool:
        return self.engine.machine.state is SessionState.RUNNING

    def _refresh(self) -> None:
        self.coordinator.async_set_updated_data(self._view(dt_util.utcnow()))

    def _view(self, now: datetime) -> WalkerView:
        contacts = self.alerts.reach.alert(self.settings, self.check_in)
        return engine_view(self.hass, self.engine, now, contacts)


# The walker's config entry, typed with its runtime data: the hub.
type BackwardWalkingConfigEntry = ConfigEntry[WalkerHub]
