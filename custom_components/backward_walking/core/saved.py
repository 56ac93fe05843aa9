"""Reading the saved state: damaged data raises KeyError, TypeError or ValueError, nothing else.

The hub sets a damaged file aside on exactly these three; anything else is a bug and surfaces.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def mapping(value: object) -> Mapping[str, Any]:
    """``value`` as the object (JSON dict) it must be; raises TypeError otherwise."""
    if not isinstance(value, Mapping):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value


def whole(value: Any) -> int:
    """``value`` as an integer; raises ValueError (not OverflowError) for an infinite number."""
    try:
        return int(value)
    except OverflowError as err:
        raise ValueError(str(err)) from err
