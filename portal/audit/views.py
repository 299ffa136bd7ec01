"""The event log page (administrators: everything; board users: their own boards')."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..db import get_db
from .services import audit_log

bp = Blueprint("audit", __name__)


@bp.get("/audit")
@login_required
def audit() -> Any:
    """The event log: everything for administrators, their own boards' events for board users."""
    return render_template("audit/log.html", events=audit_log(get_db(), current_user, limit=500))
