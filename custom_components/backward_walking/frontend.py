"""Serves the dashboard card and registers it with the frontend, so no resource needs adding by hand.

The card is a few JavaScript modules in ``frontend/``: the dashboards load the card's file with the
release in its URL (``?v=0.1.0``), and it loads its sibling modules with the same, so a browser
never mixes a cached module of an older release with a newer one.
"""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant

CARD_FILE = "backward-walking-card.js"
CARD_DIR_URL = "/backward_walking"
CARD_URL = f"{CARD_DIR_URL}/{CARD_FILE}"
_HERE = Path(__file__).parent


def card_version() -> str:
    """The integration's version: a new release changes the URL, so browsers fetch the new card."""
    manifest = json.loads((_HERE / "manifest.json").read_text(encoding="utf-8"))
    return str(manifest["version"])


async def async_register_card(hass: HomeAssistant) -> None:
    """Serve the card's modules and add the card to every dashboard (when HTTP and the frontend run)."""
    if "http" not in hass.config.components:
        return
    modules = str(_HERE / "frontend")
    await hass.http.async_register_static_paths([StaticPathConfig(CARD_DIR_URL, modules, True)])
    if "frontend" in hass.config.components:
        version = await hass.async_add_executor_job(card_version)
        add_extra_js_url(hass, f"{CARD_URL}?v={version}")
