"""Nobody is told "contacts alerted" untruly: without contacts, or when none could be reached."""

from __future__ import annotations

import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.backward_walking.contacts import (
    ContactAlert,
    ContactReach,
    ContactStatus,
    contact_names,
)
from custom_components.backward_walking.core.ladder import CheckInState, CheckInView
from custom_components.backward_walking.core.settings import WalkerSettings

from .helpers import advance, call, reload, state
from .safety_helpers import FALL, Outside, add_phone, setup_walker

NO_CONTACTS = (
    "No emergency contacts are set up, so this alert is only in Home Assistant's notifications."
)


def broken_phone(hass: HomeAssistant) -> str:
    """A notify service that fails, as a phone whose app was removed does."""

    async def fail(call_: ServiceCall) -> None:
        raise HomeAssistantError("the phone is gone")

    hass.services.async_register("notify", "broken_phone", fail)
    return "notify.broken_phone"


def check_in(hass: HomeAssistant) -> dict[str, Any]:
    attributes = state(hass, "sensor.alex_check_in").attributes
    return {key: attributes[key] for key in ("contacts", "unreachable")}


def notifications(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Home Assistant's notifications, their Markdown escapes taken out."""
    return [
        {**notice, "message": re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", notice["message"])}
        for notice in persistent_notification._async_get_or_create_notifications(hass).values()
    ]


async def delivered(hass: HomeAssistant) -> None:
    """Messages go out as background tasks of the entry."""
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_without_contacts_the_alert_says_so_and_the_walker_hears_nobody_was_alerted(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer, emergency_notify=[])
    await call(hass, "start_session")
    hass.states.async_set(FALL, "on")
    await hass.async_block_till_done()
    # Said while the walker is asked, so nobody counts on contacts that do not exist.
    assert check_in(hass) == {"contacts": "none_set_up", "unreachable": []}
    await advance(hass, freezer, 60)
    await delivered(hass)
    assert state(hass, "sensor.alex_check_in").state == "escalated"
    assert check_in(hass) == {"contacts": "none_set_up", "unreachable": []}
    [alert] = notifications(hass)
    assert alert["title"] == "Emergency: Alex may need help"
    assert NO_CONTACTS in alert["message"]
    nobody = (
        "Alex, no emergency contacts are set up, so nobody was alerted. Call someone if you can."
    )
    assert nobody in outside.spoken
    assert outside.spoken.index(nobody) == len(outside.spoken) - 1
    [told] = [m for m in outside.to("walker_phone") if m["title"] == "Nobody was alerted"]
    assert told["message"] == nobody
    # A re-alert says it again in the panel, and does not tell the walker twice.
    await advance(hass, freezer, 120)
    await delivered(hass)
    assert NO_CONTACTS in notifications(hass)[0]["message"]
    assert outside.spoken.count(nobody) == 1


async def test_a_walker_without_a_phone_hears_it_and_the_panel_holds_one_alert(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer, emergency_notify=[], walker_notify=[])
    await call(hass, "request_help")
    await delivered(hass)
    assert [n["title"] for n in notifications(hass)] == ["Emergency: Alex may need help"]
    assert any("nobody was alerted" in spoken for spoken in outside.spoken)


async def test_when_no_contact_can_be_reached_the_panel_and_the_walker_are_told(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(
        hass, freezer, emergency_notify=[broken_phone(hass), "notify.mobile_app_gone"]
    )
    await call(hass, "request_help")
    await delivered(hass)
    assert check_in(hass) == {
        "contacts": "failed",
        "unreachable": ["broken_phone", "mobile_app_gone"],
    }
    [alert] = notifications(hass)
    assert alert["title"] == "Emergency: Alex may need help"
    assert "could not be reached, so this alert is only in Home Assistant" in alert["message"]
    assert "broken_phone, mobile_app_gone could not be reached" in alert["message"]
    nobody = (
        "Alex, your emergency contacts could not be reached, so nobody was alerted. "
        "Call someone if you can."
    )
    assert nobody in outside.spoken
    assert [m["message"] for m in outside.to("walker_phone")][-1] == nobody
    # The next re-alert fails again: the walker is not told a second time.
    await advance(hass, freezer, 120)
    await delivered(hass)
    assert outside.spoken.count(nobody) == 1
    await call(hass, "acknowledge_emergency")
    assert check_in(hass) == {"contacts": None, "unreachable": []}


async def test_some_contacts_reached_name_the_others_and_a_re_alert_says_who_was_missed(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer, emergency_notify=["notify.carer_phone", broken_phone(hass)])
    await call(hass, "request_help")
    await delivered(hass)
    assert check_in(hass) == {"contacts": "partly_failed", "unreachable": ["broken_phone"]}
    assert notifications(hass) == []
    assert not any("nobody was alerted" in spoken for spoken in outside.spoken)
    await advance(hass, freezer, 120)
    await delivered(hass)
    realert = outside.to("carer_phone")[-1]
    assert realert["message"].endswith("Not reached: broken_phone.")


async def test_all_reached_and_after_a_restart_nothing_is_claimed_until_the_next_alert(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_walker(hass, freezer)
    await call(hass, "request_help")
    await delivered(hass)
    assert check_in(hass) == {"contacts": "alerted", "unreachable": []}
    await reload(hass, entry)
    assert check_in(hass) == {"contacts": None, "unreachable": []}
    await advance(hass, freezer, 120)
    await delivered(hass)
    assert check_in(hass) == {"contacts": "alerted", "unreachable": []}


async def test_a_contact_that_works_again_counts_as_reached(
    hass: HomeAssistant, outside: Outside, freezer: FrozenDateTimeFactory
) -> None:
    await setup_walker(hass, freezer)
    outside.fail_with = HomeAssistantError("offline")
    await call(hass, "request_help")
    await delivered(hass)
    assert check_in(hass) == {"contacts": "failed", "unreachable": ["carer_phone"]}
    outside.fail_with = None
    await advance(hass, freezer, 120)
    await delivered(hass)
    assert check_in(hass) == {"contacts": "alerted", "unreachable": []}


@pytest.mark.usefixtures("outside")
async def test_contacts_are_named_as_people_know_them(hass: HomeAssistant) -> None:
    outside = Outside()
    phone = add_phone(hass, outside, "Anna's Pixel", "hook1")
    hass.states.async_set("notify.kitchen_display", "unknown", {"friendly_name": "Kitchen display"})
    assert contact_names(hass, [phone, "notify.kitchen_display", "notify.family"]) == (
        "Anna's Pixel",
        "Kitchen display",
        "family",
    )


async def test_the_outcome_follows_each_contact(hass: HomeAssistant) -> None:
    changes: list[str] = []
    reach = ContactReach(hass, lambda: changes.append("changed"), lambda: changes.append("nobody"))
    settings = WalkerSettings("Alex", emergency_notify=("notify.a", "notify.b"))
    escalated = CheckInView(CheckInState.ESCALATED)
    assert reach.alert(settings, escalated) == ContactAlert()  # nothing sent (a restart)
    reach.sending(("notify.a", "notify.b"), first=True, alarm=("Emergency", "…"))
    assert reach.alert(settings, escalated).status is ContactStatus.SENDING
    reach.report("notify.a", False)
    assert reach.alert(settings, escalated) == ContactAlert(ContactStatus.PARTLY_FAILED, ("a",))
    reach.report("notify.b", False)
    assert reach.alert(settings, escalated).status is ContactStatus.FAILED
    assert changes == ["changed", "changed", "nobody"]
    reach.report("notify.b", True)
    reach.report("notify.b", False)  # reached once: stays reached
    assert reach.alert(settings, escalated) == ContactAlert(ContactStatus.PARTLY_FAILED, ("a",))
    assert reach.alert(settings, CheckInView(CheckInState.AWAITING_RESPONSE)) == ContactAlert()
    assert reach.alert(settings, CheckInView()) == ContactAlert()
    reach.sending(("notify.a",), first=True, alarm=("Emergency", "…"))
    reach.report("notify.a", True)
    assert reach.alert(settings, escalated) == ContactAlert(ContactStatus.ALERTED)
