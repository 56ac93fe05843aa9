"""Finish a demo Home Assistant over its own HTTP API: onboarding, login, the speaker, the walkers.

Run by scripts/develop and scripts/e2e once Home Assistant answers. Idempotent, so the second start on
the same config/ works too: once onboarding is done (Home Assistant then answers 404 on
/api/onboarding) it logs in with the demo account, it adds the demo speaker (demo_speaker/) and a
walker only when they are missing, and Demo Walker's short program only when it has none. It also
adds a read-only user, as a wall tablet's account would be (Home Assistant's ``system-read-only``
group; log in as tablet / tablet-walker). ``setup_demo.py --stop`` asks Home Assistant to stop
(prepare.sh's stop_demo_hass).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import contextlib
import json
import os
from pathlib import Path
import sys
import time
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

BASE = os.environ.get("DEMO_URL", "http://127.0.0.1:8123")
CLIENT_ID = f"{BASE}/"
USERNAME, PASSWORD = "demo", "demo-walker"
# A wall tablet's account: it may read everything and control nothing.
TABLET_NAME, TABLET_USERNAME, TABLET_PASSWORD = "Wall tablet", "tablet", "tablet-walker"
EXIT_HASS_GONE = 3  # Home Assistant's process ended before it answered
DEMO_WALKER = {
    "name": "Demo Walker",
    "person": "person.demo",
    "weight": 70,
    "target_minutes": 10,
    "program": "beginner_10",
    "speed": 1.6,
}
HALLWAY = {
    "obstacle_sensors": ["binary_sensor.hallway_obstacle_beam"],
    "distance_sensors": ["sensor.hallway_free_distance"],
    "crossing_sensors": ["binary_sensor.kitchen_doorway_motion"],
    "light_sensors": ["sensor.hallway_light_level"],
    "fall_sensors": ["binary_sensor.hallway_fall_detector"],
    "activity_sensors": ["binary_sensor.hallway_walker_motion"],
    "min_distance": 100,
    "min_lux": 20,
    "hallway": "demo hallway",
}
# No phones in the demo: check-ins and emergencies fall back to persistent notifications.
ALERTS = {
    "clear_hold_seconds": 5,
    "inactivity_seconds": 120,
    "check_in_seconds": 60,
    "realert_seconds": 120,
    "auto_resume": False,
}
# Demo Walker speaks on the demo speaker (demo_speaker/, which keeps what it was asked to say).
SPEAKER = {"media_player": "media_player.hallway_speaker", "tts_entity": "tts.demo_voice"}
# A program of seconds, so a whole spoken session fits in a one-minute session of the browser run.
DEMO_PROGRAM = "Hallway demo"
DEMO_PROGRAM_LINE = f"{DEMO_PROGRAM}: F20s B20s F20s"
# A second walker without sensors, so the card's editor has a walker to choose.
SECOND_WALKER = {
    "name": "Second Walker",
    "weight": 60,
    "target_minutes": 12,
    "program": "backward_only",
    "speed": 1.6,
}
# In this order: the card without a chosen walker shows the first one, Demo Walker.
WALKERS = ((DEMO_WALKER, HALLWAY, {**ALERTS, **SPEAKER}), (SECOND_WALKER, {}, ALERTS))


def request(path: str, data: Any = None, token: str | None = None, form: bool = False) -> Any:
    """GET (no data) or POST JSON/form to Home Assistant and decode the JSON answer."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = None
    if data is not None:
        if form:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
    with urlopen(Request(f"{BASE}{path}", body, headers), timeout=30) as response:
        return json.loads(response.read() or b"null")


def hass_running() -> bool:
    """Whether the Home Assistant process in DEMO_HASS_PID (set by prepare.sh) still runs."""
    pid = os.environ.get("DEMO_HASS_PID")
    if not pid:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until_up(seconds: int = 900) -> None:
    """Wait until Home Assistant's HTTP server answers; exit 3 once its process is gone."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not hass_running():
            sys.exit(EXIT_HASS_GONE)
        try:
            request("/manifest.json")
            return
        except HTTPError:
            return  # any HTTP answer: the server is up
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    sys.exit(f"Home Assistant did not answer on {BASE} within {seconds} s; see its log")


def onboarding_steps() -> dict[str, bool] | None:
    """Which onboarding steps are done, or None once onboarding is over (no longer served)."""
    try:
        return {step["step"]: step["done"] for step in request("/api/onboarding")}
    except HTTPError as err:
        if err.code == 404:
            return None
        raise


def token_from_code(code: str) -> str:
    """Exchange an authorization code for an access token."""
    answer = request(
        "/auth/token",
        {"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID},
        form=True,
    )
    return str(answer["access_token"])


def onboard_or_login() -> str:
    """Create the demo owner on a fresh instance, or log in to an onboarded one.

    seed.py marks the other onboarding steps done before Home Assistant starts, so creating the owner
    completes onboarding.
    """
    steps = onboarding_steps()
    if steps is not None and not steps.get("user"):
        answer = request(
            "/api/onboarding/users",
            {
                "client_id": CLIENT_ID,
                "name": "Demo",
                "username": USERNAME,
                "password": PASSWORD,
                "language": "en",
            },
        )
        return token_from_code(answer["auth_code"])
    flow = request(
        "/auth/login_flow",
        {"client_id": CLIENT_ID, "handler": ["homeassistant", None], "redirect_uri": CLIENT_ID},
    )
    result = request(
        f"/auth/login_flow/{flow['flow_id']}",
        {"username": USERNAME, "password": PASSWORD, "client_id": CLIENT_ID},
    )
    if result.get("type") != "create_entry":
        sys.exit(f"Logging in as {USERNAME} failed: {result.get('errors') or result}")
    return token_from_code(result["result"])


def walker_titles(token: str) -> list[str]:
    """The titles of the Backward Walking entries, in the order they were added."""
    entries = request("/api/config/config_entries/entry?domain=backward_walking", token=token)
    return [entry["title"] for entry in entries]


def ensure_speaker(token: str) -> bool:
    """Add the demo speaker through its config flow unless it is there; True when it was added."""
    if request("/api/config/config_entries/entry?domain=demo_speaker", token=token):
        return False
    flow = request("/api/config/config_entries/flow", {"handler": "demo_speaker"}, token)
    if flow.get("type") != "create_entry":
        sys.exit(f"Adding the demo speaker failed: {flow}")
    return True


def ensure_demo_program(token: str) -> None:
    """Give Demo Walker its short program (Configure → Walking) unless it has it."""
    entries = request("/api/config/config_entries/entry?domain=backward_walking", token=token)
    entry_id = next(e["entry_id"] for e in entries if e["title"] == DEMO_WALKER["name"])
    flow = request("/api/config/config_entries/options/flow", {"handler": entry_id}, token)
    path = f"/api/config/config_entries/options/flow/{flow['flow_id']}"
    form = request(path, {"next_step_id": "walking"}, token)
    answers: dict[str, Any] = {}
    for field in form["data_schema"]:
        shown = field.get("description", {}).get("suggested_value", field.get("default"))
        if shown is not None:
            answers[field["name"]] = shown
    if DEMO_PROGRAM in answers.get("custom_programs", ""):
        request_delete(path, token)
        return
    answers["custom_programs"] = DEMO_PROGRAM_LINE
    result = request(path, answers, token)
    if result.get("type") != "create_entry":
        sys.exit(f"Giving {DEMO_WALKER['name']} the program {DEMO_PROGRAM} failed: {result}")


def request_delete(path: str, token: str) -> None:
    """DELETE ``path`` (closing a flow that is not needed)."""
    headers = {"Authorization": f"Bearer {token}"}
    with urlopen(Request(f"{BASE}{path}", headers=headers, method="DELETE"), timeout=30):
        pass


def ensure_walkers(token: str) -> list[str]:
    """Add each demo walker missing by name through the integration's own config flow.

    Returns the names added (none on a second start).
    """
    present = set(walker_titles(token))
    added = []
    for steps in WALKERS:
        name = steps[0]["name"]
        if name in present:
            continue
        flow = request("/api/config/config_entries/flow", {"handler": "backward_walking"}, token)
        for answers in steps:
            result = request(f"/api/config/config_entries/flow/{flow['flow_id']}", answers, token)
            if result.get("type") != "form" or result.get("errors"):
                break
        if result.get("type") != "create_entry":
            sys.exit(f"Adding the walker {name} failed: {result}")
        added.append(name)
    return added


def websocket(token: str, message: dict[str, Any]) -> Any:
    """One command over Home Assistant's websocket API (users are managed there only)."""
    import aiohttp  # noqa: PLC0415 - Home Assistant's own dependency, there wherever it runs

    async def ask() -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"{BASE.replace('http', 'ws', 1)}/api/websocket") as socket,
        ):
            await socket.receive_json()  # auth_required
            await socket.send_json({"type": "auth", "access_token": token})
            await socket.receive_json()  # auth_ok
            await socket.send_json({"id": 1, **message})
            answer = await socket.receive_json()
            if not answer.get("success"):
                sys.exit(f"{message['type']} failed: {answer}")
            return answer["result"]

    # In a thread of its own: the browser run calls it while Playwright's event loop runs.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, ask()).result()


def ensure_read_only_user(token: str) -> bool:
    """Add the wall tablet's read-only user with its login, unless it is there; True if added."""
    users = websocket(token, {"type": "config/auth/list"})
    tablet = next((user for user in users if user["name"] == TABLET_NAME), None)
    if tablet is None:
        tablet = websocket(
            token,
            {"type": "config/auth/create", "name": TABLET_NAME, "group_ids": ["system-read-only"]},
        )["user"]
    elif tablet.get("username"):
        return False
    websocket(
        token,
        {
            "type": "config/auth_provider/homeassistant/create",
            "user_id": tablet["id"],
            "username": TABLET_USERNAME,
            "password": TABLET_PASSWORD,
        },
    )
    return True


def wait_until_running(token: str, seconds: int = 300) -> None:
    """Wait until Home Assistant has finished starting (a stop while it starts is put off)."""
    deadline = time.monotonic() + seconds
    while request("/api/config", token=token).get("state", "RUNNING") != "RUNNING":
        if time.monotonic() > deadline:
            sys.exit(f"Home Assistant at {BASE} did not finish starting within {seconds} s")
        time.sleep(0.5)


def stop() -> None:
    """Ask Home Assistant to stop, as Settings → System → Stop does (used by prepare.sh)."""
    token = onboard_or_login()
    wait_until_running(token)
    with contextlib.suppress(URLError, ConnectionError, TimeoutError):  # it may hang up as it stops
        request("/api/services/homeassistant/stop", {}, token)


def main() -> None:
    """Onboard or log in, add the walkers that are missing, then say how to get in."""
    if sys.argv[1:] == ["--stop"]:
        stop()
        return
    wait_until_up()
    token = onboard_or_login()
    ensure_speaker(token)
    added = ensure_walkers(token)
    ensure_demo_program(token)
    if ensure_read_only_user(token):
        added.append(f"a read-only user ({TABLET_USERNAME} / {TABLET_PASSWORD})")
    wait_until_running(token)
    print(f"Added: {', '.join(added)}" if added else "Walkers already there.", flush=True)
    print(
        f"\nBackward Walking demo is ready: {BASE}  (login: {USERNAME} / {PASSWORD})\n", flush=True
    )


if __name__ == "__main__":
    main()
