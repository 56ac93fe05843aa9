"""The voice commands as tools for LLM conversation agents, on releases that ask for them.

Home Assistant 2026.10 and newer ask each integration for its tools through this ``llm``
platform, named ``<domain>__<intent>`` and tagged with the integration; 2025.4 offers every
intent registered without platforms by itself and never loads this module. Either way a tool is
the same intent as the spoken sentence (``intents.py``).
"""

from __future__ import annotations

from homeassistant.components.llm import LLMTools  # type: ignore[import-not-found,unused-ignore]
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.llm import (  # type: ignore[attr-defined,unused-ignore]
    LLM_API_ASSIST,
    IntentTool,
    LLMContext,
    ToolAnnotations,
)

from .const import DOMAIN, VoiceIntent
from .intents import COMMANDS, WalkerIntent

# Pausing and reading the session stay at home; starting, stopping and answering change a
# session; asking for help reaches the walker's contacts.
_HOME = ToolAnnotations(destructive=False, open_world=False)
_READ_ONLY = ToolAnnotations(read_only=True, open_world=False)
_CHANGES = ToolAnnotations(open_world=False)
_REACHES_PEOPLE = ToolAnnotations(destructive=False)
ANNOTATIONS = {
    VoiceIntent.START: _CHANGES,
    VoiceIntent.PAUSE: _HOME,
    VoiceIntent.RESUME: _CHANGES,
    VoiceIntent.STOP: _CHANGES,
    VoiceIntent.STATUS: _READ_ONLY,
    VoiceIntent.OK: _CHANGES,
    VoiceIntent.HELP: _REACHES_PEOPLE,
}
TITLES = {command.intent_type: command.title for command in COMMANDS}


@callback
def async_get_tools(hass: HomeAssistant, llm_context: LLMContext, api_id: str) -> LLMTools | None:
    """The walker's commands, for the Assist API."""
    if api_id != LLM_API_ASSIST:
        return None
    handlers = [h for h in intent.async_get(hass) if isinstance(h, WalkerIntent)]
    tools = [
        IntentTool(  # type: ignore[call-arg,unused-ignore]
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            title=TITLES[handler.command.intent_type],
            integration=DOMAIN,
            annotations=ANNOTATIONS[handler.command.intent_type],
        )
        for handler in handlers
    ]
    return LLMTools(tools=tools)
