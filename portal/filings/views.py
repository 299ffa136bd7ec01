"""Upload, follow the validation, read the report: thin views over the filing services. (Submitting
and the receipt pages are in submissions/views.py.)"""

from __future__ import annotations

from typing import Any

from validators.report import SUBMITTABLE

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import allowed
from ..accountants import services as accountants
from ..attachments import send_download
from ..audit.services import events_for
from ..db import get_db, utcnow
from ..duo.services import open_corrections
from ..errors import ServiceError, not_found
from ..formatting import moment
from ..i18n import client_address
from ..pdf import requested_language
from ..reading.compare import Comparison, since_submitted
from ..storage import get_store
from ..submissions.deadline import deadline
from ..submissions.deliveries import deliveries_of
from ..submissions.receipts import receipts_of
from ..submissions.status import year_statuses
from . import report_pdf as report_pdf_module
from . import services
from .models import Filing
from .services import FIRST_YEAR, UploadLimits, receipt_for

bp = Blueprint("filings", __name__)


def _retry_after(exc: ServiceError) -> dict[str, str]:
    """The Retry-After header of a rate limit's refusal, if it is one."""
    return {"Retry-After": str(exc.retry_after)} if exc.retry_after else {}


@bp.get("/boards/<number>/<int:year>")
@login_required
def board_year(number: str, year: int) -> Any:
    """A board's reporting year: the upload form and every version so far."""
    db = get_db()
    board = services.board_for(db, current_user, number, year)
    return _board_year_page(board, year, None, 200)


def _board_year_page(board: Any, year: int, error: ServiceError | None, status: int) -> Any:
    db = get_db()
    versions, refused = services.versions_and_refused(services.filings_for(db, current_user, board.number, year))
    receipts = receipts_of(db, board, year)
    events = [e for e in events_for(db, current_user, board.id) if e.year in (year, None)][:10]
    member = allowed("board.manage", db, current_user, board=board)
    corrections = open_corrections(db, [board.id], year).get(board.id, [])
    (standing,) = year_statuses(db, [board], year, current_app.config["DEADLINES"])
    last = utcnow().year - 1  # the latest year that can be filed
    # Links to the other years the user may open: an accountant is authorised per year.
    years = [y for y in range(last, max(FIRST_YEAR, last - 4) - 1, -1)
             if y != year and (member or allowed("board.files", db, current_user, board=board, year=y))]
    return render_template("filings/board_year.html", board=board, year=year, versions=versions, refused=refused,
                           receipts=receipts,
                           events=events, corrections=corrections, standing=standing, years=years,
                           deadline=deadline(year, current_app.config["DEADLINES"]), error=error, member=member,
                           authorisations=accountants.authorisations_of(db, current_user, board.number, year)
                           if member else [], firms=accountants.firms(db) if member else [],
                           retention=current_app.config["TEST_RETENTION_DAYS"]), status


@bp.post("/boards/<number>/<int:year>/upload")
@login_required
def upload(number: str, year: int) -> Any:
    """Store the upload as a new version (or a test version) and queue its validation."""
    db = get_db()
    board = services.board_for(db, current_user, number, year)
    file = request.files.get("file")
    data = file.read() if file else b""
    config = current_app.config
    try:
        filing, created = services.upload(db, get_store(), current_user, number, year, data,
                                           file.filename if file else "", UploadLimits.from_config(config),
                                           test=request.form.get("test") == "yes",
                                           retention_days=config["TEST_RETENTION_DAYS"], address=client_address())
    except ServiceError as exc:
        page, code = _board_year_page(board, year, exc, exc.status)
        return page, code, _retry_after(exc)
    db.commit()  # the validation is queued after the commit (portal/jobs)
    if not created and filing.version is None:  # the same refused file again
        flash(_("This file was uploaded before, on %(date)s, and refused: it is not an XBRL annual report. "
                "See below why.", date=moment(filing.uploaded_at)))
    elif not created:  # the same bytes again: say which version they already are, not silently show it
        flash(_("This file was uploaded before: it is version %(version)s of %(date)s. No new version was made.", version=filing.version, date=moment(filing.uploaded_at)))
    return redirect(url_for("filings.show", filing_id=filing.id))


@bp.get("/filings/<int:filing_id>")
@login_required
def show(filing_id: int) -> Any:
    """The filing: progress while it is validated, then the report."""
    return filing_page(services.get_filing(get_db(), current_user, filing_id), None, 200)


def filing_page(filing: Filing, error: ServiceError | None, status: int, entered: dict[str, str] | None = None) -> Any:
    """The filing page with `error` (the refusal of a form on it) at the top, answered with `status`;
    `entered`: what the refused form held, to fill it in again."""
    db = get_db()
    receipt = receipt_for(db, filing)
    return render_template("filings/show.html", filing=filing, receipt=receipt, since=_since(filing, receipt),
                           error=error, entered=entered or {},
                           deadline=deadline(filing.year, current_app.config["DEADLINES"]),
                           deliveries=deliveries_of(db, filing),
                           **accountants.filing_context(db, get_store(), current_user, filing)), status


def _since(filing: Filing, receipt: object) -> Comparison | None:
    """For the submit box of a version the board may submit: what changed since the version it
    submitted last (reading/compare.py), so a correction is sent knowing what it corrects."""
    if receipt is not None or filing.is_test or filing.status not in SUBMITTABLE or \
            not allowed("filing.submit", get_db(), current_user, filing=filing):
        return None
    return since_submitted(get_db(), current_user, filing)


@bp.get("/filings/<int:filing_id>/status")
@login_required
def status(filing_id: int) -> Any:
    """The job state, for the page's live progress."""
    filing = services.get_filing(get_db(), current_user, filing_id)
    return jsonify({"id": filing.id, "status": filing.status, "done": filing.done})


@bp.get("/filings/<int:filing_id>/report-part")
@login_required
def report_part(filing_id: int) -> Any:
    """The report as an HTML fragment, put into the page when the validation ends."""
    db = get_db()
    filing: Filing = services.get_filing(db, current_user, filing_id)
    receipt = receipt_for(db, filing)
    return render_template("filings/_report.html", filing=filing, receipt=receipt, since=_since(filing, receipt),
                           error=None, deadline=deadline(filing.year, current_app.config["DEADLINES"]),
                           **accountants.filing_context(db, get_store(), current_user, filing))


def _label(filing: Filing) -> str:
    """A version's part of a download name ("v3"); a file refused at intake has no number."""
    return f"v{filing.version}" if filing.version is not None else f"geweigerd-{filing.id}"


@bp.get("/filings/<int:filing_id>/report.json")
@login_required
def report_json(filing_id: int) -> Any:
    """The validation report (the published report JSON), as a download."""
    filing: Filing = services.get_filing(get_db(), current_user, filing_id)
    if not filing.report_json:
        raise not_found()
    name = f"validatierapport-{filing.board.number}-{filing.year}-{_label(filing)}.json"
    return send_download(filing.report_json.encode(), name, "application/json")


@bp.get("/filings/<int:filing_id>/report.pdf")
@login_required
def report_pdf(filing_id: int) -> Any:
    """The validation report as PDF in the user's language (or ?lang=), a download (never shown inline)."""
    filing: Filing = services.get_filing(get_db(), current_user, filing_id)
    report = filing.report
    if report is None:
        raise not_found()
    # A test version's PDF (pre-validation) says so on every page.
    version = filing.version if filing.version is not None else _("none (refused file)")
    data = report_pdf_module.render(report, filing.board.name, version, requested_language(),
                                    test_version=filing.is_test)
    name = f"validatierapport-{filing.board.number}-{filing.year}-{_label(filing)}.pdf"
    return send_download(data, name, "application/pdf")


@bp.get("/filings/<int:filing_id>/<any('xbrl-json', 'xbrl-csv'):fmt>")
@login_required
def export(filing_id: int, fmt: str) -> Any:
    """The submitted version as xBRL-JSON or xBRL-CSV (zip), as a download."""
    data, name, media_type = services.export_of(get_db(), get_store(), current_user, filing_id, fmt)
    return send_download(data, name, media_type)
