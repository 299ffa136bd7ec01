"""The home page: the boards the user may see."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from ..db import get_db, utcnow
from ..accountants.services import clients
from ..duo.services import open_corrections
from ..submissions.status import year_statuses
from .services import is_board_user, visible_boards

bp = Blueprint("boards", __name__)


@bp.get("/")
@login_required
def home() -> Any:
    """The signed-in user's school boards."""
    db = get_db()
    boards = visible_boards(db, current_user)
    own = is_board_user(current_user)
    year = utcnow().year - 1  # in 2026 boards file their 2025 accounts (due 1 July)
    corrections = open_corrections(db, [b.id for b in boards], year) if own else {}
    statuses = year_statuses(db, boards, year, current_app.config["DEADLINES"]) if own else []
    return render_template("boards/home.html", boards=boards, own=own, reporting_year=year, statuses=statuses,
                           clients=clients(db, current_user), corrections=corrections)
