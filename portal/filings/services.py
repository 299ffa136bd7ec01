"""Filings: upload a version, find what a user may see. Permission checks live here,
so the pages and the API cannot drift apart; anything a user may not see is "not found"."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..users.models import Role, User
from ..attachments import clean_file_name
from ..audit.services import record
from ..boards.models import Board
from ..db import utcnow
from ..access import board_for, check_access
from ..errors import ServiceError, not_found
from ..i18n import text_in
from ..jobs.pending import validate_after_commit
from .models import ERROR, QUEUED, Filing, FilingCounter, FilingDocument, FilingFacts, Receipt
from ..storage import FileStore
from ..vocabulary import N_
from validators import Report, refusal

FIRST_YEAR, LAST_YEAR = 2000, 2100


def get_filing(db: Session, user: User, filing_id: int) -> Filing:
    """A filing the user may see; NOT-FOUND otherwise (whether or not it exists)."""
    filing = db.get(Filing, filing_id)
    if filing is None:
        raise not_found()
    check_access("filing.read", db, user, filing=filing)
    return filing


def receipt_for(db: Session, filing: Filing) -> Receipt | None:
    """The receipt of a submitted version, if it was submitted, asked of the database now (unlike
    `filing.receipt`, which a session may have loaded before the version was locked)."""
    return db.scalar(select(Receipt).where(Receipt.filing_id == filing.id))


def filings_for(db: Session, user: User, number: str, year: int) -> list[Filing]:
    """Every upload for a board and year: its versions newest first (test versions marked as such),
    then the files refused at intake, which have no version number."""
    board = board_for(db, user, number, year)
    # Versions by number; the files refused at intake (no number) by upload, after them.
    return list(db.scalars(select(Filing).where(Filing.board_id == board.id, Filing.year == year)
                           .order_by(Filing.version.is_(None), Filing.version.desc(), Filing.id.desc())))


@dataclass(frozen=True)
class UploadLimits:
    """How many new versions (test versions too) may be uploaded within `window` seconds, by one
    user and for one board (all its users and accountants together); 0: no limit."""

    per_user: int = 30
    per_board: int = 60
    window: int = 600

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> UploadLimits:
        """The limits the portal is configured with (UPLOAD_RATE_*)."""
        return cls(config["UPLOAD_RATE_PER_USER"], config["UPLOAD_RATE_PER_BOARD"],
                   config["UPLOAD_RATE_WINDOW_SECONDS"])


def _span(seconds: int, lang: str) -> str:
    if seconds % 60:
        return text_in(lang, "%(n)s seconds", n=seconds)
    minutes = seconds // 60
    return text_in(lang, "minute") if minutes == 1 else text_in(lang, "%(n)s minutes", n=minutes)


def check_upload_rate(db: Session, user: User, board: Board, limits: UploadLimits) -> None:
    """Refuse an upload (UPLOAD-RATE, 429, with the seconds until one is allowed again) when the user,
    or the board, already uploaded its limit of new versions within the window. The same bytes again
    make no new version and do not count, but at the limit every upload waits."""
    now = utcnow()
    since = now - timedelta(seconds=limits.window)
    for limit, column, value, msgid in (
            (limits.per_user, Filing.uploaded_by_id, user.id,
             N_("You have uploaded %(n)s versions in the last %(window)s, the maximum. Please try again in "
                "%(wait)s seconds.")),
            (limits.per_board, Filing.board_id, board.id,
             N_("Board %(b)s has had %(n)s versions uploaded in the last %(window)s, the maximum. Please try "
                "again in %(wait)s seconds."))):
        if limit <= 0:
            continue
        recent = select(Filing.uploaded_at).where(column == value, Filing.uploaded_at >= since)
        count = db.scalar(select(func.count()).select_from(recent.subquery())) or 0
        if count < limit:
            continue
        # One more is allowed once all but limit - 1 of the recent uploads have left the window.
        freeing = db.scalar(recent.order_by(Filing.uploaded_at).offset(count - limit).limit(1)) or now
        wait = max(1, math.ceil((freeing + timedelta(seconds=limits.window) - now).total_seconds()))
        raise ServiceError.said("UPLOAD-RATE", {
            lang: text_in(lang, msgid, n=count, b=board.number, window=_span(limits.window, lang), wait=wait)
            for lang in ("nl", "en")}, 429, retry_after=wait)


def upload(db: Session, store: FileStore, user: User, number: str, year: int, data: bytes,
           file_name: str, limits: UploadLimits, test: bool = False, retention_days: int = 30,
           address: str | None = None, via: str = "web") -> tuple[Filing, bool]:
    """Store the file and queue a new version; the same bytes again give the existing
    version of the same kind, queued again if its validation had ended in `error` (the
    system failed, not the file). Returns (filing, created). The page and the API both
    call this: the audit event (with `via`) and the validation after the commit are
    part of it, so the two cannot drift apart.

    A test version (pre-validation; accountants upload nothing else, on the page as in
    the API) is validated like any other, can never be submitted, and is deleted after
    `retention_days`. Uploads are limited per user and per board (`limits`), checked
    before anything is stored."""
    board = board_for(db, user, number, year)
    if user.role is Role.ACCOUNTANT and not test:
        raise ServiceError("FILING-TEST-ONLY", "An accountant uploads test versions only; the board submits.", 403)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError("FILING-YEAR", "Unknown reporting year %(year)s.", year=year)
    check_upload_rate(db, user, board, limits)
    name = clean_file_name(file_name, "upload")  # a label on pages, receipts and e-mails, never a path
    # Intake (no Arelle: milliseconds, within its limits) decides now whether this is an XBRL report at
    # all, so that only a file that is one becomes a numbered version (below).
    refused = refusal(data, name, board.number, year)
    sha256 = store.put(data)
    # From here on this board and year's uploads take turns (until the caller commits): the
    # same bytes twice at once give one version, and version numbers never collide.
    _lock_versions(db, board.id, year)
    existing = db.scalar(select(Filing).where(Filing.board_id == board.id, Filing.year == year,
                                              Filing.file_sha256 == sha256, Filing.is_test.is_(test)))
    if existing is not None:
        if existing.status == ERROR:
            _validate_again(db, existing, user, address)
        validate_after_commit(db, existing.id)
        return existing, False
    if refused is not None:
        return _refused(db, user, board, year, refused, name, sha256, len(data), test, retention_days,
                        address, via), True
    version = db.execute(update(FilingCounter).where(FilingCounter.board_id == board.id, FilingCounter.year == year)
                         .values(last_version=FilingCounter.last_version + 1).returning(FilingCounter.last_version)
                         .execution_options(synchronize_session=False)).scalar_one()
    filing = Filing(board_id=board.id, year=year, version=version, file_name=name, file_size=len(data),
                    file_sha256=sha256, uploaded_by_id=user.id, status=QUEUED, is_test=test,
                    purge_after=utcnow() + timedelta(days=retention_days) if test else None)
    db.add(filing)
    db.flush()
    record(db, "filing.test_uploaded" if test else "filing.uploaded", filing, user, address, board_id=board.id,
           year=year, version=version, file=name, sha256=sha256, size=len(data), via=via)
    validate_after_commit(db, filing.id)
    return filing, True


def _refused(db: Session, user: User, board: Board, year: int, report: Report, name: str, sha256: str, size: int,
             test: bool, retention_days: int, address: str | None, via: str) -> Filing:
    # A file that intake refuses (empty, a PDF, a zip bomb) is no version of the annual report: it
    # keeps its report, so the filer reads why, but takes no version number (version None) and no
    # place in the queue, and nothing can be added to it or done with it (ensure_version).
    now = utcnow()
    filing = Filing(board_id=board.id, year=year, version=None, file_name=name, file_size=size, file_sha256=sha256,
                    uploaded_by_id=user.id, uploaded_at=now, status=report.status, validated_at=now,
                    report_json=report.to_json(), is_test=test,
                    purge_after=now + timedelta(days=retention_days) if test else None)
    db.add(filing)
    db.flush()
    record(db, "filing.rejected", filing, user, address, board_id=board.id, year=year, file=name, sha256=sha256,
           size=size, code=report.findings[0].code, test=test, via=via)
    return filing


def ensure_version(filing: Filing) -> None:
    """FILING-REFUSED (409) for a file that intake refused: it is not a version, so no PDF,
    assurance or submission can be added to it."""
    if filing.version is None or filing.status == "rejected":
        raise ServiceError("FILING-REFUSED", "This file was refused because it is not an XBRL annual report, so it is "
                           "not a version: nothing can be added to it and it cannot be submitted. Upload a corrected "
                           "file.", 409)


def versions_and_refused(filings: list[Filing]) -> tuple[list[Filing], list[Filing]]:
    """A year's uploads split into its versions and the files refused at intake (listed apart,
    without a number), each newest first."""
    refused = [f for f in filings if f.version is None or f.status == "rejected"]
    versions = [f for f in filings if f not in refused]
    return versions, refused


def _lock_versions(db: Session, board_id: int, year: int) -> None:
    # Lock the board and year's counter row (an update that changes nothing still locks it, on
    # SQLite the whole database for writing), making it on first use from the filings there.
    for _attempt in range(3):
        locked = db.execute(update(FilingCounter).where(FilingCounter.board_id == board_id, FilingCounter.year == year)
                            .values(last_version=FilingCounter.last_version)
                            .execution_options(synchronize_session=False))
        if locked.rowcount == 1:
            return
        top = db.scalar(select(func.max(Filing.version)).where(Filing.board_id == board_id, Filing.year == year))
        try:
            with db.begin_nested():  # another upload may make it at the same moment: then lock that one
                db.execute(insert(FilingCounter).values(board_id=board_id, year=year, last_version=top or 0))
            return
        except IntegrityError:
            continue
    raise RuntimeError(f"no version counter for board {board_id}, {year}")


def _validate_again(db: Session, filing: Filing, user: User, address: str | None) -> None:
    # The validation gave up on a system failure; the same file uploaded again is the filer
    # asking to try once more: queued with fresh attempts, in the audit log.
    requeued = db.execute(update(Filing).where(Filing.id == filing.id, Filing.status == ERROR)
                          .values(status=QUEUED, attempts=0, queued_at=utcnow(), last_error=None, claimed_at=None,
                                  lease_until=None, claim_id=None)
                          .execution_options(synchronize_session=False))
    if requeued.rowcount == 1:
        record(db, "filing.requeued", filing, user, address, board_id=filing.board_id, year=filing.year,
               version=filing.version, previous_error=(filing.last_error or "")[:500])
    db.refresh(filing)


# format -> (the filing's column, file name suffix, media type)
EXPORTS = {"xbrl-json": ("oim_json_sha256", ".json", "application/json"),
           "xbrl-csv": ("oim_csv_sha256", "-xbrl-csv.zip", "application/zip")}


def export_of(db: Session, store: FileStore, user: User, filing_id: int, fmt: str) -> tuple[bytes, str, str]:
    """A filing's xBRL-JSON or xBRL-CSV export: (bytes, download name, media type).

    Made when a submitted version is delivered to OCW; before that, or for a version
    never submitted, EXPORT-NOT-READY."""
    filing = get_filing(db, user, filing_id)
    if fmt not in EXPORTS:
        raise not_found()
    column, suffix, media_type = EXPORTS[fmt]
    sha256 = getattr(filing, column)
    if sha256 is None:
        raise ServiceError("EXPORT-NOT-READY", "The xBRL-JSON and xBRL-CSV versions are made once the submitted "
                           "version has been delivered to OCW.", 404)
    name = f"jaarverantwoording-{filing.board.number}-{filing.year}-v{filing.version}{suffix}"
    return store.get(sha256), name, media_type


def purge_test_versions(db: Session) -> tuple[list[Filing], set[str]]:
    """Delete the test versions whose retention has passed. Returns what was deleted (for the
    audit log) and the sha256 of each of their files that nothing else uses: the caller removes
    those from the store once the deletion is committed (a failed commit keeps rows and files)."""
    due = list(db.scalars(select(Filing).where(Filing.is_test.is_(True), Filing.purge_after <= utcnow())))
    unused: set[str] = set()
    for filing in due:
        hashes = {filing.file_sha256, *db.scalars(select(FilingDocument.sha256)
                                                  .where(FilingDocument.filing_id == filing.id)),
                  *db.scalars(select(FilingFacts.viewer_sha256).where(FilingFacts.filing_id == filing.id,
                                                                      FilingFacts.viewer_sha256.is_not(None)))}
        db.execute(delete(FilingDocument).where(FilingDocument.filing_id == filing.id))
        db.execute(delete(FilingFacts).where(FilingFacts.filing_id == filing.id))
        db.delete(filing)
        db.flush()
        for sha256 in hashes:
            still_used = db.scalar(select(Filing.id).where(Filing.file_sha256 == sha256).limit(1)) or db.scalar(
                select(FilingDocument.id).where(FilingDocument.sha256 == sha256).limit(1)) or db.scalar(
                select(FilingFacts.filing_id).where(FilingFacts.viewer_sha256 == sha256).limit(1))
            if not still_used:
                unused.add(sha256)
    return due, unused
