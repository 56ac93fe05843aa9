"""Browser checks of what the family is told: who took care, the panel after an emergency, set-up.

Part of scripts/demo/e2e.py (one line in its parts list), which it uses for its checks and
screenshots. The demo user's person is renamed "Anna" for the run (and back afterwards), so a
message that names the person cannot be mistaken for one naming the user ("Demo").
"""

from __future__ import annotations

import re
import sys
import time
from typing import Any

from playwright.sync_api import Locator, Page
import setup_demo

e2e: Any = sys.modules["__main__"]  # the running e2e.py: its checks count in its summary
PERSON = "person.demo"
FALL = "input_boolean.hallway_fall"


def _walker_entry(token: str, name: str) -> str:
    entries = setup_demo.request(
        "/api/config/config_entries/entry?domain=backward_walking", token=token
    )
    return str(next(e["entry_id"] for e in entries if e["title"] == name))


def _state(token: str, entity_id: str) -> dict[str, Any]:
    state: dict[str, Any] = setup_demo.request(f"/api/states/{entity_id}", token=token)
    return state


def _ws(page: Page, message: dict[str, Any]) -> Any:
    """A websocket command on the frontend's own connection, as the logged-in user."""
    return page.evaluate(
        "(message) => document.querySelector('home-assistant').hass.callWS(message)", message
    )


def _rename_person(page: Page, token: str, name: str) -> None:
    persons = _ws(page, {"type": "person/list"})["storage"]
    person = next(p for p in persons if p["user_id"])
    _ws(page, {"type": "person/update", "person_id": person["id"], "name": name})
    e2e.check(
        f"the demo user's person is called {name}",
        lambda: _state(token, PERSON)["attributes"].get("friendly_name") == name,
    )


def _panel(page: Page) -> dict[str, str]:
    """Home Assistant's notifications: title → message."""
    notes = _ws(page, {"type": "persistent_notification/get"})
    return {note["title"]: note["message"] for note in notes}


def _drawer_shows(page: Page, text: str) -> bool:
    """Whether Home Assistant's notification drawer shows ``text`` (text search pierces shadows)."""
    return page.locator("notification-drawer").get_by_text(text).count() > 0


def emergency_and_panel(page: Page, token: str) -> None:
    """A fall, the walker's call for help, an acknowledgement: the panel keeps only who took care."""
    walker = {"config_entry_id": _walker_entry(token, "Demo Walker")}
    page.goto(f"{setup_demo.BASE}/lovelace/walking", wait_until="domcontentloaded")
    e2e.check(
        "the page is up",
        lambda: bool(page.evaluate("!!document.querySelector('home-assistant').hass")),
        60,
    )
    _rename_person(page, token, "Anna")
    e2e.service(token, "backward_walking", "start_session", walker)
    e2e.service(token, "input_boolean", "turn_on", {"entity_id": FALL})
    e2e.check(
        "a fall asks the walker in the panel: Are you OK?",
        lambda: "Are you OK?" in _panel(page),
    )
    e2e.service(token, "backward_walking", "request_help", walker)
    e2e.check(
        "once the contacts are alerted the question is gone",
        lambda: (
            "Are you OK?" not in _panel(page)
            and "Emergency: Demo Walker may need help" in _panel(page)
        ),
    )
    e2e.service(token, "backward_walking", "acknowledge_emergency", walker)
    e2e.check(
        "the acknowledgement names the person of the user who acted",
        lambda: (
            _panel(page)
            .get("Emergency acknowledged", "")
            .startswith("Anna is taking care of Demo Walker")
        ),
    )
    e2e.service(token, "input_boolean", "turn_off", {"entity_id": FALL})
    time.sleep(6)  # the fall sensor reads clear for the clear-hold time
    e2e.service(token, "backward_walking", "stop_session", walker)
    page.reload(wait_until="domcontentloaded")
    e2e.check(
        "the page is back",
        lambda: bool(
            page.evaluate(
                """() => { const ha = document.querySelector('home-assistant');
                  return !!(ha && ha.hass && ha.shadowRoot
                    && ha.shadowRoot.querySelector('home-assistant-main')); }"""
            )
        ),
        60,
    )
    page.evaluate(
        """() => document.querySelector('home-assistant').shadowRoot
          .querySelector('home-assistant-main')
          .dispatchEvent(new CustomEvent('hass-show-notifications', {bubbles: true, composed: true}))"""
    )
    e2e.check(
        "the notification drawer keeps only the last word of the emergency",
        lambda: (
            _drawer_shows(page, "Anna is taking care of Demo Walker")
            and not _drawer_shows(page, "Are you OK?")
            and not _drawer_shows(page, "may need help")
        ),
        15,
    )
    page.wait_for_timeout(500)
    e2e.shot(page, "notifications-after-emergency")
    page.keyboard.press("Escape")


def _distance_to_field(page: Page, text: str, field: str) -> float:
    """Vertical distance in px between the shown ``text`` and the form field ``field``."""
    message = e2e.deep(
        page,
        "return el.children.length === 0 && (el.textContent || '').trim().startsWith(args[0])"
        " && el.getClientRects().length > 0;",
        text,
    )
    if message is None:
        return float("inf")
    box = message.bounding_box()
    around = e2e.form_field(page, field).bounding_box()
    if box is None or around is None:
        return float("inf")
    below = box["y"] - (around["y"] + around["height"])
    above = around["y"] - (box["y"] + box["height"])
    return max(below, above, 0.0)


def person_reuse_error(page: Page) -> None:
    """Set-up choosing Demo Walker's person: the error is next to the field, the form keeps its input."""
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.goto(f"{setup_demo.BASE}/config/integrations/dashboard", wait_until="domcontentloaded")
    page.get_by_role("button", name=re.compile("add integration", re.I)).click(timeout=60_000)
    page.wait_for_timeout(1000)
    page.keyboard.type("Backward Walking")
    page.get_by_text("Backward Walking", exact=True).last.click()
    name = f"Grandpa {int(time.time()) % 10000}"
    e2e.inside(e2e.form_field(page, "name"), "input").fill(name)
    e2e.pick(page, e2e.form_field(page, "person"), "Anna")
    page.get_by_role("button", name="Submit").click()
    e2e.check(
        "choosing Demo Walker's person is refused next to the Person field",
        lambda: _distance_to_field(page, "Already linked to Demo Walker", "person") < 80,
    )
    e2e.check(
        "the refused form keeps the name typed and the person chosen",
        lambda: (
            e2e.inside(e2e.form_field(page, "name"), "input").input_value() == name
            and e2e.form_field(page, "person").evaluate("(el) => el.value") == PERSON
        ),
        5,
    )
    e2e.shot(page, "flow-person-taken")
    page.keyboard.press("Escape")  # closing the dialog ends the flow: no walker added
    page.set_viewport_size({"width": 1280, "height": 900})


def a_walker_is_a_device(page: Page, token: str) -> None:
    """Home Assistant calls walkers devices: the integration card, the device page."""
    page.goto(f"{setup_demo.BASE}/config/integrations/dashboard", wait_until="domcontentloaded")

    card = page.locator("ha-integration-card").filter(has_text="Backward Walking")
    e2e.check(
        "the integrations page counts walkers as devices",
        lambda: (
            card.get_by_text(re.compile(r"^\s*2 devices\s*$", re.I)).count() > 0
            and card.get_by_text(re.compile("service", re.I)).count() == 0
        ),
        30,
    )
    device = page.evaluate(
        "document.querySelector('home-assistant').hass"
        ".entities['sensor.demo_walker_session_state'].device_id"
    )
    page.goto(f"{setup_demo.BASE}/config/devices/device/{device}", wait_until="domcontentloaded")
    e2e.check(
        "the device page says Device info, not Service info",
        lambda: (
            page.get_by_text("Device info").first.is_visible()
            and not page.get_by_text("Service info").count()
        ),
        30,
    )


def _configure(page: Page) -> Locator:
    """Open Demo Walker's Configure dialog from the integration's page."""
    page.goto(
        f"{setup_demo.BASE}/config/integrations/integration/backward_walking",
        wait_until="domcontentloaded",
    )
    page.wait_for_timeout(2000)
    row = page.locator("ha-config-entry-row, ha-integration-list-item", has_text="Demo Walker")
    button = (row if row.count() else page).get_by_role(
        "button", name=re.compile("configure", re.I)
    )
    button.first.click(timeout=30_000)
    return page.locator("dialog-data-entry-flow")


def options_forms(page: Page) -> None:
    """Configure names the walker; the reminder times and the alerts form, for a look."""
    dialog = _configure(page)
    e2e.check(
        "Configure says whose settings they are",
        dialog.get_by_text("Settings of Demo Walker").first.is_visible,
        20,
    )
    for step, title in (
        ("Reminders and coach", "Reminders and coach for Demo Walker"),
        ("Alerts and check-ins", "Alerts and check-ins for Demo Walker"),
    ):
        dialog = _configure(page)
        dialog.get_by_text(step, exact=True).first.click()
        e2e.check(
            f"its step is titled '{title}'",
            lambda t=title, d=dialog: d.get_by_text(t).first.is_visible(),
            20,
        )
        page.set_viewport_size({"width": 1280, "height": 2200})
        page.wait_for_timeout(800)
        e2e.shot(page, f"options-{step.split()[0].lower()}")
        page.set_viewport_size({"width": 1280, "height": 900})


def family(page: Page, token: str) -> None:
    """Every check of this part; the demo person gets its name back whatever happens."""
    try:
        emergency_and_panel(page, token)
        person_reuse_error(page)
        a_walker_is_a_device(page, token)
        options_forms(page)
    finally:
        page.goto(f"{setup_demo.BASE}/lovelace/walking", wait_until="domcontentloaded")
        page.wait_for_function(
            "() => !!document.querySelector('home-assistant').hass", timeout=60_000
        )
        _rename_person(page, token, "Demo")
