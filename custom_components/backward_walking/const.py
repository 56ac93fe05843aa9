"""Constants of the Backward Walking integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "backward_walking"

CONF_PERSON: Final = "person"
CONF_WEIGHT: Final = "weight"
CONF_TARGET_MINUTES: Final = "target_minutes"
CONF_PROGRAM: Final = "program"
CONF_SPEED: Final = "speed"
CONF_MET_OVERRIDE: Final = "met_override"
CONF_WEEKLY_GOAL: Final = "weekly_goal_minutes"
CONF_CUSTOM_PROGRAMS: Final = "custom_programs"

# Options are stored in fixed units; flows and entities convert to the user's unit system.
OPT_WEIGHT_KG: Final = "weight_kg"
OPT_SPEED_MPH: Final = "speed_mph"

WEIGHT_KG_RANGE: Final = (20.0, 300.0)
TARGET_MINUTES_RANGE: Final = (1, 120)
SPEED_MPH_RANGE: Final = (0.3, 4.0)
MET_RANGE: Final = (1.0, 20.0)
WEEKLY_GOAL_RANGE: Final = (1, 2000)
NAME_MAX_LENGTH: Final = 60

DEFAULT_WEIGHT_KG: Final = 70.0
DEFAULT_TARGET_MINUTES: Final = 15
DEFAULT_SPEED_MPH: Final = 1.0
DEFAULT_WEEKLY_GOAL: Final = 60

LIVE_REFRESH_SECONDS: Final = 10
SAVE_INTERVAL_SECONDS: Final = 30

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_DEVICE_ID: Final = "device_id"
ATTR_DURATION: Final = "duration"
ATTR_PROGRAM: Final = "program"
ATTR_SPEED: Final = "speed"

SERVICE_START: Final = "start_session"
SERVICE_PAUSE: Final = "pause_session"
SERVICE_RESUME: Final = "resume_session"
SERVICE_STOP: Final = "stop_session"
