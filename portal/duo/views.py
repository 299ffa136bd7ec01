"""DUO's pages: the overview of a reporting year, acknowledgements, correction requests, export."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..attachments import safe_cell, send_download
from ..db import get_db, utcnow
from ..errors import ServiceError, flash_error
from ..submissions.deadline import deadline
from ..i18n import client_address
from ..reading.compare import since_submitted
from . import services

bp = Blueprint("duo", __name__, url_prefix="/duo")


@bp.get("/")
@login_required
def index() -> Any:
    """The current filing year's overview."""
    return redirect(url_for("duo.overview", year=utcnow().year - 1))


@bp.get("/<int:year>")
@login_required
def overview(year: int) -> Any:
    """Every board of the registry: filed or not (days left), late, valid, with warnings; searched,
    filtered, sorted and paged by the query string (q, status, sort, dir, page)."""
    due = deadline(year, current_app.config["DEADLINES"])
    query = services.OverviewQuery.parse(request.args)
    db = get_db()
    found = services.duo_overview(db, current_user, year, due.date(), query)
    # A board's latest submission that corrects an earlier one: what it corrected, for this page's rows.
    corrected = {r.board.id: since_submitted(db, current_user, r.receipt.filing)
                 for r in found.rows if r.receipt is not None and r.receipt.sequence > 1}
    return render_template("duo/overview.html", year=year, overview=found, query=query, deadline=due,
                           states=services.STATES, correction=services.CORRECTION, sorts=services.SORTS,
                           corrected=corrected)


@bp.post("/deliveries/<int:delivery_id>/acknowledge")
@login_required
def acknowledge(delivery_id: int) -> Any:
    """Confirm DUO has the filing."""
    db = get_db()
    delivery = services.acknowledge(db, current_user, delivery_id, client_address())
    db.commit()
    # Back to the same page of the same list (its search, filter, sort and page came with the form).
    return redirect(url_for("duo.overview", year=delivery.year, **services.OverviewQuery.parse(request.form).args()))


@bp.post("/<int:year>/<number>/correction")
@login_required
def correction(year: int, number: str) -> Any:
    """Ask a board for a correction, with a message that reaches its members."""
    db = get_db()
    back = services.OverviewQuery.parse(request.form).args()  # the list the form was on
    try:
        services.request_correction(db, current_user, number, year, request.form.get("message", ""), client_address())
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        flash_error(exc)
        return redirect(url_for("duo.overview", year=year, **back))
    db.commit()
    flash(_("The correction request was sent to board %(number)s.", number=number))
    return redirect(url_for("duo.overview", year=year, **back))


@bp.get("/<int:year>.csv")
@login_required
def export(year: int) -> Any:
    """The overview as CSV, as searched and filtered (cells made safe for spreadsheets)."""
    # The boards the page's search and filter find, in its order, all of them (no paging).
    query = services.OverviewQuery.parse(request.args)
    rows = services.duo_overview(get_db(), current_user, year, deadline(year, current_app.config["DEADLINES"]).date(),
                                 query, per_page=None).rows
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["board", "name", "state", "receipt", "submitted_at", "version", "late", "delivery", "days_left"])
    for r in rows:
        writer.writerow([safe_cell(v) for v in (
            r.board.number, r.board.name, r.state, r.receipt.number if r.receipt else "",
            r.receipt.submitted_at.isoformat() if r.receipt else "", r.receipt.filing.version if r.receipt else "",
            r.receipt.late if r.receipt else "", r.delivery.state if r.delivery else "",
            "" if r.days_left is None else r.days_left)])
    return send_download(out.getvalue().encode(), f"duo-overzicht-{year}.csv", "text/csv")
