"""The dashboard card is served and registered; the history export is private and spreadsheet-safe."""

from __future__ import annotations

import csv
from http import HTTPStatus
import io
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.backward_walking.export import content_disposition, csv_cell
from custom_components.backward_walking.frontend import CARD_URL, card_version

from .helpers import advance, call, state
from .safety_helpers import OBSTACLE, Outside, setup_walker

FRONTEND = Path(__file__).parents[1] / "custom_components/backward_walking/frontend"


async def test_card_is_served_and_added_to_every_dashboard(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    assert await async_setup_component(hass, "frontend", {})
    assert await async_setup_component(hass, "backward_walking", {})
    urls = hass.data["frontend_extra_module_url"].urls
    assert f"{CARD_URL}?v={card_version()}" in urls
    client = await hass_client()
    response = await client.get(CARD_URL)
    assert response.status == HTTPStatus.OK
    assert 'customElements.define("backward-walking-card"' in await response.text()
    # Every module of the card is served beside it, and loaded with the card's own version.
    bodies = {}
    for module in sorted(FRONTEND.glob("*.js")):
        served = await client.get(f"/backward_walking/{module.name}?v={card_version()}")
        assert served.status == HTTPStatus.OK, module.name
        bodies[module.name] = await served.text()
    assert {"card-time.js", "card-words.js", "card-dom.js"} <= set(bodies)
    markup = {name: body.count("innerHTML") for name, body in bodies.items() if "innerHTML" in body}
    assert markup == {"card-dom.js": 1}  # only the progress ring, drawn from a clamped number
    # Only the card's folder: not the integration's other files.
    assert (await client.get("/backward_walking/manifest.json")).status == HTTPStatus.NOT_FOUND


async def test_history_export(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    # The clock stays where the harness froze it: an access token issued "in the future" is refused.
    today = dt_util.as_local(dt_util.utcnow()).date().isoformat()
    assert await async_setup_component(hass, "http", {})
    entry: MockConfigEntry = await setup_walker(hass, freezer, "Alex Smith")
    await call(hass, "start_session", {"duration": 2, "program": "alternating_1_1"})
    await advance(hass, freezer, 30)
    hass.states.async_set(OBSTACLE, "on")
    await hass.async_block_till_done()
    hass.states.async_set(OBSTACLE, "off")
    await hass.async_block_till_done()
    await advance(hass, freezer, 10)
    await call(hass, "resume_session")
    await advance(hass, freezer, 95)
    client = await hass_client()
    response = await client.get(f"/api/backward_walking/history/{entry.entry_id}.json")
    assert response.status == HTTPStatus.OK
    data = await response.json()
    [session] = data["sessions"]
    assert data["walker"] == "Alex Smith"
    assert session["date"] == today
    assert session["outcome"] == "completed"
    assert (session["forward_minutes"], session["backward_minutes"]) == (1.0, 1.0)
    assert session["pauses"] == ["hazard (10 s)"]
    assert session["safety_events"] == ["hazard"]
    response = await client.get(f"/api/backward_walking/history/{entry.entry_id}.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert 'filename="backward-walking-alex-smith.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert rows[0]["pauses"] == "hazard (10 s)"
    assert rows[0]["kcal"] == str(session["kcal"])
    for missing in ("nope.csv", f"{entry.entry_id}.xml"):
        response = await client.get(f"/api/backward_walking/history/{missing}")
        assert response.status == HTTPStatus.NOT_FOUND
    anonymous = await hass_client_no_auth()
    response = await anonymous.get(f"/api/backward_walking/history/{entry.entry_id}.csv")
    assert response.status == HTTPStatus.UNAUTHORIZED


async def _walked(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, name: str = "Alex", **options: Any
) -> MockConfigEntry:
    assert await async_setup_component(hass, "http", {})
    entry: MockConfigEntry = await setup_walker(hass, freezer, name, **options)
    await call(hass, "start_session", {"duration": 1})
    await advance(hass, freezer, 65)
    return entry


async def test_history_is_private_to_admins_and_the_walker(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    hass_read_only_user: MockUser,
    hass_read_only_access_token: str,
) -> None:
    entry = await _walked(hass, freezer)
    url = f"/api/backward_walking/history/{entry.entry_id}.json"
    household = await hass_client(hass_read_only_access_token)
    assert (await household.get(url)).status == HTTPStatus.FORBIDDEN
    assert (await household.get(url.replace(".json", ".csv"))).status == HTTPStatus.FORBIDDEN
    assert (await (await hass_client_no_auth()).get(url)).status == HTTPStatus.UNAUTHORIZED
    assert (await (await hass_client()).get(url)).status == HTTPStatus.OK
    # Once the walker is linked to the person of that user, the user reads their own history.
    hass.states.async_set("person.alex", "home", {"user_id": hass_read_only_user.id})
    assert state(hass, "sensor.alex_session_state").attributes["person"] is None
    hass.config_entries.async_update_entry(entry, data={"name": "Alex", "person": "person.alex"})
    await hass.async_block_till_done()
    # The card reads the person from the session sensor to decide whether to offer the link.
    assert state(hass, "sensor.alex_session_state").attributes["person"] == "person.alex"
    response = await household.get(url)
    assert response.status == HTTPStatus.OK
    assert len((await response.json())["sessions"]) == 1
    # Another user's person does not count.
    hass.states.async_set("person.alex", "home", {"user_id": "someone-else"})
    assert (await household.get(url)).status == HTTPStatus.FORBIDDEN


async def test_csv_cells_never_run_as_formulas(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
) -> None:
    program = "=cmd|' /C calc'!A0"
    entry = await _walked(hass, freezer, custom_programs={program: "B1"}, program=program)
    client = await hass_client()
    response = await client.get(f"/api/backward_walking/history/{entry.entry_id}.csv")
    [row] = list(csv.DictReader(io.StringIO(await response.text())))
    assert row["program"] == "'" + program
    assert row["outcome"] == "completed"
    json_rows = await (
        await client.get(f"/api/backward_walking/history/{entry.entry_id}.json")
    ).json()
    assert json_rows["sessions"][0]["program"] == program  # JSON is data, not a spreadsheet


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("hazard (10 s)", "hazard (10 s)"),
        (12.5, "12.5"),
        ("", ""),
    ],
)
def test_csv_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


@pytest.mark.parametrize(
    ("walker", "header"),
    [
        (
            "Alex Smith",
            'attachment; filename="backward-walking-alex-smith.csv"; '
            "filename*=UTF-8''backward-walking-Alex%20Smith.csv",
        ),
        (
            'Zoë "the" Walker',
            'attachment; filename="backward-walking-zoe-the-walker.csv"; '
            "filename*=UTF-8''backward-walking-Zo%C3%AB%20the%20Walker.csv",
        ),
        (
            'Evil\r\nSet-Cookie: x"; filename="x.exe',
            'attachment; filename="backward-walking-evil-set-cookie-x-filename-x-exe.csv"; '
            "filename*=UTF-8''backward-walking-EvilSet-Cookie%3A%20x%3B%20filename%3Dx.exe.csv",
        ),
        (
            "山田",
            'attachment; filename="backward-walking-shan-tian.csv"; '
            "filename*=UTF-8''backward-walking-%E5%B1%B1%E7%94%B0.csv",
        ),
        (
            "\u200b",
            'attachment; filename="backward-walking-unknown.csv"; '
            "filename*=UTF-8''backward-walking-unknown.csv",
        ),
        (
            "",
            'attachment; filename="backward-walking-walker.csv"; '
            "filename*=UTF-8''backward-walking-walker.csv",
        ),
    ],
)
def test_content_disposition(walker: str, header: str) -> None:
    assert content_disposition(walker) == header
    assert header.isascii()
    assert "\n" not in header
    assert "\r" not in header


async def test_download_name_for_a_walker_with_an_accent(
    hass: HomeAssistant,
    outside: Outside,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
) -> None:
    entry = await _walked(hass, freezer, 'Zoë "Z"')
    client = await hass_client()
    response = await client.get(f"/api/backward_walking/history/{entry.entry_id}.csv")
    assert response.status == HTTPStatus.OK
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="backward-walking-zoe-z.csv"; '
        "filename*=UTF-8''backward-walking-Zo%C3%AB%20Z.csv"
    )
