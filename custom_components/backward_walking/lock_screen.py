"""The running session on the lock screen: one ongoing notification per walker, on its phones.

While a session runs or is paused, the walker's companion-app phones (the ``notify.mobile_app_…``
targets of *Notify the walker*, and the emergency contacts' if chosen) show one notification with
a fixed tag: the phase, when it and the walk end, the session's progress, and Pause/Resume and Stop
buttons. The phone counts the seconds itself (Android's chronometer counts down to the phase's
end; ``live_update`` makes it a Live Update on Android 16 and a Live Activity on iOS 17.2 and newer
where Home Assistant and the app support it), so it is sent again only when what it shows changes:
a start, a pause, a resume, a change of direction, a changed setting. At the end it is cleared by
its tag. No timer of its own, no state written; other notify targets get nothing of this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .const import DOMAIN, MOBILE_ACTION_PAUSE, MOBILE_ACTION_RESUME, MOBILE_ACTION_STOP
from .core.programs import Direction
from .core.session import ACTIVE_STATES, PauseReason, SessionState
from .core.settings import WalkerSettings
from .notify import Notifier
from .people import is_companion
from .session_words import (
    clock_shown,
    direction_word,
    last_phase,
    local_clock,
    paused_words,
    seconds_left,
    upper_first,
)
from .texts import Texts, async_texts
from .view import WalkerView

CLEAR = "clear_notification"


def _epoch(moment: datetime | None) -> int | None:
    return None if moment is None else round(moment.timestamp())


@dataclass(frozen=True, slots=True)
class Shown:
    """What the notification shows, to the second: it is sent again only when this changes."""

    state: SessionState
    reason: PauseReason | None
    direction: Direction | None
    phase_ends: int | None
    ends: int | None
    left_s: int | None
    # The words: the walker's name and Home Assistant's language.
    walker: str
    language: str

    @classmethod
    def of(cls, view: WalkerView, walker: str, language: str) -> Shown | None:
        """What ``view`` puts on the lock screen; None without a session in progress."""
        if view.state not in ACTIVE_STATES:
            return None
        left = view.paused_remaining_s
        return cls(
            view.state,
            view.pause_reason,
            view.direction,
            _epoch(view.phase_ends_at),
            _epoch(view.ends_at),
            None if left is None else round(left),
            walker,
            language,
        )


class ShownWalker(Protocol):
    """What the lock screen reads of its walker."""

    @property
    def settings(self) -> WalkerSettings:
        """The walker's settings (name, phones, the lock-screen options)."""

    @property
    def view(self) -> WalkerView:
        """What the walker's entities show now."""


def lock_screen_targets(settings: WalkerSettings) -> tuple[str, ...]:
    """The companion-app phones that show the session: the walker's, and the contacts' if chosen."""
    if not settings.lock_screen:
        return ()
    chosen = settings.walker_notify
    if settings.lock_screen_contacts:
        chosen = (*chosen, *settings.emergency_notify)
    return tuple(dict.fromkeys(target for target in chosen if is_companion(target)))


def session_tag(entry_id: str) -> str:
    """The tag of a walker's session notification (one per walker, replaced in place)."""
    return f"{DOMAIN}_session_{entry_id}"


class LockScreen:
    """Keeps one walker's session notification in step with the walker's view."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, walker: ShownWalker) -> None:
        """Bind to the walker; its notifications are sent in the entry's background tasks."""
        self.hass = hass
        self.entry = entry
        self.walker = walker
        self.notifier = Notifier(hass, entry)
        self.tag = session_tag(entry.entry_id)
        self._shown: Shown | None = None
        self._showing_on: tuple[str, ...] = ()

    def async_start(self, coordinator: DataUpdateCoordinator[WalkerView]) -> CALLBACK_TYPE:
        """Follow every new view from now on (a session restored paused is shown at once)."""
        remove = coordinator.async_add_listener(self.follow)
        self.follow()
        return remove

    @callback
    def follow(self) -> None:
        """Send or clear the notification where what it shows, or who shows it, changed."""
        view, settings = self.walker.view, self.walker.settings
        shown = Shown.of(view, settings.name, self.hass.config.language)
        targets = lock_screen_targets(settings) if shown is not None else ()
        if shown != self._shown:
            fresh = targets
        else:
            fresh = tuple(t for t in targets if t not in self._showing_on)
        gone = tuple(t for t in self._showing_on if t not in targets)
        self._shown, self._showing_on = shown, targets
        if not fresh and not gone:
            return
        # Not eagerly: the step's own messages (a hazard's warning) are sent first.
        self.entry.async_create_task(
            self.hass,
            self._async_send(view, settings, fresh, gone),
            f"{DOMAIN} lock screen {settings.name}",
            eager_start=False,
        )

    async def _async_send(
        self,
        view: WalkerView,
        settings: WalkerSettings,
        fresh: tuple[str, ...],
        gone: tuple[str, ...],
    ) -> None:
        for target in gone:
            self.notifier.push(target, {"message": CLEAR, "data": {"tag": self.tag}})
        if fresh:
            # In Home Assistant's language of the moment (loaded first, just after a change).
            texts = await async_texts(self.hass)
            payload = self.payload(texts, view, settings, dt_util.utcnow())
            for target in fresh:
                self.notifier.push(target, payload)

    def payload(
        self, texts: Texts, view: WalkerView, settings: WalkerSettings, now: datetime
    ) -> dict[str, Any]:
        """The notify call: the title stays the same for the whole walk (a Live Activity's does)."""
        left = seconds_left(view, now)
        target_s = (view.target_min or 0) * 60
        data: dict[str, Any] = {
            "tag": self.tag,
            "sticky": True,
            "alert_once": True,
            "visibility": "public",
            "channel": texts.get("lock_channel"),
            "importance": "low",
            "notification_icon": "mdi:walk",
            "live_update": True,
            "progress": round(max(target_s - left, 0)),
            "progress_max": round(target_s),
            # An iPhone without Live Activities gets an update without sound or banner.
            "push": {"interruption-level": "passive"},
        }
        direction = upper_first(direction_word(texts, view.direction))
        if view.state is SessionState.RUNNING and view.ends_at and view.phase_ends_at:
            end = local_clock(view.ends_at)
            if last_phase(view):
                message = texts.get("lock_walking_last", direction=direction, end=end)
            else:
                phase_end = local_clock(view.phase_ends_at)
                message = texts.get(
                    "lock_walking", direction=direction, phase_end=phase_end, end=end
                )
            data |= {
                "critical_text": direction,
                "chronometer": True,
                "when": _epoch(view.phase_ends_at),
                "when_relative": False,
                "actions": [self._button(texts, MOBILE_ACTION_PAUSE, "action_pause")],
            }
        else:
            paused = upper_first(paused_words(texts, view.pause_reason))
            message = texts.get("lock_paused", paused=paused, left=clock_shown(left))
            data |= {
                "critical_text": upper_first(paused_words(texts, PauseReason.USER)),
                "actions": [self._button(texts, MOBILE_ACTION_RESUME, "action_resume")],
            }
        data["actions"].append(self._button(texts, MOBILE_ACTION_STOP, "action_stop"))
        title = texts.get("lock_title", walker=settings.name)
        return {"title": title, "message": message, "data": data}

    def _button(self, texts: Texts, prefix: str, title: str) -> dict[str, str]:
        return {"action": f"{prefix}{self.entry.entry_id}", "title": texts.get(title)}
