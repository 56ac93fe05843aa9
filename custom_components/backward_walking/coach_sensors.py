"""The coach's four sensors are there while the coach is on, and not in the way while it is off.

The coach is off by default, and its sensors (suggested length and speed, weekly target and its
progress) have nothing to show then: a new walker gets them disabled, unless the coach is already on
(Home Assistant's ``entity_registry_enabled_default``). Switching the coach on enables them; Home
Assistant then reloads the walker to add them (30 s later, its own rule for enabled entities), so
this waits while a session is in progress: a reload would pause it. Switching the coach off disables
them again. Sensors a user disabled themselves are left alone.
"""

from __future__ import annotations

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .const import DOMAIN
from .core.session import ACTIVE_STATES
from .hub import WalkerHub

COACH_SENSORS = (
    "suggested_duration",
    "suggested_speed",
    "coach_weekly_target",
    "coach_weekly_progress",
)


def coach_sensor_ids(hass: HomeAssistant, entry_id: str) -> list[str]:
    """The entity IDs of the walker's coach sensors that are in the registry."""
    registry = er.async_get(hass)
    found = (
        registry.async_get_entity_id("sensor", DOMAIN, f"{entry_id}_{key}") for key in COACH_SENSORS
    )
    return [entity_id for entity_id in found if entity_id is not None]


@callback
def disable_coach_sensors(hass: HomeAssistant, entry_id: str) -> None:
    """Disable the coach sensors that are enabled (as the integration would have created them)."""
    registry = er.async_get(hass)
    for entity_id in coach_sensor_ids(hass, entry_id):
        entity = registry.async_get(entity_id)
        if entity is not None and entity.disabled_by is None:
            registry.async_update_entity(
                entity_id, disabled_by=er.RegistryEntryDisabler.INTEGRATION
            )


class CoachSensors:
    """Follows the coach switch (and the session) for one walker's coach sensors."""

    def __init__(self, hass: HomeAssistant, hub: WalkerHub) -> None:
        """Bind to the walker's hub; nothing happens until ``async_start``."""
        self.hass = hass
        self.hub = hub
        self._coach_on = hub.settings.coach_enabled

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Follow every new view of the walker (settings changes and sessions push one)."""
        self._follow()
        return self.hub.coordinator.async_add_listener(self._follow)

    @callback
    def _follow(self) -> None:
        coach_on = self.hub.settings.coach_enabled
        walking = self.hub.view.state in ACTIVE_STATES
        entry_id = self.hub.entry.entry_id
        if coach_on and not walking:
            registry = er.async_get(self.hass)
            for entity_id in coach_sensor_ids(self.hass, entry_id):
                entity = registry.async_get(entity_id)
                if (
                    entity is not None
                    and entity.disabled_by is er.RegistryEntryDisabler.INTEGRATION
                ):
                    registry.async_update_entity(entity_id, disabled_by=None)
        elif self._coach_on and not coach_on:
            disable_coach_sensors(self.hass, entry_id)
        self._coach_on = coach_on
