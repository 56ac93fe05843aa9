"""The browser run's spoken coaching: a short interval session followed by ear on the demo speaker.

The demo speaker (demo_speaker/) keeps the messages it is asked to say in its ``spoken`` attribute,
so the run checks what the walker heard, in order: the start, each change announced ahead and at its
moment, a hazard in the middle spoken before the resume, and the completion; then once more in
German, with Home Assistant's language switched for that session. The card is photographed while it
is being coached.

The session is Demo Walker's own program of seconds, *Hallway demo* (F20s B20s F20s), for one
minute: the browser waits in real time, and a minute is what it can afford. The 12-minute 5/1
session is followed in pytest on a frozen clock (tests/test_coaching.py).
"""

from __future__ import annotations

import re
from types import ModuleType

from playwright.sync_api import Page
import setup_demo

SPEAKER = "media_player.hallway_speaker"
WALKER = "Demo Walker"
VOICE_CUES = "select.demo_walker_voice_cues"
ENGLISH = [
    "Walk forward for 20 seconds.",
    "In 5 seconds: turn around.",
    "Turn around: backward for 20 seconds.",
    f"{WALKER}, stop and stand still. ",  # the hazard, spoken at once
    "Go on: backward, ",  # the resume
    "In 5 seconds: turn around.",
    "Turn around: forward for 20 seconds.",
    f"Well done, {WALKER}. The session is complete.",
]
HASS_READY = "() => !!document.querySelector('home-assistant')?.hass?.connection"
# Said once the path is clear, unless it was said less than a minute ago (one message a minute).
PATH_CLEAR = f"The path behind {WALKER} is clear again. "
GERMAN = [
    "Geh 20 Sekunden vorwärts.",
    "In 5 Sekunden: umdrehen.",
    "Dreh dich um: 20 Sekunden rückwärts.",
    "In 5 Sekunden: umdrehen.",
    "Dreh dich um: 20 Sekunden vorwärts.",
    f"Gut gemacht, {WALKER}. Die Einheit ist geschafft.",
]


def heard(token: str) -> list[str]:
    """Everything the demo speaker was asked to say, oldest first."""
    speaker = setup_demo.request(f"/api/states/{SPEAKER}", token=token)
    return list(speaker["attributes"].get("spoken", []))


def in_order(said: list[str], expected: list[str]) -> bool:
    """``said`` is ``expected``, each said text starting with its expected words."""
    if len(said) != len(expected):
        return False
    return all(text.startswith(words) for text, words in zip(said, expected, strict=True))


def run(page: Page, token: str, e2e: ModuleType) -> None:
    """English with a hazard in the middle, then German; Home Assistant speaks English after."""
    entries = setup_demo.request(
        "/api/config/config_entries/entry?domain=backward_walking", token=token
    )
    entry_id = next(e["entry_id"] for e in entries if e["title"] == WALKER)
    e2e.check(
        "the walker with a speaker is coached on the direction changes (not chosen yet)",
        lambda: setup_demo.request(f"/api/states/{VOICE_CUES}", token=token)["state"] == "changes",
        30,
    )
    # The dashboard's view of a spoken session: the card (of the first walker, Demo Walker) and
    # what the hallway speaker was last asked to say.
    page.goto(f"{setup_demo.BASE}/lovelace/coaching", wait_until="domcontentloaded")
    english_with_a_hazard(page, token, e2e, entry_id)
    language(page, "de")
    try:
        german(token, e2e, entry_id)
    finally:
        language(page, "en")


def start(token: str, e2e: ModuleType, entry_id: str) -> list[str]:
    """Start a one-minute session of the short program; returns what was said before.

    The speaker forgets what it said before, so the dashboard lists only this session.
    """
    e2e.service(token, "media_player", "clear_playlist", {"entity_id": SPEAKER})
    before = heard(token)
    e2e.service(
        token,
        "backward_walking",
        "start_session",
        {"config_entry_id": entry_id, "program": setup_demo.DEMO_PROGRAM, "duration": 1},
    )
    return before


def english_with_a_hazard(page: Page, token: str, e2e: ModuleType, entry_id: str) -> None:
    """Start, lead, change; the obstacle pauses; clear, resume on the card; to the completion."""
    before = start(token, e2e, entry_id)

    def new() -> list[str]:
        return heard(token)[len(before) :]

    def coached() -> list[str]:
        return [text for text in new() if not text.startswith(PATH_CLEAR)]

    def step(name: str, done: int, seconds: float) -> None:
        if not e2e.check(name, lambda: in_order(coached(), ENGLISH[:done]), seconds):
            print(f"     heard: {new()}", flush=True)

    step("the start is spoken", 1, 10)
    step("the change is announced 5 s ahead and at its moment", 3, 25)
    e2e.check(
        "the card shows Demo Walker walking backward, beside what the speaker said",
        lambda: (
            e2e.card_text(page, "phase") == "Backward"
            and ENGLISH[2] in page.locator("hui-markdown-card li").all_inner_texts()
        ),
        10,
    )
    page.wait_for_timeout(500)
    e2e.shot(page, "card-spoken-session")
    e2e.service(token, "input_boolean", "turn_on", {"entity_id": "input_boolean.hallway_obstacle"})
    step("the hazard is spoken at once", 4, 5)
    e2e.service(token, "input_boolean", "turn_off", {"entity_id": "input_boolean.hallway_obstacle"})
    e2e.check("the path clears", lambda: "Path: Clear" in e2e.card_text(page, "path"), 15)
    page.locator("backward-walking-card [data-testid=btn-resume_session]").click()
    step("the resume says which way", 5, 15)
    step("the next change and the completion follow, nothing twice", len(ENGLISH), 60)
    said = new()
    print(f"     heard: {said}", flush=True)
    resume = next(text for text in said if text.startswith("Go on"))
    e2e.check(
        "the resume comes after the path-clear message, if that was said",
        lambda: PATH_CLEAR not in "".join(said[said.index(resume) :]),
        1,
    )
    e2e.check(
        "the resume names the seconds left as people say them",
        lambda: (
            re.fullmatch(r"Go on: backward, \d+ seconds left in this part\.", resume) is not None
        ),
        1,
    )


def german(token: str, e2e: ModuleType, entry_id: str) -> None:
    """The same session in German, undisturbed."""
    before = start(token, e2e, entry_id)
    e2e.check(
        "in German: start, changes and completion, in Home Assistant's language",
        lambda: heard(token)[len(before) :] == GERMAN,
        80,
    )
    print(f"     gehört: {heard(token)[len(before) :]}", flush=True)


def language(page: Page, code: str) -> None:
    """Home Assistant's own language (Settings → System → General), as an administrator sets it."""
    page.wait_for_function(HASS_READY, timeout=60_000)
    page.evaluate(
        "(code) => document.querySelector('home-assistant').hass"
        ".callWS({type: 'config/core/update', language: code})",
        code,
    )
    page.wait_for_timeout(1000)  # the integration's texts in the new language are loaded
