"""Actions (services) of Backward Walking, registered once in async_setup.

Field values are checked here rather than by the schema so that every wrong value gets a translated
message a person understands, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
import math
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.helpers import device_registry as dr
import voluptuous as vol

from .const import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DEVICE_ID,
    ATTR_DURATION,
    ATTR_FORCE,
    ATTR_MINUTES,
    ATTR_PROGRAM,
    ATTR_SPEED,
    DEFAULT_SNOOZE_MINUTES,
    DOMAIN,
    SERVICE_ACK_CHECK_IN,
    SERVICE_ACK_EMERGENCY,
    SERVICE_PAUSE,
    SERVICE_REQUEST_HELP,
    SERVICE_RESUME,
    SERVICE_SKIP_TODAY,
    SERVICE_SNOOZE,
    SERVICE_START,
    SERVICE_STOP,
    SNOOZE_MINUTES_RANGE,
)
from .core.options import TARGET_MINUTES
from .errors import validation_error
from .hub import WalkerHub
from .people import async_authorize, async_who
from .texts import async_texts

_TARGET_FIELDS = (ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID)


def _schema(*fields: str) -> vol.Schema:
    return vol.Schema({vol.Optional(field): object for field in (*_TARGET_FIELDS, *fields)})


def _text(call: ServiceCall, field: str) -> str | None:
    value = call.data.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise validation_error("invalid_text", field=field)
    return value.strip()


def _number(call: ServiceCall, field: str, low: float, high: float, unit: str) -> float | None:
    value = call.data.get(field)
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise TypeError
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not low <= number <= high:
        raise validation_error(
            f"invalid_{field}", value=str(value)[:40], min=f"{low:g}", max=f"{high:g}", unit=unit
        )
    return number


def _flag(call: ServiceCall, field: str) -> bool:
    value = call.data.get(field, False)
    if not isinstance(value, bool):
        raise validation_error("invalid_flag", field=field, value=str(value)[:40])
    return value


def resolve_hub(hass: HomeAssistant, call: ServiceCall) -> WalkerHub:
    """The walker an action targets: by config entry, by device, or the only walker there is."""
    entry_id = _text(call, ATTR_CONFIG_ENTRY_ID)
    device_id = _text(call, ATTR_DEVICE_ID)
    entries = hass.config_entries.async_entries(DOMAIN)
    if device_id is not None:
        # Asked from the walker's side: DeviceEntry.config_entries is deprecated on newer releases
        # and its replacement (config_entry_id) does not exist on 2025.4; this works on both.
        devices = dr.async_get(hass)
        owned = [
            e.entry_id
            for e in entries
            if any(
                d.id == device_id for d in dr.async_entries_for_config_entry(devices, e.entry_id)
            )
        ]
        if not owned or (entry_id is not None and entry_id not in owned):
            raise validation_error("walker_not_found", walker=device_id)
        entry_id = owned[0]
    if entry_id is None:
        if len(entries) != 1:
            raise validation_error("walker_required")
        entry_id = entries[0].entry_id
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise validation_error("walker_not_found", walker=entry_id)
    if entry.state is not ConfigEntryState.LOADED:
        raise validation_error("walker_not_loaded", walker=entry.title)
    hub: WalkerHub = entry.runtime_data
    return hub


async def resolve_allowed_hub(hass: HomeAssistant, call: ServiceCall) -> WalkerHub:
    """The targeted walker, once the caller may control it (raises Unauthorized otherwise)."""
    hub = resolve_hub(hass, call)
    await async_authorize(hass, call.context, hub.entry.entry_id)
    return hub


async def _async_start(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    hub = await resolve_allowed_hub(hass, call)
    duration = _number(call, ATTR_DURATION, *TARGET_MINUTES.limits, unit="min")
    program = _text(call, ATTR_PROGRAM)
    low, high = hub.units.speed_limits()
    speed = _number(call, ATTR_SPEED, low, high, unit=hub.units.speed)
    speed_mph = None if speed is None else hub.units.speed_mph(speed)
    hub.start_session(duration, program, speed_mph, force=_flag(call, ATTR_FORCE))
    return hub.session_summary()


async def _async_resume(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    hub = await resolve_allowed_hub(hass, call)
    hub.resume_session(force=_flag(call, ATTR_FORCE))
    return hub.session_summary()


async def _async_snooze(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    hub = await resolve_allowed_hub(hass, call)
    minutes = _number(call, ATTR_MINUTES, *SNOOZE_MINUTES_RANGE, unit="min")
    hub.snooze_reminder(int(minutes) if minutes is not None else DEFAULT_SNOOZE_MINUTES)
    return hub.session_summary()


def _simple(command: Callable[[WalkerHub], None], *, restricted: bool = True) -> Callable[..., Any]:
    """A handler for an action without fields; ``restricted`` ones need control permission."""

    async def handler(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
        hub = await resolve_allowed_hub(hass, call) if restricted else resolve_hub(hass, call)
        command(hub)
        return hub.session_summary()

    return handler


def _answer(command: Callable[[WalkerHub, str], None]) -> Callable[..., Any]:
    """A handler for an acknowledgement: it says who acknowledged."""

    async def handler(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
        hub = await resolve_allowed_hub(hass, call)
        automation = (await async_texts(hass)).get("by_automation")
        command(hub, await async_who(hass, call.context.user_id, automation))
        return hub.session_summary()

    return handler


def async_register_services(hass: HomeAssistant) -> None:
    """Register the session actions; each returns the session summary when asked."""
    handlers: dict[str, tuple[Callable[..., Any], vol.Schema]] = {
        SERVICE_START: (
            _async_start,
            _schema(ATTR_DURATION, ATTR_PROGRAM, ATTR_SPEED, ATTR_FORCE),
        ),
        # Raising the alarm is never restricted: the walker's screen may be a read-only tablet.
        SERVICE_PAUSE: (_simple(lambda hub: hub.pause_session(), restricted=False), _schema()),
        SERVICE_RESUME: (_async_resume, _schema(ATTR_FORCE)),
        SERVICE_STOP: (_simple(WalkerHub.stop_session), _schema()),
        SERVICE_ACK_CHECK_IN: (_answer(WalkerHub.acknowledge_check_in), _schema()),
        SERVICE_ACK_EMERGENCY: (_answer(WalkerHub.acknowledge_emergency), _schema()),
        SERVICE_REQUEST_HELP: (_simple(WalkerHub.request_help, restricted=False), _schema()),
        SERVICE_SNOOZE: (_async_snooze, _schema(ATTR_MINUTES)),
        SERVICE_SKIP_TODAY: (_simple(WalkerHub.skip_today), _schema()),
    }
    for name, (handler, schema) in handlers.items():
        hass.services.async_register(
            DOMAIN,
            name,
            partial(handler, hass),
            schema=schema,
            supports_response=SupportsResponse.OPTIONAL,
        )
