"""Interval programs: ordered backward / forward / rest segments repeated to fill a target."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import math
import re

from .names import has_invisible, shorten, visible


class Direction(StrEnum):
    """Which way the walker moves during a segment."""

    BACKWARD = "backward"
    FORWARD = "forward"
    REST = "rest"


_DIRECTION_LETTERS = {"B": Direction.BACKWARD, "F": Direction.FORWARD, "R": Direction.REST}
_LETTER_OF = {direction: letter for letter, direction in _DIRECTION_LETTERS.items()}
MAX_SEGMENTS = 40
MAX_SEGMENT_SECONDS = 120 * 60
MAX_PROGRAMS = 20
PROGRAM_NAME_MAX_LENGTH = 40
_TOKEN = re.compile(r"^([FBR])([0-9]+(?:\.[0-9]+)?)([SM]?)$")


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of walking in one direction."""

    direction: Direction
    duration_s: int


@dataclass(frozen=True, slots=True)
class Program:
    """A named cycle of segments; the cycle repeats until the session target is reached."""

    key: str
    segments: tuple[Segment, ...]

    @property
    def cycle_s(self) -> int:
        """Length of one pass through the segments."""
        return sum(segment.duration_s for segment in self.segments)

    @property
    def compact(self) -> str:
        """The program in the compact form users type, e.g. ``F5 B1``."""
        return format_segments(self.segments)


def _minutes(*pairs: tuple[Direction, float]) -> tuple[Segment, ...]:
    return tuple(Segment(direction, round(minutes * 60)) for direction, minutes in pairs)


B, F, R = Direction.BACKWARD, Direction.FORWARD, Direction.REST
BUILTIN_PROGRAMS: dict[str, Program] = {
    program.key: program
    for program in (
        Program("backward_only", _minutes((B, 1))),
        Program("forward5_backward1", _minutes((F, 5), (B, 1))),
        Program("alternating_1_1", _minutes((F, 1), (B, 1))),
        # A gentle start: mostly forward, three one-minute backward stretches, one cycle = 10 min.
        Program("beginner_10", _minutes((F, 3), (B, 1), (F, 2), (B, 1), (F, 2), (B, 1))),
    )
}
DEFAULT_PROGRAM = "backward_only"


class ProgramSyntaxError(ValueError):
    """A compact program text could not be read; ``code`` names the problem for translation.

    ``token`` quotes the offending part, with invisible characters spelled out and shortened so that
    a message showing it stays short.
    """

    def __init__(self, code: str, token: str = "") -> None:
        token = shorten(visible(token))
        super().__init__(f"{code}: {token!r}" if token else code)
        self.code = code
        self.token = token


def parse_segments(text: str) -> tuple[Segment, ...]:
    """Read ``F5 B1`` (minutes), ``B30s`` (seconds) or ``R0.5`` into segments.

    Raises ProgramSyntaxError with code ``empty``, ``bad_token``, ``zero_duration``,
    ``segment_too_long`` or ``too_many_segments``.
    """
    tokens = text.upper().replace(",", " ").split()
    if not tokens:
        raise ProgramSyntaxError("empty")
    if len(tokens) > MAX_SEGMENTS:
        raise ProgramSyntaxError("too_many_segments", str(len(tokens)))
    segments = []
    for token in tokens:
        match = _TOKEN.match(token)
        if match is None:
            raise ProgramSyntaxError("bad_token", token)
        letter, amount, unit = match.groups()
        exact = float(amount) * (1 if unit == "S" else 60)
        # A long run of digits reads as infinity, which cannot be rounded: it is simply too long.
        if not math.isfinite(exact) or round(exact) > MAX_SEGMENT_SECONDS:
            raise ProgramSyntaxError("segment_too_long", token)
        seconds = round(exact)
        if seconds <= 0:
            raise ProgramSyntaxError("zero_duration", token)
        segments.append(Segment(_DIRECTION_LETTERS[letter], seconds))
    return tuple(segments)


def format_segments(segments: tuple[Segment, ...]) -> str:
    """The compact form of segments; whole minutes print as ``B1``, the rest as ``B30s``."""
    parts = []
    for segment in segments:
        minutes, seconds = divmod(segment.duration_s, 60)
        amount = f"{minutes}" if seconds == 0 else f"{segment.duration_s}s"
        parts.append(f"{_LETTER_OF[segment.direction]}{amount}")
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Position:
    """Where a session is inside its program."""

    index: int
    direction: Direction
    segment_remaining_s: float
    segment_end_s: float


def plan(program: Program, target_s: float) -> list[Segment]:
    """The segments a session of ``target_s`` walks: the cycle repeated, the last one cut short."""
    planned: list[Segment] = []
    total = 0
    target = int(target_s)
    while total < target:
        for segment in program.segments:
            take = min(segment.duration_s, target - total)
            if take <= 0:
                break
            planned.append(Segment(segment.direction, take))
            total += take
    return planned


def position(program: Program, target_s: float, elapsed_s: float) -> Position:
    """The segment being walked after ``elapsed_s`` seconds and the time left in it."""
    elapsed = min(max(elapsed_s, 0.0), target_s)
    cycles_done = int(elapsed // program.cycle_s)
    start = float(cycles_done * program.cycle_s)
    index = len(program.segments) - 1  # float rounding can leave the offset at the cycle's very end
    for candidate, segment in enumerate(program.segments):
        if elapsed < start + segment.duration_s:
            index = candidate
            break
        start += segment.duration_s
    else:
        start -= program.segments[index].duration_s
    end = min(start + program.segments[index].duration_s, target_s)
    return Position(index, program.segments[index].direction, max(end - elapsed, 0.0), end)


def direction_end_s(program: Program, target_s: float, elapsed_s: float) -> float:
    """Elapsed seconds at which the direction walked after ``elapsed_s`` changes, or the target.

    Consecutive segments of one direction are one phase for the walker (``B1 B1`` is two minutes
    backward), as for the ``phase_changed`` event.
    """
    here = position(program, target_s, elapsed_s)
    if all(segment.direction is here.direction for segment in program.segments):
        return float(target_s)
    end = here.segment_end_s
    while end < target_s:
        following = position(program, target_s, end)
        if following.direction is not here.direction:
            break
        end = following.segment_end_s
    return end


def time_by_direction(program: Program, elapsed_s: float) -> dict[Direction, float]:
    """Seconds spent in each direction during the first ``elapsed_s`` seconds of the program."""
    totals = dict.fromkeys(Direction, 0.0)
    elapsed = max(elapsed_s, 0.0)
    cycle = program.cycle_s
    full_cycles, rest = divmod(elapsed, cycle)
    for segment in program.segments:
        totals[segment.direction] += full_cycles * segment.duration_s
        take = min(segment.duration_s, rest)
        totals[segment.direction] += take
        rest -= take
    return totals


def _comparable(name: str) -> str:
    return " ".join(name.replace("_", " ").casefold().split())


_RESERVED = frozenset(_comparable(key) for key in BUILTIN_PROGRAMS)


def parse_program_lines(text: str) -> dict[str, tuple[Segment, ...]]:
    """Read user programs, one per line as ``Name: F5 B1``.

    Raises ProgramSyntaxError; its ``token`` names the offending line's program (or the line itself).
    Codes beyond parse_segments: ``missing_name``, ``bad_name`` (invisible characters),
    ``name_too_long``, ``duplicate_name``, ``reserved_name``, ``too_many_programs``.
    """
    programs: dict[str, tuple[Segment, ...]] = {}
    seen: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        name, separator, body = line.partition(":")
        name = name.strip()
        if not separator or not name:
            raise ProgramSyntaxError("missing_name", line)
        if has_invisible(name):
            raise ProgramSyntaxError("bad_name", name)
        if len(name) > PROGRAM_NAME_MAX_LENGTH:
            raise ProgramSyntaxError("name_too_long", name)
        if len(programs) == MAX_PROGRAMS:
            raise ProgramSyntaxError("too_many_programs", str(MAX_PROGRAMS))
        # Names that differ only in case, spaces or underscores would look the same in the select.
        if (same := _comparable(name)) in seen:
            raise ProgramSyntaxError("duplicate_name", name)
        if same in _RESERVED:
            raise ProgramSyntaxError("reserved_name", name)
        seen.add(same)
        try:
            programs[name] = parse_segments(body)
        except ProgramSyntaxError as err:
            raise ProgramSyntaxError(
                err.code, f"{name}: {err.token}" if err.token else name
            ) from err
    return programs


def format_program_lines(programs: dict[str, str]) -> str:
    """The text form of user programs, the inverse of parse_program_lines."""
    return "\n".join(f"{name}: {compact}" for name, compact in programs.items())
