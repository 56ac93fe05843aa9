"""Actions (services) of Backward Walking, registered once in async_setup.

Each action declares its fields as a voluptuous schema, which Home Assistant applies before the
action runs. Home Assistant passes a schema's refusal on as voluptuous' English (``expected float
for dictionary value @ data['speed']``), so the schema turns it into the field's translated message;
either way nothing has changed yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
import voluptuous as vol

from .const import (
    ATTR_CONFIG_ENTRY_ID,
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
from .core.names import shorten, visible
from .core.options import TARGET_MINUTES
from .core.programs import PROGRAM_NAME_MAX_LENGTH
from .display_units import WalkerUnits
from .errors import validation_error
from .flow_helpers import finite, text_field
from .hub import WalkerHub
from .people import async_authorize, async_who
from .texts import async_texts

# Entry and device ids are opaque: anything longer than this is not one.
ID_MAX_LENGTH = 255


def finite_number(value: Any) -> float:
    """``value`` as a finite number: vol.Coerce(float) would take True, "nan", "inf" and 1e400."""
    number = finite(value)
    if number is None:
        raise vol.Invalid("expected a finite number")
    return number


def whole_number(value: float) -> int:
    """A number without a fraction (minutes are counted whole, never rounded silently)."""
    if value != int(value):
        raise vol.Invalid("expected a whole number")
    return int(value)


def visible_text(max_length: int, *, exact: bool = False) -> Callable[[Any], str]:
    """A validator of non-empty text of at most ``max_length`` characters, all of them visible.

    ``exact``: an identifier, taken only as it is (not with spaces or line breaks around it).
    """

    def validate(value: Any) -> str:
        text = text_field(value, max_length)
        if not text or (exact and text != value):
            raise vol.Invalid(f"expected visible text of at most {max_length} characters")
        return text

    return validate


@dataclass(frozen=True, slots=True)
class Field:
    """One action field: how it is checked, and the message that refuses a wrong value."""

    validator: Callable[[Any], Any]
    error: str
    details: Callable[[], dict[str, str]] = dict
    default: Any = vol.UNDEFINED


def _limits(low: float, high: float, unit: str) -> dict[str, str]:
    return {"min": f"{low:g}", "max": f"{high:g}", "unit": unit}


def _text(max_length: int, *, exact: bool = False) -> Field:
    return Field(
        visible_text(max_length, exact=exact), "invalid_text", lambda: {"max": str(max_length)}
    )


def action_fields(hass: HomeAssistant) -> dict[str, Field]:
    """Every action field; the ranges are the integration's own (const.py, the unit system)."""

    def speed_limits() -> tuple[float, float]:
        # The unit system of the moment: a speed is read in the units the user sees now.
        return WalkerUnits.of(hass).speed_limits()

    def speed_in_limits(number: float) -> float:
        checked: float = vol.Range(*speed_limits())(number)
        return checked

    return {
        ATTR_CONFIG_ENTRY_ID: _text(ID_MAX_LENGTH, exact=True),
        ATTR_DEVICE_ID: _text(ID_MAX_LENGTH, exact=True),
        ATTR_DURATION: Field(
            vol.All(finite_number, vol.Range(*TARGET_MINUTES.limits)),
            "invalid_duration",
            partial(_limits, *TARGET_MINUTES.limits, "min"),
        ),
        ATTR_PROGRAM: _text(PROGRAM_NAME_MAX_LENGTH),
        ATTR_SPEED: Field(
            vol.All(finite_number, speed_in_limits),
            "invalid_speed",
            lambda: _limits(*speed_limits(), WalkerUnits.of(hass).speed),
        ),
        # Strictly true or false, not cv.boolean's "yes" or 1: it overrides safety warnings.
        ATTR_FORCE: Field(bool, "invalid_flag", default=False),
        ATTR_MINUTES: Field(
            vol.All(finite_number, vol.Range(*SNOOZE_MINUTES_RANGE), whole_number),
            "invalid_minutes",
            partial(_limits, *SNOOZE_MINUTES_RANGE, "min"),
            default=DEFAULT_SNOOZE_MINUTES,
        ),
    }


class ActionSchema(vol.Schema):
    """The fields of one action (each optional); a wrong one raises its translated message."""

    def __init__(self, fields: Mapping[str, Field]) -> None:
        """Accept exactly ``fields``."""
        super().__init__(
            {vol.Optional(name, default=f.default): f.validator for name, f in fields.items()}
        )
        self.fields = fields

    def __call__(self, data: Mapping[str, Any]) -> Any:
        """The checked fields, defaults filled in.

        A field given as null counts as left out, as an empty blueprint input or a template that
        renders nothing gives it.
        """
        given = {key: value for key, value in data.items() if value is not None}
        check: Callable[[Any], Any] = super().__call__  # unannotated in voluptuous
        try:
            return check(given)
        except vol.MultipleInvalid as err:
            raise self.refusal(err, given) from err

    def refusal(self, err: vol.MultipleInvalid, data: Mapping[str, Any]) -> ServiceValidationError:
        """The translated message for the first refused field; an unknown field comes first."""
        names = [str(error.path[0]) for error in err.errors]
        order = list(self.fields)
        name = min(names, key=lambda n: order.index(n) if n in self.fields else -1)
        if name not in self.fields:
            return validation_error("unknown_field", field=name, fields=", ".join(order))
        field = self.fields[name]
        return validation_error(
            field.error, field=name, value=quoted(data[name]), **field.details()
        )


def quoted(value: Any) -> str:
    """``value`` as a message quotes it: short, with invisible characters escaped."""
    try:
        text = str(value)
    except ValueError:  # an integer of more than 4300 digits
        text = "…"
    return shorten(visible(text))


def _found(entry_id: str, hass: HomeAssistant) -> ConfigEntry:
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None:
        raise validation_error("walker_not_found", walker=entry_id)
    if entry.domain != DOMAIN:
        raise validation_error("not_a_walker", name=entry.title)
    return entry


def _owner(device_id: str, hass: HomeAssistant) -> ConfigEntry:
    devices = dr.async_get(hass)
    # Asked from the walker's side: DeviceEntry.config_entries is deprecated on newer releases
    # and its replacement (config_entry_id) does not exist on 2025.4; this works on both.
    for entry in hass.config_entries.async_entries(DOMAIN):
        if any(
            d.id == device_id for d in dr.async_entries_for_config_entry(devices, entry.entry_id)
        ):
            return entry
    device = devices.async_get(device_id)
    if device is None:
        raise validation_error("walker_not_found", walker=device_id)
    raise validation_error("not_a_walker", name=device.name_by_user or device.name or device_id)


def _only_walker(hass: HomeAssistant) -> ConfigEntry:
    entries = hass.config_entries.async_entries(
        DOMAIN, include_ignore=False, include_disabled=False
    )
    if len(entries) != 1:
        raise validation_error("walker_required")
    return entries[0]


@callback
def async_get_walker_entry(
    hass: HomeAssistant, entry_id: str | None, device_id: str | None
) -> ConfigEntry:
    """The loaded walker an action targets: by config entry, by device, or the only walker.

    Home Assistant's ``service.async_get_config_entry`` (2026.3 and newer, not in 2025.4) does the
    same for an entry; this one also takes the walker's device and names the walker in its errors.
    """
    chosen = None if entry_id is None else _found(entry_id, hass)
    owner = None if device_id is None else _owner(device_id, hass)
    if chosen is not None and owner is not None and chosen is not owner:
        raise validation_error("walker_mismatch", device=owner.title, entry=chosen.title)
    entry = chosen or owner or _only_walker(hass)
    if entry.state is not ConfigEntryState.LOADED:
        raise validation_error("walker_not_loaded", walker=entry.title)
    return entry


def resolve_hub(hass: HomeAssistant, call: ServiceCall) -> WalkerHub:
    """The hub of the walker an action targets."""
    entry = async_get_walker_entry(
        hass, call.data.get(ATTR_CONFIG_ENTRY_ID), call.data.get(ATTR_DEVICE_ID)
    )
    hub: WalkerHub = entry.runtime_data
    return hub


async def resolve_allowed_hub(hass: HomeAssistant, call: ServiceCall) -> WalkerHub:
    """The targeted walker, once the caller may control it (raises Unauthorized otherwise)."""
    hub = resolve_hub(hass, call)
    await async_authorize(hass, call.context, hub.entry.entry_id)
    return hub


async def _async_start(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    hub = await resolve_allowed_hub(hass, call)
    speed: float | None = call.data.get(ATTR_SPEED)
    hub.start_session(
        call.data.get(ATTR_DURATION),
        call.data.get(ATTR_PROGRAM),
        None if speed is None else WalkerUnits.of(hass).speed_mph(speed),
        force=call.data[ATTR_FORCE],
    )
    return hub.session_summary()


async def _async_resume(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    hub = await resolve_allowed_hub(hass, call)
    hub.resume_session(force=call.data[ATTR_FORCE])
    return hub.session_summary()


async def _async_snooze(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    hub = await resolve_allowed_hub(hass, call)
    hub.snooze_reminder(call.data[ATTR_MINUTES])
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
    fields = action_fields(hass)

    def schema(*names: str) -> ActionSchema:
        chosen = (ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID, *names)
        return ActionSchema({name: fields[name] for name in chosen})

    handlers: dict[str, tuple[Callable[..., Any], ActionSchema]] = {
        SERVICE_START: (
            _async_start,
            schema(ATTR_DURATION, ATTR_PROGRAM, ATTR_SPEED, ATTR_FORCE),
        ),
        # Raising the alarm is never restricted: the walker's screen may be a read-only tablet.
        SERVICE_PAUSE: (_simple(lambda hub: hub.pause_session(), restricted=False), schema()),
        SERVICE_RESUME: (_async_resume, schema(ATTR_FORCE)),
        SERVICE_STOP: (_simple(WalkerHub.stop_session), schema()),
        SERVICE_ACK_CHECK_IN: (_answer(WalkerHub.acknowledge_check_in), schema()),
        SERVICE_ACK_EMERGENCY: (_answer(WalkerHub.acknowledge_emergency), schema()),
        SERVICE_REQUEST_HELP: (_simple(WalkerHub.request_help, restricted=False), schema()),
        SERVICE_SNOOZE: (_async_snooze, schema(ATTR_MINUTES)),
        SERVICE_SKIP_TODAY: (_simple(WalkerHub.skip_today), schema()),
    }
    for name, (handler, action_schema) in handlers.items():
        hass.services.async_register(
            DOMAIN,
            name,
            partial(handler, hass),
            schema=action_schema,
            supports_response=SupportsResponse.OPTIONAL,
        )
