"""The help pages, in Dutch and English, for anyone (logged in or not): what XBRL is and how a
school board gets its file, the steps to a receipt, the inspectorate's signalling values with the
portal's own thresholds, the deadline and whom to contact."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from flask import Blueprint, current_app, render_template

from validators import Registry
from validators.registry import RegistryError
from validators.signals import SECTORS, table_for

from ..db import utcnow
from ..submissions.deadline import deadline

bp = Blueprint("help", __name__)


@cache
def _entry_points() -> list[tuple[int, str]]:
    # The taxonomy's entry point per reporting year, from the packages the engine validates
    # against (read once per process); none when this host carries no packages.
    try:
        return [(t.year, t.entry_point) for t in Registry().all()]
    except (OSError, RegistryError):
        return []


def by_threshold(per_sector: dict[str, Any]) -> list[tuple[Any, list[str]]]:
    """A per-sector threshold as the page says it: each value once, with its sectors in the usual order."""
    grouped: dict[Any, list[str]] = {}
    for sector in SECTORS:
        if sector in per_sector:
            grouped.setdefault(per_sector[sector], []).append(sector)
    return list(grouped.items())


@bp.get("/help")
def help_page() -> Any:
    """The help page: the latest year that can be filed decides the deadline and the thresholds shown."""
    year = utcnow().year - 1
    due = deadline(year, current_app.config["DEADLINES"])
    # The deadline is the moment submissions become late (midnight), so the last day is the one before.
    return render_template("help/help.html", year=year, deadline=due, last_day=due - timedelta(days=1),
                           entry_points=_entry_points(),
                           table=table_for(year), by_threshold=by_threshold)
