"""Finish a fresh demo Home Assistant over its own HTTP API: onboarding, login, the walker entry.

Run by scripts/develop once Home Assistant answers. Idempotent: a second run logs in with the demo
account and adds the walker only when it is missing.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

BASE = os.environ.get("DEMO_URL", "http://127.0.0.1:8123")
CLIENT_ID = f"{BASE}/"
USERNAME, PASSWORD = "demo", "demo-walker"
WALKER = {
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


def wait_until_up(seconds: int = 600) -> None:
    """Wait until Home Assistant's HTTP server answers the onboarding endpoint."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            request("/api/onboarding")
            return
        except HTTPError:
            return  # 401/403/404 once onboarding is done: the server is up
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(2)
    sys.exit("Home Assistant did not start in time; see config/home-assistant.log")


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
    steps = {step["step"]: step["done"] for step in request("/api/onboarding")}
    if not steps.get("user"):
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
    return token_from_code(result["result"])


def ensure_walker(token: str) -> None:
    """Add the demo walker through the integration's own config flow unless it exists."""
    entries = request("/api/config/config_entries/entry?domain=backward_walking", token=token)
    if entries:
        return
    flow = request("/api/config/config_entries/flow", {"handler": "backward_walking"}, token)
    for answers in (WALKER, HALLWAY, ALERTS):
        result = request(f"/api/config/config_entries/flow/{flow['flow_id']}", answers, token)
    if result.get("type") != "create_entry":
        sys.exit(f"Adding the demo walker failed: {result}")


def main() -> None:
    """Onboard, log in and add the walker, then say how to get in."""
    wait_until_up()
    token = onboard_or_login()
    ensure_walker(token)
    print(
        f"\nBackward Walking demo is ready: {BASE}  (login: {USERNAME} / {PASSWORD})\n", flush=True
    )


if __name__ == "__main__":
    main()
