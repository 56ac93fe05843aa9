"""Which walker a spoken command is about.

By name when one is said (the walker's own, or the name of the person it is linked to, ignoring
case); else the walker linked to the person of the user speaking; else the walker in the area of
the satellite heard (the area of the walker's device, or the walker's own voice check-in
satellite); else the only walker. Of several, the one the command can be about (the only one with a
check-in open, for "I'm OK"). More than one at any step is a question back, never a guess: the
command then changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import CONF_PERSON, CONF_VOICE_SATELLITE, DOMAIN
from .core.names import name_key

# Of several walkers, whether the command can be about this one (e.g. "I'm OK": an open check-in).
Concerned = Callable[[ConfigEntry], bool]


@dataclass(frozen=True, slots=True)
class Heard:
    """Who asked, and where: what a spoken command says about its walker.

    ``concerned`` are tried in turn when several walkers remain: the first that leaves exactly one
    chooses it (only Demo Walker has a check-in open: "I need help" is about Demo Walker).
    """

    name: str | None = None
    user_id: str | None = None
    device_id: str | None = None
    satellite_id: str | None = None
    concerned: tuple[Concerned, ...] = ()


class WalkerNotChosenError(Exception):
    """No single loaded walker: the answer says why, and nothing is done."""


class NoWalkerError(WalkerNotChosenError):
    """There is no walker at all."""


class UnknownWalkerError(WalkerNotChosenError):
    """No walker has the name that was said."""

    def __init__(self, name: str) -> None:
        """Name what was said."""
        super().__init__(name)
        self.name = name


class WalkerNotLoadedError(WalkerNotChosenError):
    """The walker meant is set up but not loaded."""

    def __init__(self, walker: str) -> None:
        """Name the walker."""
        super().__init__(walker)
        self.walker = walker


class WhichWalkerError(WalkerNotChosenError):
    """Several walkers fit: the answer asks which one."""

    def __init__(self, names: list[str]) -> None:
        """Name the walkers that fit."""
        super().__init__(*names)
        self.names = names


def walker_name(entry: ConfigEntry) -> str:
    """The walker's name as the settings have it."""
    return str(entry.data.get(CONF_NAME) or entry.title)


def choose_walker(hass: HomeAssistant, heard: Heard) -> ConfigEntry:
    """The one loaded walker ``heard`` is about; raises a ``WalkerNotChosenError`` otherwise."""
    entries = hass.config_entries.async_entries(
        DOMAIN, include_ignore=False, include_disabled=False
    )
    if not entries:
        raise NoWalkerError
    if heard.name is not None:
        found = _named(hass, entries, heard.name)
        if not found:
            raise UnknownWalkerError(heard.name)
        return _only(found)
    loaded = [e for e in entries if e.state is ConfigEntryState.LOADED]
    if not loaded:
        return _only(entries)
    found = (
        _of_person(hass, loaded, heard.user_id)
        or _in_area(hass, loaded, heard.device_id, heard.satellite_id)
        or loaded
    )
    for concerned in heard.concerned if len(found) > 1 else ():
        if len(meant := [e for e in found if concerned(e)]) == 1:
            return _only(meant)
    return _only(found)


def _only(found: list[ConfigEntry]) -> ConfigEntry:
    if len(found) > 1:
        raise WhichWalkerError(sorted(walker_name(e) for e in found))
    entry = found[0]
    if entry.state is not ConfigEntryState.LOADED:
        raise WalkerNotLoadedError(walker_name(entry))
    return entry


def spoken_key(name: str) -> str:
    """A name as it is heard: only its letters and digits, in words.

    Assist drops punctuation from what was said ("Dr. Lee" is heard as "Dr Lee").
    """
    return " ".join("".join(c if c.isalnum() else " " for c in name_key(name)).split())


def _named(hass: HomeAssistant, entries: list[ConfigEntry], said: str) -> list[ConfigEntry]:
    """The walkers called ``said`` (also as "Alex's"), or whose person is."""
    keys = {spoken_key(said)}
    for possessive in ("'s", "’s"):
        if said.casefold().endswith(possessive):
            keys.add(spoken_key(said[: -len(possessive)]))
    keys.discard("")
    return [e for e in entries if keys & {spoken_key(n) for n in _names_of(hass, e)}]


def _names_of(hass: HomeAssistant, entry: ConfigEntry) -> Iterable[str]:
    yield walker_name(entry)
    person = entry.data.get(CONF_PERSON)
    if person and (state := hass.states.get(person)) is not None:
        yield state.name


def _of_person(
    hass: HomeAssistant, entries: list[ConfigEntry], user_id: str | None
) -> list[ConfigEntry]:
    """The walkers linked to the person of the user speaking."""
    if user_id is None:
        return []
    persons = {
        state.entity_id
        for state in hass.states.async_all("person")
        if state.attributes.get("user_id") == user_id
    }
    return [e for e in entries if e.data.get(CONF_PERSON) in persons]


def _in_area(
    hass: HomeAssistant,
    entries: list[ConfigEntry],
    device_id: str | None,
    satellite_id: str | None,
) -> list[ConfigEntry]:
    """The walkers in the area of the satellite heard, or whose voice check-in satellite it is."""
    entities, devices = er.async_get(hass), dr.async_get(hass)
    satellite = entities.async_get(satellite_id) if satellite_id else None
    device_id = device_id or (satellite.device_id if satellite else None)
    device = devices.async_get(device_id) if device_id else None
    area = (satellite.area_id if satellite else None) or (device.area_id if device else None)
    if device_id is None and satellite_id is None:
        return []
    found = []
    for entry in entries:
        own = entry.options.get(CONF_VOICE_SATELLITE)
        own_entity = entities.async_get(own) if own else None
        own_device = own_entity.device_id if own_entity else None
        walker_areas = {
            d.area_id for d in dr.async_entries_for_config_entry(devices, entry.entry_id)
        }
        if (
            (own is not None and own == satellite_id)
            or (own_device is not None and own_device == device_id)
            or (area is not None and area in walker_areas)
        ):
            found.append(entry)
    return found
