"""Random household days against the real Home Assistant shell, invariants checked after every step.

Hypothesis draws a sequence of steps (sensor readings, commands by action and by voice from
different users, time, clock steps, option changes, reloads and restarts); each example sets up a
fresh walker in the test's core and removes it after. Besides the safety guarantees, the walker's
phone must always show the session as the entities do (the lock screen), and the walker's speaker
says the full spoken coaching of a 3-minute 1/1 program (two changes) with no cue repeated or said
while not walking.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.const import GROUP_ID_ADMIN, GROUP_ID_READ_ONLY
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
from hypothesis import HealthCheck, given, settings, strategies as st
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from .helpers import advance, call, make_entry, state
from .safety_helpers import (
    ACTIVITY,
    CROSSING,
    DISTANCE,
    FALL,
    OBSTACLE,
    SAFETY_OPTIONS,
    Outside,
    add_phone,
    install_outside,
    set_clear_hallway,
    settle,
)
from .test_emergency_people import user_in
from .voice_helpers import process, setup_assist

SENSORS = {
    OBSTACLE: st.sampled_from(["on", "off", "off", "unavailable"]),
    CROSSING: st.sampled_from(["on", "off"]),
    FALL: st.sampled_from(["on", "off", "off", "off"]),
    DISTANCE: st.sampled_from(["40", "300", "300", "garbage"]),
    ACTIVITY: st.sampled_from(["on", "off"]),
}
GERMAN = {"starte die Einheit", "weiter", "wie lange noch"}
# What the walker's companion-app phone shows with these titles, and while it may.
PAUSED_ONLY = {"Stop: the path is not clear", "Resume when you are ready", "Thank you"}
PATH_TITLES = {*PAUSED_ONLY, "Careful", "Path clear"} - {"Thank you"}
COMMANDS = (
    "start_session",
    "pause_session",
    "resume_session",
    "stop_session",
    "acknowledge_check_in",
    "request_help",
    "acknowledge_emergency",
)
# What a walker, a carer or a wall tablet says, in both languages.
SAID = (
    "start backward walking",
    "starte die Einheit",
    "pause my walk",
    "Pause",
    "resume my walk",
    "weiter",
    "stop walking",
    "how long is left",
    "wie lange noch",
    "I'm OK",
    "I need help",
)
SPEAKERS = ("automation", "admin", "read_only")
STEP = st.one_of(
    st.tuples(st.just("voice"), st.sampled_from(SAID), st.sampled_from(SPEAKERS)),
    st.tuples(st.just("sensor"), st.sampled_from(list(SENSORS)), st.data()),
    st.tuples(st.just("sensor"), st.sampled_from(list(SENSORS)), st.data()),
    st.tuples(st.just("command"), st.just("start_session"), st.booleans()),
    st.tuples(st.just("command"), st.sampled_from(COMMANDS), st.booleans()),
    st.tuples(st.just("time"), st.floats(0.5, 10)),
    st.tuples(st.just("time"), st.floats(0.5, 90)),
    st.tuples(st.just("clock_back"), st.floats(1, 60)),
    st.tuples(st.just("late"), st.floats(1, 120), st.sampled_from(list(SENSORS)), st.data()),
    st.tuples(st.just("options"), st.sampled_from([0, 2, 5]), st.booleans()),
    st.tuples(st.just("clear")),
    st.tuples(st.just("walk"), st.integers(1, 40)),
    st.tuples(st.just("walk_on"), st.integers(1, 60)),
    st.tuples(st.just("walk_on"), st.integers(1, 60)),
    st.tuples(st.just("reload")),
    st.tuples(st.just("restart"), st.floats(1, 300)),
)


# Warnings and check-ins name the walker or the path; everything else the speaker says is a cue.
SAFETY = ("Alex,", "The path")
# Per session of the 3-minute 1/1 program: one start, two changes (one to each side) with a lead
# each, halfway and the last minute (the latter said with the second change), one completion.
AT_MOST = {
    "Walk forward": 1,
    "In ": 2,
    "Turn around: backward": 1,
    "Turn around: forward": 1,
    "Halfway": 1,
    "Well done": 1,
}


class Household:
    """One walker in the test's core, watched step by step."""

    def __init__(
        self, hass: HomeAssistant, freezer: FrozenDateTimeFactory, outside: Outside, phone: str
    ):
        self.hass = hass
        self.freezer = freezer
        self.outside = outside
        self.phone = phone
        self.entry: MockConfigEntry | None = None
        self.last_elapsed = 0.0
        self.completed = 0
        self.help_asked = False

    async def setup(self) -> None:
        set_clear_hallway(self.hass)
        self.entry = make_entry(
            **{
                **SAFETY_OPTIONS,
                "inactivity_seconds": 60,
                "target_minutes": 3,
                "program": "alternating_1_1",
                "walker_notify": [*SAFETY_OPTIONS["walker_notify"], self.phone],
                "lock_screen": True,
                "coaching": "full",
            }
        )
        self.entry.add_to_hass(self.hass)
        assert await self.hass.config_entries.async_setup(self.entry.entry_id)
        await self.hass.async_block_till_done()
        await settle(self.hass, self.freezer, self.entry)
        await call(self.hass, "start_session")
        await self.hass.async_block_till_done(wait_background_tasks=True)

    async def teardown(self) -> None:
        assert self.entry is not None
        assert await self.hass.config_entries.async_remove(self.entry.entry_id)
        await self.hass.async_block_till_done()
        self.outside.messages.clear()
        self.outside.spoken.clear()

    async def step(self, kind: str, *args: Any) -> None:
        hass, entry = self.hass, self.entry
        assert entry is not None
        self.timers_ran = kind == "time"
        if kind == "sensor":
            entity_id, data = args
            hass.states.async_set(
                entity_id,
                data.draw(SENSORS[entity_id]),
                {"unit_of_measurement": "cm"} if entity_id == DISTANCE else {},
            )
        elif kind == "command":
            name, force = args
            data = {"force": True} if force and name in ("start_session", "resume_session") else {}
            self.help_asked |= name == "request_help"
            with contextlib.suppress(ServiceValidationError):
                await call(hass, name, data)
        elif kind == "voice":
            text, speaker = args
            answer = await process(
                hass, text, "de" if text in GERMAN else "en", self.users[speaker]
            )
            assert answer, text
            assert "{" not in answer, (text, answer)
            self.help_asked |= text == "I need help"
        elif kind == "time":
            self.freezer.tick(timedelta(seconds=args[0]))
            async_fire_time_changed(hass)
        elif kind == "clear":
            set_clear_hallway(hass)
        elif kind == "walk":  # a second at a time, every timer on time
            await advance(hass, self.freezer, args[0], step=1)
        elif kind == "walk_on":  # the hallway clears, the walker is OK, resumes and walks on
            set_clear_hallway(hass)
            await advance(hass, self.freezer, 6)
            for command in ("acknowledge_emergency", "acknowledge_check_in", "resume_session"):
                with contextlib.suppress(ServiceValidationError):
                    await call(hass, command)
            await advance(hass, self.freezer, args[0], step=1)
        elif kind == "clock_back":
            self.freezer.tick(timedelta(seconds=-args[0]))
            async_fire_time_changed(hass)
        elif kind == "late":
            seconds, entity_id, data = args
            self.freezer.tick(timedelta(seconds=seconds))
            await self.step("sensor", entity_id, data)
        elif kind == "options":
            hold, auto = args
            options = {**entry.options, "clear_hold_seconds": hold, "auto_resume": auto}
            hass.config_entries.async_update_entry(entry, options=options)
        elif kind in ("reload", "restart"):
            assert await hass.config_entries.async_unload(entry.entry_id)
            if kind == "restart":
                self.freezer.tick(timedelta(seconds=args[0]))
            assert await hass.config_entries.async_setup(entry.entry_id)
            assert state(hass, "sensor.alex_session_state").state != "running"
        # Messages go out in the background: the phones have them once these tasks are done.
        await hass.async_block_till_done(wait_background_tasks=True)

    def check(self) -> None:
        hass = self.hass
        session = state(hass, "sensor.alex_session_state")
        path = state(hass, "binary_sensor.alex_path")
        if session.state == "running":
            assert path.attributes["verdict"] in ("clear", "warning"), path.attributes
        elapsed = float(state(hass, "sensor.alex_elapsed").state)
        if session.state != "idle" and elapsed + 1e-6 < self.last_elapsed:
            # Elapsed time only shrinks when a new session started.
            assert session.attributes["started_at"] != self.started_at
        self.started_at = session.attributes.get("started_at")
        self.last_elapsed = elapsed
        if session.state in ("running", "paused"):
            # The whole minutes walked, never a part of one; once the timers ran, never a minute
            # behind what the card counts (a late timer is late for the figures too).
            assert elapsed == int(elapsed), elapsed
            walked = self._walked(session.attributes, elapsed)
            assert not self.timers_ran or walked - 60 - 1e-3 < elapsed * 60, (elapsed, walked)
        completed = int(state(hass, "sensor.alex_sessions_completed").state)
        assert completed >= self.completed
        self.completed = completed
        # Contacts are alerted only after the walker was asked in this episode, or asked for help.
        walker_messages = self.outside.to("walker_phone")
        self.asked |= any(m["title"] == "Are you OK?" for m in walker_messages[self.walker_seen :])
        self.walker_seen = len(walker_messages)
        carer = self.outside.to("carer_phone")
        for message in carer[self.carer_seen :]:
            if str(message["title"]).startswith("Emergency:"):
                assert self.asked or self.help_asked, message
        self.carer_seen = len(carer)
        if state(hass, "sensor.alex_check_in").state == "idle":
            self.asked = self.help_asked = False
        self.check_lock_screen()
        self.check_phone(session.state)
        self.check_cues(session.state)

    def check_cues(self, session_state: str) -> None:
        """No cue while paused, stopped or completed; nothing said more often than it can be."""
        new = [t for t in self.outside.spoken[self.spoken_seen :] if not t.startswith(SAFETY)]
        self.spoken_seen = len(self.outside.spoken)
        if self.started_at != self.cued_session:
            self.cued_session, self.cues = self.started_at, []
        elif session_state == self.last_state != "running":
            assert not new, (session_state, new)
        self.last_state = session_state
        for text in new:
            # A start: a new session, also one started at the same moment after a clock step.
            self.cues = [text] if text.startswith("Walk forward") else [*self.cues, text]
            for prefix, most in AT_MOST.items():
                assert sum(t.startswith(prefix) for t in self.cues) <= most, (prefix, self.cues)

    def check_phone(self, session: str) -> None:
        """The walker's phone shows nothing that is no longer true (each tag shows its last)."""
        screen: dict[str, str] = {}
        for message in self.outside.to(self.phone.removeprefix("notify.")):
            if message["message"] == "clear_notification":
                screen.pop(message["data"]["tag"], None)
            elif message["message"] != "TTS":
                screen[message["data"]["tag"]] = message["title"]
        shown = set(screen.values())
        if state(self.hass, "sensor.alex_check_in").state == "escalated":
            assert "Are you OK?" not in shown, screen
        if session not in ("running", "paused"):
            assert not shown & PATH_TITLES, screen
        if session != "paused":
            assert not shown & PAUSED_ONLY, screen

    def check_lock_screen(self) -> None:
        """The walker's phone shows the session the entities show, counting to the same moment."""
        session = state(self.hass, "sensor.alex_session_state")
        shown = [
            m
            for m in self.outside.to(self.phone.removeprefix("notify."))
            if str(m.get("data", {}).get("tag", "")).startswith("backward_walking_session_")
        ]
        last = shown[-1] if shown else None
        if session.state not in ("running", "paused"):
            assert last is None or last["message"] == "clear_notification", last
            return
        assert last is not None, session
        assert last["message"] != "clear_notification", session
        if session.state == "paused":
            assert "chronometer" not in last["data"], last
            return
        phase_ends = state(self.hass, "sensor.alex_current_phase").attributes["phase_ends_at"]
        moment = dt_util.parse_datetime(str(phase_ends))
        assert moment is not None
        assert last["data"]["when"] == round(moment.timestamp()), (last, phase_ends)

    def _walked(self, session: dict[str, Any], elapsed: float) -> float:
        """The seconds walked as the card counts them: from ends_at (never more left than the
        written minutes say), or the paused seconds left."""
        target = float(session["target_minutes"]) * 60
        if session["remaining_seconds"] is not None:
            return target - float(session["remaining_seconds"])
        left = (datetime.fromisoformat(session["ends_at"]) - dt_util.utcnow()).total_seconds()
        return target - min(max(left, 0.0), target - elapsed * 60)

    users: dict[str, str | None]
    started_at: str | None = None
    timers_ran = False
    cued_session: str | None = None
    cues: list[str]
    last_state = ""
    spoken_seen = 0
    asked = False
    walker_seen = 0
    carer_seen = 0


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=25))
async def test_random_household_days(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, steps: list[tuple[Any, ...]]
) -> None:
    outside = getattr(hass, "_bw_outside", None)
    if outside is None:
        outside = install_outside(hass)
        hass._bw_phone = add_phone(hass, outside, "Walker Pixel", "walker-hook", "Android")  # type: ignore[attr-defined]
        await setup_assist(hass)
        hass._bw_outside = outside  # type: ignore[attr-defined]
        hass._bw_users = {  # type: ignore[attr-defined]
            "automation": None,
            "admin": (await user_in(hass, GROUP_ID_ADMIN, "Carer")).id,
            "read_only": (await user_in(hass, GROUP_ID_READ_ONLY, "Wall tablet")).id,
        }
    household = Household(hass, freezer, outside, hass._bw_phone)  # type: ignore[attr-defined]
    household.users = hass._bw_users  # type: ignore[attr-defined]
    await household.setup()
    try:
        household.check()
        for step in steps:
            await household.step(*step)
            household.check()
    finally:
        await household.teardown()
