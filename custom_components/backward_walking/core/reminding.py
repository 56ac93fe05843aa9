"""The walker's reminders in the engine: when they fall due, and what each outcome announces.

Nothing falls due before set-up has caught up on the downtime (``start``). Whether a due reminder
is sent depends on the walker's day, which the engine tells through ``Today`` when it is needed;
every outcome is a typed event, and a sent reminder is the walker's message too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from .effects import Effects
from .messages import ReminderNotice
from .reminders import (
    Conditions,
    Outcome,
    ReminderEvent,
    Reminders,
    ReminderSent,
    ReminderSkipped,
    ReminderSnoozed,
)
from .settings import WalkerSettings


@dataclass(frozen=True, slots=True)
class Today:
    """The walker's day when a reminder falls due, and the session a reminder asks for."""

    conditions: Conditions
    session_min: float


class WalkerReminders:
    """One walker's reminders: switched on by the settings, due only once set-up caught up."""

    def __init__(self, settings: WalkerSettings, zone: tzinfo) -> None:
        """Reminders for ``settings`` in the walker's time zone; none due before ``start``."""
        self.state = Reminders(settings.schedule)
        self._zone = zone
        self._on = _switched_on(settings)
        self._started = False

    @property
    def next_at(self) -> datetime | None:
        """When the next reminder (or repeat, or snoozed reminder) is due, while they are on."""
        return self.state.due_at if self._on else None

    @property
    def due_at(self) -> datetime | None:
        """When the engine must look at the reminders next."""
        return self.next_at if self._started else None

    def configure(self, settings: WalkerSettings, now: datetime) -> None:
        """New settings: the schedule is planned again from ``now``."""
        self._on = _switched_on(settings)
        self.state.schedule = settings.schedule
        self.state.plan(now, self._zone)

    def start(self, now: datetime, today: Callable[[], Today], fx: Effects) -> None:
        """At set-up: a reminder missed while Home Assistant was down is sent (or skipped) now."""
        self._started = True
        if self._on:
            day = today()
            self._announce(
                self.state.resume_after_downtime(now, self._zone, day.conditions), day, fx
            )

    def catch_up(self, now: datetime, today: Callable[[], Today], fx: Effects) -> None:
        """Whatever fell due by ``now``: the reminder, a repeat, a snoozed one, or a skip."""
        if (due := self.due_at) is not None and due <= now:
            day = today()
            self._announce(self.state.due(now, self._zone, day.conditions), day, fx)

    def snooze(self, now: datetime, minutes: int, fx: Effects) -> None:
        """Remind the walker again in ``minutes``."""
        self.state.snooze(now, minutes)
        fx.events.append(ReminderSnoozed(self.state.snoozed_until))

    def skip_today(self, now: datetime, fx: Effects) -> None:
        """No more reminders today."""
        fx.events.append(ReminderSkipped(self.state.skip_today(now, self._zone).reason))

    def _announce(self, outcomes: list[Outcome], day: Today, fx: Effects) -> None:
        """A reminder that fell due was sent, or skipped (and why)."""
        for outcome in outcomes:
            if outcome.event is ReminderEvent.SENT:
                fx.messages.append(ReminderNotice(outcome.repeat, day.session_min))
                fx.events.append(ReminderSent(outcome.repeat, day.session_min))
            else:
                fx.events.append(ReminderSkipped(outcome.reason))

    def session_started(self) -> None:
        """The walker started a session: no more nagging, and a snooze is forgotten."""
        self.state.answered()

    def to_dict(self) -> dict[str, Any]:
        """What is saved of the reminders."""
        return self.state.to_dict()

    def restore(self, saved: object) -> None:
        """Take back the saved reminders (none saved: none planned yet).

        Raises KeyError/TypeError/ValueError if they are damaged, and then nothing changes.
        """
        state = Reminders(self.state.schedule)
        if saved:
            state.restore(saved)
        self.state = state


def _switched_on(settings: WalkerSettings) -> bool:
    return settings.reminders_enabled and settings.schedule.active
