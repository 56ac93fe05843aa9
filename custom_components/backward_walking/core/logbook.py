"""The walker's history as the engine keeps it: finished sessions, today's walking, the coach.

A session counts on the local day it started on; its figures (seconds per direction, energy) are
worked out here for the history and for the view alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from .coach import Suggestion, WeeklyCoach
from .energy import EnergyEstimate, session_energy
from .programs import Direction, time_by_direction
from .session import ACTIVE_STATES, Session, SessionState
from .settings import WalkerSettings
from .stats import History, LiveContribution, PauseEntry, SessionRecord, summarize


def session_seconds(session: Session, elapsed_s: float | None = None) -> dict[Direction, float]:
    """Seconds per direction walked in ``session`` so far (or in its first ``elapsed_s``)."""
    return time_by_direction(session.program, session.elapsed_s if elapsed_s is None else elapsed_s)


def session_energy_of(
    session: Session, settings: WalkerSettings, elapsed_s: float | None = None
) -> EnergyEstimate:
    """Energy of ``session`` (or of its first ``elapsed_s``) for the walker's weight and MET."""
    return session_energy(
        session_seconds(session, elapsed_s),
        session.speed_mph,
        settings.weight_kg,
        settings.met_override,
    )


def session_record(session: Session, settings: WalkerSettings, now: datetime) -> SessionRecord:
    """What the history keeps of a finished session (a pause still open ends ``now``)."""
    assert session.ended_at is not None
    seconds = session_seconds(session)
    energy = session_energy_of(session, settings)
    return SessionRecord(
        started_at=session.started_at,
        ended_at=session.ended_at,
        completed=session.state is SessionState.COMPLETED,
        program=session.program.key,
        target_s=session.target_s,
        speed_mph=session.speed_mph,
        backward_s=seconds[Direction.BACKWARD],
        forward_s=seconds[Direction.FORWARD],
        rest_s=seconds[Direction.REST],
        kcal=energy.kcal,
        extra_kcal=energy.extra_kcal_vs_forward,
        pauses=tuple(
            PauseEntry(
                pause.reason.value,
                pause.started_at.isoformat(),
                ((pause.ended_at or now) - pause.started_at).total_seconds(),
            )
            for pause in session.pauses
        ),
    )


class Logbook:
    """One walker's history in their time zone, and the coach's advice drawn from it."""

    def __init__(self, zone: tzinfo, history: History | None = None) -> None:
        """Keep ``history`` (an empty one when new), counted by days in ``zone``."""
        self.zone = zone
        self.history = history or History()
        self._coach = WeeklyCoach()

    def local_date(self, moment: datetime) -> date:
        """The calendar date of ``moment`` in the walker's time zone."""
        return moment.astimezone(self.zone).date()

    def next_midnight(self, now: datetime) -> datetime:
        """The start of the walker's next local day after ``now``, in UTC."""
        tomorrow = self.local_date(now) + timedelta(days=1)
        # Through UTC, so that a midnight inside a daylight-saving gap is a real moment.
        return datetime.combine(tomorrow, time(0), tzinfo=self.zone).astimezone(UTC)

    def record(self, session: Session, settings: WalkerSettings, now: datetime) -> None:
        """Keep a finished session, on the day it started."""
        self.history.add(
            session_record(session, settings, now), self.local_date(session.started_at)
        )

    def coach(self, settings: WalkerSettings, now: datetime) -> Suggestion | None:
        """The coach's advice for this week, while the coach is on."""
        if not settings.coach_enabled:
            return None
        return self._coach.advice(
            self.history.sessions,
            self.local_date(now),
            self.local_date,
            settings.sessions_per_week,
            settings.speed_mph,
        )

    def session_goal(self, settings: WalkerSettings, now: datetime) -> float:
        """Today's session length: the coach's suggestion when it is on, else the default."""
        coach = self.coach(settings, now)
        return coach.session_min if coach else float(settings.target_minutes)

    def walked_today(
        self, session: Session | None, settings: WalkerSettings, now: datetime
    ) -> float:
        """Today's minutes, the session in progress included."""
        live = None
        if session is not None and session.state in ACTIVE_STATES:
            backward = session_seconds(session)[Direction.BACKWARD]
            live = LiveContribution(
                self.local_date(session.started_at), backward, session.elapsed_s
            )
        today = self.local_date(now)
        return summarize(self.history, today, settings.weekly_goal_minutes, live).today_total_min
