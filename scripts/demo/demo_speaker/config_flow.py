"""One demo speaker, added without questions (setup_demo.py adds it over the API)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

from . import DOMAIN


class DemoSpeakerFlow(ConfigFlow, domain=DOMAIN):
    """Adds the demo speaker."""

    VERSION = 1

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Create the entry at once."""
        return self.async_create_entry(title="Demo speaker", data={})
