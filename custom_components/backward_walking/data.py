"""The typed config entry of a walker, for the platforms (declared beside the hub it carries)."""

from __future__ import annotations

from .hub import BackwardWalkingConfigEntry

__all__ = ["BackwardWalkingConfigEntry"]
