"""Spoken coaching in the engine: which cue is said when, and never twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import settings as hypothesis_settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
import pytest

from custom_components.backward_walking.core.cues import (
    Done,
    Lead,
    Milestone,
    Reached,
    Walk,
    WalkKind,
    phases,
    plan,
)
from custom_components.backward_walking.core.effects import Effects
from custom_components.backward_walking.core.options import COACHING, CoachingMode
from custom_components.backward_walking.core.programs import (
    BUILTIN_PROGRAMS,
    Direction,
    Program,
    parse_segments,
)
from custom_components.backward_walking.core.session import SessionState
from custom_components.backward_walking.core.settings import WalkerSettings
from custom_components.backward_walking.core.walker import Walker

from .invariants import CueLedger

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
B, F, R = Direction.BACKWARD, Direction.FORWARD, Direction.REST
FIVE_ONE = WalkerSettings(
    name="Alex", program="forward5_backward1", target_minutes=12, coaching="changes"
)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def walking(settings: WalkerSettings = FIVE_ONE) -> tuple[Walker, list[tuple[float, object]]]:
    engine = Walker(settings, UTC)
    engine.load({}, T0)
    fx = engine.start(T0)
    return engine, [(0.0, cue) for cue in fx.cues]


def follow(engine: Walker, start: float, until: float) -> list[tuple[float, object]]:
    """Every wake-up the engine asks for, on time, from ``start`` to ``until``: the cues said."""
    said: list[tuple[float, object]] = []
    now = at(start)
    fx = engine.tick(now)
    while engine.machine.state is SessionState.RUNNING and fx.next_wakeup is not None:
        assert fx.next_wakeup > now, "a wake-up for a moment already past is a busy loop"
        now = fx.next_wakeup
        if now > at(until):
            break
        fx = engine.tick(now)
        said += [((now - T0).total_seconds(), cue) for cue in fx.cues]
    return said


def words(said: list[tuple[float, object]]) -> list[tuple[float, str]]:
    """The cues in short: when, what and which way."""
    shown = []
    for when, cue in said:
        match cue:
            case Walk():
                extra = f" +{cue.milestone}" if cue.milestone else ""
                what = f"{cue.kind} {cue.direction} {cue.seconds:g}s{extra}"
            case Lead():
                what = f"lead {'turn' if cue.turn else cue.direction} in {cue.seconds}"
            case Reached():
                what = str(cue.milestone)
            case Done():
                what = f"done {cue.seconds:g}s backward {cue.backward_s:g}s"
        shown.append((when, what))
    return shown


def test_stretches_of_one_direction_are_merged_also_across_the_cycle() -> None:
    program = Program("p", parse_segments("F2 B1 F1"))
    assert list(phases(program, 480, 0)) == [
        (0, 120, F), (120, 180, B), (180, 360, F), (360, 420, B), (420, 480, F),
    ]  # fmt: skip
    # From the middle: the stretch walked then, with its true start.
    assert next(phases(program, 480, 200)) == (180, 360, F)
    assert list(phases(BUILTIN_PROGRAMS["backward_only"], 600, 100)) == [(0, 600, B)]


def test_a_twelve_minute_five_one_session_by_ear() -> None:
    engine, said = walking()
    said += follow(engine, 0, 800)
    assert words(said) == [
        (0, "start forward 300s"),
        (295, "lead turn in 5"),
        (300, "change backward 60s"),
        (355, "lead turn in 5"),
        (360, "change forward 300s"),
        (655, "lead turn in 5"),
        (660, "change backward 60s"),
        (720, "done 720s backward 120s"),
    ]
    [(_, done)] = [item for item in said if isinstance(item[1], Done)]
    assert isinstance(done, Done)
    assert not done.full
    assert done.kcal == pytest.approx(35.22, abs=0.01)


def test_full_coaching_says_halfway_and_the_last_minute_with_the_change_they_meet() -> None:
    engine, said = walking(replace(FIVE_ONE, coaching="full"))
    said += follow(engine, 0, 800)
    assert (360, "change forward 300s +halfway") in words(said)
    assert (660, "change backward 60s +last_minute") in words(said)
    assert words(said)[-1] == (720, "done 720s backward 120s")
    # Without a change near them, they are said on their own.
    engine, said = walking(replace(FIVE_ONE, coaching="full", program="backward_only"))
    said += follow(engine, 0, 800)
    assert words(said) == [
        (0, "start backward 720s"),
        (360, "halfway"),
        (660, "last_minute"),
        (720, "done 720s backward 720s"),
    ]


def test_leads_need_room_and_the_last_short_stretch_is_left_to_the_end() -> None:
    settings = replace(FIVE_ONE, custom_programs={"Short": "F20s B8s R30s"}, program="Short")
    engine = Walker(replace(settings, coaching_lead_s=5), UTC)
    engine.load({}, T0)
    engine.start(T0, duration_min=1)  # 60 s: F20 B8 R30 F2
    kinds = [(p.kind, p.at_s) for p in plan(engine.machine.session, CoachingMode.CHANGES, 5, 0)]
    # B8s has no room for the lead of the rest; the last 2 s forward are not announced.
    assert kinds == [("lead", 15), ("change", 20), ("change", 28)]
    assert [p.kind for p in plan(engine.machine.session, CoachingMode.CHANGES, 0, 0)] == [
        "change", "change"
    ]  # fmt: skip


def test_no_lead_time_announces_each_change_once_at_its_moment() -> None:
    engine, said = walking(replace(FIVE_ONE, coaching_lead_s=0))
    said += follow(engine, 0, 800)
    assert [w for _, w in words(said) if w.startswith("lead")] == []
    assert [t for t, w in words(said) if w.startswith("change")] == [300, 360, 660]


def test_a_pause_at_the_cue_moment_skips_it_and_the_resume_says_what_comes() -> None:
    engine, _ = walking()
    follow(engine, 0, 290)
    engine.pause(at(300))  # at the change's moment
    assert engine.tick(at(400)).cues == []
    fx = engine.resume(at(500))
    [cue] = fx.cues
    assert isinstance(cue, Walk)
    assert (cue.kind, cue.direction, cue.seconds) == (WalkKind.RESUME, B, 60)
    later = follow(engine, 500, 1000)
    # The change at 300 s was the pause's moment: not said after the resume, nor its lead again.
    assert [(round(t), w) for t, w in words(later)][:2] == [
        (555, "lead turn in 5"),
        (560, "change forward 300s"),
    ]


def test_a_resume_just_before_a_change_tells_the_next_direction_instead() -> None:
    engine, _ = walking()
    follow(engine, 0, 290)
    engine.pause(at(297))
    fx = engine.resume(at(400))
    [cue] = fx.cues
    assert isinstance(cue, Walk)
    # 3 s forward are left: too short to say; the walker hears the backward minute ahead (its own
    # length: the 3 s are spent listening).
    assert (cue.direction, cue.seconds) == (B, 60)
    assert words(follow(engine, 400, 470))[0] == (458, "lead turn in 5")


def test_a_late_wake_up_says_only_the_newest_cue_with_the_time_left() -> None:
    engine, _ = walking()
    follow(engine, 0, 290)
    fx = engine.tick(at(362))  # the lead at 355 and the change at 360 both fell due
    [cue] = fx.cues
    assert isinstance(cue, Walk)
    assert (cue.kind, cue.direction, cue.seconds, cue.at_s) == (WalkKind.CHANGE, F, 298, 360)
    assert cue.planned_at == at(360)
    assert engine.tick(at(363)).cues == []


def test_a_wake_up_a_little_late_still_says_the_lead() -> None:
    """A timer fires a few milliseconds after its moment; even a lead of 1 s is still said."""
    engine, _ = walking(replace(FIVE_ONE, coaching_lead_s=1))
    follow(engine, 0, 290)
    [cue] = engine.tick(at(299.003)).cues
    assert isinstance(cue, Lead)
    assert (cue.seconds, cue.planned_at) == (1, at(299))


def test_a_lead_reached_late_counts_the_seconds_really_left() -> None:
    engine, _ = walking()
    follow(engine, 0, 290)
    [cue] = engine.tick(at(297.4)).cues
    assert isinstance(cue, Lead)
    assert cue.seconds == 3
    assert engine.tick(at(299.5)).cues == []  # the lead is said once
    assert engine.tick(at(299.95)).cues == []  # under a second: the change comes
    [change] = engine.tick(at(300)).cues
    assert isinstance(change, Walk)


def test_a_halfway_cue_too_late_is_left_out() -> None:
    engine, _ = walking(replace(FIVE_ONE, coaching="full", program="backward_only"))
    follow(engine, 0, 350)
    assert engine.tick(at(366)).cues == []  # 6 s after halfway
    engine, _ = walking(replace(FIVE_ONE, coaching="full", program="backward_only"))
    follow(engine, 0, 350)
    [cue] = engine.tick(at(364)).cues
    assert isinstance(cue, Reached)
    assert cue.milestone is Milestone.HALFWAY


def test_a_clock_stepping_back_replays_nothing() -> None:
    engine, _ = walking()
    follow(engine, 0, 301)  # the last wake-up: the change at 300 s
    assert engine.tick(at(250)).cues == []  # the clock steps back 50 s
    said = follow(engine, 250, 420)
    # Elapsed time goes on from where it was: the next cues come when 55 s more are walked.
    assert words(said)[:2] == [(305, "lead turn in 5"), (310, "change forward 300s")]


def test_new_settings_never_repeat_a_cue() -> None:
    engine, _ = walking(replace(FIVE_ONE, coaching_lead_s=10))
    follow(engine, 0, 292)  # the lead at 290 was said
    engine.reconfigure(replace(FIVE_ONE, coaching_lead_s=5), {}, at(292))
    assert [w for _, w in words(follow(engine, 292, 301))] == ["change backward 60s"]
    # Coaching switched off and on again: what passed meanwhile is not said late.
    engine.reconfigure(replace(FIVE_ONE, coaching="off"), {}, at(301))
    assert follow(engine, 301, 358) == []
    engine.reconfigure(FIVE_ONE, {}, at(358))
    assert words(follow(engine, 358, 362)) == [(360, "change forward 300s")]


def test_a_restart_keeps_what_was_said_and_older_files_replay_nothing() -> None:
    engine, _ = walking()
    follow(engine, 0, 296)
    saved = engine.to_dict(at(296))
    assert saved["session"]["cued_to_s"] == pytest.approx(295)
    assert saved["session"]["led_to_s"] == 300
    again = Walker(FIVE_ONE, UTC)
    again.restore(saved, at(296))
    again.load({}, at(296))
    restored = again.machine.session
    assert restored is not None
    # Paused by the restart: everything up to the elapsed time counts as decided.
    assert (restored.cued_to_s, restored.led_to_s) == (296, 300)
    [resumed] = again.resume(at(310)).cues
    assert isinstance(resumed, Walk)
    assert (resumed.direction, resumed.seconds) == (B, 60)  # 4 s forward left: too short to say
    assert words(follow(again, 310, 380)) == [(369, "lead turn in 5"), (374, "change forward 300s")]
    older = saved | {"session": {k: v for k, v in saved["session"].items() if "_to_" not in k}}
    engine = Walker(FIVE_ONE, UTC)
    engine.restore(older, at(296))
    session = engine.machine.session
    assert session is not None
    assert (session.cued_to_s, session.led_to_s) == (session.elapsed_s, session.elapsed_s)


@pytest.mark.parametrize("bad", [-1, 721, "x", None])
def test_a_damaged_cue_position_is_a_damaged_file(bad: object) -> None:
    engine, _ = walking()
    saved = engine.to_dict(at(10))
    saved["session"]["cued_to_s"] = bad
    with pytest.raises((TypeError, ValueError)):
        Walker(FIVE_ONE, UTC).restore(saved, at(10))


def test_nothing_is_said_after_a_stop_or_the_completion() -> None:
    engine, _ = walking()
    engine.stop(at(100))
    assert follow(engine, 100, 900) == []
    assert engine.tick(at(900)).cues == []
    engine, _ = walking(replace(FIVE_ONE, target_minutes=1))
    said = follow(engine, 0, 200)
    assert [w for _, w in words(said)] == ["done 60s backward 0s"]
    assert engine.tick(at(300)).cues == []


def test_coaching_off_says_nothing_and_wakes_nobody() -> None:
    engine, said = walking(replace(FIVE_ONE, coaching="off"))
    assert said == []
    assert engine.cues.next_at(engine.machine.session, engine.settings) is None
    assert follow(engine, 0, 800) == []


def test_an_unchosen_coaching_follows_what_can_speak() -> None:
    plain = WalkerSettings(name="Alex")
    assert plain.coaching_mode is CoachingMode.OFF
    speaker = replace(plain, media_player="media_player.hall", tts_entity="tts.home")
    assert speaker.coaching_mode is CoachingMode.CHANGES
    assert replace(plain, media_player="media_player.hall").coaching_mode is CoachingMode.OFF
    assert replace(plain, voice_satellite="assist_satellite.hall").coaching_mode is (
        CoachingMode.CHANGES
    )
    assert replace(speaker, coaching="off").coaching_mode is CoachingMode.OFF
    assert replace(plain, coaching="full").coaching_mode is CoachingMode.FULL


def test_the_choice_row_takes_only_its_choices() -> None:
    assert COACHING.accept("full") == "full"
    assert COACHING.accept("loud") is None
    assert COACHING.accept(1) is None
    assert COACHING.read({"coaching": "changes"}) == "changes"
    assert COACHING.read({"coaching": "loud"}) is None
    assert COACHING.read({}) is None


# --- every rule under every perturbation ---------------------------------------------------------

PROGRAMS = {"Quick": "F20s B20s F20s", "Rests": "B30s R10s F25s", "Odd": "F7s B5s B9s R3s"}
BASE = WalkerSettings(
    name="Alex", custom_programs=PROGRAMS, program="Quick", target_minutes=3, coaching="full"
)


class CoachedWalk(RuleBasedStateMachine):
    """Random walks: time on time and late, pauses at any moment, clock steps, new settings,
    restarts. After every input the cue rules hold (``CueLedger``)."""

    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.engine = Walker(BASE, UTC)
        self.ledger = CueLedger()
        self._take(self.engine.load({}, self.now))

    def _take(self, fx: Effects) -> None:
        self.ledger.take(self.engine, fx, self.now)

    @rule(
        program=st.sampled_from(["Quick", "Rests", "Odd", "alternating_1_1"]),
        minutes=st.integers(1, 4),
    )
    def start(self, program: str, minutes: int) -> None:
        self._take(self.engine.start(self.now, program, minutes))

    @rule()
    def on_time(self) -> None:
        fx = self.engine.tick(self.now)
        self._take(fx)
        if fx.next_wakeup is not None:
            self.now = max(self.now, fx.next_wakeup)
            self._take(self.engine.tick(self.now))

    @rule(seconds=st.floats(0, 90))
    def late(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self._take(self.engine.tick(self.now))

    @rule(seconds=st.floats(1, 60))
    def clock_back(self, seconds: float) -> None:
        self.now -= timedelta(seconds=seconds)
        self._take(self.engine.tick(self.now))

    @rule()
    def pause(self) -> None:
        self._take(self.engine.pause(self.now))

    @rule()
    def resume(self) -> None:
        self._take(self.engine.resume(self.now))

    @rule()
    def stop(self) -> None:
        self._take(self.engine.stop(self.now))

    @rule(mode=st.sampled_from([None, "off", "changes", "full"]), lead=st.integers(0, 15))
    def options(self, mode: str | None, lead: int) -> None:
        new = replace(BASE, coaching=mode, coaching_lead_s=lead, media_player="media_player.x")
        self._take(self.engine.reconfigure(replace(new, tts_entity="tts.x"), {}, self.now))

    @rule()
    def restart(self) -> None:
        saved = self.engine.to_dict(self.now)
        self.engine = Walker(self.engine.settings, UTC)
        self.engine.restore(saved, self.now)
        self._take(self.engine.load({}, self.now))

    @invariant()
    def the_next_cue_is_never_in_the_past(self) -> None:
        """A wake-up for a moment already past would fire again and again: a busy loop."""
        due = self.engine.cues.next_at(self.engine.machine.session, self.engine.settings)
        assert due is None or due >= self.now


TestCoachedWalk = CoachedWalk.TestCase
TestCoachedWalk.settings = hypothesis_settings(
    max_examples=200, stateful_step_count=60, deadline=None
)
