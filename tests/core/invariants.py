"""Invariants shared by the stateful property tests."""

from __future__ import annotations

from custom_components.backward_walking.core.session import Session


def elapsed_checked(session: Session | None, last_elapsed: float) -> float:
    """Elapsed time never shrinks and stays within the target; returns the new floor."""
    if session is None:
        return last_elapsed
    assert session.elapsed_s >= last_elapsed
    assert 0 <= session.elapsed_s <= session.target_s
    return session.elapsed_s
