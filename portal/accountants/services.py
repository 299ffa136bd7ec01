"""Authorisations of audit firms, and accountants' assurance on a version.

Permission checks live here (the pages and the API share them); anything a user
may not see is NOT-FOUND. Assurance rows are insert-only: attaching again adds a
row, and the version shows the latest one until it is submitted; from then on the
one its receipt names, and nothing is attached to it any more. Keys live in
keys.py, the version's PDFs in documents.py. Services add and flush, never commit.
"""

from __future__ import annotations

import dataclasses
import json
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from validators import assurance
from validators.report import SUBMITTABLE

from ..users.models import Firm, Role, User
from ..audit.services import record
from ..db import utcnow
from ..errors import ServiceError, confirmation_required, not_found
from ..filings.models import AUDITOR_REPORT, Filing
from ..access import board_for, check_access
from ..filings.services import get_filing, receipt_for
from ..storage import FileStore, StorageError
from ..filings.documents import check_pdf, ensure_open, put_document, shown_documents
from .keys import keys_of
from .models import AccountantKey, Assurance, Authorisation

log = logging.getLogger(__name__)

def firms(db: Session) -> list[Firm]:
    """Every registered audit firm, by name."""
    return list(db.scalars(select(Firm).order_by(Firm.name)))


def authorisations_of(db: Session, user: User, number: str, year: int) -> list[Authorisation]:
    """A board's authorisations for the year (active and withdrawn), for its members."""
    board = board_for(db, user, number, action="board.manage")
    return list(db.scalars(select(Authorisation).where(Authorisation.board_id == board.id, Authorisation.year == year)
                           .order_by(Authorisation.granted_at.desc())))


def authorise(db: Session, user: User, number: str, year: int, firm_id: int,
              address: str | None = None) -> Authorisation:
    """A board member lets a firm's accountants see the board's filings of `year`."""
    board = board_for(db, user, number, action="board.manage")  # an accountant cannot authorise itself
    firm = db.get(Firm, firm_id)
    if firm is None:
        raise ServiceError("AUTH-FIRM", "Choose a registered audit firm.")
    active = db.scalar(select(Authorisation).where(Authorisation.board_id == board.id, Authorisation.firm_id == firm.id,
                                                   Authorisation.year == year, Authorisation.withdrawn_at.is_(None)))
    if active is not None:
        raise ServiceError("AUTH-EXISTS", "%(name)s is already authorised for %(year)s.", 409, name=firm.name,
                           year=year)
    authorisation = Authorisation(board_id=board.id, firm_id=firm.id, year=year, granted_by_id=user.id)
    db.add(authorisation)
    db.flush()
    record(db, "authorisation.granted", authorisation, user, address, board_id=board.id, year=year, firm=firm.name)
    return authorisation


def authorisation_for(db: Session, user: User, authorisation_id: int) -> Authorisation:
    """The authorisation, if the user is a member of its board; NOT-FOUND otherwise."""
    authorisation = db.get(Authorisation, authorisation_id)
    if authorisation is None:
        raise not_found()
    check_access("board.manage", db, user, board=authorisation.board)
    return authorisation


def withdraw(db: Session, user: User, authorisation_id: int, address: str | None = None,
             confirmed: bool = False) -> Authorisation:
    """A board member ends an authorisation, having confirmed it; the firm's access ends at once."""
    authorisation = authorisation_for(db, user, authorisation_id)
    if not confirmed:
        raise confirmation_required()
    if authorisation.withdrawn_at is None:
        authorisation.withdrawn_at, authorisation.withdrawn_by_id = utcnow(), user.id
        db.flush()
    record(db, "authorisation.withdrawn", authorisation, user, address, board_id=authorisation.board_id,
           year=authorisation.year, firm=authorisation.firm.name)
    return authorisation


def clients(db: Session, user: User) -> list[Authorisation]:
    """The boards and years the accountant's firm is authorised for, now."""
    if user.role is not Role.ACCOUNTANT or user.firm_id is None:
        return []
    return list(db.scalars(select(Authorisation).where(Authorisation.firm_id == user.firm_id,
                                                       Authorisation.withdrawn_at.is_(None))
                           .order_by(Authorisation.year.desc(), Authorisation.board_id)))


def _check_opinion(filing_bytes: bytes, opinion: str) -> None:
    filed = assurance.audit_opinion_of(filing_bytes)
    if filed != opinion:
        shown = filed or "ontbreekt / missing"
        raise ServiceError("ASSURANCE-OPINION", "The opinion '%(opinion)s' differs from the opinion in the annual "
                           "report (AuditOpinionType: %(shown)s). Correct the file or choose the right opinion.",
                           opinion=opinion, shown=shown)


def attach(db: Session, store: FileStore, user: User, filing_id: int, opinion: str, opinion_date: str,
           pdf: bytes, pdf_name: str, key_id: int, passphrase: str | None = None,
           signed: bytes | None = None, limit_mb: int = 25, address: str | None = None) -> Assurance:
    """The accountant's assurance on exactly this version: signed here with a portal key and
    its passphrase, or signed outside (`python -m validators sign-assurance`) and uploaded.
    Either way it is verified against the stored filing and PDF, and must name this accountant
    and firm as its signer, before it is kept. Never on a submitted version (SUBMITTED-IMMUTABLE)."""
    filing = get_filing(db, user, filing_id)  # accountants: only an authorised board and year
    check_access("accountant.sign", db, user)
    ensure_open(db, filing)
    if filing.is_test or filing.status not in SUBMITTABLE:
        raise ServiceError("ASSURANCE-VERSION", "Assurance goes with a validated version without errors that is not a "
                           "test version.", 409)
    key = db.get(AccountantKey, key_id)
    if key is None or key.user_id != user.id or key.revoked_at is not None:
        raise ServiceError("ASSURANCE-KEY", "Choose one of your own keys that is not revoked.")
    if opinion not in assurance.OPINIONS:
        raise ServiceError("ASSURANCE-OPINION", "Choose the type of opinion.")
    check_pdf(pdf, limit_mb)
    filing_bytes = store.get(filing.file_sha256)
    _check_opinion(_instance_bytes(filing_bytes, filing.file_name), opinion)
    try:
        signer = assurance.Signer(user.email, user.firm.name if user.firm else "")
        statement = assurance.Statement.for_files(filing_bytes, pdf, filing.board.number, filing.year, opinion,
                                                  opinion_date, signer)
        if signed is not None:
            document = assurance.parse_document(signed)
        elif key.encrypted_private_pem is not None:
            document = assurance.sign(statement, key.encrypted_private_pem.encode("ascii"),
                                      (passphrase or "").encode("utf-8"))
        else:
            raise ServiceError("ASSURANCE-SIGNED", "With this key you sign outside the portal: upload the signed "
                               "assurance file.")
    except assurance.AssuranceError as exc:
        raise ServiceError.said(exc.code, exc.message) from exc
    # The signer check comes before the key's: a document another accountant signed is refused as
    # theirs, whichever key it was signed with; an edu-assurance/1 document names no one, so no one attaches it.
    result = assurance.verify(document, filing_bytes, pdf, key.public_pem.encode("ascii"), opinion, signer)
    if not result.valid:
        code, message = result.problems[0]
        raise ServiceError.said(code, message)
    assert result.statement is not None
    if dataclasses.replace(result.statement, signer=signer) != statement:  # other facts than this form says
        raise ServiceError("ASSURANCE-STATEMENT", "The signed file states another opinion or date than you entered "
                           "here.")
    put_document(db, store, user, filing, AUDITOR_REPORT, pdf, pdf_name)
    kept = Assurance(filing_id=filing.id, accountant_id=user.id, firm_id=user.firm_id, key_id=key.id,
                     opinion=opinion, opinion_date=statement.opinion_date,
                     auditor_report_sha256=statement.auditor_report_sha256,
                     document_json=json.dumps(document, ensure_ascii=False, sort_keys=True))
    db.add(kept)
    db.flush()
    record(db, "assurance.attached", filing, user, address, board_id=filing.board_id, year=filing.year,
           version=filing.version, opinion=kept.opinion, fingerprint=key.fingerprint,
           firm=user.firm.name if user.firm else None)
    return kept


def _instance_bytes(data: bytes, name: str) -> bytes:
    """The XBRL document itself, also out of a report package (intake's limits apply)."""
    from validators.intake import Limits, Rejected, accept

    try:
        return accept(data, name, Limits()).data
    except Rejected:
        return data


def shown_assurance(db: Session, filing: Filing) -> Assurance | None:
    """The assurance this version shows: once submitted, the one its receipt names (none if the
    receipt names none), else the latest on exactly this version (any other version has none:
    new figures need new assurance)."""
    receipt = receipt_for(db, filing)
    if receipt is not None:
        return db.get(Assurance, receipt.assurance_id) if receipt.assurance_id is not None else None
    return db.scalar(select(Assurance).where(Assurance.filing_id == filing.id)
                     .order_by(Assurance.created_at.desc(), Assurance.id.desc()).limit(1))


def assurance_for(db: Session, store: FileStore, filing: Filing) -> tuple[Assurance | None, bool]:
    """The assurance this version shows, and whether it still verifies against the stored filing
    and PDF. A store that cannot read them raises StorageError: submitting then waits, rather
    than issuing a receipt that calls valid assurance invalid."""
    kept = shown_assurance(db, filing)
    if kept is None:
        return None, False
    try:
        filing_bytes, pdf = store.get(filing.file_sha256), store.get(kept.auditor_report_sha256)
    except ValueError:  # not a sha256: nothing stored can match it
        return kept, False
    result = assurance.verify(kept.document, filing_bytes, pdf, kept.key.public_pem.encode("ascii"), kept.opinion)
    return kept, result.valid and result.statement is not None and result.statement.filing_sha256 == filing.file_sha256


def filing_context(db: Session, store: FileStore, user: User, filing: Filing) -> dict[str, object]:
    """What the filing page shows this user of the version's documents and assurance."""
    try:
        kept, valid = assurance_for(db, store, filing)
    except StorageError as exc:  # the page still shows the version; its assurance cannot be checked now
        log.warning("filing %s: the assurance could not be checked: %s", filing.id, exc)
        kept, valid = shown_assurance(db, filing), False
    return {"documents": shown_documents(db, filing), "assurance": kept, "assurance_valid": valid,
            "opinions": assurance.OPINIONS,
            "my_keys": [k for k in keys_of(db, user) if k.revoked_at is None] if user.role is Role.ACCOUNTANT else []}
