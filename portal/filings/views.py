"""Upload, follow the validation, read the report: thin views over the filing services."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..db import get_db
from ..errors import ServiceError
from ..i18n import pick
from ..jobs import core
from . import services
from .models import Filing

bp = Blueprint("filings", __name__)


def _service(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except ServiceError as exc:
        if exc.status == 404:
            abort(404)
        raise


def _notify_runner() -> None:
    runner = current_app.extensions.get("runner")
    if runner is not None:
        runner.notify()


@bp.get("/boards/<number>/<int:year>")
@login_required
def board_year(number: str, year: int) -> Any:
    """A board's reporting year: the upload form and every version so far."""
    db = get_db()
    board = _service(services.board_for, db, current_user, number)
    versions = services.filings_for(db, current_user, number, year)
    return render_template("filings/board_year.html", board=board, year=year, versions=versions, error=None)


@bp.post("/boards/<number>/<int:year>/upload")
@login_required
def upload(number: str, year: int) -> Any:
    """Store the upload as a new version and queue its validation."""
    db = get_db()
    board = _service(services.board_for, db, current_user, number)
    file = request.files.get("file")
    data = file.read() if file else b""
    try:
        filing, _created = services.upload(db, core.store(current_app), current_user, number, year, data,
                                           file.filename if file else "")
    except ServiceError as exc:
        versions = services.filings_for(db, current_user, number, year)
        return render_template("filings/board_year.html", board=board, year=year, versions=versions,
                               error=pick(exc.message)), exc.status
    db.commit()
    _notify_runner()
    return redirect(url_for("filings.show", filing_id=filing.id))


@bp.get("/filings/<int:filing_id>")
@login_required
def show(filing_id: int) -> Any:
    """The filing: progress while it is validated, then the report."""
    filing = _service(services.get_filing, get_db(), current_user, filing_id)
    return render_template("filings/show.html", filing=filing)


@bp.get("/filings/<int:filing_id>/status")
@login_required
def status(filing_id: int) -> Any:
    """The job state, for the page's live progress."""
    filing = _service(services.get_filing, get_db(), current_user, filing_id)
    return jsonify({"id": filing.id, "status": filing.status, "done": filing.done})


@bp.get("/filings/<int:filing_id>/report-part")
@login_required
def report_part(filing_id: int) -> Any:
    """The report as an HTML fragment, put into the page when the validation ends."""
    filing: Filing = _service(services.get_filing, get_db(), current_user, filing_id)
    return render_template("filings/_report.html", filing=filing)


@bp.get("/filings/<int:filing_id>/report.json")
@login_required
def report_json(filing_id: int) -> Any:
    """The validation report (REPORT.md), as a download."""
    filing: Filing = _service(services.get_filing, get_db(), current_user, filing_id)
    if not filing.report_json:
        abort(404)
    name = f"validatierapport-{filing.board.number}-{filing.year}-v{filing.version}.json"
    return Response(filing.report_json, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
