"""History export for a therapist: one walker's sessions as CSV or JSON over an authenticated view."""

from __future__ import annotations

import csv
from http import HTTPStatus
import io
from typing import Any

from aiohttp import web
from homeassistant.config_entries import ConfigEntryState
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .core.stats import SessionRecord

SAFETY_REASONS = {"hazard", "fall", "check_in"}
COLUMNS = [
    "date",
    "start",
    "end",
    "outcome",
    "program",
    "backward_minutes",
    "forward_minutes",
    "rest_minutes",
    "kcal",
    "pauses",
    "safety_events",
]


def session_row(record: SessionRecord) -> dict[str, Any]:
    """One session in local time, with its pauses and the safety events among them."""
    start = dt_util.as_local(record.started_at)
    end = dt_util.as_local(record.ended_at)
    pauses = [f"{p.reason} ({round(p.duration_s)} s)" for p in record.pauses]
    safety = [p.reason for p in record.pauses if p.reason in SAFETY_REASONS]
    return {
        "date": start.date().isoformat(),
        "start": start.isoformat(timespec="seconds"),
        "end": end.isoformat(timespec="seconds"),
        "outcome": "completed" if record.completed else "stopped",
        "program": record.program,
        "backward_minutes": round(record.backward_s / 60, 2),
        "forward_minutes": round(record.forward_s / 60, 2),
        "rest_minutes": round(record.rest_s / 60, 2),
        "kcal": round(record.kcal, 1),
        "pauses": pauses,
        "safety_events": safety,
    }


class HistoryExportView(HomeAssistantView):
    """GET /api/backward_walking/history/<entry id>.csv or .json (a logged-in user is required)."""

    url = "/api/backward_walking/history/{entry_id}.{fmt}"
    name = "api:backward_walking:history"
    requires_auth = True

    async def get(self, request: web.Request, entry_id: str, fmt: str) -> web.Response:
        """The walker's sessions, oldest first; 404 for a walker that does not exist."""
        hass = request.app[KEY_HASS]
        entry = hass.config_entries.async_get_entry(entry_id)
        if (
            entry is None
            or entry.domain != DOMAIN
            or entry.state is not ConfigEntryState.LOADED
            or fmt not in ("csv", "json")
        ):
            return web.Response(status=HTTPStatus.NOT_FOUND, text="No such walker")
        rows = [session_row(record) for record in entry.runtime_data.engine.history.sessions]
        if fmt == "json":
            return self.json({"walker": entry.title, "sessions": rows})
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    **row,
                    "pauses": "; ".join(row["pauses"]),
                    "safety_events": "; ".join(row["safety_events"]),
                }
            )
        slug = entry.title.lower().replace(" ", "-")
        return web.Response(
            text=buffer.getvalue(),
            content_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="backward-walking-{slug}.csv"'},
        )
