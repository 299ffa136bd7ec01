"""Upload, follow the validation, read the report: thin views over the filing services."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from sqlalchemy import select

from ..accountants import services as accountants
from ..attachments import send_download
from ..access import allowed
from ..audit.services import audit_log, events_for
from ..db import get_db
from ..errors import ServiceError, not_found
from ..i18n import client_address, language, pick
from ..jobs import core
from ..outbox.models import Email
from ..recipients.services import deliveries_of
from . import receipt_pdf as receipt_pdf_module
from . import report_pdf as report_pdf_module
from . import services, submission
from .services import UploadLimits
from .models import Filing, Receipt

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


def _board_year_page(board: Any, year: int, error: str | None, status: int) -> Any:
    db = get_db()
    versions = services.filings_for(db, current_user, board.number, year)
    receipts = db.scalars(select(Receipt).where(Receipt.board_id == board.id, Receipt.year == year)
                          .order_by(Receipt.sequence.desc())).all()
    events = [e for e in events_for(db, current_user, board.id) if e.year in (year, None)][:50]
    member = allowed("board.manage", db, current_user, board=board)
    return render_template("filings/board_year.html", board=board, year=year, versions=versions, receipts=receipts,
                           events=events, deadline=submission.deadline(year), error=error, member=member,
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
        filing, _created = services.upload(db, core.store(current_app), current_user, number, year, data,
                                           file.filename if file else "", UploadLimits.from_config(config),
                                           test=request.form.get("test") == "yes",
                                           retention_days=config["TEST_RETENTION_DAYS"], address=client_address())
    except ServiceError as exc:
        page, code = _board_year_page(board, year, pick(exc.message), exc.status)
        return page, code, _retry_after(exc)
    db.commit()  # the validation is queued after the commit (portal/jobs)
    return redirect(url_for("filings.show", filing_id=filing.id))


@bp.get("/filings/<int:filing_id>")
@login_required
def show(filing_id: int) -> Any:
    """The filing: progress while it is validated, then the report."""
    return filing_page(services.get_filing(get_db(), current_user, filing_id), None, 200)


def filing_page(filing: Filing, error: str | None, status: int) -> Any:
    """The filing page with `error` (a refused form on it) at the top, answered with `status`."""
    db = get_db()
    return render_template("filings/show.html", filing=filing, receipt=submission.receipt_for(db, filing),
                           error=error, deadline=submission.deadline(filing.year),
                           deliveries=deliveries_of(db, filing),
                           **accountants.filing_context(db, core.store(current_app), current_user, filing)), status


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
    return render_template("filings/_report.html", filing=filing, receipt=submission.receipt_for(db, filing),
                           error=None, deadline=submission.deadline(filing.year),
                           **accountants.filing_context(db, core.store(current_app), current_user, filing))


@bp.get("/filings/<int:filing_id>/report.json")
@login_required
def report_json(filing_id: int) -> Any:
    """The validation report (the published report JSON), as a download."""
    filing: Filing = services.get_filing(get_db(), current_user, filing_id)
    if not filing.report_json:
        raise not_found()
    name = f"validatierapport-{filing.board.number}-{filing.year}-v{filing.version}.json"
    return send_download(filing.report_json.encode(), name, "application/json")


@bp.get("/filings/<int:filing_id>/report.pdf")
@login_required
def report_pdf(filing_id: int) -> Any:
    """The validation report as PDF in the user's language, a download (never shown inline)."""
    filing: Filing = services.get_filing(get_db(), current_user, filing_id)
    report = filing.report
    if report is None:
        raise not_found()
    # A test version's PDF (pre-validation) says so on every page.
    data = report_pdf_module.render(report, filing.board.name, filing.version, language(), test_version=filing.is_test)
    name = f"validatierapport-{filing.board.number}-{filing.year}-v{filing.version}.pdf"
    return send_download(data, name, "application/pdf")


@bp.get("/filings/<int:filing_id>/<any('xbrl-json', 'xbrl-csv'):fmt>")
@login_required
def export(filing_id: int, fmt: str) -> Any:
    """The submitted version as xBRL-JSON or xBRL-CSV (zip), as a download."""
    data, name, media_type = services.export_of(get_db(), core.store(current_app), current_user,
                                      filing_id, fmt)
    return send_download(data, name, media_type)


@bp.post("/filings/<int:filing_id>/submit")
@login_required
def submit(filing_id: int) -> Any:
    """Submit a validated version, after the declaration; then show its receipt."""
    db = get_db()
    try:
        receipt, _created = submission.submit(db, current_user, filing_id, request.form.get("declaration") == "yes",
                                              client_address())
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return filing_page(services.get_filing(db, current_user, filing_id), pick(exc.message), exc.status)
    db.commit()  # the deliveries start after the commit (portal/jobs)
    return redirect(url_for("filings.receipt", number=receipt.number))


@bp.get("/receipts/<number>")
@login_required
def receipt(number: str) -> Any:
    """The receipt (ontvangstbewijs) page."""
    db = get_db()
    item = submission.get_receipt(db, current_user, number)
    return render_template("filings/receipt.html", receipt=item, body=item.body,
                           deliveries=deliveries_of(db, item.filing))


@bp.get("/receipts/<number>.json")
@login_required
def receipt_json(number: str) -> Any:
    """The receipt as JSON, a download."""
    item = submission.get_receipt(get_db(), current_user, number)
    return send_download(item.body_json.encode(), f"{item.number}.json", "application/json")


@bp.get("/receipts/<number>.pdf")
@login_required
def receipt_pdf(number: str) -> Any:
    """The receipt as PDF, a download (never shown inline)."""
    item = submission.get_receipt(get_db(), current_user, number)
    return send_download(receipt_pdf_module.render(item, item.board.name), f"{item.number}.pdf", "application/pdf")


@bp.get("/outbox")
@login_required
def outbox() -> Any:
    """The e-mails the portal sent (or will send) to the signed-in user."""
    emails = get_db().scalars(select(Email).where(Email.user_id == current_user.id).order_by(Email.id.desc())).all()
    return render_template("filings/outbox.html", emails=emails)


@bp.get("/audit")
@login_required
def audit() -> Any:
    """The event log: everything for administrators, their own boards' events for board users."""
    return render_template("filings/audit.html", events=audit_log(get_db(), current_user, limit=500))
