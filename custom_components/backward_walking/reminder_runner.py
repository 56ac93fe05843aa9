"""Reminders in Home Assistant: a timer at the next due moment, actionable notifications, answers.

The schedule logic is in core/reminders.py; this module feeds it the time and the conditions, sends
what it decides and reports it on the event entity.
"""

from __future__ import annotations

from datetime import datetime
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .const import (
    DEFAULT_SNOOZE_MINUTES,
    MOBILE_ACTION_SKIP,
    MOBILE_ACTION_SNOOZE,
    MOBILE_ACTION_START,
)
from .core.reminders import Conditions, Outcome, ReminderEvent, Reminders

if TYPE_CHECKING:
    from .hub import WalkerHub

_LOGGER = logging.getLogger(__name__)


class ReminderRunner:
    """Owns one walker's reminder state and its single timer."""

    def __init__(self, hub: WalkerHub) -> None:
        """Nothing is scheduled until ``start``."""
        self.hub = hub
        self.state = Reminders(hub.settings.schedule)
        self._unsub: CALLBACK_TYPE | None = None

    @property
    def enabled(self) -> bool:
        """Whether reminders are switched on and anything is scheduled."""
        settings = self.hub.settings
        return settings.reminders_enabled and settings.schedule.active

    @property
    def next_at(self) -> datetime | None:
        """When the next reminder (or nag, or snoozed reminder) is due."""
        return self.state.due_at if self.enabled else None

    def start(self, now: datetime) -> list[Outcome]:
        """At set-up: catch up on what fell due while Home Assistant was down (within the grace)."""
        outcomes: list[Outcome] = []
        if self.enabled:
            outcomes = self.state.resume_after_downtime(now, self._zone, self._conditions())
            self._deliver(outcomes)
        self._schedule()
        return outcomes

    def reconfigure(self, now: datetime) -> None:
        """The schedule or the switch changed."""
        self.state.schedule = self.hub.settings.schedule
        self.state.plan(now, self._zone)
        self._schedule()

    def stop(self) -> None:
        """Cancel the timer (on unload)."""
        if self._unsub is not None:
            self._unsub()
        self._unsub = None

    def answered(self) -> None:
        """A session started: no more nagging about this reminder."""
        self.state.answered()
        self._schedule()

    def snooze(self, minutes: int = DEFAULT_SNOOZE_MINUTES) -> None:
        """Remind again in ``minutes``."""
        self._deliver([self.state.snooze(dt_util.utcnow(), minutes)])
        self._schedule()

    def skip_today(self) -> None:
        """No more reminders today."""
        self._deliver([self.state.skip_today(dt_util.utcnow(), self._zone)])
        self._schedule()

    @callback
    def handle_mobile_action(self, action: str) -> bool:
        """Answer a reminder notification's button; False when the action is not a reminder's."""
        entry_id = self.hub.entry.entry_id
        if action == f"{MOBILE_ACTION_START}{entry_id}":
            try:
                self.hub.start_session()
            except ServiceValidationError as err:
                self._tell_refusal(str(err))
        elif action == f"{MOBILE_ACTION_SNOOZE}{entry_id}":
            self.snooze()
        elif action == f"{MOBILE_ACTION_SKIP}{entry_id}":
            self.skip_today()
        else:
            return False
        self.hub.async_changed()
        return True

    # --- internals -------------------------------------------------------------------------------

    @property
    def _zone(self) -> Any:
        return dt_util.get_default_time_zone()

    def _conditions(self) -> Conditions:
        hub = self.hub
        goal_met = hub.view.summary.today_total_min >= hub.session_goal_minutes()
        return Conditions(goal_met_today=goal_met, not_now=self._not_now())

    def _not_now(self) -> bool:
        settings = self.hub.settings
        states = self.hub.hass.states
        for entity_id in settings.not_now_entities:
            state = states.get(entity_id)
            if state is not None and state.state == "on":
                return True
        if settings.not_now_sensor and settings.not_now_below is not None:
            state = states.get(settings.not_now_sensor)
            try:
                return state is not None and float(state.state) < settings.not_now_below
            except ValueError:
                return False  # an unreadable score does not keep anyone from walking
        return False

    def _schedule(self) -> None:
        self.stop()
        due = self.next_at
        if due is not None:
            self._unsub = async_track_point_in_utc_time(self.hub.hass, self._async_due, due)

    @callback
    def _async_due(self, _now: datetime) -> None:
        self._unsub = None
        self._deliver(self.state.due(dt_util.utcnow(), self._zone, self._conditions()))
        self._schedule()
        self.hub.async_changed()

    def _deliver(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            data: dict[str, Any] = {}
            if outcome.event is ReminderEvent.SENT:
                data = {"repeat": outcome.repeat, "minutes": self.hub.session_goal_minutes()}
                self._send(outcome.repeat)
            elif outcome.reason is not None:
                data = {"reason": outcome.reason.value}
            if outcome.event is ReminderEvent.SNOOZED and self.state.snoozed_until:
                data = {"until": self.state.snoozed_until.isoformat()}
            self.hub.fire_event(outcome.event.value, data)

    def _send(self, repeat: int) -> None:
        hub = self.hub
        texts = hub.alerts.texts
        entry_id = hub.entry.entry_id
        values = {"walker": hub.settings.name, "minutes": round(hub.session_goal_minutes())}
        body = texts.get("reminder.repeat" if repeat else "reminder.body", **values)
        hub.alerts.notifier.send(
            hub.settings.walker_notify,
            texts.get("reminder.title"),
            body,
            tag=f"backward_walking_reminder_{entry_id}",
            actions=[
                {"action": f"{MOBILE_ACTION_START}{entry_id}", "title": texts.get("action.start")},
                {
                    "action": f"{MOBILE_ACTION_SNOOZE}{entry_id}",
                    "title": texts.get("action.snooze"),
                },
                {"action": f"{MOBILE_ACTION_SKIP}{entry_id}", "title": texts.get("action.skip")},
            ],
        )

    def _tell_refusal(self, why: str) -> None:
        hub = self.hub
        _LOGGER.info("Start from a reminder of %s refused: %s", hub.settings.name, why)
        hub.alerts.notifier.send(
            hub.settings.walker_notify,
            hub.alerts.texts.get("reminder.refused.title"),
            why,
            tag=f"backward_walking_reminder_{hub.entry.entry_id}",
        )
