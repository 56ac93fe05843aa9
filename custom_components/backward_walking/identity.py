"""A walker's one name: no two walkers share a name or a person, and Home Assistant's renames follow.

The name is the entry's ``data["name"]``, shown as the entry's title and as the device's name (so
the integration page, the device page, the card, the entities, notifications, spoken prompts and
the export's file name all say the same). Three ways rename a walker, and each renames it
everywhere, without a reload: the integration's Reconfigure, Home Assistant's Rename of the entry
(its title) and the device page's rename (the device's ``name_by_user``). A rename is checked like
a name typed in the set-up; a refused one is undone and a repair issue says why.
"""

from __future__ import annotations

import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.event import async_track_device_registry_updated_event

from .const import CONF_PERSON, DOMAIN, NAME_MAX_LENGTH
from .core.names import name_key, shorten, visible
from .flow_helpers import text_field

_LOGGER = logging.getLogger(__name__)


def other_walkers(hass: HomeAssistant, own_entry_id: str | None) -> list[ConfigEntry]:
    """Every walker but the one ``own_entry_id`` names (ignored entries are not walkers)."""
    return [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=False)
        if entry.entry_id != own_entry_id
    ]


def name_error(hass: HomeAssistant, typed: object, own_entry_id: str | None) -> str | None:
    """Why ``typed`` cannot be a walker's name (a translation key), or None if it can."""
    name = text_field(typed, NAME_MAX_LENGTH)
    if not name:
        return "name_invalid"
    key = name_key(name)
    if any(name_key(walker_name(e)) == key for e in other_walkers(hass, own_entry_id)):
        return "name_taken"
    return None


def walker_of_person(hass: HomeAssistant, person: str, own_entry_id: str | None) -> str | None:
    """The name of another walker linked to ``person``, if one is."""
    return next(
        (
            walker_name(e)
            for e in other_walkers(hass, own_entry_id)
            if e.data.get(CONF_PERSON) == person
        ),
        None,
    )


def walker_name(entry: ConfigEntry) -> str:
    """The walker's name (the title, for entries stored before the name was kept in data)."""
    return str(entry.data.get(CONF_NAME, entry.title))


def walker_device(hass: HomeAssistant, entry_id: str) -> dr.DeviceEntry | None:
    """The walker's device, once its entities created it."""
    # Through the entry: async_get_device is deprecated on newer releases.
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry_id)
    return next((d for d in devices if (DOMAIN, entry_id) in d.identifiers), None)


class WalkerName:
    """Keeps one walker's name one: the entry's data and title, and the device's name."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Bind to the walker's entry; nothing is watched until ``async_start``."""
        self.hass = hass
        self.entry = entry

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Follow renames on the device page (the device exists once the entities are set up)."""
        self.reconcile()
        device = walker_device(self.hass, self.entry.entry_id)
        if device is None:  # pragma: no cover - the entities always create it
            return lambda: None
        return async_track_device_registry_updated_event(
            self.hass, device.id, self._async_device_updated
        )

    @callback
    def reconcile(self) -> bool:
        """Take a rename made in Home Assistant, or undo a refused one; True if the entry changed.

        A rename on the device page wins over one of the entry's title (it is what dashboards
        show). Afterwards the title and the device show the name, and ``name_by_user`` is empty, so
        the next rename anywhere is seen again.
        """
        entry = self.entry
        name = walker_name(entry)
        device = walker_device(self.hass, entry.entry_id)
        renamed_device = device.name_by_user if device is not None else None
        for proposal in (renamed_device, entry.title):
            if proposal is None or proposal == name:
                continue
            if (error := name_error(self.hass, proposal, entry.entry_id)) is not None:
                self._refuse(name, proposal, error)
                continue
            name = str(text_field(proposal, NAME_MAX_LENGTH))
            ir.async_delete_issue(self.hass, DOMAIN, self._issue_id)
            _LOGGER.info("Walker %s is now called %s", walker_name(entry), name)
            break
        changed = self.hass.config_entries.async_update_entry(
            entry, title=name, data={**entry.data, CONF_NAME: name}
        )
        if device is not None and (device.name, device.name_by_user) != (name, None):
            dr.async_get(self.hass).async_update_device(device.id, name=name, name_by_user=None)
        return changed

    @property
    def _issue_id(self) -> str:
        return f"rename_refused_{self.entry.entry_id}"

    def _refuse(self, name: str, proposal: str, error: str) -> None:
        _LOGGER.info("Walker %s was not renamed to %r: %s", name, proposal, error)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self._issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=f"rename_{error}",
            translation_placeholders={
                "walker": name,
                "name": shorten(visible(proposal)) or '""',
                "max": str(NAME_MAX_LENGTH),
            },
        )

    @callback
    def _async_device_updated(self, event: Event[dr.EventDeviceRegistryUpdatedData]) -> None:
        data = event.data
        if data["action"] == "update" and "name_by_user" in data["changes"]:
            self.reconcile()
