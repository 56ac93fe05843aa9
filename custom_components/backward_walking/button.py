"""Buttons: start, pause, resume and stop the session; acknowledge a check-in or emergency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DEFAULT_SNOOZE_MINUTES
from .entity import WalkerEntity
from .hub import BackwardWalkingConfigEntry, WalkerHub
from .people import async_who
from .texts import async_texts

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class WalkerButtonDescription(ButtonEntityDescription):
    """A button and the hub command it runs."""

    press_fn: Callable[[WalkerHub], None]


BUTTONS = (
    WalkerButtonDescription(key="start", press_fn=lambda hub: hub.start_session()),
    WalkerButtonDescription(key="pause", press_fn=lambda hub: hub.pause_session()),
    WalkerButtonDescription(key="resume", press_fn=WalkerHub.resume_session),
    WalkerButtonDescription(key="stop", press_fn=WalkerHub.stop_session),
    WalkerButtonDescription(key="acknowledge", press_fn=WalkerHub.acknowledge),
    WalkerButtonDescription(
        key="snooze_reminder", press_fn=lambda hub: hub.snooze_reminder(DEFAULT_SNOOZE_MINUTES)
    ),
    WalkerButtonDescription(key="skip_today", press_fn=WalkerHub.skip_today),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The session buttons and the acknowledge button."""
    async_add_entities(WalkerButton.for_each(entry, BUTTONS))


class WalkerButton(WalkerEntity[WalkerButtonDescription], ButtonEntity):
    """Runs a session command; a command the state does not allow raises a translated error."""

    entity_description: WalkerButtonDescription

    async def async_press(self) -> None:
        """Run the command; an acknowledgement says who pressed (HA checked their permission)."""
        if self.entity_description.key != "acknowledge":
            self.entity_description.press_fn(self.hub)
            return
        user_id = self._context.user_id if self._context is not None else None
        automation = (await async_texts(self.hass)).get("by_automation")
        self.hub.acknowledge(await async_who(self.hass, user_id, automation))
