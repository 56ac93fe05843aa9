"""The dashboard card in Node with a minimal DOM and Home Assistant's text helpers.

Who sees the history link, failed downloads, and where every text comes from: states from the
entities' translations through hass.formatEntityState, labels from translations/<language>.json.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import shutil
import subprocess
from typing import Any

import pytest

NODE = shutil.which("node")
CARD = (
    Path(__file__).parents[1]
    / "custom_components/backward_walking/frontend/backward-walking-card.js"
)
HARNESS = Path(__file__).parent / "card" / "harness.js"
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
USER = {"id": "u1", "is_admin": False}


def show(**scenario: Any) -> dict[str, Any]:
    scenario = {
        "user": USER,
        "person": "person.alex",
        "person_user": "u1",
        "device": {"config_entries": ["entry1"]},
        "fetch": 200,
        **scenario,
    }
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(HARNESS), str(CARD), json.dumps(scenario)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize(
    ("user", "person", "person_user", "link"),
    [
        ({"id": "u1", "is_admin": True}, None, None, True),
        (USER, "person.alex", "u1", True),
        (USER, "person.alex", "someone-else", False),
        (USER, None, "u1", False),
        (USER, "person.gone", "u1", False),
        (None, "person.alex", "u1", False),
    ],
)
def test_history_link_only_for_admins_and_the_walker(
    user: dict[str, Any] | None, person: str | None, person_user: str | None, link: bool
) -> None:
    shown = show(user=user, person=person, person_user=person_user)
    assert shown["link"] is link


def test_download_saves_the_history() -> None:
    shown = show()
    assert shown["fetched"] == "/api/backward_walking/history/entry1.csv"
    assert shown["saved"] == ["backward-walking-entry1.csv"]
    assert shown["errors"] == []


@pytest.mark.parametrize(("fetch", "error"), [(403, " (403)"), (500, " (500)"), ("throws", "")])
def test_a_failed_download_is_shown_and_nothing_saved(fetch: object, error: str) -> None:
    shown = show(fetch=fetch)
    assert shown["saved"] == []
    assert shown["errors"] == [f"Could not download the history{error}"]


def test_newest_device_registry_field() -> None:
    shown = show(device={"config_entry_id": "entry9"})
    assert shown["fetched"] == "/api/backward_walking/history/entry9.csv"


# A walker paused for an obstacle while a check-in waits for an answer.
PAUSED = {
    "session_state": "paused",
    "session_attributes": {"pause_reason": "hazard", "program": "intervals"},
    "entities": [
        [
            "path",
            "binary_sensor.alex_path",
            "on",
            {
                "verdict": "unsafe",
                "reasons": [
                    {
                        "hazard": "obstacle",
                        "entity_id": "binary_sensor.beam",
                        "name": "Hallway beam",
                        "reading": "on",
                    }
                ],
            },
        ],
        ["path_hazard", "sensor.alex_path_hazard", "obstacle", {}],
        ["current_phase", "sensor.alex_current_phase", "backward", {}],
        ["check_in", "sensor.alex_check_in", "awaiting_response", {}],
        ["today_minutes", "sensor.alex_minutes_today", "12", {"unit_of_measurement": "min"}],
    ],
}


@pytest.mark.parametrize(
    ("language", "expected", "today"),
    [
        (
            "en",
            {
                "state": "Paused",
                "pause-reason": "Hazard on the path",
                "check-in": "Are you OK?",
                "path": "Path: Unsafe|Obstacle (Hallway beam: on)",
                "phase": "Backward",
                "btn-acknowledge_check_in": "I'm OK",
                "btn-resume_session": "Resume",
                "btn-stop_session": "Stop",
            },
            "Today|12 min",
        ),
        (
            "de",
            {
                "state": "Pausiert",
                "pause-reason": "Gefahr auf dem Weg",
                "check-in": "Alles in Ordnung?",
                "path": "Weg: Unsicher|Hindernis (Hallway beam: on)",
                "phase": "Rückwärts",
                "btn-acknowledge_check_in": "Alles OK",
                "btn-resume_session": "Weiter",
                "btn-stop_session": "Stopp",
            },
            "Heute|12 min",
        ),
        # No translation file: English, as Home Assistant puts it under every language.
        ("fr", {"state": "Paused", "check-in": "Are you OK?", "btn-stop_session": "Stop"}, None),
    ],
)
def test_texts_come_from_home_assistant_in_the_users_language(
    language: str, expected: dict[str, str], today: str | None
) -> None:
    shown = show(language=language, **PAUSED)
    assert {key: shown["shown"].get(key) for key in expected} == expected
    if today is not None:
        assert shown["stats"][0] == today
    # The labels are loaded once, from the integration's translations.
    assert shown["loads"] == [["common", "backward_walking"]]


def test_labels_wait_for_the_translations_and_the_states_do_not() -> None:
    shown = show(**PAUSED)
    assert shown["before"].split("|")[:3] == ["Alex", "Paused", "Hazard on the path"]
    assert "Resume" not in shown["before"]
    assert "Resume" in shown["shown"]["btn-resume_session"]


def test_states_are_shown_translated_once_the_format_functions_follow_the_texts() -> None:
    """Home Assistant renews hass.formatEntityState a moment after hass.localize (found on a busy
    machine: the card kept showing 'stopped' and 'clear' untranslated)."""
    shown = show(late_format=True, **PAUSED)
    assert shown["before"].split("|")[1] == "paused"
    assert shown["shown"]["state"] == "Paused"


@pytest.mark.parametrize(
    ("session", "check_in", "offered"),
    [
        ("running", "idle", True),
        ("paused", "awaiting_response", True),
        ("stopped", "awaiting_response", True),  # the check-in outlives the session
        ("idle", "idle", False),
        ("paused", "escalated", False),  # the contacts are already alerted
    ],
)
def test_need_help_is_offered_while_it_can_help(session: str, check_in: str, offered: bool) -> None:
    shown = show(
        session_state=session,
        entities=[["check_in", "sensor.alex_check_in", check_in, {}]],
        **({"press": "btn-request_help"} if offered else {}),
    )
    assert ("btn-request_help" in shown["shown"]) is offered
    if offered:
        assert shown["shown"]["btn-request_help"] == "Need help"
        assert shown["calls"] == [["backward_walking", "request_help", {"device_id": "dev1"}]]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This account may not do that: ask someone who may, or use Need help."),
        ("de", "Mit diesem Konto ist das nicht erlaubt. Frag jemanden, der es darf, oder"),
    ],
)
@pytest.mark.parametrize(
    "error",
    [
        {"code": "unauthorized", "message": "Unauthorized"},
        # What an action's refusal looks like when it reaches the frontend.
        {"code": "home_assistant_error", "message": "Unauthorized"},
    ],
)
def test_a_refused_button_says_why_in_the_users_language(
    language: str, message: str, error: dict[str, str]
) -> None:
    shown = show(
        language=language, session_state="running", press="btn-stop_session", call_error=error
    )
    assert shown["errors"][0].startswith(message)


def test_every_card_label_is_in_the_translations_and_used() -> None:
    """The card keeps no text table: each label it asks for is a card_… string (or a shared one)."""
    code = CARD.read_text(encoding="utf-8")
    shared = dict(re.findall(r"(\w+): \"(\w+)\"", re.search(r"const SHARED = {(.*?)}", code)[1]))
    for language in ("en", "de"):
        common = json.loads(
            (CARD.parents[1] / "translations" / f"{language}.json").read_text(encoding="utf-8")
        )["common"]
        labels = {key.removeprefix("card_") for key in common if key.startswith("card_")}
        for label in labels:
            assert re.search(rf"\b{label}\b", code), label
        for key, text_key in shared.items():
            assert common[text_key], key
    asked = set(re.findall(r'_t\("(\w+)"\)', code)) | set(
        re.findall(r'(?:button|stat)\("(\w+)"', code)
    )
    assert asked <= labels | set(shared)


def walker(
    session: dict[str, Any], phase: dict[str, Any], figures: dict[str, str]
) -> dict[str, Any]:
    """A walker's entities as the integration writes them, for the card's clock."""
    return {
        "session_state": session.pop("state"),
        "session_attributes": {"program": "forward5_backward1", **session},
        "entities": [
            ["current_phase", "sensor.alex_current_phase", phase["state"], phase["attributes"]],
            *([key, f"sensor.alex_{key}", value, {}] for key, value in figures.items()),
        ],
    }


STARTED = {"elapsed": "0.0", "remaining": "12.0", "progress": "0.0"}


def test_the_time_counts_every_second_from_the_written_end_while_walking() -> None:
    shown = show(
        now="2026-03-04T17:04:58Z",
        ticks=[0, 1000, 2000, 3000],
        **walker(
            {"state": "running", "target_minutes": 12, "ends_at": "2026-03-04T17:12:00+00:00"},
            {"state": "forward", "attributes": {"phase_ends_at": "2026-03-04T17:05:00+00:00"}},
            STARTED,
        ),
    )
    assert [(c["elapsed"], c["remaining"], c["phase_left"]) for c in shown["clock"]] == [
        ("4:58", "7:02 left", "0:02 left"),
        ("4:59", "7:01 left", "0:01 left"),
        ("5:00", "7:00 left", "0:00 left"),
        ("5:01", "6:59 left", "0:00 left"),  # until the phase change is written
    ]
    rings = [c["ring"] for c in shown["clock"]]
    assert rings == sorted(rings)
    assert rings[0] == pytest.approx(326.7 * 298 / 720, abs=0.1)


def test_paused_shows_the_frozen_remaining_time() -> None:
    shown = show(
        now="2026-03-04T18:00:00Z",
        ticks=[0, 5000],
        **walker(
            {"state": "paused", "target_minutes": 12, "ends_at": None, "remaining_seconds": 420},
            {
                "state": "backward",
                "attributes": {"phase_ends_at": None, "phase_remaining_seconds": 60},
            },
            {"elapsed": "5.0", "remaining": "7.0", "progress": "41.7"},
        ),
    )
    assert [(c["elapsed"], c["remaining"], c["phase_left"]) for c in shown["clock"]] == [
        ("5:00", "7:00 left", "1:00 left"),
        ("5:00", "7:00 left", "1:00 left"),
    ]


@pytest.mark.parametrize(
    ("now", "elapsed", "remaining"),
    [
        ("2026-03-04T16:00:00Z", "0:00", "12:00 left"),  # browser clock an hour behind
        ("2026-03-04T19:00:00Z", "12:00", "0:00 left"),  # … or far ahead
    ],
)
def test_a_wrong_browser_clock_stays_within_the_session(
    now: str, elapsed: str, remaining: str
) -> None:
    shown = show(
        now=now,
        ticks=[0],
        **walker(
            {"state": "running", "target_minutes": 12, "ends_at": "2026-03-04T17:12:00+00:00"},
            {"state": "forward", "attributes": {"phase_ends_at": "2026-03-04T17:05:00+00:00"}},
            STARTED,
        ),
    )
    assert (shown["clock"][0]["elapsed"], shown["clock"][0]["remaining"]) == (elapsed, remaining)


def test_a_finished_session_shows_its_written_minutes() -> None:
    shown = show(
        ticks=[0],
        **walker(
            {"state": "stopped", "target_minutes": 12, "ends_at": None, "remaining_seconds": None},
            {"state": "unknown", "attributes": {}},
            {"elapsed": "6.5", "remaining": "5.5", "progress": "54.2"},
        ),
    )
    assert shown["clock"] == [
        {"elapsed": "6:30", "remaining": "5:30 left", "phase_left": None, "ring": 177.0}
    ]
