"""What the entities show: one immutable snapshot computed by the hub after every change.

Timer-style: while a session runs, the figures that grow with time (elapsed, remaining, progress,
energy, today's and this week's minutes) keep the values of the last transition (start, resume),
and the snapshot carries when the session and the phase end instead, for dashboards to count from.
So an undisturbed walk rewrites nothing but its phase changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from homeassistant.core import HomeAssistant

from .alerts import friendly_names
from .core.coach import Suggestion
from .core.energy import Met
from .core.ladder import CheckInView
from .core.logbook import session_energy_of, session_seconds
from .core.programs import Direction
from .core.safety import CLEAR, Assessment, Hazard, Verdict
from .core.session import ACTIVE_STATES, PauseReason, Session, SessionState
from .core.settings import WalkerSettings
from .core.stats import History, LiveContribution, Summary, summarize
from .core.walker import Walker
from .event_data import reasons_data


@dataclass(frozen=True, slots=True)
class WalkerView:
    """The walker's current state in display-ready numbers."""

    state: SessionState
    summary: Summary
    verdict: Verdict = Verdict.CLEAR
    hazard: Hazard | None = None
    reasons: tuple[dict[str, str], ...] = ()
    check_in: CheckInView = field(default_factory=CheckInView)
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
    # The running stretch the figures belong to (start time, pauses so far) and its elapsed
    # seconds at the transition that began it; None and the session's elapsed when not running.
    run: tuple[datetime, int] | None = None
    figures_s: float = 0.0


def build_view(
    session: Session | None,
    history: History,
    settings: WalkerSettings,
    today: date,
    session_day: date | None,
    *,
    assessment: Assessment = CLEAR,
    check_in: CheckInView | None = None,
    next_reminder: datetime | None = None,
    coach: Suggestion | None = None,
    names: dict[str, str] | None = None,
    previous: WalkerView | None = None,
) -> WalkerView:
    """Compute the snapshot; ``session_day`` is the local date the session started on.

    The time-grown figures are those of ``previous`` while the same running stretch goes on.
    """
    safety: dict[str, Any] = {
        "verdict": assessment.verdict,
        "hazard": assessment.top_hazard,
        "reasons": tuple(
            {**reason, "name": (names or {}).get(reason["entity_id"], reason["entity_id"])}
            for reason in reasons_data(assessment.reasons)
        ),
        "check_in": check_in or CheckInView(),
        "next_reminder": next_reminder,
        "coach": coach,
    }
    if session is None:
        summary = summarize(history, today, settings.weekly_goal_minutes)
        return WalkerView(SessionState.IDLE, summary, **safety)
    run = _run(session)
    figures_s = session.elapsed_s
    if run is not None and previous is not None and previous.run == run:
        figures_s = previous.figures_s
    live = None
    seconds = session_seconds(session, figures_s)
    running_or_paused = session.state in ACTIVE_STATES
    if running_or_paused and session_day is not None:
        live = LiveContribution(session_day, seconds[Direction.BACKWARD], figures_s)
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
        run=run,
        figures_s=figures_s,
        summary=summarize(history, today, settings.weekly_goal_minutes, live),
        **safety,
    )


def _run(session: Session) -> tuple[datetime, int] | None:
    """Which running stretch of which session this is; None unless running."""
    if session.state is not SessionState.RUNNING:
        return None
    return (session.started_at, len(session.pauses))


def engine_view(
    hass: HomeAssistant, engine: Walker, now: datetime, previous: WalkerView | None = None
) -> WalkerView:
    """The snapshot of what the engine shows now, with the sensors' friendly names."""
    session = engine.machine.session
    assessment = engine.guard.assessment
    return build_view(
        session,
        engine.history,
        engine.settings,
        engine.local_date(now),
        engine.local_date(session.started_at) if session else None,
        assessment=assessment,
        check_in=engine.check_in,
        next_reminder=engine.next_reminder,
        coach=engine.coach_or_none(now),
        names=friendly_names(hass, [r.entity_id for r in assessment.reasons]),
        previous=previous,
    )


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
