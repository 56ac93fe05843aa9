"""The browser run's voice part: Assist's own dialog pauses the demo walker and says how long is left.

Run as a part of scripts/demo/e2e.py (its ``check``, ``shot`` and ``service`` record into that run).
While Demo Walker walks, "Pause my walk" is typed into Home Assistant's Assist dialog (the top
bar's Assist button, else the "a" shortcut), as the demo user, whose person is Demo Walker's; the
walker must be paused and the answer shown. Then "resume my walk", and "how long is left": the
time in the answer must be the time the session has left.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
import re
import sys
from types import ModuleType
from typing import Any

from playwright.sync_api import Locator, Page
import setup_demo

STATE = "sensor.demo_walker_session_state"
DIALOG = "ha-voice-command-dialog"
# The answer's text: newer releases render it with <ha-markdown>, whose text is in its shadow root.
TEXT_JS = """(el) => {
  const markdown = el.querySelector("ha-markdown");
  return (markdown && markdown.shadowRoot ? markdown.shadowRoot : el).textContent;
}"""
SAID_TIME = re.compile(r"(?:(\d+) minutes?)?(?: and )?(?:(\d+) seconds?)? left")


def _e2e() -> ModuleType:
    """The running e2e.py: its checks count in its summary."""
    return sys.modules["__main__"]


def walker_state(token: str) -> dict[str, Any]:
    """Demo Walker's session state, over the REST API."""
    state: dict[str, Any] = setup_demo.request(f"/api/states/{STATE}", token=token)
    return state


def open_assist(page: Page) -> None:
    """Open Assist as a user does: the top bar's button, or the keyboard shortcut "a"."""
    # "Assist", or "Assist (A)" with the shortcut (and not "Search Home Assistant").
    # The shortcut needs the frontend's whole state (its components), not only the page.
    page.wait_for_function(
        """() => { const ha = document.querySelector('home-assistant');
          return !!(ha && ha.hass && ha.hass.config && ha.hass.config.components
            && ha.hass.config.components.length); }""",
        timeout=30_000,
    )
    button = page.get_by_role("button", name=re.compile(r"^Assist\b"))
    if button.count():
        button.first.click()
    else:
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.keyboard.press("a")
    page.locator(f"{DIALOG} input").first.wait_for(timeout=15_000)


def answers(page: Page) -> Locator:
    """Assist's answers in the dialog, oldest first."""
    return page.locator(f"{DIALOG} .message.hass")


def say(page: Page, text: str) -> Callable[[], str]:
    """Type ``text`` into Assist and send it; returns what reads the answer to it (once there)."""
    before = answers(page).count()
    field = page.locator(f"{DIALOG} input").first
    field.fill(text)
    field.press("Enter")

    def answer() -> str:
        found = answers(page)
        if found.count() <= before:
            return ""
        text: str = found.nth(before).evaluate(TEXT_JS)
        return " ".join(text.split()).removesuffix("…")

    return answer


def seconds_said(answer: str) -> int | None:
    """The time left an answer says: '9 minutes and 50 seconds left' → 590."""
    match = SAID_TIME.search(answer)
    if match is None or not any(match.groups()):
        return None
    minutes, seconds = (int(part or 0) for part in match.groups())
    return minutes * 60 + seconds


def seconds_left(token: str) -> float:
    """What the session has left now, from when it ends (while walking)."""
    ends_at = datetime.fromisoformat(walker_state(token)["attributes"]["ends_at"])
    return (ends_at - datetime.now(UTC)).total_seconds()


def run(page: Page, token: str) -> None:
    """Pause, resume and ask how long is left, by typing into Assist while Demo Walker walks."""
    e2e = _e2e()
    check, service = e2e.check, e2e.service
    # Demo Walker's own dashboard behind the dialog: its state shows in the screenshots.
    page.goto(f"{setup_demo.BASE}/dashboard-builtin/walker", wait_until="domcontentloaded")
    service(token, "button", "press", {"entity_id": "button.demo_walker_start_session"})
    check("voice: Demo Walker walks", lambda: walker_state(token)["state"] == "running", 15)
    try:
        _converse(page, token, e2e)
    finally:
        # Also after a failure: the next parts start their own sessions.
        if walker_state(token)["state"] in ("running", "paused"):
            service(token, "backward_walking", "stop_session", {"device_id": _device(page)})
    check("voice: Demo Walker stopped", lambda: walker_state(token)["state"] == "stopped", 15)


def _converse(page: Page, token: str, e2e: ModuleType) -> None:
    """Pause, resume and how long is left, typed into Assist."""
    check, shot = e2e.check, e2e.shot
    open_assist(page)
    shot(page, "assist-open")
    paused = say(page, "Pause my walk")
    check(
        "voice: 'Pause my walk' typed into Assist pauses Demo Walker",
        lambda: (
            walker_state(token)["state"] == "paused"
            and walker_state(token)["attributes"]["pause_reason"] == "user"
        ),
        15,
    )
    check(
        "voice: Assist shows the answer",
        lambda: paused().startswith("Demo Walker, your walk is paused."),
        10,
    )
    print(f"     answered: {paused()}", flush=True)
    shot(page, "assist-paused")
    resumed = say(page, "resume my walk")
    check(
        "voice: 'resume my walk' resumes",
        lambda: walker_state(token)["state"] == "running",
        15,
    )
    check("voice: … and says so", lambda: "your walk goes on" in resumed(), 10)
    page.wait_for_timeout(2000)  # a little time passes, so the answer is worked out, not copied
    how_long = say(page, "how long is left")
    check(
        "voice: 'how long is left' answers with the session's time left (±3 s)",
        lambda: (
            (said := seconds_said(how_long())) is not None and abs(said - seconds_left(token)) <= 3
        ),
        10,
    )
    print(f"     answered: {how_long()}; left: {seconds_left(token):.0f} s", flush=True)
    shot(page, "assist-how-long")
    page.keyboard.press("Escape")


def _device(page: Page) -> str:
    return str(
        page.evaluate(
            f"document.querySelector('home-assistant').hass.entities['{STATE}'].device_id"
        )
    )
