"""The dashboard card in Node with a minimal DOM: who sees the history link, and failed downloads."""

from __future__ import annotations

import json
from pathlib import Path
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


def walker(
    session: dict[str, Any], phase: dict[str, Any], figures: dict[str, str]
) -> dict[str, Any]:
    """A walker's entities as the integration writes them, for the card's clock."""
    keys = ["current_phase", "elapsed", "remaining", "progress"]
    entities = {
        f"sensor.alex_{key}": {
            "entity_id": f"sensor.alex_{key}",
            "platform": "backward_walking",
            "device_id": "dev1",
            "translation_key": key,
        }
        for key in keys
    }
    states = {
        "sensor.alex_session_state": {
            "state": session.pop("state"),
            "attributes": {"person": "person.alex", "program": "forward5_backward1", **session},
        },
        "sensor.alex_current_phase": phase,
        **{
            f"sensor.alex_{key}": {"state": value, "attributes": {}}
            for key, value in figures.items()
        },
    }
    return {"entities": entities, "states": states}


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
