"""A damaged saved file makes the engine's restore raise KeyError, TypeError or ValueError only.

The hub sets the file aside on exactly these three; anything else would be a bug in restore.
"""

from __future__ import annotations

from collections.abc import Callable
import contextlib
from datetime import UTC, datetime, timedelta
import json
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.backward_walking.core.safety import Reading, Role, SensorRule
from custom_components.backward_walking.core.settings import WalkerSettings
from custom_components.backward_walking.core.walker import Walker

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
SETTINGS = WalkerSettings(
    name="Alex", target_minutes=2, sensors=(SensorRule("b.fall", Role.FALL),), check_in_s=60
)
DAMAGED = (KeyError, TypeError, ValueError)


def _saved() -> dict[str, Any]:
    """A file with something in every part: history, a paused session, an emergency, the hold."""
    engine = Walker(SETTINGS, UTC)
    engine.load({"b.fall": Reading("off", since=T0)}, T0)
    now = T0 + timedelta(seconds=6)
    engine.start(now)
    engine.tick(now + timedelta(minutes=3))  # completed: a session in the history
    now += timedelta(minutes=4)
    engine.start(now)
    engine.reading("b.fall", Reading("on", since=now), now)  # paused, check-in open
    engine.tick(now + timedelta(seconds=61))  # escalated
    saved: dict[str, Any] = json.loads(json.dumps(engine.to_dict(now + timedelta(seconds=62))))
    return saved


SAVED = _saved()

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["", "idle", "escalated", "fall", "2026-03-02T08:00:00+00:00", "F1 B1"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(data: object, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the saved data that can be replaced."""
    found = [here]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*here, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*here, index))
    return found


PATHS = _paths(SAVED)


def _damaged(
    path: tuple[Any, ...], change: Callable[[dict[str, Any] | list[Any], Any], None]
) -> Any:
    """A copy of the saved data with ``change(parent, key)`` done at ``path``."""
    copy: Any = json.loads(json.dumps(SAVED))
    if not path:
        return copy
    node = copy
    for step in path[:-1]:
        node = node[step]
    change(node, path[-1])
    return copy


def _restore(data: Any) -> None:
    Walker(SETTINGS, UTC).restore(data, T0 + timedelta(minutes=10))


def _restored_or_refused(data: Any) -> None:
    """Restores, or raises one of the three errors the hub takes for a damaged file."""
    with contextlib.suppress(*DAMAGED):
        _restore(data)


def test_the_file_restores_as_it_is() -> None:
    _restore(SAVED)
    assert len(PATHS) > 50


@settings(max_examples=400, deadline=None)
@given(path=st.sampled_from(PATHS), value=JSON)
def test_any_part_replaced_restores_or_is_refused_as_damaged(
    path: tuple[Any, ...], value: object
) -> None:
    if not path:
        damaged: Any = value
    else:
        damaged = _damaged(path, lambda parent, key: parent.__setitem__(key, value))
    _restored_or_refused(damaged)


@pytest.mark.parametrize("path", [p for p in PATHS if p])
def test_any_part_left_out_restores_or_is_refused_as_damaged(path: tuple[Any, ...]) -> None:
    damaged = _damaged(path, lambda parent, key: parent.__delitem__(key))
    _restored_or_refused(damaged)
