"""The dashboard card is served and registered; the history export needs a login and knows its walkers."""

from __future__ import annotations

import csv
from http import HTTPStatus
import io

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.backward_walking.frontend import CARD_URL, card_version

from .helpers import advance, call
from .safety_helpers import OBSTACLE, Outside, setup_walker


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
    body = await response.text()
    assert 'customElements.define("backward-walking-card"' in body
    assert "innerHTML = " in body  # only the progress ring, built from a clamped number
    assert body.count("innerHTML") == 1


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
