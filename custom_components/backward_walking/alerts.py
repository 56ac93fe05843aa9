"""Turns the engine's messages into words for the walker and the emergency contacts, and sends them.

Messages follow Home Assistant's language as it is when they are sent. The path's messages and
the reminders are worded here; the check-in's and the emergency's in ``check_in_alerts.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import HomeAssistant

from .check_in_alerts import deliver_check_in, tell_nobody_reached
from .const import MOBILE_ACTION_SKIP, MOBILE_ACTION_SNOOZE, MOBILE_ACTION_START
from .contacts import ContactReach
from .core.effects import Outgoing
from .core.messages import Channel, Message, PathClear, PathNotice, ReminderNotice, Situation
from .core.safety import Reason
from .core.settings import WalkerSettings
from .notify import Level, Notifier
from .outbox import Outbox
from .texts import Texts, async_texts, cached_texts, texts_now


def friendly_names(hass: HomeAssistant, entity_ids: Iterable[str]) -> dict[str, str]:
    """Friendly names of ``entity_ids`` (the entity ID when there is none)."""
    names = {}
    for entity_id in entity_ids:
        state = hass.states.get(entity_id)
        names[entity_id] = (
            str(state.attributes.get("friendly_name", entity_id)) if state else entity_id
        )
    return names


class Alerts:
    """Words and sends one walker's messages; emergency messages ignore quiet hours."""

    def __init__(
        self,
        hass: HomeAssistant,
        notifier: Notifier,
        entry_id: str,
        settings: WalkerSettings,
        *,
        on_reach: Callable[[], None] = lambda: None,
        spoken: Callable[[str], None] | None = None,
    ) -> None:
        """Bind to the walker's notifier.

        ``on_reach`` runs when the contacts' outcome changes; ``spoken`` hears every text said on
        the speaker.
        """
        self.hass = hass
        self.outbox = Outbox(notifier, entry_id, spoken)
        self.reach = ContactReach(hass, on_reach, self._nobody_reached)
        # Messages that wait, in order, for the texts of a language just switched to.
        self._waiting: list[tuple[Outgoing | Situation, WalkerSettings]] = []
        # The settings of the latest message, for telling the walker that nobody was reached.
        self._settings = settings

    def deliver(self, message: Outgoing | Situation, settings: WalkerSettings) -> None:
        """Send or speak ``message``, in Home Assistant's language as it is now.

        A situation that is over has its notification withdrawn, in turn with the messages.

        The texts are cached from set-up on, so this never waits; only in the moment after a
        language change, before Home Assistant has loaded the new language, the message waits
        for it in a background task (behind any message already waiting).
        """
        if not self._waiting and (texts := cached_texts(self.hass)) is not None:
            self._deliver(texts, message, settings)
            return
        self._waiting.append((message, settings))
        if len(self._waiting) == 1:
            self.outbox.notifier.entry.async_create_background_task(
                self.hass, self._async_deliver_waiting(), "backward_walking texts"
            )

    async def _async_deliver_waiting(self) -> None:
        while self._waiting:
            texts = await async_texts(self.hass)
            waiting, self._waiting = self._waiting, []
            for message, settings in waiting:
                self._deliver(texts, message, settings)

    def _deliver(
        self, texts: Texts, message: Outgoing | Situation, settings: WalkerSettings
    ) -> None:
        self._settings = settings
        match message:
            case Situation():
                self.outbox.withdraw(settings, message)
            case PathNotice() | PathClear():
                self._tell_path(texts, message, settings)
            case ReminderNotice():
                self._remind(texts, message, settings)
            case _:
                deliver_check_in(self.outbox, texts, message, settings, self.reach)

    def _nobody_reached(self) -> None:
        tell_nobody_reached(self.outbox, texts_now(self.hass), self._settings, self.reach)

    def tell_refusal(self, settings: WalkerSettings, why: str) -> None:
        """Tell the walker why a start from a reminder's button was refused."""
        self.outbox.to_walker(
            settings, Message.REMINDER, texts_now(self.hass).get("reminder_refused_title"), why
        )

    def _tell_path(
        self, texts: Texts, message: PathNotice | PathClear, settings: WalkerSettings
    ) -> None:
        """Stop, careful, path clear, or the path keeps being blocked: notified and spoken."""
        if isinstance(message, PathClear):
            names = friendly_names(self.hass, (r.entity_id for r in message.overridden))
            values = {"next_step": _next_step(texts, message, names)}
        else:
            values = {"reasons": self._reasons(texts, message.reasons)}
        title, body = texts.title_and_body(message.message, walker=settings.name, **values)
        if message.channel is Channel.SPEAK:
            self.outbox.speak(settings, body)
            return
        level = Level.TIME_SENSITIVE if message.message is Message.HAZARD else Level.NORMAL
        self.outbox.to_walker(settings, message.message, title, body, level=level)

    def _reasons(self, texts: Texts, reasons: tuple[Reason, ...]) -> str:
        names = friendly_names(self.hass, (r.entity_id for r in reasons))
        return texts.reasons(reasons, names) if reasons else ""

    def _remind(self, texts: Texts, reminder: ReminderNotice, settings: WalkerSettings) -> None:
        values = {"walker": settings.name, "minutes": round(reminder.minutes)}
        body = texts.get("reminder_repeat" if reminder.repeat else "reminder_body", **values)
        buttons = [
            self.outbox.button(MOBILE_ACTION_START, texts.get("action_start")),
            self.outbox.button(MOBILE_ACTION_SNOOZE, texts.get("action_snooze")),
            self.outbox.button(MOBILE_ACTION_SKIP, texts.get("action_skip")),
        ]
        self.outbox.to_walker(
            settings, reminder.message, texts.get("reminder_title"), body, buttons=buttons
        )


def _next_step(texts: Texts, clear: PathClear, names: dict[str, str]) -> str:
    """After 'path clear': whether the session goes on, and what is still overridden."""
    step = texts.get("clear_resume" if clear.resuming else "clear_wait")
    if clear.overridden:
        still = ", ".join(names.get(r.entity_id, r.entity_id) for r in clear.overridden)
        step = f"{texts.get('clear_overridden', names=still)} {step}"
    return step
