"""Where one walker's messages go out: the tag of their situation, their buttons, the speaker.

Messages of one situation share a tag (on phones) and a notification id (in Home Assistant's
panel), so the newer replaces the older: the path's hazard, warning, clear and back-off; the
check-in and its answer; the emergency, its re-alerts and its acknowledgement; the reminders.
When a situation is over, the tag also removes what it shows.
"""

from __future__ import annotations

from collections.abc import Callable

from .core.messages import SITUATION, Message, Situation
from .core.settings import WalkerSettings
from .notify import Level, Notifier


class Outbox:
    """Sends one walker's messages through the notifier, tagged by situation."""

    def __init__(
        self, notifier: Notifier, entry_id: str, spoken: Callable[[str], None] | None = None
    ) -> None:
        """Bind to the walker's notifier; tags and button ids end with the entry id.

        ``spoken`` hears every text said on the speaker (spoken coaching keeps quiet meanwhile).
        """
        self.notifier = notifier
        self.entry_id = entry_id
        self._spoken = spoken

    def tag(self, message: Message | Situation) -> str:
        """The tag (and notification id) of a situation, or of the one ``message`` belongs to."""
        situation = message if isinstance(message, Situation) else SITUATION[message]
        return f"backward_walking_{situation}_{self.entry_id}"

    def button(self, prefix: str, title: str) -> dict[str, str]:
        """An actionable notification's button; its action id names this walker."""
        return {"action": f"{prefix}{self.entry_id}", "title": title}

    def to_walker(
        self,
        settings: WalkerSettings,
        message: Message,
        title: str,
        body: str,
        *,
        buttons: list[dict[str, str]] | None = None,
        level: Level = Level.NORMAL,
    ) -> None:
        """Notify the walker (their phones, else Home Assistant's notifications panel)."""
        self.notifier.send(
            settings.walker_notify, title, body, tag=self.tag(message), actions=buttons, level=level
        )

    def withdraw(self, settings: WalkerSettings, situation: Situation) -> None:
        """Remove what the walker's notification of ``situation`` still shows (it is over)."""
        self.notifier.withdraw(settings.walker_notify, self.tag(situation))

    def speak(self, settings: WalkerSettings, body: str) -> None:
        """Say ``body`` on the walker's speaker (when one and a TTS engine are chosen)."""
        self.notifier.speak(settings.media_player, settings.tts_entity, body)
        if self._spoken is not None and settings.media_player and settings.tts_entity:
            self._spoken(body)
