"""The event log page (administrators: everything; board users: their own boards')."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..db import get_db
from .services import audit_log

bp = Blueprint("audit", __name__)


@bp.get("/audit")
@login_required
def audit() -> Any:
    """The event log: everything for administrators, their own boards' events for board users."""
    page = request.args.get("page", "1")
    number = int(page) if page.isdigit() and len(page) < 6 else 1
    events, more = audit_log(get_db(), current_user, number)
    return render_template("audit/log.html", events=events, page=number, more=more)
