"""The end-to-end run: log in with a real browser, walk through a session on the card, trip a hazard.

Started by scripts/e2e with Home Assistant already starting. Prints one line per check and a closing
'N passed, N failed' line; exits non-zero when anything failed.
"""

from __future__ import annotations

from collections.abc import Callable
import os
from pathlib import Path
import sys
import time
from typing import Any

from playwright.sync_api import ConsoleMessage, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
import setup_demo

BASE = setup_demo.BASE
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "artifacts/e2e"))
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
results: list[tuple[str, bool, str]] = []


def check(name: str, condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    """Wait up to ``seconds`` for ``condition``; record and print the outcome."""
    deadline = time.monotonic() + seconds
    detail = ""
    while True:
        try:
            if condition():
                results.append((name, True, ""))
                print(f"PASS {name}", flush=True)
                return True
        except Exception as err:
            detail = repr(err)
        if time.monotonic() > deadline:
            results.append((name, False, detail))
            print(f"FAIL {name} {detail}", flush=True)
            return False
        time.sleep(0.05)


def card_text(page: Page, test_id: str) -> str:
    """Text of an element of the card (Playwright's CSS selectors pierce the shadow roots)."""
    locator = page.locator(f"backward-walking-card [data-testid={test_id}]")
    return locator.first.inner_text(timeout=500) if locator.count() else ""


def service(token: str, domain: str, name: str, data: dict[str, Any]) -> None:
    """Call a Home Assistant action over the REST API, as any other client would."""
    setup_demo.request(f"/api/services/{domain}/{name}", data, token)


def shot(page: Page, name: str) -> None:
    """Save a screenshot as a test artefact."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page) -> None:
    """Log in through Home Assistant's own login page."""
    page.goto(BASE, wait_until="domcontentloaded")
    page.locator("input[name=username]").fill(setup_demo.USERNAME, timeout=60_000)
    page.locator("input[name=password]").fill(setup_demo.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{BASE}/lovelace/**", timeout=60_000)


def card_walkthrough(page: Page, token: str) -> None:
    """Idle and clear → start from the card → obstacle pauses within 2 s → clear → resume → stop."""
    page.goto(f"{BASE}/lovelace/walking", wait_until="domcontentloaded")
    check("card shows the walker idle", lambda: card_text(page, "state") == "Ready", 60)
    check("card shows the path clear", lambda: "Path clear" in card_text(page, "path"))
    shot(page, "card-idle")
    page.locator("backward-walking-card [data-testid=btn-start_session]").click()
    check("start from the card runs the session", lambda: card_text(page, "state") == "Walking")
    check("card shows the phase", lambda: card_text(page, "phase") in ("Backward", "Forward"))
    service(token, "input_boolean", "turn_on", {"entity_id": "input_boolean.hallway_obstacle"})
    tripped = time.monotonic()
    paused = check(
        "obstacle pauses the session on the card within 2 s",
        lambda: (
            card_text(page, "state") == "Paused"
            and card_text(page, "pause-reason") == "hazard on the path"
        ),
        2.0,
    )
    if paused:
        print(f"     shown after {time.monotonic() - tripped:.2f} s", flush=True)
    check("card lists the reason", lambda: "something is in the way" in card_text(page, "reasons"))
    shot(page, "card-paused-hazard")
    service(token, "input_boolean", "turn_off", {"entity_id": "input_boolean.hallway_obstacle"})
    check(
        "path clear again after the hold time", lambda: "Path clear" in card_text(page, "path"), 15
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


def builtin_dashboard(page: Page, errors: list[str]) -> None:
    """The dashboard of built-in cards renders, without errors in the browser console."""
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
    check("no errors in the browser console", lambda: not errors, 1)
    for error in errors:
        print(f"     console: {error}", flush=True)


def main() -> int:
    """Run every check; the exit status says whether all passed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    setup_demo.wait_until_up()
    token = setup_demo.onboard_or_login()
    setup_demo.ensure_walker(token)
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
            card_walkthrough(page, token)
            builtin_dashboard(page, errors)
        except Exception as err:
            results.append(("browser run", False, repr(err)))
            print(f"FAIL browser run {err!r}", flush=True)
            shot(page, "failure")
        browser.close()
    passed = sum(ok for _, ok, _ in results)
    failed = len(results) - passed
    print(f"\ne2e: {passed} passed, {failed} failed (screenshots in {ARTIFACTS})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
