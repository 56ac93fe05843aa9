"""Who is acting: the calling user's permission and name, and the companion-app phones.

An action that can silence or weaken the safety net needs control permission over the walker's
entities; a call without a user (an automation, a script) is allowed. Phones are the mobile_app
config entries: each is reachable as ``notify.mobile_app_<device name>`` and fires its button taps
with its webhook id and device id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.auth.models import User
from homeassistant.auth.permissions.const import POLICY_CONTROL
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import Unauthorized, UnknownUser
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import slugify

MOBILE_APP = "mobile_app"
COMPANION_PREFIX = f"notify.{MOBILE_APP}_"


async def async_authorize(hass: HomeAssistant, context: Context, entry_id: str) -> User | None:
    """The calling user, once allowed to control the walker; raises Unauthorized otherwise.

    A user may control the walker when they may control any of its entities (HA's entity
    permissions, as an entity action checks them). Returns None for a call without a user.
    """
    if context.user_id is None:
        return None
    user = await hass.auth.async_get_user(context.user_id)
    if user is None:
        raise UnknownUser(context=context)
    if not may_control(hass, user, entry_id):
        entity_ids = _entity_ids(hass, entry_id)
        raise Unauthorized(
            context=context,
            config_entry_id=entry_id,
            entity_id=entity_ids[0] if entity_ids else None,
            permission=POLICY_CONTROL,
        )
    return user


def may_control(hass: HomeAssistant, user: User, entry_id: str) -> bool:
    """Whether ``user`` may control the walker: an admin, or control of any of its entities."""
    if user.is_admin:
        return True
    return any(
        user.permissions.check_entity(e, POLICY_CONTROL) for e in _entity_ids(hass, entry_id)
    )


def _entity_ids(hass: HomeAssistant, entry_id: str) -> list[str]:
    return [e.entity_id for e in er.async_entries_for_config_entry(er.async_get(hass), entry_id)]


async def async_user_name(hass: HomeAssistant, user_id: str | None) -> str | None:
    """The person linked to the user, else the user's name; None without a (named) user."""
    if user_id is None:
        return None
    for person in hass.states.async_all("person"):
        if person.attributes.get("user_id") == user_id:
            return person.name
    user = await hass.auth.async_get_user(user_id)
    return user.name if user is not None and user.name else None


async def async_who(hass: HomeAssistant, user_id: str | None, automation: str) -> str:
    """Who acted, for events and messages: the user's person or name, else ``automation``."""
    return await async_user_name(hass, user_id) or automation


@dataclass(frozen=True, slots=True)
class Phone:
    """One companion-app phone."""

    name: str
    target: str
    ids: frozenset[str]
    os_name: str
    # The user who registered the app: Home Assistant fires the app's events with their context.
    user_id: str | None = None

    @property
    def speaks_alarms(self) -> bool:
        """Whether the phone reads out ``message: TTS`` (the Android app; Apple's show it)."""
        return self.os_name.lower() == "android"


def phones(hass: HomeAssistant) -> list[Phone]:
    """Every registered companion-app phone."""
    devices = dr.async_get(hass)
    found = []
    for entry in hass.config_entries.async_entries(MOBILE_APP):
        data: dict[str, Any] = dict(entry.data)
        device_name = str(data.get("device_name") or entry.title)
        ids = {str(data[key]) for key in ("webhook_id", "device_id") if data.get(key)}
        name = device_name
        # The phone's device, found through its entry: async_get_device is deprecated on newer
        # releases and its replacement does not exist on 2025.4.
        identifier = (MOBILE_APP, str(data.get("device_id")))
        for device in dr.async_entries_for_config_entry(devices, entry.entry_id):
            if identifier in device.identifiers:
                ids.add(device.id)
                name = device.name_by_user or device.name or device_name
        target = f"{COMPANION_PREFIX}{slugify(device_name)}"
        found.append(
            Phone(
                name,
                target,
                frozenset(ids),
                str(data.get("os_name", "")),
                str(data["user_id"]) if data.get("user_id") else None,
            )
        )
    return found


def phones_of(hass: HomeAssistant, event_data: dict[str, Any], user_id: str | None) -> list[Phone]:
    """The phones a notification action may have come from.

    A tap arrives with the context of the user who registered the app (the apps send nothing else
    that names the phone): their phones. The data's own webhook or device id can only pick among
    those, since anyone may write any id into it. An event without a user was fired by Home
    Assistant itself (an automation, a script): its ids are taken as they are.
    """
    registered = phones(hass)
    sent_by = {str(event_data[key]) for key in ("webhook_id", "device_id") if event_data.get(key)}
    if user_id is not None:
        registered = [phone for phone in registered if phone.user_id == user_id]
        named = [phone for phone in registered if phone.ids & sent_by]
        return named or registered
    return [phone for phone in registered if phone.ids & sent_by]


def phone_for_target(hass: HomeAssistant, target: str) -> Phone | None:
    """The phone behind a ``notify.mobile_app_…`` target, if it is registered."""
    return next((phone for phone in phones(hass) if phone.target == target), None)


def is_companion(target: str) -> bool:
    """Whether ``target`` is a companion app's legacy notify service."""
    return target.startswith(COMPANION_PREFIX)
