"""What the entities show: one immutable snapshot computed by the hub after every change.

The figures that grow with time (elapsed, remaining, progress, energy, today's and this week's
minutes, the goal) are shown in whole minutes: while a session runs they are those of its last
whole minute walked (``core/figures.py``), so the engine's wake-up on each walking minute writes
them, and nothing in between. The snapshot also carries when the session and the phase end, for
dashboards to count the seconds from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from homeassistant.core import HomeAssistant

from .alerts import friendly_names
from .contacts import ContactAlert
from .core.coach import Suggestion
from .core.energy import Met
from .core.figures import shown_elapsed_s
from .core.isodates import iso
from .core.ladder import CheckInView
from .core.logbook import session_energy_of, session_seconds
from .core.programs import Direction
from .core.safety import Assessment, Hazard, Reason, Verdict, reason_to_dict
from .core.session import ACTIVE_STATES, PauseReason, SessionState
from .core.stats import LiveContribution, Summary, summarize
from .core.walker import Walker


@dataclass(frozen=True, slots=True)
class ShownReason:
    """One reason the path is not clear, as the entities show it.

    ``clears_at``: it no longer reads a hazard and holds the path until then (the end of its
    clear-hold; for a sensor being checked, when it is ready). ``overridden``: forced for this
    session, so it only warns and no longer keeps a session from resuming.
    """

    reason: Reason
    name: str
    clears_at: datetime | None = None
    overridden: bool = False

    def as_attribute(self) -> dict[str, Any]:
        """The reason in the path's ``reasons`` attribute."""
        shown: dict[str, Any] = {**reason_to_dict(self.reason), "name": self.name}
        if self.clears_at is not None:
            shown["clears_at"] = iso(self.clears_at)
        if self.overridden:
            shown["overridden"] = True
        return shown


@dataclass(frozen=True, slots=True)
class WalkerView:
    """The walker's current state in display-ready numbers."""

    state: SessionState
    summary: Summary
    verdict: Verdict = Verdict.CLEAR
    hazard: Hazard | None = None
    reasons: tuple[ShownReason, ...] = ()
    check_in: CheckInView = field(default_factory=CheckInView)
    contacts: ContactAlert = field(default_factory=ContactAlert)
    next_reminder: datetime | None = None
    coach: Suggestion | None = None
    pause_reason: PauseReason | None = None
    direction: Direction | None = None
    # While running: when the target is reached and when the direction changes (or the target).
    ends_at: datetime | None = None
    phase_ends_at: datetime | None = None
    # While paused: the seconds left, frozen (ends_at and phase_ends_at are None then).
    paused_remaining_s: float | None = None
    paused_phase_remaining_s: float | None = None
    elapsed_min: float = 0.0
    remaining_min: float = 0.0
    progress_pct: float = 0.0
    backward_min: float = 0.0
    kcal: float = 0.0
    extra_kcal: float = 0.0
    met: Met | None = None
    program: str | None = None
    target_min: float | None = None
    started_at: datetime | None = None


def engine_view(
    hass: HomeAssistant,
    engine: Walker,
    now: datetime,
    contacts: ContactAlert | None = None,
    *,
    exact: bool = False,
) -> WalkerView:
    """The snapshot of what the engine shows at ``now``, with the sensors' friendly names.

    ``exact``: the session's figures to the second (an action's answer), not to the minute.
    """
    assessment = engine.guard.assessment
    names = friendly_names(hass, [r.entity_id for r in assessment.reasons])
    safety: dict[str, Any] = {
        "verdict": assessment.verdict,
        "hazard": assessment.top_hazard,
        "reasons": _shown_reasons(assessment, names, engine.guard.overridden),
        "check_in": engine.check_in,
        "contacts": contacts or ContactAlert(),
        "next_reminder": engine.next_reminder,
        "coach": engine.coach_or_none(now),
    }
    settings, today = engine.settings, engine.local_date(now)
    session = engine.machine.session
    if session is None:
        summary = summarize(engine.history, today, settings.weekly_goal_minutes)
        return WalkerView(SessionState.IDLE, summary, **safety)
    figures_s = session.elapsed_at(now) if exact else shown_elapsed_s(session, now)
    seconds = session_seconds(session, figures_s)
    running_or_paused = session.state in ACTIVE_STATES
    live = None
    if running_or_paused:
        day: date = engine.local_date(session.started_at)
        live = LiveContribution(day, seconds[Direction.BACKWARD], figures_s)
    energy = session_energy_of(session, settings, figures_s)
    paused = session.state is SessionState.PAUSED
    return WalkerView(
        state=session.state,
        pause_reason=session.pause_reason,
        direction=session.direction if running_or_paused else None,
        ends_at=session.walking_until(session.remaining_s),
        phase_ends_at=session.walking_until(session.phase_remaining_s),
        paused_remaining_s=session.remaining_s if paused else None,
        paused_phase_remaining_s=session.phase_remaining_s if paused else None,
        elapsed_min=figures_s / 60,
        remaining_min=max(session.target_s - figures_s, 0.0) / 60,
        progress_pct=min(figures_s / session.target_s, 1.0) * 100,
        backward_min=seconds[Direction.BACKWARD] / 60,
        kcal=energy.kcal,
        extra_kcal=energy.extra_kcal_vs_forward,
        met=energy.backward_met,
        program=session.program.key,
        target_min=session.target_s / 60,
        started_at=session.started_at,
        summary=summarize(engine.history, today, settings.weekly_goal_minutes, live),
        **safety,
    )


def _shown_reasons(
    assessment: Assessment, names: dict[str, str], overridden: frozenset[tuple[str, str]]
) -> tuple[ShownReason, ...]:
    clears = {held.reason: held.at for held in assessment.clearing}
    return tuple(
        ShownReason(
            reason,
            names.get(reason.entity_id, reason.entity_id),
            clears.get(reason),
            (reason.entity_id, reason.hazard.value) in overridden,
        )
        for reason in assessment.reasons
    )


def path_attributes(view: WalkerView) -> dict[str, Any]:
    """The path's verdict and every reason, worst first, as the path's entities show them."""
    return {"verdict": view.verdict.value, "reasons": [r.as_attribute() for r in view.reasons]}


def session_summary(view: WalkerView, walker: str) -> dict[str, Any]:
    """The session as an action response and for diagnostics."""
    return {
        "walker": walker,
        "state": view.state.value,
        "pause_reason": view.pause_reason.value if view.pause_reason else None,
        "program": view.program,
        "direction": view.direction.value if view.direction else None,
        "target_minutes": _round(view.target_min),
        "elapsed_minutes": _round(view.elapsed_min),
        "remaining_minutes": _round(view.remaining_min),
        "backward_minutes": _round(view.backward_min),
        "kcal": _round(view.kcal),
        "extra_kcal_vs_forward": _round(view.extra_kcal),
        "started_at": view.started_at.isoformat() if view.started_at else None,
        "path": view.verdict.value,
        "check_in": view.check_in.state.value,
        "next_reminder": view.next_reminder.isoformat() if view.next_reminder else None,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
