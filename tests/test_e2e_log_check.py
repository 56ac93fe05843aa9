"""The browser run's log check (scripts/demo/check_log.py): what a normal run must never log."""

from __future__ import annotations

from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts" / "demo"))
import check_log

STAMP = "2026-12-07 05:40:01.123"


def test_any_error_fails_with_its_traceback() -> None:
    lines = [
        f"{STAMP} INFO (MainThread) [homeassistant.setup] Setting up backward_walking",
        f"{STAMP} ERROR (MainThread) [homeassistant.components.websocket_api.http.connection] "
        "The path behind Alex is not clear",
        "Traceback (most recent call last):",
        '  File "x.py", line 1',
        f"{STAMP} INFO (MainThread) [homeassistant.core] fine",
    ]
    found = check_log.problems(lines)
    assert found == ["\n".join(lines[1:4])]


def test_our_warnings_and_deprecations_fail_others_warnings_do_not() -> None:
    lines = [
        f"{STAMP} WARNING (SyncWorker_0) [homeassistant.loader] We found a custom integration "
        "backward_walking which has not been tested by Home Assistant.",
        f"{STAMP} WARNING (MainThread) [aiohttp_fast_zlib] zlib_ng and isal are not available",
        f"{STAMP} WARNING (MainThread) [custom_components.backward_walking.hub] Walking forced",
        f"{STAMP} INFO (MainThread) [homeassistant.helpers.frame] Detected that custom integration "
        "'backward_walking' calls a deprecated helper",
    ]
    assert check_log.problems(lines) == lines[2:]


def test_home_assistants_own_warnings_on_a_change_of_language_pass() -> None:
    """Home Assistant names every loaded platform, ours too, when its language changes."""
    text = "Failed to load integration for translation: Invalid domain backward_walking"
    lines = [
        f"{STAMP} WARNING (MainThread) [homeassistant.helpers.translation] {text}.select",
        f"{STAMP} WARNING (MainThread) [homeassistant.helpers.translation] {text}.sensor",
        f"{STAMP} WARNING (MainThread) [homeassistant.helpers.translation] {text} (broken)",
    ]
    assert check_log.problems(lines) == lines[2:]


def test_main_reports_a_clean_and_a_dirty_log(tmp_path: Path) -> None:
    clean = tmp_path / "clean.log"
    clean.write_text(f"{STAMP} DEBUG (MainThread) [custom_components.backward_walking] ok\n")
    dirty = tmp_path / "dirty.log"
    dirty.write_text(f"{STAMP} CRITICAL (MainThread) [homeassistant] down\n")
    assert check_log.main([str(clean)]) == 0
    assert check_log.main([str(clean), str(dirty)]) == 1
