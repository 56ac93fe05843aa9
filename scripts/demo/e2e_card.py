"""Browser checks of issue 20, items 1–8: what the card and the built-in dashboards tell the family.

Run from scripts/demo/e2e.py (one line in its parts list), on the Demo Walker's card while the
dashboard still shows it: the built-in cards' figures change on the minute; a fall opens a check-in
that counts down and says why; Need help raises an emergency that says there are no contacts (the
demo has none) and where to set them up; a cleared obstacle counts its hold; Resume waits for the
path, and a refusal that still comes (a tap racing a sensor) is said once, in words, and goes; a
read-only wall tablet is offered only what it may do; the German card has no English. Home
Assistant's log must stay free of errors throughout (scripts/demo/check_log.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
import json
from pathlib import Path
import re
import sys
from typing import Any

from playwright.sync_api import Page

# The run's own checks and helpers: e2e.py runs as the main module and imports this one.
e2e = sys.modules["__main__"]
setup_demo = e2e.setup_demo
BASE = e2e.BASE
WALKER = "demo_walker"
TRANSLATIONS = Path(__file__).parents[2] / "custom_components/backward_walking/translations"
CARD = "backward-walking-card"


def run(page: Page, token: str) -> None:
    """Every check of this module, each step cleaned up after, whatever failed in it."""
    steps: list[tuple[str, Callable[[], None]]] = [
        ("built-in figures", lambda: builtin_figures_on_the_minute(page, token)),
        ("check-in and emergency", lambda: check_in_and_emergency(page, token)),
        ("hold and refusal", lambda: hold_and_refusal(page, token)),
        ("read-only tablet", lambda: read_only_tablet(page, token)),
        ("German card", lambda: german_card(page, token)),
    ]
    for name, step in steps:
        try:
            step()
        except Exception as err:  # noqa: BLE001 - reported; the next step starts from a clean state
            e2e.results.append((f"card truth: {name}", "FAIL", repr(err)))
            print(f"FAIL card truth: {name}: {err!r}", flush=True)
            e2e.shot(page, f"failure-card-{name.replace(' ', '-')}")
        finally:
            clean_up(page, token)


# --- helpers ------------------------------------------------------------------------------------


def state(token: str, entity_id: str) -> dict[str, Any]:
    """An entity's state over the REST API."""
    found: dict[str, Any] = setup_demo.request(f"/api/states/{entity_id}", token=token)
    return found


def helper(token: str, name: str, on: bool) -> None:
    """Flip one of the demo hallway's helpers (the template sensors follow it)."""
    turn = "turn_on" if on else "turn_off"
    e2e.service(token, "input_boolean", turn, {"entity_id": f"input_boolean.{name}"})


def clean_up(page: Page, token: str) -> None:
    """No hazard, no check-in, no session, English: as the next part expects the demo."""
    for name in ("hallway_obstacle", "hallway_fall", "hallway_crossing_motion"):
        helper(token, name, False)
    helper(token, "hallway_walker_motion", True)
    check_in = state(token, f"sensor.{WALKER}_check_in")["state"]
    if check_in != "idle":
        ack = f"button.{WALKER}_acknowledge_check_in"  # the emergency, else the check-in
        e2e.service(token, "button", "press", {"entity_id": ack})
    if state(token, f"sensor.{WALKER}_session_state")["state"] in ("running", "paused"):
        e2e.service(token, "button", "press", {"entity_id": f"button.{WALKER}_stop_session"})
    page.evaluate("localStorage.removeItem('selectedLanguage')")


def open_card(page: Page, expected_state: str) -> None:
    """The walking dashboard, once its card shows the Demo Walker in ``expected_state``."""
    page.goto(f"{BASE}/lovelace/walking", wait_until="domcontentloaded")
    e2e.check(
        f"card truth: the card shows the Demo Walker ({expected_state})",
        lambda: (
            page.locator(f"{CARD} .name").first.inner_text(timeout=500) == "Demo Walker"
            and e2e.card_text(page, "state") == expected_state
        ),
        60,
    )


def click(page: Page, test_id: str) -> None:
    """Tap one of the card's elements, as a user does."""
    page.locator(f"{CARD} [data-testid={test_id}]").first.click()


def buttons(page: Page) -> list[str]:
    """The test ids of the card's buttons, in order."""
    found: list[str] = page.locator(f"{CARD} button").evaluate_all(
        "(nodes) => nodes.map((n) => n.dataset.testid)"
    )
    return found


def disabled(page: Page, test_id: str) -> bool:
    """Whether one of the card's buttons is disabled."""
    return bool(page.locator(f"{CARD} [data-testid={test_id}]").first.is_disabled(timeout=500))


def race_a_tap(page: Page, action: str) -> None:
    """A tap that meets a state changed a moment ago: the card's own command, as its button runs it."""
    card = e2e.deep(page, f"return el.tagName === '{CARD.upper()}'")
    assert card is not None
    card.evaluate("(card, action) => card._act(action, card._entities().device, true)", action)


def toasts(page: Page) -> str:
    """The text of Home Assistant's toasts on the page (the card never shows a refusal there)."""
    text: str = page.evaluate(
        """() => {
          const texts = [];
          const walk = (node) => {
            for (const child of node.children || []) {
              if (child.tagName === "HA-TOAST") texts.push(child.labelText || child.textContent || "");
              walk(child);
              if (child.shadowRoot) walk(child.shadowRoot);
            }
          };
          walk(document.body);
          return texts.join(" ");
        }"""
    )
    return text


def rows(page: Page) -> list[str]:
    """The texts of the built-in entity rows and gauges on the page."""
    found: list[str] = page.evaluate(
        """() => {
          const shown = [];
          const text = (el) => {
            const parts = [];
            const walk = (node) => {
              if (node.nodeType === 3) parts.push(node.textContent);
              for (const child of node.childNodes || []) walk(child);
              if (node.shadowRoot) walk(node.shadowRoot);
            };
            walk(el);
            return parts.join(" ").replace(/\\s+/g, " ").trim();
          };
          const walk = (node) => {
            for (const child of node.children || []) {
              const tag = child.tagName;
              if (tag.endsWith("-ENTITY-ROW") || tag === "HUI-GAUGE-CARD") shown.push(text(child));
              walk(child);
              if (child.shadowRoot) walk(child.shadowRoot);
            }
          };
          walk(document.body);
          return shown;
        }"""
    )
    return found


def row(page: Page, name: str) -> str:
    """The text of the built-in row or gauge called ``name``."""
    return next((text for text in rows(page) if name in text), "")


# --- 6. the built-in cards' figures change on the minute ------------------------------------------


def builtin_figures_on_the_minute(page: Page, token: str) -> None:
    """While walking, the built-in cards' minute figures change on the first whole minute."""
    e2e.service(token, "button", "press", {"entity_id": f"button.{WALKER}_start_session"})
    page.goto(f"{BASE}/dashboard-builtin/walker", wait_until="domcontentloaded")
    e2e.check(
        "built-in figures: the walk's figures are shown",
        lambda: bool(row(page, "Elapsed")) and bool(row(page, "Session progress")),
        60,
    )
    before = {name: row(page, name) for name in ("Elapsed", "Remaining", "Session progress")}
    print(f"     at the start: {before}", flush=True)
    e2e.check(
        "built-in figures: the elapsed minutes are written on the first whole minute",
        lambda: state(token, f"sensor.{WALKER}_elapsed")["state"] == "1.0",
        75,
    )
    session = state(token, f"sensor.{WALKER}_session_state")
    figures = {
        key: state(token, f"sensor.{WALKER}_{key}")
        for key in ("elapsed", "remaining", "progress", "minutes_today")
    }
    started = datetime.fromisoformat(session["attributes"]["started_at"])
    offsets = {
        key: (datetime.fromisoformat(s["last_updated"]) - started).total_seconds()
        for key, s in figures.items()
    }
    print(f"     written after {offsets} s", flush=True)
    e2e.check(
        "built-in figures: each minute figure was written on the minute, all together",
        lambda: all(59.5 <= offset <= 61.5 for offset in offsets.values()),
        1,
    )
    e2e.check(
        "built-in figures: elapsed, remaining and progress changed on the built-in cards",
        lambda: (
            all(row(page, name) != shown for name, shown in before.items())
            and re.search(r"(?<!\d)1(?!\d)", row(page, "Elapsed")) is not None
            and re.search(r"(?<!\d)9(?!\d)", row(page, "Remaining")) is not None
            and re.search(r"(?<!\d)10(?!\d)", row(page, "Session progress")) is not None
        ),
        10,
    )
    print(f"     after the first minute: {rows(page)}", flush=True)
    e2e.shot(page, "builtin-dashboard-minute")


# --- 1. and 2. the check-in counts down, the emergency says there are no contacts -----------------


def check_in_and_emergency(page: Page, token: str) -> None:
    """A fall asks with a countdown and says why; Need help says that nobody but HA was told."""
    open_card(page, "Stopped")
    click(page, "btn-start_session")
    e2e.check(
        "check-in: the walk started from the card",
        lambda: e2e.card_text(page, "state") == "Walking",
    )
    helper(token, "hallway_fall", True)
    e2e.check(
        "check-in: a fall asks and says why",
        lambda: (
            e2e.card_text(page, "check-in").startswith("Are you OK?")
            and e2e.card_text(page, "check-in-why") == "Possible fall (Hallway fall detector)"
        ),
    )
    countdown = re.compile(r"^No contacts set up: alert in Home Assistant in (\d):([0-5]\d)$")

    def seconds_left() -> int:
        found = countdown.match(e2e.card_text(page, "countdown"))
        assert found is not None, e2e.card_text(page, "countdown")
        return int(found[1]) * 60 + int(found[2])

    first = seconds_left()
    page.wait_for_timeout(2100)
    e2e.check(
        "check-in: the countdown to the alert counts down on the card",
        lambda: 0 < first - seconds_left() <= 3,
        3,
    )
    print(f"     shown: {e2e.card_text(page, 'countdown')}", flush=True)
    e2e.shot(page, "card-check-in")
    click(page, "btn-request_help")
    e2e.check(
        "emergency without contacts: the card says nobody but Home Assistant got the alert",
        lambda: (
            e2e.card_text(page, "check-in").startswith("Emergency")
            and e2e.card_text(page, "contacts")
            == "No contacts set up: the alert is in Home Assistant's notifications only"
            and e2e.card_text(page, "set-up-contacts") == "Set up emergency contacts"
            and "Asked for help" in e2e.card_text(page, "check-in-why")
        ),
    )
    e2e.check(
        "emergency: Need help is gone once the alert is raised, I'm on it is there",
        lambda: (
            "btn-request_help" not in buttons(page) and "btn-acknowledge_emergency" in buttons(page)
        ),
    )
    notices = setup_demo.websocket(token, {"type": "persistent_notification/get"})
    e2e.check(
        "emergency without contacts: Home Assistant's notification says so too",
        lambda: any(
            "No emergency contacts are set up" in re.sub(r"\\(.)", r"\1", n["message"])
            for n in notices
        ),
        1,
    )
    e2e.shot(page, "card-emergency")
    helper(token, "hallway_fall", False)
    click(page, "btn-acknowledge_emergency")
    e2e.check("emergency: I'm on it closes it", lambda: not e2e.card_text(page, "check-in"))


# --- 3., 4. and 5. the hold counts down, Resume waits, a refusal is said once and goes ------------


def hold_and_refusal(page: Page, token: str) -> None:
    """Resume waits for the path; a racing tap is refused in words, once; the hold counts."""
    open_card(page, "Stopped")
    click(page, "btn-start_session")
    e2e.check("hold: walking", lambda: e2e.card_text(page, "state") == "Walking")
    helper(token, "hallway_obstacle", True)
    e2e.check(
        "hold: the obstacle pauses, its reading is Home Assistant's, and Resume waits for the path",
        lambda: (
            e2e.card_text(page, "state") == "Paused"
            and e2e.card_text(page, "reasons").startswith("Obstacle (Hallway obstacle beam: ")
            and disabled(page, "btn-resume_session")
            and e2e.card_text(page, "blocked") == "Resume when the path is clear"
        ),
    )
    race_a_tap(page, "resume_session")
    e2e.check(
        "refusal: a tap that races the sensor is said in words, without Home Assistant's prefix",
        lambda: e2e.card_text(page, "error") == "Not possible: the path is not clear.",
    )
    e2e.check(
        "refusal: and not a second time in a toast", lambda: "not clear" not in toasts(page), 1
    )
    helper(token, "hallway_obstacle", False)
    e2e.check(
        "hold: the cleared obstacle counts its hold instead of showing 'on'",
        lambda: (
            re.fullmatch(
                r"Obstacle \(Hallway obstacle beam\): clearing… [0-5] s",
                e2e.card_text(page, "reasons"),
            )
            is not None
            and re.fullmatch(r"Resume possible in [0-5] s", e2e.card_text(page, "blocked"))
            is not None
        ),
        3,
    )
    print(
        f"     shown: {e2e.card_text(page, 'reasons')} / {e2e.card_text(page, 'blocked')}",
        flush=True,
    )
    e2e.shot(page, "card-clearing")
    e2e.check(
        "refusal: it goes once it is no longer true",
        lambda: not e2e.card_text(page, "error") and "Path: Clear" in e2e.card_text(page, "path"),
        12,
    )
    e2e.check("hold: Resume is offered again", lambda: not disabled(page, "btn-resume_session"))
    click(page, "btn-resume_session")
    e2e.check("hold: resumed from the card", lambda: e2e.card_text(page, "state") == "Walking")


# --- 8. the read-only wall tablet ---------------------------------------------------------------


def read_only_tablet(page: Page, token: str) -> None:
    """A read-only account sees Pause and Need help only, and both work for it."""
    e2e.service(token, "button", "press", {"entity_id": f"button.{WALKER}_start_session"})
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tablet = context.new_page()
    try:
        tablet.goto(BASE, wait_until="domcontentloaded")
        tablet.locator("input[name=username]").fill(setup_demo.TABLET_USERNAME, timeout=60_000)
        tablet.locator("input[name=password]").fill(setup_demo.TABLET_PASSWORD)
        tablet.keyboard.press("Enter")
        tablet.wait_for_url(f"{BASE}/lovelace/**", timeout=60_000)
        open_card(tablet, "Walking")
        e2e.check(
            "read-only tablet: while walking it is offered Pause and Need help only",
            lambda: buttons(tablet) == ["btn-pause_session", "btn-request_help"],
            10,
        )
        e2e.shot(tablet, "card-tablet")
        click(tablet, "btn-pause_session")
        e2e.check(
            "read-only tablet: its Pause works, and then only Need help is offered",
            lambda: (
                e2e.card_text(tablet, "state") == "Paused"
                and buttons(tablet) == ["btn-request_help"]
                and not e2e.card_text(tablet, "error")
            ),
        )
    finally:
        context.close()


# --- the German card ----------------------------------------------------------------------------


def english_words() -> list[str]:
    """What the card could show in English: its labels and the walker's states, where German differs."""
    english = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))
    german = json.loads((TRANSLATIONS / "de.json").read_text(encoding="utf-8"))
    pairs = [
        (v, german["common"][k]) for k, v in english["common"].items() if k.startswith("card_")
    ]
    for platform, entities in english["entity"].items():
        for key, entity in entities.items():
            for value_key, value in entity.get("state", {}).items():
                pairs.append((value, german["entity"][platform][key]["state"][value_key]))
    pieces = {
        piece.strip(" :.…()")
        for text, translated in pairs
        if text != translated
        for piece in re.split(r"\{\w+\}", text)
    }
    # Home Assistant's own words for the demo's sensors.
    pieces |= {"Detected", "Unavailable"}
    return sorted(p for p in pieces if len(p) >= 4)


def german_card(page: Page, token: str) -> None:
    """The German card: its reasons, hold, refusal and emergency without English."""
    open_card(page, "Stopped")
    click(page, "btn-start_session")
    e2e.check("German: walking", lambda: e2e.card_text(page, "state") == "Walking")
    page.evaluate("localStorage.setItem('selectedLanguage', JSON.stringify('de'))")
    page.reload(wait_until="domcontentloaded")
    helper(token, "hallway_obstacle", True)
    words = english_words()

    def english_on_card() -> list[str]:
        text = page.locator(CARD).first.inner_text(timeout=500)
        return [word for word in words if word in text]

    e2e.check(
        "German: the paused card, its reasons and Resume's wait are German",
        lambda: (
            e2e.card_text(page, "state") == "Pausiert"
            and e2e.card_text(page, "reasons").startswith("Hindernis (Hallway obstacle beam: ")
            and e2e.card_text(page, "blocked") == "Weiter, sobald der Weg frei ist"
        ),
        60,
    )
    race_a_tap(page, "resume_session")
    e2e.check(
        "German: a refusal is German",
        lambda: e2e.card_text(page, "error") == "Nicht möglich: Der Weg ist nicht frei.",
    )
    e2e.check("German: no English on the card with a refusal", lambda: not english_on_card(), 2)
    helper(token, "hallway_obstacle", False)
    e2e.check(
        "German: the hold counts in German",
        lambda: re.search(r"wird frei … [0-5] s", e2e.card_text(page, "reasons")) is not None,
        3,
    )
    e2e.check("German: no English while the hold counts", lambda: not english_on_card(), 2)
    e2e.shot(page, "card-de-clearing")
    click(page, "btn-request_help")
    e2e.check(
        "German: the emergency without contacts is German",
        lambda: (
            e2e.card_text(page, "check-in").startswith("Notfall")
            and e2e.card_text(page, "contacts").startswith("Keine Kontakte eingerichtet")
        ),
    )
    e2e.check("German: no English on the emergency", lambda: not english_on_card(), 2)
    print(f"     English on the card: {english_on_card() or 'none'}", flush=True)
    e2e.shot(page, "card-de-emergency")
    click(page, "btn-acknowledge_emergency")
    e2e.check("German: Ich kümmere mich closes it", lambda: not e2e.card_text(page, "check-in"))
