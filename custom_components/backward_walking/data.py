"""Typed runtime data of a walker's config entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .hub import WalkerHub

type BackwardWalkingConfigEntry = ConfigEntry[WalkerHub]
