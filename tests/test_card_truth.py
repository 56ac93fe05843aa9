"""What the card tells the family is true: emergencies, check-ins, the path, refusals, rights.

Each case is what a household saw on screen (issue 20): 'contacts alerted' when nobody was, no
countdown on a check-in, a refusal that stayed after it stopped being true, refusal words in two
languages, a cleared sensor still shown as 'on', figures that stood still, a stopped session's old
clock, and a read-only wall tablet offered what it may not do.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from .test_card import FRONTEND, NODE, USER, acts, show, walker

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
ADMIN = {"id": "a1", "is_admin": True}
NOW = "2026-03-04T17:05:15Z"
FALL = [None, "binary_sensor.fall", "on", {"friendly_name": "Hallway fall detector"}]


def check_in(state: str, **attributes: Any) -> list[Any]:
    shown = {
        "cause": "fall",
        "escalation": None,
        "started_at": "2026-03-04T17:05:00+00:00",
        "deadline": "2026-03-04T17:06:00+00:00",
        "fall_sensors": ["binary_sensor.fall"],
        "no_movement_seconds": None,
        "contacts": None,
        "unreachable": [],
        **attributes,
    }
    return ["check_in", "sensor.alex_check_in", state, shown]


def path(*reasons: dict[str, Any]) -> list[Any]:
    return [
        "path",
        "binary_sensor.alex_path",
        "on" if reasons else "off",
        {"verdict": "unsafe" if reasons else "clear", "reasons": list(reasons)},
    ]


HAZARD = ["path_hazard", "sensor.alex_path_hazard", "obstacle", {}]
BEAM = [None, "binary_sensor.beam", "off", {"friendly_name": "Hallway beam"}]


def reason(hazard: str, entity_id: str = "binary_sensor.beam", **extra: Any) -> dict[str, Any]:
    return {"entity_id": entity_id, "hazard": hazard, "name": "Hallway beam", **extra}


# --- 1. the emergency says what really happened ---------------------------------------------------


@pytest.mark.parametrize(
    ("contacts", "unreachable", "said"),
    [
        (None, [], None),  # after a restart nothing is known yet: nothing claimed
        ("sending", [], "Alerting the contacts…"),
        ("alerted", [], "Contacts alerted"),
        ("partly_failed", ["Anna's Pixel"], "Contacts alerted; could not reach Anna's Pixel"),
        (
            "failed",
            ["Anna's Pixel", "Ben"],
            "The contacts could not be reached (Anna's Pixel, Ben): the alert is in Home "
            "Assistant's notifications only",
        ),
    ],
)
def test_the_emergency_says_what_the_alert_reached(
    contacts: str | None, unreachable: list[str], said: str | None
) -> None:
    shown = show(
        user=ADMIN,
        session_state="paused",
        entities=[
            check_in(
                "escalated", escalation="need_help", contacts=contacts, unreachable=unreachable
            ),
            FALL,
        ],
    )
    parts = shown["shown"]["check-in"].split("|")
    assert parts[:2] == ["Emergency", "Possible fall (Hallway fall detector) · Asked for help"]
    assert shown["shown"].get("contacts") == said
    assert "contacts alerted" not in shown["shown"]["check-in"].lower() or contacts in (
        "alerted",
        "partly_failed",
    )


def test_without_contacts_the_emergency_says_so_and_points_an_admin_to_the_settings() -> None:
    shown = show(
        user=ADMIN,
        session_state="paused",
        entities=[check_in("escalated", cause="help", contacts="none_set_up")],
        click="set-up-contacts",
    )
    assert shown["shown"]["check-in"] == (
        "Emergency|Asked for help|No contacts set up: the alert is in Home Assistant's "
        "notifications only|Set up emergency contacts"
    )
    assert shown["navigated"] == ["/config/integrations/integration/backward_walking"]
    # The contacts are alerted already: no Need help, and an admin may take care of it.
    assert "btn-request_help" not in shown["shown"]
    assert shown["shown"]["btn-acknowledge_emergency"] == "I'm on it"


def test_someone_who_may_not_change_settings_is_told_whom_to_ask() -> None:
    shown = show(
        user=USER,
        rights={"control": False},
        session_state="paused",
        entities=[check_in("escalated", cause="help", contacts="none_set_up")],
    )
    assert shown["shown"]["set-up-contacts"] == (
        "Ask an administrator to set up emergency contacts."
    )
    assert "btn-acknowledge_emergency" not in shown["shown"]


# --- 2. a check-in counts down and says why it opened ---------------------------------------------


def test_a_check_in_counts_down_to_the_alert_from_its_deadline() -> None:
    shown = show(
        now=NOW,
        ticks=[0, 1000, 2000],
        session_state="paused",
        entities=[check_in("awaiting_response"), FALL],
    )
    assert shown["shown"]["check-in-why"] == "Possible fall (Hallway fall detector)"
    assert [c["countdown"] for c in shown["clock"]] == [
        "Contacts alerted in 0:45",
        "Contacts alerted in 0:44",
        "Contacts alerted in 0:43",
    ]


@pytest.mark.parametrize(
    ("now", "countdown"),
    [
        ("2026-03-04T16:00:00Z", "1:00"),  # a browser clock an hour behind: never more than asked
        ("2026-03-04T18:00:00Z", "0:00"),
    ],
)
def test_a_wrong_browser_clock_stays_within_the_countdown(now: str, countdown: str) -> None:
    shown = show(now=now, ticks=[0], entities=[check_in("awaiting_response")])
    assert shown["clock"][0]["countdown"] == f"Contacts alerted in {countdown}"


@pytest.mark.parametrize(
    ("attributes", "why"),
    [
        ({"cause": "inactivity", "no_movement_seconds": 120}, "No movement for 2 min"),
        ({"cause": "inactivity", "no_movement_seconds": 45}, "No movement for 45 s"),
        ({"cause": "inactivity"}, "No movement seen"),  # a check-in saved by an older release
        ({"cause": "fall", "fall_sensors": []}, "Possible fall"),
        (
            {"cause": "fall", "fall_sensors": ["binary_sensor.gone"]},
            "Possible fall (binary_sensor.gone)",
        ),
        ({"cause": "help"}, "Asked for help"),
    ],
)
def test_a_check_in_says_why_it_opened(attributes: dict[str, Any], why: str) -> None:
    shown = show(now=NOW, entities=[check_in("awaiting_response", **attributes)])
    assert shown["shown"]["check-in-why"] == why


def test_without_contacts_the_countdown_says_where_the_alert_goes() -> None:
    shown = show(
        now=NOW, ticks=[0], entities=[check_in("awaiting_response", contacts="none_set_up")]
    )
    assert shown["clock"][0]["countdown"] == ("No contacts set up: alert in Home Assistant in 0:45")


# --- 3. and 4. refusals: said once, in words, and taken back ----------------------------------------


def paused(*entities: list[Any], **scenario: Any) -> dict[str, Any]:
    return show(
        now=NOW,
        session_state="paused",
        session_attributes={"pause_reason": "hazard", "program": "backward_only"},
        entities=[path(), HAZARD, BEAM, *entities],
        **scenario,
    )


def test_a_refusal_goes_after_a_few_seconds() -> None:
    shown = paused(
        press="btn-resume_session",
        act={"refused": "path_not_clear", "values": {"reasons": "Something is in the way"}},
        after=[1000, 5000, 8100],
    )
    said = "Not possible: the path is not clear."
    assert shown["after"] == [said, said, None]
    assert acts(shown) == ["resume_session"]  # the card's own command: no toast, no error log


def test_a_refusal_goes_when_the_state_changes_once_it_could_be_read() -> None:
    shown = paused(
        press="btn-resume_session",
        act={"refused": "path_not_clear", "values": {}},
        after=[1000, 2500],
        changes=[[1000, "sensor.alex_session_state", "running"]],
    )
    assert shown["after"] == ["Not possible: the path is not clear.", None]


@pytest.mark.parametrize(
    ("language", "answer", "said"),
    [
        (
            "de",
            {"refused": "cannot_resume", "values": {"walker": "Alex", "state": "running"}},
            "Alex hat keine pausierte Einheit zum Fortsetzen (Status: Läuft).",
        ),
        (
            "de",
            {"refused": "path_checking", "values": {}},
            "Nicht möglich: Der Weg ist nicht frei.",
        ),
        ("en", {"refused": "no_such_key", "values": {}}, "That was not possible just now."),
        ("en", "throws", "That was not possible just now."),
    ],
)
def test_refusals_are_in_the_users_language(language: str, answer: Any, said: str) -> None:
    shown = paused(language=language, press="btn-resume_session", act=answer)
    assert shown["errors"] == [said]


# --- 4. and 5. Start and Resume are offered only when the path lets them ----------------------------


def test_a_cleared_sensor_counts_its_hold_and_resume_waits_for_it() -> None:
    shown = paused(
        path(reason("obstacle", clears_at="2026-03-04T17:05:19.200+00:00")),
        ticks=[0, 1000, 4500],
    )
    assert [c["reasons"] for c in shown["clock"]] == [
        "Obstacle (Hallway beam): clearing… 5 s",
        "Obstacle (Hallway beam): clearing… 4 s",
        "Obstacle (Hallway beam): clearing… 0 s",
    ]
    assert [c["blocked"] for c in shown["clock"]] == [
        "Resume possible in 5 s",
        "Resume possible in 4 s",
        "Resume possible in 0 s",
    ]
    assert shown["disabled"] == ["btn-resume_session"]


def test_sensors_being_checked_are_one_line_with_their_ready_time() -> None:
    checking = [
        reason("checking", entity_id=f"sensor.s{n}", clears_at="2026-03-04T17:05:19+00:00")
        for n in range(6)
    ]
    shown = show(now=NOW, ticks=[0], entities=[path(*checking), HAZARD])
    assert shown["clock"][0]["reasons"] == "The hallway sensors are being checked: ready in 4 s"
    assert shown["clock"][0]["blocked"] == "Start possible in 4 s"
    assert shown["disabled"] == ["btn-start_session"]


def test_an_active_hazard_shows_its_reading_and_start_waits_for_the_path() -> None:
    shown = show(
        now=NOW,
        entities=[path(reason("obstacle")), HAZARD, [None, "binary_sensor.beam", "on", {}]],
        formatted={"binary_sensor.beam": "Detected"},
    )
    assert shown["shown"]["reasons"] == "Obstacle (Hallway beam: Detected)"
    assert shown["shown"]["blocked"] == "Start when the path is clear"
    assert shown["disabled"] == ["btn-start_session"]


def test_what_this_session_forced_past_no_longer_keeps_it_from_resuming() -> None:
    crossing = reason(
        "crossing", entity_id="binary_sensor.door", name="Kitchen door", overridden=True
    )
    shown = paused(path(crossing), [None, "binary_sensor.door", "on", {}])
    assert (
        shown["shown"]["reasons"]
        == "Crossing motion (Kitchen door: on) · overridden for this session"
    )
    assert shown["disabled"] == []
    assert "blocked" not in shown["shown"]


def test_a_path_the_card_cannot_see_keeps_start_disabled() -> None:
    shown = show(now=NOW, entities=[HAZARD])
    assert shown["disabled"] == ["btn-start_session"]


# --- 8. the read-only wall tablet -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("session", "check_in_state", "buttons"),
    [
        ("idle", "idle", ["btn-request_help"]),
        ("running", "idle", ["btn-pause_session", "btn-request_help"]),
        ("paused", "idle", ["btn-request_help"]),
        ("paused", "awaiting_response", ["btn-request_help"]),
        ("paused", "escalated", []),
    ],
)
def test_a_read_only_tablet_is_offered_only_what_it_may_do(
    session: str, check_in_state: str, buttons: list[str]
) -> None:
    shown = show(
        now=NOW,
        user=USER,
        rights={"control": False},
        session_state=session,
        entities=[path(), check_in(check_in_state)],
    )
    assert [key for key in shown["shown"] if key.startswith("btn-")] == buttons
    assert [c["type"] for c in shown["calls"]] == ["backward_walking/rights"]


def test_an_admin_is_not_asked_about_rights() -> None:
    shown = show(user=ADMIN, session_state="running", entities=[path()])
    assert shown["calls"] == []
    assert [key for key in shown["shown"] if key.startswith("btn-")] == [
        "btn-pause_session",
        "btn-stop_session",
        "btn-request_help",
    ]


# --- 6. today and this week count on with the session -----------------------------------------------


def walking_today(started_at: str, now: str, ticks: list[int]) -> dict[str, Any]:
    return show(
        now=now,
        ticks=ticks,
        **walker(
            {
                "state": "running",
                "target_minutes": 10,
                "started_at": started_at,
                "ends_at": "2026-03-04T23:10:00+00:00",
            },
            {"state": "backward", "attributes": {}},
            {"elapsed": "2.0", "today_minutes": "12.0", "week_minutes": "40.0"},
        ),
    )


def test_today_and_this_week_count_every_second_from_the_minutes_written_on_the_minute() -> None:
    # 2:30 walked (7:30 left); the figures were written at 2:00.
    shown = walking_today("2026-03-04T23:00:00+00:00", "2026-03-04T23:02:30Z", [0, 1000])
    assert [(c["today"], c["week"]) for c in shown["clock"]] == [
        ("12:30", "40:30"),
        ("12:31", "40:31"),
    ]


def test_a_session_from_before_midnight_counts_for_its_own_day() -> None:
    # Berlin: started at 23:58 on Wednesday, now 00:00:30 on Thursday; the same week.
    shown = walking_today("2026-03-04T22:58:00+00:00", "2026-03-04T23:02:30Z", [0])
    assert (shown["clock"][0]["today"], shown["clock"][0]["week"]) == ("12:00", "40:30")


# --- the German card has no English -----------------------------------------------------------------


def test_every_card_label_is_german_in_german() -> None:
    english = json.loads((FRONTEND.parent / "translations/en.json").read_text())["common"]
    german = json.loads((FRONTEND.parent / "translations/de.json").read_text())["common"]
    same = {k for k in english if k.startswith("card_") and english[k] == german[k]}
    assert same <= {"card_start", "card_pause"}  # German words too
