"""Check Home Assistant's logs of a browser run: no ERROR at all, nothing of ours above INFO.

Usage: python check_log.py LOG...   Prints each offending line (with the lines of its traceback) and
exits 1 when there is one. What fails:

- every ERROR or CRITICAL line, whoever logged it: normal use must not put an error in the log;
- every WARNING about this integration (its loggers, or a line naming it), except Home Assistant's
  notice that it loads a custom integration, which it writes for every custom integration, and its
  translation loader's complaint about every loaded integration's platforms (``backward_walking.sensor``,
  ``template.sensor``, …) when Home Assistant's language is changed while it runs;
- every deprecation report ("Detected that custom integration …"), at any level.
"""

from __future__ import annotations

from pathlib import Path
import re
import sys

# 2026-12-07 05:40:01.123 ERROR (MainThread) [homeassistant.core] text
LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? (?P<level>[A-Z]+) \((?P<thread>[^)]*)\) \[(?P<logger>[^\]]+)\] (?P<text>.*)$"
)
OURS = "backward_walking"
ALLOWED_WARNINGS = (
    re.compile(r"We found a custom integration backward_walking which has not been tested"),
    # Home Assistant reloads the translations of hass.config.components on a change of language,
    # platforms included, and warns that each platform is no domain (2025.4 and the newest alike).
    re.compile(
        r"^Failed to load integration for translation: Invalid domain backward_walking\.\w+$"
    ),
)


def problems(lines: list[str]) -> list[str]:
    """The offending records of one log, each with the lines that belong to it (a traceback)."""
    records: list[list[str]] = []
    current: list[str] | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        match = LINE.match(line)
        if match is None:
            if current is not None:
                current.append(line)
            continue
        current = None
        if offending(match.group("level"), match.group("logger"), match.group("text")):
            current = [line]
            records.append(current)
    return ["\n".join(record) for record in records]


def offending(level: str, logger: str, text: str) -> bool:
    """Whether a record breaks the rules above."""
    if "Detected that custom integration" in text:
        return True
    if level in ("ERROR", "CRITICAL"):
        return True
    if level != "WARNING":
        return False
    if not (OURS in logger or OURS in text):
        return False
    return not any(pattern.search(text) for pattern in ALLOWED_WARNINGS)


def main(paths: list[str]) -> int:
    """Check every log; the exit status says whether all are clean."""
    bad = 0
    for path in paths:
        records = problems(Path(path).read_text(errors="replace").splitlines())
        for record in records:
            print(f"{path}: {record}")
        bad += len(records)
    if bad:
        print(f"Home Assistant's log: {bad} record(s) that normal use must not write (above).")
        return 1
    print(f"Home Assistant's log: clean ({', '.join(Path(p).name for p in paths)}).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
