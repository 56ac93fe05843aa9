"""Event entity: every session event, for automations."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .core.effects import WalkerEvent
from .core.messages import SafetyEvent
from .core.reminders import ReminderEvent
from .core.session import EventType
from .entity import WalkerEntity
from .event_data import event_data
from .hub import BackwardWalkingConfigEntry

PARALLEL_UPDATES = 0

SESSION_EVENT = EventEntityDescription(
    key="session_event",
    event_types=[
        *(e.value for e in EventType),
        *(e.value for e in SafetyEvent),
        *(e.value for e in ReminderEvent),
    ],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The walker's session event entity."""
    async_add_entities(SessionEventEntity.for_each(entry, [SESSION_EVENT]))


class SessionEventEntity(WalkerEntity[EventEntityDescription], EventEntity):
    """Fires the session events and the safety events."""

    entity_description: EventEntityDescription

    async def async_added_to_hass(self) -> None:
        """Listen to the hub's events only; the view does not change this entity."""
        await super().async_added_to_hass()
        self.async_on_remove(self.hub.async_add_event_listener(self._async_on_event))

    @callback
    def _async_on_event(self, event: WalkerEvent) -> None:
        self._trigger_event(*event_data(event))
        self.async_write_ha_state()
