"""ISO 8601 text for optional dates and times, as the saved state keeps them."""

from __future__ import annotations

from datetime import date, datetime


def iso(value: date | None) -> str | None:
    """``value`` as ISO text (a datetime is a date too), or None."""
    return value.isoformat() if value else None


def parse_datetime(text: str | None) -> datetime | None:
    """The datetime in ``text``, or None for no text; raises ValueError on bad text."""
    return datetime.fromisoformat(text) if text else None


def parse_date(text: str | None) -> date | None:
    """The date in ``text``, or None for no text; raises ValueError on bad text."""
    return date.fromisoformat(text) if text else None
