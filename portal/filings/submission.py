"""Submitting a validated version: the receipt (proof of filing), the deadline, corrections.

Until the deadline (1 July of the next year in Amsterdam, configurable per year)
a board may submit corrections; the latest submitted version counts. After
it a submission is still accepted, and marked late. A version is submitted at
most once: submitting the same version (the same bytes) again gives its receipt.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from validators.report import SUBMITTABLE

from ..accounts.models import Role, User
from ..audit.services import record
from ..db import utcnow
from ..access import check_access
from ..errors import ServiceError, not_found
from ..jobs import wake_after_commit
from ..outbox.models import Email
from .models import Filing, Receipt
from .services import get_filing

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def deadline(year: int) -> datetime:
    """The moment submissions for reporting `year` become late."""
    overrides = dict(item.split("=") for item in current_app.config["DEADLINES"].split(",") if "=" in item)
    day = date.fromisoformat(overrides[str(year)]) if str(year) in overrides else date(year + 1, 7, 1)
    return datetime.combine(day, time(0, 0), tzinfo=AMSTERDAM)


def receipt_for(db: Session, filing: Filing) -> Receipt | None:
    """The receipt of a submitted version, if it was submitted."""
    return db.scalar(select(Receipt).where(Receipt.filing_id == filing.id))


def submit(db: Session, user: User, filing_id: int, declared: bool, address: str | None = None) -> tuple[Receipt, bool]:
    """Submit a validated version; returns (receipt, created)."""
    filing = get_filing(db, user, filing_id)
    check_access("filing.submit", db, user, filing=filing)  # recipients may read a filing, only the board files it
    if filing.is_test:
        raise ServiceError("SUBMIT-TEST", "Een testversie kan niet worden ingediend; upload het bestand als gewone "
                           "versie.", "A test version cannot be submitted; upload the file as a regular version.", 409)
    # Lock the version's row (PostgreSQL; SQLite has one writer at a time): a document or assurance
    # being added at this moment is either in the receipt or refused, never added after it.
    db.execute(select(Filing.id).where(Filing.id == filing.id).with_for_update())
    wake_after_commit(db)  # the deliveries (of a receipt given before too: a lost wake costs a sweep round)
    existing = receipt_for(db, filing)
    if existing is not None:
        return existing, False
    if filing.status not in SUBMITTABLE:
        raise ServiceError("SUBMIT-NOT-VALID", "Alleen een versie zonder fouten kan worden ingediend.",
                           "Only a version without errors can be submitted.", 409)
    if not declared:
        raise ServiceError("SUBMIT-DECLARATION", "Bevestig eerst de verklaring.", "Please confirm the declaration first.")
    from ..accountants.services import assurance_for
    from ..jobs.core import store

    kept, valid = assurance_for(db, store(current_app), filing)
    now = utcnow()
    for _attempt in range(5):  # two submissions at once may pick the same sequence number
        sequence = (db.scalar(select(func.max(Receipt.sequence)).where(
            Receipt.board_id == filing.board_id, Receipt.year == filing.year)) or 0) + 1
        number = f"JV-{filing.year}-{filing.board.number}-{sequence:04d}"
        receipt = Receipt(number=number, filing_id=filing.id, board_id=filing.board_id, year=filing.year,
                          sequence=sequence, submitted_at=now, submitted_by_id=user.id,
                          late=now >= deadline(filing.year), body_json="{}",
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
        raise ServiceError("SUBMIT-BUSY", "Probeer het nog eens.", "Please try again.", 409)
    record(db, "filing.submitted", filing, user, address, board_id=filing.board_id, year=filing.year,
           receipt=receipt.number, version=filing.version, late=receipt.late)
    from ..recipients.services import create_deliveries  # the outbox: in this same transaction

    create_deliveries(db, receipt)
    _notify(db, filing, receipt)
    return receipt, True


def _body(db: Session, filing: Filing, receipt: Receipt, user: User, kept: Any, valid: bool) -> dict[str, Any]:
    """The receipt in its published shape: every file of the version (the XBRL, and the annual
    report and auditor's report PDFs) by sha256, and the accountant's assurance `kept` if any."""
    from ..accountants.documents import documents_of

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


def _notify(db: Session, filing: Filing, receipt: Receipt) -> None:
    """An e-mail to every member of the board (outbox, sent when SMTP is configured)."""
    members = db.scalars(select(User).where(User.role == Role.BOARD, User.active.is_(True))).all()
    for member in [m for m in members if filing.board in m.boards]:
        late_nl = " Let op: ingediend na de termijn." if receipt.late else ""
        late_en = " Note: submitted after the deadline." if receipt.late else ""
        db.add(Email(user_id=member.id, to=member.email,
                     subject=f"Ontvangstbewijs {receipt.number} / Receipt {receipt.number}",
                     body=(f"De jaarverantwoording {filing.year} van {filing.board.name} ({filing.board.number}), "
                           f"versie {filing.version}, is ontvangen op {receipt.submitted_at:%d-%m-%Y %H:%M} UTC. "
                           f"Ontvangstbewijs: {receipt.number}. Bestand: {filing.file_name}, "
                           f"SHA-256 {filing.file_sha256}.{late_nl}\n\n"
                           f"The {filing.year} annual report of {filing.board.name} ({filing.board.number}), version "
                           f"{filing.version}, was received on {receipt.submitted_at:%Y-%m-%d %H:%M} UTC. Receipt: "
                           f"{receipt.number}. File: {filing.file_name}, SHA-256 {filing.file_sha256}.{late_en}\n")))


def get_receipt(db: Session, user: User, number: str) -> Receipt:
    """A receipt the user may see (the board's members, recipients, admins); NOT-FOUND otherwise."""
    receipt = db.scalar(select(Receipt).where(Receipt.number == number))
    if receipt is None:
        raise not_found()
    check_access("receipt.read", db, user, receipt=receipt)
    return receipt
