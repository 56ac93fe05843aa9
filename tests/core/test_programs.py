"""Interval programs: parsing, planning and position."""

from __future__ import annotations

from hypothesis import given, strategies as st
import pytest

from custom_components.backward_walking.core.programs import (
    BUILTIN_PROGRAMS,
    Direction,
    Program,
    ProgramSyntaxError,
    Segment,
    direction_end_s,
    format_program_lines,
    format_segments,
    parse_program_lines,
    parse_segments,
    plan,
    position,
    time_by_direction,
)

B, F, R = Direction.BACKWARD, Direction.FORWARD, Direction.REST


def test_builtins_match_the_guidance() -> None:
    assert BUILTIN_PROGRAMS["backward_only"].compact == "B1"
    assert BUILTIN_PROGRAMS["forward5_backward1"].compact == "F5 B1"
    assert BUILTIN_PROGRAMS["alternating_1_1"].compact == "F1 B1"
    assert BUILTIN_PROGRAMS["beginner_10"].cycle_s == 600


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("F5 B1", (Segment(F, 300), Segment(B, 60))),
        ("b30s r0.5, f2m", (Segment(B, 30), Segment(R, 30), Segment(F, 120))),
        ("B120", (Segment(B, 7200),)),
    ],
)
def test_parse_segments(text: str, expected: tuple[Segment, ...]) -> None:
    assert parse_segments(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "token"),
    [
        ("", "empty", ""),
        ("   ", "empty", ""),
        ("X5", "bad_token", "X5"),
        ("F5 B", "bad_token", "B"),
        ("F-1", "bad_token", "F-1"),
        ("B0", "zero_duration", "B0"),
        ("B0.001", "zero_duration", "B0.001"),
        ("F121", "segment_too_long", "F121"),
        (" ".join(["B1"] * 41), "too_many_segments", "41"),
        ("B" + "9" * 400, "segment_too_long", "B" + "9" * 38 + "…"),
        ("R" + "9" * 400 + "s", "segment_too_long", "R" + "9" * 38 + "…"),
        ("B1e400", "bad_token", "B1E400"),
        ("B٥", "bad_token", "B٥"),
        ("B1\u200b", "bad_token", "B1\\u200b"),
    ],
)
def test_parse_segments_errors(text: str, code: str, token: str) -> None:
    with pytest.raises(ProgramSyntaxError) as err:
        parse_segments(text)
    assert err.value.code == code
    assert err.value.token == token


def test_format_round_trip() -> None:
    segments = parse_segments("F5 B30s R1")
    assert format_segments(segments) == "F5 B30s R1"
    assert parse_segments(format_segments(segments)) == segments


def test_twenty_programs_of_forty_characters_are_fine() -> None:
    text = "\n".join(f"{n:02d}{'x' * 38}: B1" for n in range(20))
    assert len(parse_program_lines(text)) == 20


def test_program_lines() -> None:
    programs = parse_program_lines("Hallway: F4 B1\n\n  Gentle : B30s R30s ")
    assert programs == {
        "Hallway": (Segment(F, 240), Segment(B, 60)),
        "Gentle": (Segment(B, 30), Segment(R, 30)),
    }
    assert format_program_lines({"Hallway": "F4 B1"}) == "Hallway: F4 B1"


@pytest.mark.parametrize(
    ("text", "code", "token"),
    [
        ("F5 B1", "missing_name", "F5 B1"),
        (": F5", "missing_name", ": F5"),
        ("A: B1\nA: F1", "duplicate_name", "A"),
        ("backward_only: B1", "reserved_name", "backward_only"),
        ("A: Q1", "bad_token", "A: Q1"),
        ("A:", "empty", "A"),
        ("N" * 41 + ": B1", "name_too_long", "N" * 39 + "…"),
        ("Knee\u200b: B1", "bad_name", "Knee\\u200b"),
        ("Knee\x00rehab: B1", "bad_name", "Knee\\x00rehab"),
        ("Knee\trehab: B1", "bad_name", "Knee\\trehab"),
        ("\n".join(f"P{n}: B1" for n in range(21)), "too_many_programs", "20"),
        ("X" * 5000, "missing_name", "X" * 39 + "…"),
    ],
)
def test_program_lines_errors(text: str, code: str, token: str) -> None:
    with pytest.raises(ProgramSyntaxError) as err:
        parse_program_lines(text)
    assert (err.value.code, err.value.token) == (code, token)


def test_position_walks_through_segments() -> None:
    program = BUILTIN_PROGRAMS["forward5_backward1"]
    assert position(program, 900, 0).direction is F
    assert position(program, 900, 299).segment_remaining_s == 1
    at_boundary = position(program, 900, 300)
    assert (at_boundary.index, at_boundary.direction, at_boundary.segment_remaining_s) == (1, B, 60)
    second_cycle = position(program, 900, 400)
    assert (second_cycle.index, second_cycle.segment_remaining_s) == (0, 260)
    # The last segment is cut at the target: 900 s = 2 cycles + 3 min forward.
    last = position(program, 900, 800)
    assert (last.direction, last.segment_remaining_s) == (F, 100)
    assert position(program, 900, 900).segment_remaining_s == 0


def test_direction_end_joins_segments_of_one_direction() -> None:
    program = Program("p", parse_segments("B1 B1 F30s R1"))
    assert direction_end_s(program, 900, 0) == 120  # two backward minutes are one phase
    assert direction_end_s(program, 900, 100) == 120
    assert direction_end_s(program, 900, 120) == 150
    assert direction_end_s(program, 900, 170) == 210
    assert direction_end_s(program, 900, 210) == 330  # the next cycle starts backward again
    assert direction_end_s(program, 300, 220) == 300  # cut at the target
    assert direction_end_s(BUILTIN_PROGRAMS["backward_only"], 1200, 61) == 1200
    assert direction_end_s(BUILTIN_PROGRAMS["forward5_backward1"], 900, 330) == 360


def test_time_by_direction() -> None:
    program = BUILTIN_PROGRAMS["forward5_backward1"]
    assert time_by_direction(program, 750) == {F: 630, B: 120, R: 0}
    assert time_by_direction(program, -5) == {F: 0, B: 0, R: 0}


segments_strategy = st.lists(
    st.builds(Segment, st.sampled_from(list(Direction)), st.integers(1, 900)),
    min_size=1,
    max_size=8,
).map(tuple)


@given(segments_strategy, st.integers(1, 7200))
def test_plan_sums_to_target(segments: tuple[Segment, ...], target: int) -> None:
    planned = plan(Program("p", segments), target)
    assert sum(segment.duration_s for segment in planned) == target
    assert all(segment.duration_s > 0 for segment in planned)


@given(segments_strategy, st.integers(1, 7200), st.floats(0, 7200))
def test_position_agrees_with_time_split_and_direction_end(
    segments: tuple[Segment, ...], target: int, elapsed: float
) -> None:
    program = Program("p", segments)
    elapsed = min(elapsed, target)
    here = position(program, target, elapsed)
    assert 0 <= here.segment_remaining_s <= segments[here.index].duration_s
    assert here.segment_end_s <= target
    split = time_by_direction(program, elapsed)
    assert sum(split.values()) == pytest.approx(elapsed)
    # The direction goes on at least to the segment's end and changes where it ends.
    end = direction_end_s(program, target, elapsed)
    assert here.segment_end_s <= end <= target
    if end < target:
        assert position(program, target, end).direction is not here.direction


@given(segments_strategy)
def test_compact_round_trip(segments: tuple[Segment, ...]) -> None:
    assert parse_segments(format_segments(segments)) == segments


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Backward only: F60", "reserved_name"),
        ("backward_ONLY: F5", "reserved_name"),
        ("a: B1\nA: F1", "duplicate_name"),
        ("My  walk: B1\nmy walk: F1", "duplicate_name"),
    ],
)
def test_names_that_would_look_alike_are_refused(text: str, code: str) -> None:
    """Found by the independent tester: 'Backward only: F60' walked forward under a built-in's name."""
    with pytest.raises(ProgramSyntaxError) as err:
        parse_program_lines(text)
    assert err.value.code == code
