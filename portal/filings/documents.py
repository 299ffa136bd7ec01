"""The PDFs that travel with a version, and the rule that a submitted version never changes.

Documents are insert-only rows: each upload adds one, and until the version is
submitted its document of a kind is the latest row. Once it has a receipt, the
receipt's files are the truth: the page lists them and a download serves exactly
the bytes whose sha256 the receipt holds (checked on every read), and nothing is
added to the version any more (SUBMITTED-IMMUTABLE). Services add and flush,
never commit.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..users.models import User
from ..attachments import clean_file_name
from ..access import check_access
from ..audit.services import record
from ..errors import ServiceError, not_found
from ..storage import FileDamaged, FileStore
from .models import ANNUAL_REPORT, Filing, FilingDocument
from .services import ensure_version, get_filing, receipt_for


def ensure_open(db: Session, filing: Filing) -> None:
    """SUBMITTED-IMMUTABLE (409) once the version has a receipt: nothing is added to it or changed;
    FILING-REFUSED (409) for a file refused at intake, which is no version.

    The version's row is locked first (FOR UPDATE on PostgreSQL; SQLite has one
    writer at a time), as submitting does, so a submission at the same moment
    either waits for this change and includes it, or comes first and is seen here.
    """
    ensure_version(filing)  # a file refused at intake is no version: nothing goes with it
    db.execute(select(Filing.id).where(Filing.id == filing.id).with_for_update())
    receipt = receipt_for(db, filing)
    if receipt is not None:
        raise ServiceError("SUBMITTED-IMMUTABLE", "This version was submitted (receipt %(number)s) and no longer "
                           "changes: nothing can be added to it or changed. Upload a new version and submit that.",
                           409, number=receipt.number)


def check_pdf(data: bytes, limit_mb: int) -> None:
    """A PDF as people send it: not empty, a PDF by its content, within the size limit."""
    if not data:
        raise ServiceError("DOC-EMPTY", "The PDF file is empty.")
    if len(data) > limit_mb * 1024 * 1024:
        raise ServiceError("DOC-SIZE", "A PDF may be %(limit_mb)s MB at most.", 413, limit_mb=limit_mb)
    if not data.lstrip()[:5] == b"%PDF-" or b"%%EOF" not in data[-2048:]:
        raise ServiceError("DOC-TYPE", "This is not a (complete) PDF file.")


def put_document(db: Session, store: FileStore, user: User, filing: Filing, kind: str, data: bytes,
                 name: str) -> FilingDocument:
    """A new document row for an open version (the caller checked `ensure_open`); never an update."""
    document = FilingDocument(filing_id=filing.id, kind=kind, size=len(data), sha256=store.put(data),
                              name=clean_file_name(name, f"{kind}.pdf", suffix=".pdf"),  # it goes into a download header
                              uploaded_by_id=user.id)
    db.add(document)
    db.flush()
    return document


def add_annual_report(db: Session, store: FileStore, user: User, filing_id: int, data: bytes, name: str,
                      limit_mb: int, address: str | None = None) -> FilingDocument:
    """The board adds the annual report PDF of a version (again: the latest counts), until it is submitted."""
    filing = get_filing(db, user, filing_id)
    check_access("filing.submit", db, user, filing=filing)  # the board's own file, as submitting is
    ensure_open(db, filing)
    check_pdf(data, limit_mb)
    document = put_document(db, store, user, filing, ANNUAL_REPORT, data, name)
    record(db, "document.added", filing, user, address, board_id=filing.board_id, year=filing.year,
           kind=document.kind, sha256=document.sha256, name=document.name)
    return document


def documents_of(db: Session, filing: Filing) -> list[FilingDocument]:
    """The version's current PDFs (the latest row of each kind), annual report first: what a receipt
    issued now would list."""
    latest: dict[str, FilingDocument] = {}
    for document in db.scalars(select(FilingDocument).where(FilingDocument.filing_id == filing.id)
                               .order_by(FilingDocument.id)):
        latest[document.kind] = document
    return [latest[kind] for kind in sorted(latest)]


def shown_documents(db: Session, filing: Filing) -> list[dict[str, Any]]:
    """The version's PDFs as pages and downloads show them ({"kind", "name", "size", "sha256"}):
    the receipt's files once it is submitted, else the current ones."""
    receipt = receipt_for(db, filing)
    if receipt is not None:
        return [dict(f) for f in receipt.body["files"] if f["kind"] != "xbrl"]
    return [d.to_dict() for d in documents_of(db, filing)]


def document_of(db: Session, store: FileStore, user: User, filing_id: int, kind: str) -> tuple[bytes, str]:
    """A version's PDF for those who may see the version: exactly the bytes whose sha256 the page
    (for a submitted version: the receipt) shows, or an error, never other bytes."""
    filing = get_filing(db, user, filing_id)
    entry = next((d for d in shown_documents(db, filing) if d["kind"] == kind), None)
    if entry is None:
        raise not_found()
    data = store.get(entry["sha256"])
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:  # the store checks too; this is the receipt's promise
        raise FileDamaged(f"stored file {entry['sha256']} is damaged")
    return data, entry["name"]
