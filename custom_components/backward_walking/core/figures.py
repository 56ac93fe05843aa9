"""The figures that grow while a session runs, at the resolution dashboards show them: minutes.

Elapsed and remaining time, progress, energy, today's and this week's minutes and the weekly goal
are shown in whole minutes. While a session is running or paused they are the figures of its last
whole minute walked, so each is written once a walking minute, on the minute, and never shows a
part of a minute that then stands still; a finished session's figures are exact. In between,
dashboards count the seconds themselves from the session's end (``ends_at``).
"""

from __future__ import annotations

from datetime import datetime
import math

from .session import ACTIVE_STATES, Session, SessionState

MINUTE_S = 60.0
# Timer moments are kept to the microsecond: a minute reached a hair early still counts as reached.
_SLACK_S = 1e-3


def shown_elapsed_s(session: Session, now: datetime) -> float:
    """The session's time as the minute figures show it at ``now``."""
    elapsed = session.elapsed_at(now)
    if session.state not in ACTIVE_STATES:
        return elapsed
    whole = math.floor((elapsed + _SLACK_S) / MINUTE_S) * MINUTE_S
    return min(whole, session.target_s)


def next_minute_at(session: Session | None, now: datetime) -> datetime | None:
    """While walking: when the next whole minute is walked (None when the target comes first)."""
    if session is None or session.state is not SessionState.RUNNING:
        return None
    mark = shown_elapsed_s(session, now) + MINUTE_S
    if mark >= session.target_s:
        return None
    return session.walking_until(mark - session.elapsed_s)
