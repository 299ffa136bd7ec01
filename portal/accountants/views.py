"""Authorisations, accountants' keys, PDFs with a version and assurance: thin views over
accountants/services.py, keys.py and documents.py (which check every permission).

A refused form answers with its status (409 for a submitted version) and the page it was on,
the message at the top with its code small after it; an action that changes something ends with
a confirmation (a flash) on the page it leads to."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..attachments import clean_file_name, send_download
from ..db import get_db
from ..storage import get_store
from ..errors import ServiceError, flash_error, not_found
from ..filings.services import get_filing
from ..filings.views import filing_page
from ..i18n import client_address
from ..filings import documents
from . import keys as signing_keys, services

bp = Blueprint("accountants", __name__)


def _confirmed() -> bool:
    """The destructive form's "yes" checkbox was ticked."""
    return request.form.get("confirm") == "yes"


def _id(value: str) -> int:
    """A form's id field: a database id, or 0 (names nothing, so the service refuses it by its code)."""
    return int(value) if value.isdigit() and len(value) <= 9 else 0


def _back_to_filing(filing_id: int, error: ServiceError | None = None, entered: dict[str, str] | None = None) -> Any:
    """The filing page: after a success by a redirect (its flash confirms), after a refusal at
    once with the message, and the form filled in again with `entered` (what the user chose)."""
    if error is None:
        return redirect(url_for("filings.show", filing_id=filing_id))
    db = get_db()
    db.rollback()  # nothing of the refused request stays (and a lock on the version is released)
    return filing_page(get_filing(db, current_user, filing_id), error, error.status, entered=entered)


def _keys_page(error: ServiceError | None = None, entered: dict[str, str] | None = None) -> Any:
    """The key page with the nonce to sign for a registration (made or kept here, hence the commit);
    after a refusal, with what the user entered (`entered`, never a passphrase) filled in again."""
    db = get_db()
    db.rollback()
    challenge = signing_keys.challenge_for(db, current_user, current_app.config["KEY_PROOF_MINUTES"])
    db.commit()
    page = render_template("accountants/keys.html", keys=signing_keys.keys_of(db, current_user),
                           challenge=challenge, error=error, entered=entered or {})
    return page, error.status if error else 200


@bp.post("/boards/<number>/<int:year>/authorisations")
@login_required
def authorise(number: str, year: int) -> Any:
    """A board member authorises an audit firm for the year."""
    db = get_db()
    firm = request.form.get("firm_id", "")
    try:
        authorisation = services.authorise(db, current_user, number, year, _id(firm), client_address())
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash_error(exc)
        return redirect(url_for("filings.board_year", number=number, year=year))
    db.commit()
    flash(_("%(firm)s is authorised for %(year)s.", firm=authorisation.firm.name, year=year))
    return redirect(url_for("filings.board_year", number=number, year=year))


@bp.post("/authorisations/<int:authorisation_id>/withdraw")
@login_required
def withdraw(authorisation_id: int) -> Any:
    """A board member withdraws an authorisation."""
    db = get_db()
    try:
        authorisation = services.withdraw(db, current_user, authorisation_id, client_address(), _confirmed())
    except ServiceError as exc:
        if exc.status == 404:
            raise
        db.rollback()
        flash_error(exc)
        kept = services.authorisation_for(db, current_user, authorisation_id)
        return redirect(url_for("filings.board_year", number=kept.board.number, year=kept.year))
    db.commit()
    flash(_("The authorisation of %(firm)s for %(year)s is withdrawn.", firm=authorisation.firm.name, year=authorisation.year))
    return redirect(url_for("filings.board_year", number=authorisation.board.number, year=authorisation.year))


@bp.get("/accountant/keys")
@login_required
def keys() -> Any:
    """The accountant's signing keys, and the nonce to sign to register one made outside."""
    return _keys_page()


@bp.post("/accountant/keys")
@login_required
def add_key() -> Any:
    """Make a key here (encrypted with a passphrase), or register a public key or certificate made
    outside with the proof that the accountant holds it (its signature over the page's nonce)."""
    db = get_db()
    form = request.form
    try:
        if form.get("action") == "generate":
            signing_keys.create_portal_key(db, current_user, form.get("passphrase", ""), form.get("passphrase2", ""),
                                           client_address())
            done = _("Your new key is made.")
        else:
            signing_keys.register_key(db, current_user, form.get("pem", ""), form.get("nonce", ""),
                                      form.get("proof", ""), client_address())
            done = _("Your key is registered.")
    except ServiceError as exc:
        if exc.status == 404:
            raise
        # A public key is no secret: it stays in the form. Passphrases and the one-time proof do not.
        return _keys_page(exc, {"pem": form.get("pem", "")[:20000]} if form.get("action") != "generate" else None)
    db.commit()
    flash(done)
    return redirect(url_for("accountants.keys"))


@bp.post("/accountant/keys/<int:key_id>/revoke")
@login_required
def revoke_key(key_id: int) -> Any:
    """Stop using a key."""
    db = get_db()
    try:
        signing_keys.revoke_key(db, current_user, key_id, client_address(), _confirmed())
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _keys_page(exc)
    db.commit()
    flash(_("The key is revoked; assurance signed with it stays as it is."))
    return redirect(url_for("accountants.keys"))


@bp.post("/filings/<int:filing_id>/documents")
@login_required
def add_document(filing_id: int) -> Any:
    """The board adds the annual report PDF (jaarverslag) to a version."""
    db = get_db()
    file = request.files.get("file")
    try:
        documents.add_annual_report(db, get_store(), current_user, filing_id, file.read() if file else b"",
                                    file.filename if file else "", current_app.config["MAX_UPLOAD_MB"],
                                    client_address())
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _back_to_filing(filing_id, exc)
    db.commit()
    flash(_("The annual report (PDF) is added to version %(version)s.", version=get_filing(db, current_user, filing_id).version))
    return _back_to_filing(filing_id)


@bp.get("/filings/<int:filing_id>/documents/<any('annual-report', 'auditor-report'):kind>")
@login_required
def document(filing_id: int, kind: str) -> Any:
    """A version's PDF, always as a download."""
    data, name = documents.document_of(get_db(), get_store(), current_user, filing_id, kind)
    return send_download(data, clean_file_name(name, f"{kind}.pdf", suffix=".pdf"), "application/pdf")


@bp.post("/filings/<int:filing_id>/assurance")
@login_required
def attach(filing_id: int) -> Any:
    """The accountant attaches signed assurance to this version."""
    db = get_db()
    pdf, signed = request.files.get("pdf"), request.files.get("signed")
    key = request.form.get("key_id", "")
    try:
        services.attach(db, get_store(), current_user, filing_id, request.form.get("opinion", ""),
                        request.form.get("opinion_date", ""), pdf.read() if pdf else b"", pdf.filename if pdf else "",
                        _id(key), request.form.get("passphrase"),
                        signed.read() if signed and signed.filename else None, current_app.config["MAX_UPLOAD_MB"],
                        client_address())
    except ServiceError as exc:
        if exc.status == 404:
            raise
        # The choices come back into the form; the passphrase and the files never do (a browser
        # cannot fill in a file field, and a passphrase is not sent back in a page).
        entered = {name: request.form.get(name, "")[:40] for name in ("opinion", "opinion_date", "key_id")}
        return _back_to_filing(filing_id, exc, entered)
    db.commit()
    flash(_("The signed assurance is attached to version %(version)s.", version=get_filing(db, current_user, filing_id).version))
    return _back_to_filing(filing_id)


@bp.get("/filings/<int:filing_id>/assurance.json")
@login_required
def assurance_json(filing_id: int) -> Any:
    """The signed assurance document, to verify offline with `python -m validators verify-assurance`."""
    db = get_db()
    filing = get_filing(db, current_user, filing_id)
    kept, _valid = services.assurance_for(db, get_store(), filing)
    if kept is None:
        raise not_found()
    name = f"verklaring-{filing.board.number}-{filing.year}-v{filing.version}.json"
    return send_download(kept.document_json.encode(), name, "application/json")
