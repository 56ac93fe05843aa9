"""Seed a demo Home Assistant config directory: onboarding state, the two dashboards, the HTTP port.

Run by scripts/develop and scripts/e2e before Home Assistant starts (``seed.py CONFIG_DIR [--port N]``).
Files that already exist are left alone, so changes made in the UI survive the next start.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
HALLWAY = [
    "input_boolean.hallway_obstacle",
    "input_boolean.hallway_fall",
    "input_boolean.hallway_crossing_motion",
    "input_boolean.hallway_walker_motion",
    "input_number.hallway_free_distance",
    "input_number.hallway_light",
]
# What the demo's hallway speaker was last asked to say (demo_speaker/ keeps it in an attribute).
HEARD = """{% for text in (state_attr('media_player.hallway_speaker', 'spoken') or [])[-6:] %}
- {{ text }}
{% endfor %}"""
CARD_DASHBOARD = {
    "title": "Backward walking",
    "views": [
        {
            "title": "Walking",
            "path": "walking",
            "cards": [
                {"type": "custom:backward-walking-card"},
                {"type": "entities", "title": "Demo hallway", "entities": HALLWAY},
            ],
        },
        {
            "title": "Spoken coaching",
            "path": "coaching",
            "cards": [
                {"type": "custom:backward-walking-card"},
                {"type": "markdown", "title": "Heard on the hallway speaker", "content": HEARD},
            ],
        },
    ],
}


def store(key: str, data: Any, version: int = 1) -> dict[str, Any]:
    """A Home Assistant storage file's content."""
    return {"version": version, "minor_version": 1, "key": key, "data": data}


def seed(config: Path, port: int = 8123) -> None:
    """Write what is missing under ``config/.storage``; Home Assistant is to listen on ``port``."""
    storage = config / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    builtin = yaml.safe_load((HERE / "dashboard_builtin.yaml").read_text(encoding="utf-8"))
    files = {
        # Only the owner account is left for onboarding (created over the API); the other steps
        # would set up default integrations that need the internet.
        "onboarding": store("onboarding", {"done": ["core_config", "analytics", "integration"]}, 4),
        "lovelace": store("lovelace", {"config": CARD_DASHBOARD}),
        "lovelace_dashboards": store(
            "lovelace_dashboards",
            {
                "items": [
                    {
                        "id": "dashboard_builtin",
                        "url_path": "dashboard-builtin",
                        "title": "Walking (built-in cards)",
                        "icon": "mdi:walk",
                        "show_in_sidebar": True,
                        "require_admin": False,
                        "mode": "storage",
                    }
                ]
            },
        ),
        "lovelace.dashboard_builtin": store("lovelace.dashboard_builtin", {"config": builtin}),
    }
    if port != 8123:
        # The last working HTTP settings, as Home Assistant 2025.4 keeps them: the newest release takes
        # its port from here (see prepare.sh).
        files["http"] = store("http", {"server_port": port})
    for name, content in files.items():
        path = storage / name
        if not path.exists():
            path.write_text(json.dumps(content, indent=2), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    seed(args.config, args.port)
