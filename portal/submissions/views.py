"""Submitting a version and its receipt (ontvangstbewijs): the page, JSON and PDF. Thin views over
submissions/receipts.py; a refused submission shows the filing page again with the message."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..attachments import send_download
from ..db import get_db
from ..errors import ServiceError
from ..filings.services import get_filing
from ..filings.views import filing_page
from ..i18n import client_address
from ..pdf import requested_language
from ..storage import get_store
from . import receipts
from .receipt_pdf import render as render_pdf
from .deliveries import deliveries_of

bp = Blueprint("submissions", __name__)


@bp.post("/filings/<int:filing_id>/submit")
@login_required
def submit(filing_id: int) -> Any:
    """Submit a validated version, after the declaration; then show its receipt."""
    db = get_db()
    try:
        receipt, _created = receipts.submit(db, get_store(), current_user, filing_id,
                                            request.form.get("declaration") == "yes", client_address(),
                                            current_app.config["DEADLINES"])
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return filing_page(get_filing(db, current_user, filing_id), exc, exc.status)
    db.commit()  # the deliveries start after the commit (portal/jobs)
    return redirect(url_for("submissions.receipt", number=receipt.number))


@bp.get("/receipts/<number>")
@login_required
def receipt(number: str) -> Any:
    """The receipt (ontvangstbewijs) page."""
    db = get_db()
    item = receipts.get_receipt(db, current_user, number)
    return render_template("submissions/receipt.html", receipt=item, body=item.body,
                           deliveries=deliveries_of(db, item.filing))


@bp.get("/receipts/<number>.json")
@login_required
def receipt_json(number: str) -> Any:
    """The receipt as JSON, a download."""
    item = receipts.get_receipt(get_db(), current_user, number)
    return send_download(item.body_json.encode(), f"{item.number}.json", "application/json")


@bp.get("/receipts/<number>.pdf")
@login_required
def receipt_pdf(number: str) -> Any:
    """The receipt as PDF in the reader's language (or ?lang=), a download (never shown inline)."""
    item = receipts.get_receipt(get_db(), current_user, number)
    return send_download(render_pdf(item, item.board.name, requested_language()), f"{item.number}.pdf",
                         "application/pdf")
