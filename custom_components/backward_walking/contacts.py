"""Whether the emergency contacts were reached, so nobody is told "contacts alerted" untruly.

Without contacts an emergency is only in Home Assistant's notifications panel; a contact whose notify
target fails (no such service, an error, no answer within the time-out) has not read it. The outcome
of each contact's delivery is kept for the open emergency: the card says who could not be reached,
and when nobody could be, the walker is told and the alert is put in Home Assistant's notifications.
A contact reached once stays reached; a failed one counts as reached as soon as a re-alert gets
through. After a restart nothing is known until the next alert is delivered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from homeassistant.core import HomeAssistant

from .core.ladder import CheckInState, CheckInView
from .core.settings import WalkerSettings
from .people import phone_for_target


class ContactStatus(StrEnum):
    """What the alert reached."""

    NONE_SET_UP = "none_set_up"  # no contacts: the alert is in Home Assistant's notifications only
    SENDING = "sending"
    ALERTED = "alerted"
    PARTLY_FAILED = "partly_failed"
    FAILED = "failed"  # nobody: the alert is in Home Assistant's notifications only


@dataclass(frozen=True, slots=True)
class ContactAlert:
    """The contacts' side of the open check-in, as the card shows it; names of the unreachable."""

    status: ContactStatus | None = None
    unreachable: tuple[str, ...] = ()


def contact_names(hass: HomeAssistant, targets: Iterable[str]) -> tuple[str, ...]:
    """How people know each notify target: the phone's name, the entity's name, else the service."""
    names = []
    for target in targets:
        phone = phone_for_target(hass, target)
        state = hass.states.get(target)
        if phone is not None:
            names.append(phone.name)
        elif state is not None:
            names.append(state.name)
        else:
            names.append(target.removeprefix("notify."))
    return tuple(names)


class ContactReach:
    """The delivery outcome of the open emergency's alerts, per notify target."""

    def __init__(
        self, hass: HomeAssistant, on_change: Callable[[], None], on_nobody: Callable[[], None]
    ) -> None:
        """``on_change`` runs when an outcome changes; ``on_nobody`` once nobody could be reached."""
        self.hass = hass
        self._on_change = on_change
        self._on_nobody = on_nobody
        # None: sent, no outcome yet; True: delivered; False: failed.
        self._outcome: dict[str, bool | None] = {}
        # The latest alarm's title and body, for Home Assistant's notifications when nobody got it.
        self.alarm: tuple[str, str] | None = None

    def sending(self, targets: tuple[str, ...], *, first: bool, alarm: tuple[str, str]) -> None:
        """An alert goes out to ``targets``; the first alert of an emergency forgets the last one."""
        if first:
            self._outcome = {}
        self.alarm = alarm
        for target in targets:
            self._outcome.setdefault(target, None)

    def unreachable(self) -> tuple[str, ...]:
        """The names of the contacts the open emergency's alerts could not reach."""
        return contact_names(self.hass, [t for t, ok in self._outcome.items() if ok is False])

    def report(self, target: str, delivered: bool) -> None:
        """One target's outcome; a target reached once stays reached."""
        before = self._status()
        if self._outcome.get(target) is not True:
            self._outcome[target] = delivered
        after = self._status()
        if after is not before or not delivered:
            self._on_change()
        if after is ContactStatus.FAILED and before is not ContactStatus.FAILED:
            self._on_nobody()

    def alert(self, settings: WalkerSettings, check_in: CheckInView) -> ContactAlert:
        """What the card says about the contacts while a check-in or an emergency is open."""
        if check_in.state is CheckInState.IDLE:
            return ContactAlert()
        if not settings.emergency_notify:
            return ContactAlert(ContactStatus.NONE_SET_UP)
        if check_in.state is not CheckInState.ESCALATED:
            return ContactAlert()
        return ContactAlert(self._status(), self.unreachable())

    def _status(self) -> ContactStatus | None:
        outcomes = list(self._outcome.values())
        if not outcomes:
            return None
        if False not in outcomes:
            return ContactStatus.ALERTED if True in outcomes else ContactStatus.SENDING
        if True in outcomes or None in outcomes:
            return ContactStatus.PARTLY_FAILED
        return ContactStatus.FAILED
