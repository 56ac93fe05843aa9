"""Speaking to Home Assistant's own conversation agent in a real core, as Assist does."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.backward_walking.const import DOMAIN

from .safety_helpers import setup_walker


async def setup_assist(hass: HomeAssistant) -> None:
    """Home Assistant's conversation agent with its own intents (timers, media, …)."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    assert await async_setup_component(hass, "intent", {})
    await hass.async_block_till_done()  # a walker set up before attaches its sentences now


async def assist_and_walker(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, **options: Any
) -> MockConfigEntry:
    """Assist, and Alex in a clear hallway (10 minutes, backward only) at 17:00 UTC."""
    freezer.move_to("2026-03-02 17:00:00+00:00")
    await setup_assist(hass)
    return await setup_walker(hass, freezer, **options)


async def process(
    hass: HomeAssistant, text: str, language: str = "en", user_id: str | None = None
) -> str:
    """What the default agent answers to ``text``, through the ``conversation.process`` action."""
    response = await hass.services.async_call(
        "conversation",
        "process",
        {"text": text, "language": language},
        blocking=True,
        return_response=True,
        context=Context(user_id=user_id),
    )
    assert isinstance(response, dict)
    await hass.async_block_till_done()
    return str(response["response"]["speech"]["plain"]["speech"])


async def converse(
    hass: HomeAssistant, text: str, **kwargs: Any
) -> conversation.ConversationResult:
    """The agent's whole result for ``text`` (device, language and context as keywords)."""
    language = kwargs.pop("language", "en")
    context = kwargs.pop("context", None) or Context()
    result = await conversation.async_converse(
        hass, text, None, context, language=language, **kwargs
    )
    await hass.async_block_till_done()
    return result


def common_text(language: str, key: str, **values: Any) -> str:
    """A text of the integration's ``common`` translations, filled in."""
    from .test_packaging import load

    return str(load(f"translations/{language}.json")["common"][key]).format(**values)


def message_text(language: str, key: str, **values: Any) -> str:
    """An action's error message from the translations, filled in."""
    from .test_packaging import load

    return str(load(f"translations/{language}.json")["exceptions"][key]["message"]).format(**values)


def intent_domain() -> str:
    """The platform the triggers hand their intents to."""
    return DOMAIN
