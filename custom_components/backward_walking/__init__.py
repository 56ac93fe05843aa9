"""Backward Walking: coach and safeguard retro-walking sessions at home."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, issue_registry as ir
from homeassistant.helpers.typing import ConfigType

from .card_api import async_register_card_api
from .coach_sensors import CoachSensors, disable_coach_sensors
from .const import DOMAIN
from .core.options import COACH_ENABLED
from .entry_settings import settings_from_entry
from .export import HistoryExportView
from .frontend import async_register_card
from .hub import BackwardWalkingConfigEntry, WalkerHub
from .identity import WalkerName
from .intents import async_register_intents
from .lock_screen import LockScreen, lock_screen_targets, session_tag
from .notify import Notifier
from .renames import RenameFollower
from .services import async_register_services
from .store import WalkerStorage
from .unique_ids import async_migrate_unique_ids
from .voice_sentences import async_follow_sessions, async_setup_sentences

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, the voice commands, the card and its commands, the export once."""
    async_register_services(hass)
    async_register_card_api(hass)
    await async_register_intents(hass)
    await async_setup_sentences(hass)
    await async_register_card(hass)
    if "http" in hass.config.components:
        hass.http.register_view(HistoryExportView())
    return True


async def async_setup_entry(hass: HomeAssistant, entry: BackwardWalkingConfigEntry) -> bool:
    """Build the walker's hub from its stored state and set up its entities."""
    await async_migrate_unique_ids(hass, entry.entry_id)
    names = WalkerName(hass, entry)
    names.reconcile()  # a rename made in Home Assistant while the walker was not loaded
    hub = WalkerHub(hass, entry, WalkerStorage(hass, entry.entry_id, entry.title))
    await hub.async_setup()
    entry.runtime_data = hub
    # Both follow the walker's view: a session restored paused is shown and heard at once.
    entry.async_on_unload(LockScreen(hass, entry, hub).async_start(hub.coordinator))
    entry.async_on_unload(async_follow_sessions(hass, entry.entry_id, hub.coordinator))
    # Renamed entities are followed in the options; the follower's update listener applies
    # changed options, a new name and a new person live.
    follower = RenameFollower(hass, entry, hub, names)
    entry.async_on_unload(follower.async_start())
    entry.async_on_unload(entry.add_update_listener(follower.async_entry_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(names.async_start())
    entry.async_on_unload(CoachSensors(hass, hub).async_start())
    hub.async_start_reminders()
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: BackwardWalkingConfigEntry) -> bool:
    """Walkers of earlier releases (1.1): a unique ID that never changes, coach sensors like new.

    The unique ID was the person's entity ID or the name's slug, so a set-up left open blocked
    that name; now it is made once and never changes (these walkers take their entry ID). Their
    coach sensors were created enabled, and showed "unavailable" while the coach is off.
    """
    if entry.version > 1:
        return False  # set up by a newer release: nothing here can read it
    if entry.minor_version < 2:
        if not entry.options.get(COACH_ENABLED.key, COACH_ENABLED.default):
            disable_coach_sensors(hass, entry.entry_id)
        hass.config_entries.async_update_entry(entry, unique_id=entry.entry_id, minor_version=2)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: BackwardWalkingConfigEntry) -> bool:
    """Remove the entities, stop the timers and save."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.async_unload()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: BackwardWalkingConfigEntry) -> None:
    """Delete the walker's history file and repair issues; a walk shown on a phone goes too."""
    await WalkerStorage(hass, entry.entry_id, entry.title).store.async_remove()
    settings = settings_from_entry(dict(entry.data), dict(entry.options))
    Notifier(hass, entry).withdraw(lock_screen_targets(settings), session_tag(entry.entry_id))
    issues = ir.async_get(hass)
    # Every issue of a walker (sensor_missing_…, sensor_unavailable_…, store_…) names its entry.
    for domain, issue_id in list(issues.issues):
        if domain == DOMAIN and entry.entry_id in issue_id:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
