"""The walker's sensors in Home Assistant: their states as readings, and their repair issues.

Repair issues are raised for a sensor that no longer exists and for one unavailable for too long.

How long a sensor has been unavailable is the engine's to say (it wakes up when that time is reached);
this module only keeps the repair issues in line with it.
"""

from __future__ import annotations

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .const import DOMAIN
from .core.safety import Reading
from .notify import markdown_text


def reading_of(state: State | None) -> Reading | None:
    """A core reading from a Home Assistant state (None when the entity does not exist)."""
    if state is None:
        return None
    return Reading(state.state, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT), state.last_changed)


class SensorHealth:
    """Raises and clears the repair issues of one walker's sensors."""

    def __init__(self, hass: HomeAssistant, entry_id: str, walker: str) -> None:
        """No issue is raised until told."""
        self.hass = hass
        self.entry_id = entry_id
        self.walker = walker
        self.unavailable: frozenset[str] = frozenset()

    def issue_id(self, kind: str, entity_id: str) -> str:
        """The repair issue of ``kind`` for ``entity_id``."""
        return f"{kind}_{self.entry_id}_{entity_id}"

    @callback
    def check_missing(self, entity_id: str, state: State | None) -> None:
        """Raise or clear the issue for a sensor that no longer exists."""
        missing = state is None and er.async_get(self.hass).async_get(entity_id) is None
        self._set_issue("sensor_missing", entity_id, missing)

    @callback
    def sync_unavailable(self, long_unavailable: frozenset[str]) -> None:
        """Raise the issue for each sensor unavailable too long; clear it for the others."""
        if long_unavailable == self.unavailable:
            return
        for entity_id in self.unavailable - long_unavailable:
            self._set_issue("sensor_unavailable", entity_id, False)
        for entity_id in long_unavailable - self.unavailable:
            self._set_issue("sensor_unavailable", entity_id, True)
        self.unavailable = long_unavailable

    def _set_issue(self, kind: str, entity_id: str, present: bool) -> None:
        issue_id = self.issue_id(kind, entity_id)
        if not present:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        fixable = kind == "sensor_missing"  # re-pick or remove it (repairs.py)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=fixable,
            data={"entry_id": self.entry_id, "entity_id": entity_id} if fixable else None,
            severity=ir.IssueSeverity.ERROR,
            translation_key=kind,
            translation_placeholders={"walker": markdown_text(self.walker), "entity_id": entity_id},
        )
