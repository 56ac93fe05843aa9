"""The start gate: whether a session may start or resume on the path as it is.

What ``force`` may override, and what a session already overrode, is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .safety import Assessment, Hazard, Reason

# Hazards that `force` may override when starting: warnings and sensors that cannot be read.
OVERRIDABLE = frozenset({Hazard.CROSSING, Hazard.SENSOR_UNAVAILABLE, Hazard.CHECKING})


@dataclass(frozen=True, slots=True)
class StartGate:
    """Whether a session may start now, and what a forced start overrode."""

    allowed: bool
    blocking: tuple[Reason, ...] = ()
    overridden: tuple[Reason, ...] = ()


def gate_start(
    assessment: Assessment, force: bool, overridden: frozenset[tuple[str, str]] = frozenset()
) -> StartGate:
    """Refuse unless the path is clear apart from what this session already overrode.

    ``force`` overrides warnings, unreadable sensors and sensors still being checked, never an
    obstacle, darkness, a short distance or a fall.
    """
    pending = tuple(r for r in assessment.reasons if (r.entity_id, r.hazard) not in overridden)
    if not pending:
        return StartGate(True)
    if not force:
        return StartGate(False, pending)
    blocking = tuple(r for r in pending if r.hazard not in OVERRIDABLE)
    if blocking:
        return StartGate(False, blocking)
    return StartGate(True, overridden=pending)
