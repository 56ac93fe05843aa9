"""Sensors: the session, its phase and energy, and the walker's statistics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfEnergy, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .core.ladder import CheckInState
from .core.programs import Direction
from .core.safety import Hazard
from .core.session import SessionState
from .display_units import WalkerUnits
from .entity import WalkerEntity
from .hub import BackwardWalkingConfigEntry
from .view import WalkerView, path_attributes

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class WalkerSensorDescription(SensorEntityDescription):
    """A sensor and how it reads the hub's view."""

    value_fn: Callable[[WalkerView], StateType | datetime]
    # The coach's figures are unavailable (not unknown) while the coach is off.
    needs_coach: bool = False
    attributes_fn: Callable[[WalkerView], dict[str, Any]] | None = None
    # The walker's person: the card shows the history link only to that person's user and admins.
    person_attribute: bool = False


def _minutes(
    key: str,
    value_fn: Callable[[WalkerView], float | None],
    precision: int = 0,
    **kwargs: Any,
) -> WalkerSensorDescription:
    """Minutes, shown whole (the figures that grow are written once a walking minute)."""
    return WalkerSensorDescription(
        key=key,
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=precision,
        value_fn=lambda view: None if (value := value_fn(view)) is None else round(value, 2),
        **kwargs,
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _seconds(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds)


def _session_attributes(view: WalkerView) -> dict[str, Any]:
    return {
        "pause_reason": view.pause_reason.value if view.pause_reason else None,
        "program": view.program,
        "target_minutes": view.target_min,
        "backward_minutes": round(view.backward_min, 2),
        "started_at": _iso(view.started_at),
        "ends_at": _iso(view.ends_at),
        "remaining_seconds": _seconds(view.paused_remaining_s),
    }


def _check_in_attributes(view: WalkerView) -> dict[str, Any]:
    """Why the check-in opened, its countdown, and whether the contacts were reached."""
    check_in, contacts = view.check_in, view.contacts
    return {
        "cause": check_in.cause.value if check_in.cause else None,
        "escalation": check_in.escalation.value if check_in.escalation else None,
        "started_at": _iso(check_in.started_at),
        "deadline": _iso(check_in.deadline),
        "fall_sensors": list(check_in.fall_sensors),
        "no_movement_seconds": _seconds(check_in.no_movement_s),
        "contacts": contacts.status.value if contacts.status else None,
        "unreachable": list(contacts.unreachable),
    }


def _energy_attributes(view: WalkerView) -> dict[str, Any]:
    met = view.met
    return {
        "backward_met": met.value if met else None,
        "met_source": met.source.value if met else None,
        "compendium_code": met.code if met else None,
    }


SENSORS: tuple[WalkerSensorDescription, ...] = (
    WalkerSensorDescription(
        key="session_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in SessionState],
        value_fn=lambda view: view.state.value,
        attributes_fn=_session_attributes,
        person_attribute=True,
    ),
    WalkerSensorDescription(
        key="current_phase",
        device_class=SensorDeviceClass.ENUM,
        options=[direction.value for direction in Direction],
        value_fn=lambda view: view.direction.value if view.direction else None,
        attributes_fn=lambda view: {
            "phase_ends_at": _iso(view.phase_ends_at),
            "phase_remaining_seconds": _seconds(view.paused_phase_remaining_s),
        },
    ),
    _minutes("elapsed", lambda view: view.elapsed_min),
    _minutes("remaining", lambda view: view.remaining_min),
    WalkerSensorDescription(
        key="progress",
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda view: round(view.progress_pct, 1),
    ),
    WalkerSensorDescription(
        key="session_energy",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_CALORIE,
        suggested_display_precision=0,
        value_fn=lambda view: round(view.kcal, 1),
        attributes_fn=_energy_attributes,
    ),
    WalkerSensorDescription(
        key="extra_energy",
        entity_registry_enabled_default=False,
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_CALORIE,
        suggested_display_precision=0,
        value_fn=lambda view: round(view.extra_kcal, 1),
    ),
    # The backward-only totals are for statistics and automations: off by default, so the device
    # page does not list near-twins of the totals (the weekly goal counts backward minutes itself).
    *(
        _minutes(
            key,
            value_fn,
            state_class=SensorStateClass.TOTAL_INCREASING,
            entity_registry_enabled_default=enabled,
        )
        for key, value_fn, enabled in (
            ("today_backward_minutes", lambda view: view.summary.today_backward_min, False),
            ("today_minutes", lambda view: view.summary.today_total_min, True),
            ("week_backward_minutes", lambda view: view.summary.week_backward_min, False),
            ("week_minutes", lambda view: view.summary.week_total_min, True),
        )
    ),
    WalkerSensorDescription(
        key="weekly_goal_progress",
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda view: round(view.summary.weekly_goal_progress, 1),
    ),
    WalkerSensorDescription(
        key="current_streak",
        native_unit_of_measurement=UnitOfTime.DAYS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda view: view.summary.current_streak,
    ),
    WalkerSensorDescription(
        key="longest_streak",
        entity_registry_enabled_default=False,
        native_unit_of_measurement=UnitOfTime.DAYS,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda view: view.summary.longest_streak,
    ),
    WalkerSensorDescription(
        key="sessions_completed",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda view: view.summary.sessions_completed,
    ),
    WalkerSensorDescription(
        key="path_hazard",
        device_class=SensorDeviceClass.ENUM,
        options=["none", *(hazard.value for hazard in Hazard)],
        value_fn=lambda view: view.hazard.value if view.hazard else "none",
        attributes_fn=path_attributes,
    ),
    WalkerSensorDescription(
        key="check_in",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in CheckInState],
        value_fn=lambda view: view.check_in.state.value,
        attributes_fn=_check_in_attributes,
    ),
    WalkerSensorDescription(
        key="next_reminder",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda view: view.next_reminder,
    ),
    _minutes(
        "suggested_duration",
        lambda view: view.coach.session_min if view.coach else None,
        precision=1,
        needs_coach=True,
    ),
    _minutes(
        "coach_weekly_target",
        lambda view: view.coach.weekly_target_min if view.coach else None,
        precision=1,
        needs_coach=True,
    ),
    WalkerSensorDescription(
        key="coach_weekly_progress",
        needs_coach=True,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda view: round(view.coach.progress_pct, 1) if view.coach else None,
    ),
    WalkerSensorDescription(
        key="last_session",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda view: view.summary.last_session_end,
    ),
)


def suggested_speed(units: WalkerUnits) -> WalkerSensorDescription:
    """The coach's suggested walking speed, in km/h or mph like the speed setting."""
    return WalkerSensorDescription(
        key="suggested_speed",
        needs_coach=True,
        device_class=SensorDeviceClass.SPEED,
        native_unit_of_measurement=units.speed,
        suggested_display_precision=1,
        value_fn=lambda view: units.mph_to_display(view.coach.speed_mph) if view.coach else None,
    )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BackwardWalkingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One sensor per description for the walker, and the coach's speed in the user's unit.

    The coach's figures start disabled while the coach is off (``coach_sensors.py``).
    """
    hub = entry.runtime_data
    coach = hub.settings.coach_enabled
    async_add_entities(
        WalkerSensor.for_each(
            entry,
            (
                replace(d, entity_registry_enabled_default=coach) if d.needs_coach else d
                for d in (*SENSORS, suggested_speed(hub.units))
            ),
        )
    )


class WalkerSensor(WalkerEntity[WalkerSensorDescription], SensorEntity):
    """A sensor showing one figure of the walker's view."""

    entity_description: WalkerSensorDescription
    # What changes with every start, pause and resume stays out of the recorder's attribute rows.
    _unrecorded_attributes = frozenset(
        {
            "person",
            "backward_minutes",
            "ends_at",
            "remaining_seconds",
            "phase_ends_at",
            "phase_remaining_seconds",
        }
    )

    def _shown(self) -> object:
        return (self.available, self.native_value, self.extra_state_attributes)

    @property
    def available(self) -> bool:
        """Unavailable while what it shows does not exist (the coach's figures, coach off)."""
        return not self.entity_description.needs_coach or self.coordinator.data.coach is not None

    @property
    def native_value(self) -> StateType | datetime:
        """The figure from the walker's current view."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Details that belong to the figure."""
        description = self.entity_description
        view = self.coordinator.data
        attributes = description.attributes_fn(view) if description.attributes_fn else None
        if description.person_attribute:
            attributes = {**(attributes or {}), "person": self.hub.settings.person}
        return attributes
