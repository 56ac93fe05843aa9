"""History export for a therapist: one walker's sessions as CSV or JSON over an authenticated view.

The history holds health data (falls, check-ins), so only administrators and the user linked to the
walker's person may read it.
"""

from __future__ import annotations

import csv
from http import HTTPStatus
import io
from typing import Any
from urllib.parse import quote

from aiohttp import web
from homeassistant.auth.models import User
from homeassistant.components.http.const import KEY_HASS_USER
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.util import dt as dt_util, slugify

from .const import CONF_PERSON, DOMAIN
from .core.names import has_invisible
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


# A spreadsheet runs a cell that starts like a formula (=, +, -, @) or with a tab or a carriage
# return before one; an apostrophe in front keeps the cell text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def content_disposition(walker: str) -> str:
    """An attachment header: an ASCII file name, and the walker's own name as RFC 5987 UTF-8."""
    ascii_name = slugify(walker, separator="-") or "walker"
    own = "".join(char for char in walker if char not in '/\\"' and not has_invisible(char))
    utf8_name = quote(f"backward-walking-{own.strip() or ascii_name}.csv", safe="")
    return (
        f"attachment; filename=\"backward-walking-{ascii_name}.csv\"; filename*=UTF-8''{utf8_name}"
    )


def may_read_history(hass: HomeAssistant, user: User, entry: ConfigEntry[Any]) -> bool:
    """Administrators, and the user the walker's person is linked to."""
    if user.is_admin:
        return True
    person = entry.data.get(CONF_PERSON)
    state = hass.states.get(person) if person else None
    return state is not None and state.attributes.get("user_id") == user.id


class HistoryExportView(HomeAssistantView):
    """GET /api/backward_walking/history/<entry id>.csv or .json.

    401 without a login, 404 for a walker that does not exist, 403 for a user who may not read it.
    """

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
        if not may_read_history(hass, request[KEY_HASS_USER], entry):
            return web.Response(
                status=HTTPStatus.FORBIDDEN, text="Not allowed to read this history"
            )
        rows = [session_row(record) for record in entry.runtime_data.engine.history.sessions]
        if fmt == "json":
            return self.json({"walker": entry.title, "sessions": rows})
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            flat = {
                **row,
                "pauses": "; ".join(row["pauses"]),
                "safety_events": "; ".join(row["safety_events"]),
            }
            writer.writerow({column: csv_cell(flat[column]) for column in COLUMNS})
        return web.Response(
            text=buffer.getvalue(),
            content_type="text/csv",
            headers={"Content-Disposition": content_disposition(entry.title)},
        )
