"""What a voice command answers, in the language it was asked in.

Short spoken sentences; safety first: a status answer starts with an open check-in or emergency
and a path that is not clear. A refusal is the message the action gives (``exceptions`` in the
translations), worded in the language asked in, reasons included; the path's refusal leaves out
``force``, which no voice can reach.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.translation import async_get_translations

from .alerts import friendly_names
from .const import DOMAIN
from .contacts import ContactStatus
from .core.ladder import CheckInState
from .core.safety import Hazard, Reason, Verdict
from .core.session import SessionState
from .core.settings import WalkerSettings
from .errors import CommandRefusedError
from .session_words import (
    direction_word,
    last_phase,
    names_or,
    paused_words,
    phase_seconds_left,
    seconds_left,
    spoken_duration,
    spoken_minutes,
)
from .texts import Texts, async_texts
from .view import WalkerView
from .walker_choice import (
    NoWalkerError,
    UnknownWalkerError,
    WalkerNotChosenError,
    WalkerNotLoadedError,
    WhichWalkerError,
)

# Worded for the ear: the written message also offers ``force``, which no voice can reach, and
# counts the sensors' hold in "s", which is no word to hear.
PATH_NOT_CLEAR = "path_not_clear"
PATH_CHECKING = "path_checking"
PATH_CLEARING = "path_clearing"


@dataclass(frozen=True, slots=True)
class Walked:
    """One walker as an answer speaks of it."""

    settings: WalkerSettings
    view: WalkerView
    reasons: tuple[Reason, ...] = ()

    @property
    def name(self) -> str:
        """The walker's name."""
        return self.settings.name


@dataclass(frozen=True, slots=True)
class Words:
    """The answers in one language."""

    hass: HomeAssistant
    texts: Texts
    messages: Mapping[str, str]

    @classmethod
    async def of(cls, hass: HomeAssistant, language: str) -> Words:
        """The answers in ``language`` (English for any key it lacks)."""
        texts = await async_texts(hass, language)
        messages = await async_get_translations(hass, language, "exceptions", {DOMAIN})
        return cls(hass, texts, messages)

    def message(self, key: str, **placeholders: str) -> str:
        """An action's error message (``exceptions.<key>``)."""
        return self.messages[f"component.{DOMAIN}.exceptions.{key}.message"].format(**placeholders)

    def refusal(self, err: ServiceValidationError) -> str:
        """The message of a refused command; the path's reasons in this language."""
        key = str(err.translation_key)
        placeholders = dict(err.translation_placeholders or {})
        if isinstance(err, CommandRefusedError):
            if key == PATH_NOT_CLEAR:
                return self._path(placeholders["walker"], err.refusal.reasons)
            if key == err.refusal.key:
                placeholders = self.texts.refusal_placeholders(key, err.refusal.placeholders)
        if key == PATH_CHECKING:
            return self.texts.get("voice_path_ready_in", **placeholders)
        if key == PATH_CLEARING:
            return self.texts.get("voice_path_clearing_in", **placeholders)
        return self.message(key, **placeholders)

    def not_chosen(self, err: WalkerNotChosenError) -> str:
        """Why no walker was chosen: none, an unknown name, not loaded, or which one."""
        match err:
            case WhichWalkerError():
                return self.texts.get("voice_which", names=names_or(self.texts, err.names))
            case UnknownWalkerError():
                return self.message("walker_not_found", walker=err.name)
            case WalkerNotLoadedError():
                return self.message("walker_not_loaded", walker=err.walker)
            case NoWalkerError():
                return self.texts.get("voice_no_walker")
        raise TypeError(err)  # pragma: no cover - every WalkerNotChosenError is matched above

    def not_allowed(self, walker: str) -> str:
        """The user may not do this to the walker (a read-only account)."""
        return self.texts.get("voice_not_allowed", walker=walker)

    def invalid_minutes(self, value: str, low: float, high: float) -> str:
        """A session length that is no whole number of minutes within the limits."""
        return self.message("invalid_duration", min=f"{low:g}", max=f"{high:g}", value=value)

    # --- what was done -----------------------------------------------------------------------

    def started(self, walker: Walked) -> str:
        """The session has started."""
        view = walker.view
        return self.texts.get(
            "voice_started",
            walker=walker.name,
            minutes=round(view.target_min or 0),
            direction=direction_word(self.texts, view.direction),
        )

    def paused(self, walker: Walked) -> str:
        """The session is paused."""
        return self.texts.get("voice_paused", walker=walker.name)

    def resumed(self, walker: Walked, now: datetime) -> str:
        """The session goes on."""
        return self.texts.get(
            "voice_resumed",
            walker=walker.name,
            left=spoken_duration(self.texts, seconds_left(walker.view, now)),
            direction=direction_word(self.texts, walker.view.direction),
        )

    def stopped(self, walker: Walked) -> str:
        """The session was ended early."""
        walked = spoken_duration(self.texts, walker.view.elapsed_min * 60)
        return self.texts.get("voice_stopped", walker=walker.name, walked=walked)

    def ok(self, walker: Walked) -> str:
        """The check-in is answered."""
        clear = walker.view.verdict is Verdict.CLEAR
        return self.texts.get(
            "check_in_ok_body" if clear else "check_in_ok_wait", walker=walker.name
        )

    def help(self, walker: Walked) -> str:
        """The alarm is raised; honest about where it goes."""
        key = "voice_help" if walker.settings.emergency_notify else "voice_help_no_contacts"
        return self.texts.get(key, walker=walker.name)

    def _emergency(self, walker: Walked) -> str:
        """Where the emergency's alert went: only what is true (never 'alerted' untruly)."""
        match walker.view.contacts.status:
            case ContactStatus.ALERTED:
                key = "voice_status_emergency"
            case ContactStatus.NONE_SET_UP:
                key = "voice_status_emergency_no_contacts"
            case ContactStatus.FAILED:
                key = "voice_status_emergency_failed"
            case ContactStatus.PARTLY_FAILED:
                key = "voice_status_emergency_partly"
            case _:
                key = "voice_status_emergency_sending"
        return self.texts.get(key, walker=walker.name)

    # --- how it is going ---------------------------------------------------------------------

    def status(self, walker: Walked, now: datetime) -> str:
        """The check-in and the path first, then the session (or today's minutes without one)."""
        said = [*self._safety(walker), self._session(walker, now)]
        return " ".join(said)

    def _safety(self, walker: Walked) -> list[str]:
        said = []
        check_in = walker.view.check_in.state
        if check_in is CheckInState.ESCALATED:
            said.append(self._emergency(walker))
        elif check_in is CheckInState.AWAITING_RESPONSE:
            said.append(self.texts.get("voice_status_check_in", walker=walker.name))
        if walker.view.verdict is not Verdict.CLEAR and walker.reasons:
            said.append(self._path(walker.name, walker.reasons))
        return said

    def _path(self, walker: str, reasons: tuple[Reason, ...]) -> str:
        """What is wrong with the path; sensors still being checked in one short sentence."""
        hazards = tuple(r for r in reasons if r.hazard is not Hazard.CHECKING)
        if not hazards:
            return self.texts.get("voice_path_checking", walker=walker)
        return self.texts.get("voice_path_not_clear", walker=walker, reasons=self._reasons(hazards))

    def _session(self, walker: Walked, now: datetime) -> str:
        view, texts = walker.view, self.texts
        left = spoken_duration(texts, seconds_left(view, now))
        if view.state is SessionState.PAUSED:
            paused = paused_words(texts, view.pause_reason)
            return texts.get("voice_status_paused", walker=walker.name, paused=paused, left=left)
        if view.state is SessionState.RUNNING:
            direction = direction_word(texts, view.direction)
            if last_phase(view):
                return texts.get(
                    "voice_status_walking_last", walker=walker.name, left=left, direction=direction
                )
            return texts.get(
                "voice_status_walking",
                walker=walker.name,
                left=left,
                direction=direction,
                phase_left=spoken_duration(texts, phase_seconds_left(view, now)),
            )
        summary = view.summary
        return texts.get(
            "voice_status_idle",
            walker=walker.name,
            today=spoken_minutes(texts, summary.today_total_min),
            week=round(summary.week_backward_min),
            goal=walker.settings.weekly_goal_minutes,
        )

    def _reasons(self, reasons: tuple[Reason, ...]) -> str:
        names = friendly_names(self.hass, (r.entity_id for r in reasons))
        return self.texts.reasons(reasons, names)
