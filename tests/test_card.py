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
