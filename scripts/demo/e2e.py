"""The end-to-end run in a real browser, on Home Assistant 2025.4 or the newest release.

Started by scripts/e2e on the second start of the demo (setup_demo.py has run twice). Checks that the
second start kept one of each walker; logs in; walks through a session on the card and trips a hazard;
adds a walker in Settings and makes the safety step refuse a value; chooses the second walker in the
card's editor; renders the built-in cards. Prints one line per check and a closing summary; exits
non-zero when a check failed.

Checks named in E2E_XFAIL (comma-separated ids) are expected to fail: a failure prints XFAIL with the
reason and does not fail the run; a pass prints XPASS, asking to take the id out of E2E_XFAIL.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
import os
from pathlib import Path
import random
import re
import sys
import time
from typing import Any

from playwright.sync_api import ConsoleMessage, ElementHandle, Error, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
import setup_demo

BASE = setup_demo.BASE
HA = os.environ.get("E2E_HA", "pinned")
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "artifacts/e2e"))
XFAIL = {name.strip() for name in os.environ.get("E2E_XFAIL", "").split(",") if name.strip()}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CLOCK = re.compile(r"^\d+:\d\d$")  # m:ss
results: list[tuple[str, str, str]] = []  # name, PASS/FAIL/XFAIL/XPASS, detail


def check(name: str, condition: Callable[[], bool], seconds: float = 10.0, xfail: str = "") -> bool:
    """Wait up to ``seconds`` for ``condition``; record and print the outcome.

    ``xfail`` is the check's id for E2E_XFAIL.
    """
    expected_failure = xfail in XFAIL
    deadline = time.monotonic() + seconds
    detail = ""
    while True:
        try:
            if condition():
                outcome = "XPASS" if expected_failure else "PASS"
                results.append((name, outcome, ""))
                note = f"  (take {xfail!r} out of E2E_XFAIL)" if expected_failure else ""
                print(f"{outcome} {name}{note}", flush=True)
                return True
        except Exception as err:  # noqa: BLE001 - whatever a check raises, it is not met yet
            detail = repr(err)
        if time.monotonic() > deadline:
            outcome = "XFAIL" if expected_failure else "FAIL"
            note = f"  (expected: {xfail!r} is in E2E_XFAIL)" if expected_failure else ""
            results.append((name, outcome, detail))
            print(f"{outcome} {name} {detail}{note}", flush=True)
            return False
        time.sleep(0.05)


def card_text(page: Page, test_id: str) -> str:
    """Text of an element of the card (Playwright's CSS selectors pierce the shadow roots)."""
    locator = page.locator(f"backward-walking-card [data-testid={test_id}]")
    return locator.first.inner_text(timeout=500) if locator.count() else ""


def counts_by_itself(page: Page, token: str) -> bool:
    """Four seconds of the card's elapsed time go up one second a second, with no state written."""

    def written() -> list[str]:
        ids = ("sensor.demo_walker_elapsed", "sensor.demo_walker_session_state")
        return [setup_demo.request(f"/api/states/{i}", token=token)["last_updated"] for i in ids]

    before = written()
    seconds = []
    for _ in range(5):
        minutes, secs = card_text(page, "elapsed").split(":")
        seconds.append(int(minutes) * 60 + int(secs))
        page.wait_for_timeout(1000)
    steps = [after - earlier for earlier, after in pairwise(seconds)]
    print(f"     elapsed seconds shown: {seconds}", flush=True)
    return written() == before and sum(steps) in (3, 4, 5) and all(0 <= s <= 2 for s in steps)


def service(token: str, domain: str, name: str, data: dict[str, Any]) -> None:
    """Call a Home Assistant action over the REST API, as any other client would."""
    setup_demo.request(f"/api/services/{domain}/{name}", data, token)


def shot(page: Page, name: str) -> None:
    """Save a screenshot as a test artefact."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def deep(page: Page, script: str, *args: Any) -> ElementHandle | None:
    """The element a predicate finds anywhere in the page, shadow roots included.

    ``script`` is the body of ``(el, args) => boolean``.
    """
    handle = page.evaluate_handle(
        """([body, args]) => {
          const test = new Function("el", "args", body);
          const walk = (node) => {
            for (const child of node.children || []) {
              if (test(child, args)) return child;
              const found = walk(child) || (child.shadowRoot && walk(child.shadowRoot));
              if (found) return found;
            }
            return null;
          };
          return walk(document.body);
        }""",
        [script, list(args)],
    )
    return handle.as_element()


def inside(element: ElementHandle, selector: str, seconds: float = 10.0) -> ElementHandle:
    """The first element matching ``selector`` in ``element``, through its shadow roots, once shown."""
    deadline = time.monotonic() + seconds
    while True:
        found = element.evaluate_handle(
            """(root, selector) => {
              const walk = (node) => {
                for (const child of node.children || []) {
                  if (child.matches(selector)) return child;
                  const found = walk(child) || (child.shadowRoot && walk(child.shadowRoot));
                  if (found) return found;
                }
                return null;
              };
              return (root.shadowRoot && walk(root.shadowRoot)) || walk(root);
            }""",
            selector,
        ).as_element()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise LookupError(f"no {selector} inside")
        time.sleep(0.1)


FOCUSED_INPUT_JS = """() => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) {
    active = active.shadowRoot.activeElement;
  }
  return !!active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA");
}"""


def form_field(page: Page, name: str, seconds: float = 15.0) -> ElementHandle:
    """The ha-selector of a form field (a config flow step, a card editor) by its key, once shown."""
    deadline = time.monotonic() + seconds
    while True:
        field = deep(page, "return el.tagName === 'HA-SELECTOR' && el.name === args[0];", name)
        if field is not None:
            return field
        if time.monotonic() > deadline:
            raise LookupError(f"no form field {name}")
        page.wait_for_timeout(100)


def pick(page: Page, field: ElementHandle, text: str) -> None:
    """Choose ``text`` in an entity or device picker as a user does: open, type, click the option.

    2025.4 has a combo box with an input; newer releases a picker field that opens a search list.
    """
    opener = field.evaluate_handle(
        """(root) => {
          const walk = (node) => {
            for (const child of node.children || []) {
              if (child.tagName === "HA-PICKER-FIELD" || child.tagName === "INPUT") return child;
              const found = (child.shadowRoot && walk(child.shadowRoot)) || walk(child);
              if (found) return found;
            }
            return null;
          };
          return walk(root.shadowRoot || root);
        }"""
    ).as_element()
    if opener is None:
        raise LookupError(f"no picker to choose {text}")
    opener.click()
    # Type only once the picker's search field has the focus: typed into the page, an "a" opens
    # Home Assistant's Assist dialog (a keyboard shortcut), which then hides the form.
    for _ in range(50):
        if page.evaluate(FOCUSED_INPUT_JS):
            break
        page.wait_for_timeout(100)
    else:
        raise LookupError(f"the picker for {text} took no focus")
    page.keyboard.type(text)
    option = page.get_by_role("option", name=text).first
    try:
        option.click(timeout=5_000)
    except Error:
        page.keyboard.press("Enter")  # a list without option roles: the search's first hit
    page.wait_for_timeout(300)


def log_in(page: Page) -> None:
    """Log in through Home Assistant's own login page."""
    page.goto(BASE, wait_until="domcontentloaded")
    page.locator("input[name=username]").fill(setup_demo.USERNAME, timeout=60_000)
    page.locator("input[name=password]").fill(setup_demo.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{BASE}/lovelace/**", timeout=60_000)


def second_start(token: str) -> None:
    """setup_demo.py ran on both starts (as scripts/develop run twice): one of each walker, in order."""
    check(
        "second start: onboarding is over and the set-up logged in instead",
        lambda: all((setup_demo.onboarding_steps() or {"user": True}).values()),
    )
    check(
        "second start: both walkers once, Demo Walker first",
        lambda: setup_demo.walker_titles(token) == ["Demo Walker", "Second Walker"],
    )


def card_walkthrough(page: Page, token: str) -> None:
    """Idle and clear → start from the card → obstacle pauses within 2 s → clear → resume → stop."""
    page.goto(f"{BASE}/lovelace/walking", wait_until="domcontentloaded")
    check("card shows the walker idle", lambda: card_text(page, "state") == "Ready", 60)
    check("card shows the path clear", lambda: "Path: Clear" in card_text(page, "path"))
    check(
        "idle card shows the session length (10 min, as m:ss)",
        lambda: card_text(page, "session-length").split() == ["10:00", "session", "length"],
    )
    page.wait_for_timeout(1000)  # the other card's icons load after the page
    shot(page, "card-idle")
    page.locator("backward-walking-card [data-testid=btn-start_session]").click()
    check("start from the card runs the session", lambda: card_text(page, "state") == "Walking")
    check("card shows the phase", lambda: card_text(page, "phase") in ("Backward", "Forward"))
    check(
        "minutes are shown as m:ss and count on between updates",
        lambda: (
            CLOCK.match(card_text(page, "elapsed")) is not None
            and card_text(page, "elapsed") not in ("0:00", "0:01")
            and CLOCK.match(card_text(page, "remaining").split()[0]) is not None
            and CLOCK.match(card_text(page, "phase-left").split()[0]) is not None
        ),
    )
    check(
        "the time counts every second while the walker's minutes are not rewritten",
        lambda: counts_by_itself(page, token),
        15,
    )
    service(token, "input_boolean", "turn_on", {"entity_id": "input_boolean.hallway_obstacle"})
    tripped = time.monotonic()
    paused = check(
        "obstacle pauses the session on the card within 2 s",
        lambda: (
            card_text(page, "state") == "Paused"
            and card_text(page, "pause-reason") == "Hazard on the path"
        ),
        2.0,
    )
    if paused:
        print(f"     shown after {time.monotonic() - tripped:.2f} s", flush=True)
    check("card lists the reason", lambda: "Obstacle (" in card_text(page, "reasons"))
    shot(page, "card-paused-hazard")
    service(token, "input_boolean", "turn_off", {"entity_id": "input_boolean.hallway_obstacle"})
    check(
        "path clear again after the hold time", lambda: "Path: Clear" in card_text(page, "path"), 15
    )
    page.locator("backward-walking-card [data-testid=btn-resume_session]").click()
    check("resume from the card", lambda: card_text(page, "state") == "Walking")
    shot(page, "card-walking")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "card-phone")
    page.emulate_media(color_scheme="dark")  # the default theme follows the system's dark mode
    check(
        "card follows the dark theme",
        lambda: (
            page.evaluate(
                "getComputedStyle(document.querySelector('home-assistant').shadowRoot"
                ".querySelector('home-assistant-main')).getPropertyValue('--primary-background-color')"
            )
            .strip()
            .lower()
            not in ("", "#fafafa")
        ),
    )
    page.wait_for_timeout(1500)  # the theme change fades in
    shot(page, "card-phone-dark")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("backward-walking-card [data-testid=btn-stop_session]").click()
    check("stop from the card", lambda: card_text(page, "state") == "Stopped")


def form_error_keeps_input(page: Page) -> None:
    """A form error that keeps the other fields, in the set-up as a user starts it.

    Settings → Devices & services → Add integration → Backward Walking; a distance of 5 cm is refused
    in the safety step, and the sensors picked and the hallway's name are still there.
    """
    page.set_viewport_size({"width": 1280, "height": 1600})  # the whole step in the screenshots
    page.goto(f"{BASE}/config/integrations/dashboard", wait_until="domcontentloaded")
    page.get_by_role("button", name=re.compile("add integration", re.I)).click(timeout=60_000)
    page.wait_for_timeout(1000)
    page.keyboard.type("Backward Walking")
    page.get_by_text("Backward Walking", exact=True).last.click()
    name = f"Form Check {random.randint(1000, 9999)}"
    inside(form_field(page, "name"), "input").fill(name)
    page.get_by_role("button", name="Submit").click()
    check(
        "the set-up asks for the hallway's sensors", lambda: bool(form_field(page, "min_distance"))
    )
    picks = {
        "obstacle_sensors": ("Hallway obstacle beam", "binary_sensor.hallway_obstacle_beam"),
        "distance_sensors": ("Hallway free distance", "sensor.hallway_free_distance"),
        "light_sensors": ("Hallway light level", "sensor.hallway_light_level"),
    }
    for key, (label, _) in picks.items():
        pick(page, form_field(page, key), label)
    inside(form_field(page, "min_distance"), "input").fill("5")
    inside(form_field(page, "hallway"), "input").fill("upstairs hallway")
    shot(page, "flow-safety-filled")
    page.get_by_role("button", name="Submit").click()

    def values() -> dict[str, Any]:
        return {
            key: form_field(page, key).evaluate("(el) => el.value") for key in [*picks, "hallway"]
        }

    check(
        "a distance of 5 cm is refused with a message",
        page.locator("dialog-data-entry-flow")
        .get_by_text(re.compile("distance between", re.I))
        .first.is_visible,
    )
    check(
        "the refused form keeps the sensors picked and the hallway's name",
        lambda: (
            values()
            == {
                **{key: [entity_id] for key, (_, entity_id) in picks.items()},
                "hallway": "upstairs hallway",
            }
        ),
        3,
        xfail="form-keeps-input",
    )
    print(f"     the form now holds {values()}", flush=True)
    shot(page, "flow-form-error")
    page.keyboard.press("Escape")  # closing the dialog ends the flow: no third walker
    page.set_viewport_size({"width": 1280, "height": 900})


def editor_picks_second_walker(page: Page, token: str) -> None:
    """Edit the card, choose Second Walker in its editor, save: the card shows that walker."""
    page.goto(f"{BASE}/lovelace/walking?edit=1", wait_until="domcontentloaded")
    options = page.locator("hui-card-options").first
    options.get_by_role("button", name=re.compile("^edit$", re.I)).click(timeout=60_000)
    check(
        "the card's editor offers a walker picker",
        lambda: form_field(page, "device_id").evaluate("(el) => el.offsetHeight > 0"),
        20,
    )
    pick(page, form_field(page, "device_id"), "Second Walker")
    shot(page, "card-editor")
    page.get_by_role("button", name=re.compile("^save$", re.I)).click()

    def card_name() -> str:
        return page.locator("backward-walking-card .name").first.inner_text(timeout=500)

    check(
        "the saved card shows the walker chosen in the editor",
        lambda: card_name() == "Second Walker",
    )
    page.wait_for_timeout(500)  # the dashboard leaves its editor's state before the next page
    page.goto(f"{BASE}/lovelace/walking", wait_until="domcontentloaded")
    check("after a reload too", lambda: card_name() == "Second Walker", 30)
    check(
        "its idle card shows its session length (12 min)",
        lambda: card_text(page, "session-length").split()[0] == "12:00",
    )
    page.locator("backward-walking-card [data-testid=btn-start_session]").click()
    check("Second Walker walks", lambda: card_text(page, "state") == "Walking")
    check(
        "'Backward only' shows no phase countdown",
        lambda: (
            not card_text(page, "phase")
            and CLOCK.match(card_text(page, "remaining").split()[0]) is not None
        ),
    )
    shot(page, "card-backward-only")
    service(token, "backward_walking", "stop_session", {"device_id": device_id(page)})
    check("Second Walker stopped", lambda: card_text(page, "state") == "Stopped")


def device_id(page: Page) -> str:
    """The device the card shows, from the frontend's own registry copy."""
    return str(
        page.evaluate(
            "document.querySelector('home-assistant').hass"
            ".entities['sensor.second_walker_session_state'].device_id"
        )
    )


def device_page(page: Page) -> None:
    """The walker's device page, where Home Assistant shows the integration's logo (2026.3+)."""
    device = page.evaluate(
        "document.querySelector('home-assistant').hass"
        ".entities['sensor.demo_walker_session_state'].device_id"
    )
    page.goto(f"{BASE}/config/devices/device/{device}", wait_until="domcontentloaded")
    check(
        "the device page shows the walker",
        page.get_by_text("Demo Walker").first.is_visible,
        30,
    )
    logo = page.locator("img[src*='logo']").first
    if HA == "latest":
        check("the device page shows the integration's logo", logo.is_visible, 10)
    page.wait_for_timeout(1000)
    if HA == "latest" and logo.count():
        size = logo.evaluate("(el) => [el.clientWidth, el.clientHeight]")
        print(f"     logo shown at {size[0]} × {size[1]} px", flush=True)
    page.screenshot(path=str(ARTIFACTS / "device-page.png"))


def builtin_dashboard(page: Page, errors: list[str], token: str) -> None:
    """The dashboard of built-in cards renders, without errors in the browser console.

    While walking it shows when the session ends, counted by the frontend.
    """
    errors.clear()
    page.goto(f"{BASE}/dashboard-builtin/walker", wait_until="domcontentloaded")
    check(
        "built-in dashboard renders its cards",
        lambda: (
            page.locator("hui-tile-card").count() >= 2
            and page.locator("hui-gauge-card").count() >= 2
        ),
        60,
    )
    page.wait_for_timeout(3000)
    shot(page, "builtin-dashboard")
    service(token, "button", "press", {"entity_id": "button.demo_walker_start_session"})

    def session_ends() -> str:
        row = deep(page, "return el.tagName === 'HUI-ATTRIBUTE-ROW'")
        if row is None:
            return "(no row)"
        text: str = row.evaluate(
            """(el) => {
              const texts = [];
              const walk = (node) => {
                if (node.nodeType === 3) texts.push(node.textContent);
                for (const child of node.childNodes || []) walk(child);
                if (node.shadowRoot) walk(node.shadowRoot);
              };
              walk(el);
              return texts.join(" ").replace(/\\s+/g, " ").trim();
            }"""
        )
        return text

    check(
        "while walking it shows when the session ends (in 10 minutes)",
        lambda: (
            "Session ends" in session_ends()
            and re.search(r"\bin (9|10) minutes\b", session_ends(), re.I) is not None
        ),
        15,
    )
    print(f"     shown: {session_ends()}", flush=True)
    shot(page, "builtin-dashboard-walking")
    service(token, "button", "press", {"entity_id": "button.demo_walker_stop_session"})
    check("no errors in the browser console", lambda: not errors, 1)
    for error in errors:
        print(f"     console: {error}", flush=True)


def card_in_german(page: Page) -> None:
    """The card for a user who chose German: Home Assistant's state texts and the card's labels."""
    page.goto(f"{BASE}/lovelace/walking", wait_until="domcontentloaded")
    page.evaluate("localStorage.setItem('selectedLanguage', JSON.stringify('de'))")
    try:
        page.reload(wait_until="domcontentloaded")
        check(
            "card in German: the state from Home Assistant, the labels from de.json",
            lambda: (
                card_text(page, "state") in ("Bereit", "Beendet", "Abgeschlossen")
                and card_text(page, "path").startswith("Weg: ")
                and "Heute" in page.locator("backward-walking-card .stats").first.inner_text()
            ),
            60,
        )
        page.wait_for_timeout(1000)
        shot(page, "card-de")
    finally:
        page.evaluate("localStorage.removeItem('selectedLanguage')")


def main() -> int:
    """Run every check; the exit status says whether all passed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    setup_demo.wait_until_up()
    token = setup_demo.onboard_or_login()
    version = setup_demo.request("/api/config", token=token)["version"]
    print(f"e2e: Home Assistant {version} ({HA}) at {BASE}", flush=True)
    (ARTIFACTS / "version").write_text(f"Home Assistant {version}\n")
    second_start(token)
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            log_in(page)
            parts: list[Callable[[], None]] = [
                lambda: card_walkthrough(page, token),
                lambda: __import__("e2e_card").run(page, token),
                lambda: form_error_keeps_input(page),
                lambda: editor_picks_second_walker(page, token),
                lambda: device_page(page),
                lambda: builtin_dashboard(page, errors, token),
                lambda: card_in_german(page),
                lambda: __import__("e2e_voice").run(page, token),
                lambda: __import__("e2e_family").family(page, token),
                lambda: __import__("e2e_coaching").run(page, token, sys.modules[__name__]),
            ]
        except Exception as err:  # noqa: BLE001 - any failure to log in is reported, not raised
            results.append(("log in", "FAIL", repr(err)))
            print(f"FAIL log in {err!r}", flush=True)
            shot(page, "failure-log-in")
            parts = []
        for number, part in enumerate(parts, 1):
            page.set_viewport_size({"width": 1280, "height": 900})
            try:
                part()
            except Exception as err:  # noqa: BLE001 - reported; the next part starts from a fresh page
                results.append((f"browser run, part {number}", "FAIL", repr(err)))
                print(f"FAIL browser run, part {number}: {err!r}", flush=True)
                shot(page, f"failure-{number}")
        browser.close()
    counts = {outcome: sum(r[1] == outcome for r in results) for outcome in ("PASS", "FAIL")}
    expected = [name for name, outcome, _ in results if outcome == "XFAIL"]
    unexpected = [name for name, outcome, _ in results if outcome == "XPASS"]
    print(
        f"\ne2e ({HA}, Home Assistant {version}): {counts['PASS']} passed, {counts['FAIL']} failed, "
        f"{len(expected)} expected failures, {len(unexpected)} unexpected passes "
        f"(screenshots in {ARTIFACTS})"
    )
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
