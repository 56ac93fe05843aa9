"""Constants of the Backward Walking integration."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from .core.options import MET_OVERRIDE, PROGRAM, SPEED_MPH, TARGET_MINUTES, WEEKLY_GOAL, WEIGHT_KG

DOMAIN: Final = "backward_walking"

CONF_PERSON: Final = "person"
CONF_WEIGHT: Final = "weight"
CONF_TARGET_MINUTES: Final = TARGET_MINUTES.key
CONF_PROGRAM: Final = PROGRAM.key
CONF_SPEED: Final = "speed"
CONF_MET_OVERRIDE: Final = MET_OVERRIDE.key
CONF_WEEKLY_GOAL: Final = WEEKLY_GOAL.key
CONF_CUSTOM_PROGRAMS: Final = "custom_programs"

# Options are stored in fixed units; flows and entities convert to the user's unit system.
# Keys, defaults, limits, units and steps of the options are in the option table, core/options.py;
# these names of its keys are for the shell's forms and diagnostics.
OPT_WEIGHT_KG: Final = WEIGHT_KG.key
OPT_SPEED_MPH: Final = SPEED_MPH.key

NAME_MAX_LENGTH: Final = 60

# Newer releases define it in homeassistant.const; 2025.4, the oldest supported one, does not.
ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_DURATION: Final = "duration"
ATTR_PROGRAM: Final = "program"
ATTR_SPEED: Final = "speed"

SERVICE_START: Final = "start_session"
SERVICE_PAUSE: Final = "pause_session"
SERVICE_RESUME: Final = "resume_session"
SERVICE_STOP: Final = "stop_session"

# Safety monitor: sensors by role, thresholds, alerts and timings (all in entry options).
CONF_OBSTACLE_SENSORS: Final = "obstacle_sensors"
CONF_DISTANCE_SENSORS: Final = "distance_sensors"
CONF_CROSSING_SENSORS: Final = "crossing_sensors"
CONF_LIGHT_SENSORS: Final = "light_sensors"
CONF_FALL_SENSORS: Final = "fall_sensors"
CONF_ACTIVITY_SENSORS: Final = "activity_sensors"
CONF_WARN_ONLY_SENSORS: Final = "warn_only_sensors"
CONF_SENSOR_DELAYS: Final = "sensor_delays"
CONF_MIN_DISTANCE: Final = "min_distance"
CONF_HALLWAY: Final = "hallway"
CONF_WALKER_NOTIFY: Final = "walker_notify"
CONF_EMERGENCY_NOTIFY: Final = "emergency_notify"
CONF_MEDIA_PLAYER: Final = "media_player"
CONF_TTS_ENTITY: Final = "tts_entity"
CONF_VOICE_SATELLITE: Final = "voice_satellite"
CONF_TIER2_NOTIFY: Final = "tier2_notify"
CONF_EMERGENCY_SCRIPT: Final = "emergency_script"

NOTIFY_TIMEOUT_SECONDS: Final = 10

ATTR_FORCE: Final = "force"
SERVICE_ACK_CHECK_IN: Final = "acknowledge_check_in"
SERVICE_ACK_EMERGENCY: Final = "acknowledge_emergency"
SERVICE_REQUEST_HELP: Final = "request_help"

# Companion-app action ids end with the entry id so two walkers never cross.
MOBILE_ACTION_OK: Final = "BACKWARD_WALKING_OK_"
MOBILE_ACTION_HELP: Final = "BACKWARD_WALKING_HELP_"
MOBILE_ACTION_ACK: Final = "BACKWARD_WALKING_ACK_"
# The session's buttons on the lock screen.
MOBILE_ACTION_PAUSE: Final = "BACKWARD_WALKING_PAUSE_"
MOBILE_ACTION_RESUME: Final = "BACKWARD_WALKING_RESUME_"
MOBILE_ACTION_STOP: Final = "BACKWARD_WALKING_STOP_"

# Reminders and the progression coach.
CONF_REMINDER_DAYS: Final = "reminder_days"
CONF_REMINDER_TIMES: Final = "reminder_times"
CONF_QUIET_START: Final = "quiet_start"
CONF_QUIET_END: Final = "quiet_end"
CONF_QUIET_MODE: Final = "quiet_mode"
CONF_NOT_NOW_ENTITIES: Final = "not_now_entities"
CONF_NOT_NOW_SENSOR: Final = "not_now_sensor"

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SNOOZE_MINUTES_RANGE: Final = (1, 240)
DEFAULT_SNOOZE_MINUTES: Final = 15

ATTR_MINUTES: Final = "minutes"
SERVICE_SNOOZE: Final = "snooze_reminder"
SERVICE_SKIP_TODAY: Final = "skip_today"
MOBILE_ACTION_START: Final = "BACKWARD_WALKING_START_"
MOBILE_ACTION_SNOOZE: Final = "BACKWARD_WALKING_SNOOZE_"
MOBILE_ACTION_SKIP: Final = "BACKWARD_WALKING_SKIP_"


# Voice commands: Assist's intents (also the tools LLM agents get), namespaced so they never meet
# Home Assistant's own (HassPauseTimer, HassMediaPause, …).
class VoiceIntent(StrEnum):
    """The intent of each voice command."""

    START = "BackwardWalkingStart"
    PAUSE = "BackwardWalkingPause"
    RESUME = "BackwardWalkingResume"
    STOP = "BackwardWalkingStop"
    STATUS = "BackwardWalkingStatus"
    OK = "BackwardWalkingOk"
    HELP = "BackwardWalkingHelp"
