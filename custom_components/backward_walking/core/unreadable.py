"""Sensors that cannot be read: since when, and when each is due a repair issue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from .safety import Reading

_UNREADABLE = frozenset({"unavailable", "unknown"})


def unreadable_since(
    readings: Mapping[str, Reading | None], entity_ids: Iterable[str]
) -> dict[str, datetime]:
    """Since when each of ``entity_ids`` reads unavailable or unknown (the others are left out)."""
    found: dict[str, datetime] = {}
    for entity_id in entity_ids:
        reading = readings.get(entity_id)
        if reading is not None and reading.state in _UNREADABLE and reading.since:
            found[entity_id] = reading.since
    return found


def long_unreadable(
    since: Mapping[str, datetime], limit: timedelta, now: datetime
) -> frozenset[str]:
    """The sensors unreadable for ``limit`` or longer at ``now``."""
    return frozenset(entity_id for entity_id, start in since.items() if now - start >= limit)


def repairs_due(since: Mapping[str, datetime], limit: timedelta, now: datetime) -> list[datetime]:
    """When the sensors still short of ``limit`` reach it."""
    return [start + limit for start in since.values() if start + limit > now]
