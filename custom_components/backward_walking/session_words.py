"""The session in words, for the ear and the lock screen: the time left, the phase, why it paused.

Shared by the spoken answers (``spoken.py``) and the lock-screen notification (``lock_screen.py``),
so a walker hears and reads the same words. Times are worked out from the view at the moment they
are said: while walking from when the session and the phase end, while paused from the frozen
seconds left.
"""

from __future__ import annotations

from datetime import datetime
import math

from homeassistant.util import dt as dt_util

from .core.programs import Direction
from .core.session import PauseReason, SessionState
from .texts import Texts
from .view import WalkerView


def upper_first(text: str) -> str:
    """``text`` with its first letter capitalised, as at the start of a sentence."""
    return text[:1].upper() + text[1:]


def direction_word(texts: Texts, direction: Direction | None) -> str:
    """'backward', 'forward' or 'rest' in the language of ``texts``."""
    return texts.get(f"direction_{(direction or Direction.BACKWARD).value}")


def paused_words(texts: Texts, reason: PauseReason | None) -> str:
    """Why the walk is paused, e.g. 'paused because the path is not clear'."""
    return texts.get(f"paused_{(reason or PauseReason.USER).value}")


def seconds_left(view: WalkerView, now: datetime) -> float:
    """Seconds of the session still to walk at ``now``.

    Never more than were left at the last transition: a clock stepped back adds no time.
    """
    if view.state is SessionState.RUNNING and view.ends_at is not None:
        left = (view.ends_at - now).total_seconds()
        return min(max(left, 0.0), view.remaining_min * 60)
    if view.state is SessionState.PAUSED and view.paused_remaining_s is not None:
        return view.paused_remaining_s
    return 0.0


def phase_seconds_left(view: WalkerView, now: datetime) -> float:
    """Seconds of the current direction still to walk at ``now``: what is left before the rest."""
    left = seconds_left(view, now)
    if view.phase_ends_at is None or view.ends_at is None:
        return left
    after_phase = (view.ends_at - view.phase_ends_at).total_seconds()
    return max(left - after_phase, 0.0)


def last_phase(view: WalkerView) -> bool:
    """Whether the walk's current direction lasts to the end of the session (to the second)."""
    if view.phase_ends_at is None or view.ends_at is None:
        return True
    return abs((view.ends_at - view.phase_ends_at).total_seconds()) < 1


def spoken_duration(texts: Texts, seconds: float) -> str:
    """A duration as it is said: '7 minutes and 30 seconds', '1 minute', '45 seconds'.

    Whole seconds, rounded up while any time is left, so 'left' is never said of a finished walk.
    """
    whole = math.ceil(seconds) if seconds > 0 else 0
    minutes, secs = divmod(whole, 60)
    said_minutes = _count(texts, "minute", minutes)
    said_seconds = _count(texts, "second", secs)
    if minutes and secs:
        return texts.get("duration_and", minutes=said_minutes, seconds=said_seconds)
    return said_minutes if minutes else said_seconds


def spoken_minutes(texts: Texts, minutes: float) -> str:
    """Whole minutes as they are said: '1 minute', '12 minutes'."""
    return _count(texts, "minute", round(minutes))


def _count(texts: Texts, unit: str, count: int) -> str:
    return texts.get(f"duration_{unit}" if count == 1 else f"duration_{unit}s", count=count)


def clock_shown(seconds: float) -> str:
    """A duration as m:ss, as the card shows it."""
    whole = math.ceil(seconds) if seconds > 0 else 0
    minutes, secs = divmod(whole, 60)
    return f"{minutes}:{secs:02d}"


def local_clock(moment: datetime) -> str:
    """The local time of day of ``moment``, as HH:MM."""
    return dt_util.as_local(moment).strftime("%H:%M")


def names_or(texts: Texts, names: list[str]) -> str:
    """'Alex', 'Alex or Rosa', 'Alex, Rosa or Sam'."""
    if len(names) < 2:
        return "".join(names)
    return texts.get("names_or", earlier=", ".join(names[:-1]), later=names[-1])
