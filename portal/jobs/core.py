"""Validation jobs, whoever runs them (local threads or Celery): the state lives in the
filings table, so a crash or a restart loses nothing and leaves nothing stuck.

queued -> validating (claimed, attempts + 1) -> the report's status, or back to
queued after a system failure (ENGINE-CRASH, an unreadable stored file), until
MAX_ATTEMPTS gives "error". A filing that ran out of the worker's memory or
time (ENGINE-MEMORY, ENGINE-TIMEOUT) would do so again: it ends at once with
status "error" and its report, which tells the filer what happened and what
to do. A validation whose worker died is queued again by `recover()`.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select, update

from validators import Engine, EngineError, EngineSettings, PoolSettings

from ..audit.services import record
from ..db import get_db, utcnow
from ..filings.models import ERROR, QUEUED, VALIDATING, Filing
from ..filings.storage import FileStore

MAX_ATTEMPTS = 3
FINAL_FAILURES = ("ENGINE-MEMORY", "ENGINE-TIMEOUT")  # the same file would fail the same way again
log = logging.getLogger(__name__)
_engine_lock = threading.Lock()  # validation threads start together: one engine, one pool


def engine(app: Flask) -> Engine:
    """The app's validation engine (warm Arelle workers), created on first use."""
    with _engine_lock:
        if "engine" not in app.extensions:
            app.extensions["engine"] = Engine(EngineSettings(pool=PoolSettings(
                workers=app.config["VALIDATION_WORKERS"])))
        return app.extensions["engine"]


def store(app: Flask) -> FileStore:
    """Where uploads are kept."""
    return FileStore(Path(app.config["FILES_PATH"]))


def claim_next() -> int | None:
    """Take the oldest queued filing (atomically: two workers never take the same one)."""
    db = get_db()
    for filing_id in db.scalars(select(Filing.id).where(Filing.status == QUEUED).order_by(Filing.queued_at).limit(5)):
        taken = db.execute(update(Filing).where(Filing.id == filing_id, Filing.status == QUEUED)
                           .values(status=VALIDATING, claimed_at=utcnow(), attempts=Filing.attempts + 1))
        db.commit()
        if taken.rowcount == 1:
            return filing_id
    return None


def claim(filing_id: int) -> bool:
    """Take this filing if it is still queued (a Celery task names its filing)."""
    db = get_db()
    taken = db.execute(update(Filing).where(Filing.id == filing_id, Filing.status == QUEUED)
                       .values(status=VALIDATING, claimed_at=utcnow(), attempts=Filing.attempts + 1))
    db.commit()
    return taken.rowcount == 1


def queued_ids() -> list[int]:
    """Every queued filing, oldest first."""
    return list(get_db().scalars(select(Filing.id).where(Filing.status == QUEUED).order_by(Filing.queued_at)))


def run(filing_id: int) -> str:
    """Validate one claimed filing and store its report; returns the new status."""
    app = current_app._get_current_object()
    db = get_db()
    filing = db.get(Filing, filing_id)
    if filing is None or filing.status != VALIDATING:
        return filing.status if filing else "missing"
    report = failure = None
    try:
        data = store(app).get(filing.file_sha256)
        report = engine(app).validate(data, filing.file_name, filing.board.number, filing.year)
        failure = next((f for f in report.findings if f.code.startswith("ENGINE-")), None)
        if failure is not None and failure.code not in FINAL_FAILURES:
            raise EngineError(failure.message["en"], failure.code)
    except (EngineError, OSError) as exc:  # the system failed, never the filer: retry
        log.warning("validation of filing %s failed: %s", filing_id, exc)
        filing.last_error = str(exc)[:2000]
        filing.status = ERROR if filing.attempts >= MAX_ATTEMPTS else QUEUED
        filing.queued_at = utcnow()
        if filing.status == ERROR and report is not None:
            filing.report_json = report.to_json()  # the last attempt's report: the filer sees the code
    else:
        filing.report_json = report.to_json()
        filing.status = report.status  # "error" for ENGINE-MEMORY and ENGINE-TIMEOUT, at once
        filing.validated_at = utcnow()
        filing.last_error = failure.message["en"] if failure is not None else None
        record(db, "filing.test_validated" if filing.is_test else "filing.validated", filing,
               board_id=filing.board_id, year=filing.year, status=report.status, findings=len(report.findings))
    db.commit()
    return filing.status


def recover(older_than: timedelta = timedelta(0)) -> int:
    """Queue again every validation claimed longer ago than `older_than` (its worker died)."""
    db = get_db()
    done = db.execute(update(Filing).where(Filing.status == VALIDATING, Filing.claimed_at <= utcnow() - older_than)
                      .values(status=QUEUED, claimed_at=None))
    db.commit()
    return done.rowcount


def purge(app: Flask) -> int:
    """Delete the test versions past their retention (each one in the audit log); commits."""
    from ..filings.services import purge_test_versions

    db = get_db()
    purged = purge_test_versions(db, store(app))
    for filing in purged:
        record(db, "filing.test_purged", filing, board_id=filing.board_id, year=filing.year, version=filing.version,
               sha256=filing.file_sha256)
    if purged:
        db.commit()
    return len(purged)
