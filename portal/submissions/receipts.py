"""Submitting a validated version: the receipt (proof of filing), corrections.

Until the deadline (1 July of the next year in Amsterdam, configurable per year)
a board may submit corrections; the latest submitted version counts. After
it a submission is still accepted, and marked late. A version is submitted at
most once: submitting the same version (the same bytes) again gives its receipt.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from validators.report import SUBMITTABLE

from ..access import check_access
from ..accountants.services import assurance_for
from ..users.models import User
from ..audit.services import record
from ..boards.models import Board
from ..db import utcnow
from ..errors import ServiceError, not_found
from ..filings.documents import documents_of
from ..filings.models import Filing, Receipt
from ..filings.services import get_filing, receipt_for
from ..jobs.pending import wake_after_commit
from ..storage import FileStore
from .deadline import deadline
from .deliveries import create_deliveries
from .notification import notify_members


def submit(db: Session, store: FileStore, user: User, filing_id: int, declared: bool, address: str | None = None,
           deadlines: str = "") -> tuple[Receipt, bool]:
    """Submit a validated version; returns (receipt, created). `deadlines` is the DEADLINES setting.
    The page and the API both call this; the deliveries start after the commit."""
    filing = get_filing(db, user, filing_id)
    check_access("filing.submit", db, user, filing=filing)  # recipients may read a filing, only the board files it
    if filing.is_test:
        raise ServiceError("SUBMIT-TEST", "A test version cannot be submitted; upload the file as a regular version.", 409)
    # Lock the version's row (PostgreSQL; SQLite has one writer at a time): a document or assurance
    # being added at this moment is either in the receipt or refused, never added after it.
    db.execute(select(Filing.id).where(Filing.id == filing.id).with_for_update())
    wake_after_commit(db)  # the deliveries (of a receipt given before too: a lost wake costs a sweep round)
    existing = receipt_for(db, filing)
    if existing is not None:
        return existing, False
    if filing.status not in SUBMITTABLE:
        raise ServiceError("SUBMIT-NOT-VALID", "Only a version without errors can be submitted.", 409)
    if not declared:
        raise ServiceError("SUBMIT-DECLARATION", "Please confirm the declaration first.")
    kept, valid = assurance_for(db, store, filing)
    now = utcnow()
    for _attempt in range(5):  # two submissions at once may pick the same sequence number
        sequence = (db.scalar(select(func.max(Receipt.sequence)).where(
            Receipt.board_id == filing.board_id, Receipt.year == filing.year)) or 0) + 1
        number = f"JV-{filing.year}-{filing.board.number}-{sequence:04d}"
        receipt = Receipt(number=number, filing_id=filing.id, board_id=filing.board_id, year=filing.year,
                          sequence=sequence, submitted_at=now, submitted_by_id=user.id,
                          late=now >= deadline(filing.year, deadlines), body_json="{}",
                          assurance_id=kept.id if kept is not None else None)
        receipt.body_json = json.dumps(_body(db, filing, receipt, user, kept, valid), ensure_ascii=False)
        try:
            with db.begin_nested():
                db.add(receipt)
        except IntegrityError:
            if receipt_for(db, filing) is not None:  # the same version, submitted twice at once
                return receipt_for(db, filing), False  # type: ignore[return-value]
            continue
        break
    else:
        raise ServiceError("SUBMIT-BUSY", "Please try again.", 409)
    record(db, "filing.submitted", filing, user, address, board_id=filing.board_id, year=filing.year,
           receipt=receipt.number, version=filing.version, late=receipt.late)
    create_deliveries(db, receipt)  # the outbox: in this same transaction
    notify_members(db, filing, receipt)
    return receipt, True


def _body(db: Session, filing: Filing, receipt: Receipt, user: User, kept: Any, valid: bool) -> dict[str, Any]:
    """The receipt in its published shape: every file of the version (the XBRL, and the annual
    report and auditor's report PDFs) by sha256, and the accountant's assurance `kept` if any."""
    report = filing.report or {}
    files = [{"kind": "xbrl", "name": filing.file_name, "size": filing.file_size, "sha256": filing.file_sha256}]
    files += [d.to_dict() for d in documents_of(db, filing)]
    assurance = None if kept is None else {
        "opinion": kept.opinion, "opinion_date": kept.opinion_date, "firm": kept.firm.name,
        "accountant": kept.accountant.name or kept.accountant.email, "key_fingerprint": kept.key.fingerprint,
        "auditor_report_sha256": kept.auditor_report_sha256, "signature_valid": valid}
    return {"number": receipt.number, "submitted_at": receipt.submitted_at.isoformat().replace("+00:00", "Z"),
            "submitted_by": user.email, "board": filing.board.number, "year": filing.year, "files": files,
            "taxonomy": report.get("taxonomy"), "status": filing.status, "late": receipt.late,
            "version": filing.version, "assurance": assurance}


def receipts_of(db: Session, board: Board, year: int) -> list[Receipt]:
    """A board's receipts for a year, newest first (the caller has checked the user may see the board's year)."""
    return list(db.scalars(select(Receipt).where(Receipt.board_id == board.id, Receipt.year == year)
                           .order_by(Receipt.sequence.desc())))


def get_receipt(db: Session, user: User, number: str) -> Receipt:
    """A receipt the user may see (the board's members, recipients, admins); NOT-FOUND otherwise."""
    receipt = db.scalar(select(Receipt).where(Receipt.number == number))
    if receipt is None:
        raise not_found()
    check_access("receipt.read", db, user, receipt=receipt)
    return receipt
