"""Validation jobs, whoever runs them (local threads or Celery): the state lives in the
filings table, so a crash or a restart loses nothing and leaves nothing stuck.

queued -> validating (claimed, attempts + 1) -> the report's status, or back to
queued after a system failure (ENGINE-CRASH, an unreadable stored file), until
MAX_ATTEMPTS gives "error". A filing that ran out of the worker's memory or
time (ENGINE-MEMORY, ENGINE-TIMEOUT) would do so again: it ends at once with
status "error" and its report, which tells the filer what happened and what
to do. A claim is a lease (JOB_LEASE_SECONDS) that the job renews while the
engine works; `recover()` queues again every filing whose lease ran out (its
worker died or hangs).
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import and_, or_, select, update

from validators import Engine, EngineError, EngineSettings, PoolSettings
from validators.codes import ENGINE_FINAL
from validators.facts import kept

from ..audit.services import record
from ..db import get_db, utcnow
from ..filings.models import ERROR, QUEUED, VALIDATING, Filing, FilingFacts
from ..ops.logs import job_log
from ..storage import open_store
from .lease import Heartbeat, job_lock, new_token

MAX_ATTEMPTS = 3
log = logging.getLogger(__name__)
_engine_lock = threading.Lock()  # validation threads start together: one engine, one pool


@dataclass(frozen=True)
class Claim:
    """A job's hold on one filing: only the holder of `token` may store its result."""

    filing_id: int
    token: str


def engine(app: Flask) -> Engine:
    """The app's validation engine (warm Arelle workers), created on first use."""
    with _engine_lock:
        if "engine" not in app.extensions:
            app.extensions["engine"] = Engine(EngineSettings(pool=PoolSettings(
                workers=app.config["VALIDATION_WORKERS"], nice=app.config["VALIDATION_NICE"])))
        return app.extensions["engine"]


def lease(app: Flask) -> timedelta:
    """How long a claim holds without being renewed."""
    return timedelta(seconds=app.config["JOB_LEASE_SECONDS"])


def claim(filing_id: int) -> Claim | None:
    """Take this filing if it is still queued (atomically: two workers never both take it)."""
    db = get_db()
    token, now = new_token(), utcnow()
    taken = db.execute(update(Filing).where(Filing.id == filing_id, Filing.status == QUEUED)
                       .values(status=VALIDATING, claimed_at=now, lease_until=now + lease(current_app),
                               claim_id=token, attempts=Filing.attempts + 1)
                       .execution_options(synchronize_session=False))
    db.commit()
    if taken.rowcount != 1:
        return None
    log.info("filing %s: claimed", filing_id)  # which worker holds a filing, for whoever reads its log
    return Claim(filing_id, token)


def claim_next() -> Claim | None:
    """Take the oldest queued filing."""
    db = get_db()
    for filing_id in db.scalars(select(Filing.id).where(Filing.status == QUEUED).order_by(Filing.queued_at).limit(5)):
        taken = claim(filing_id)
        if taken is not None:
            return taken
    return None


def queued_ids() -> list[int]:
    """Every queued filing, oldest first."""
    return list(get_db().scalars(select(Filing.id).where(Filing.status == QUEUED).order_by(Filing.queued_at)))


def run(claim: Claim) -> str:
    """Validate one claimed filing and store its report, renewing the claim meanwhile; returns
    the new status. Nothing is stored when the claim was lost (another job has the filing).
    One log line says how it ended (the status) and how long it took."""
    with job_log("validation", filing_id=claim.filing_id) as entry:
        entry["outcome"] = status = _run(claim)
    return status


def _run(claim: Claim) -> str:
    app = current_app._get_current_object()
    db = get_db()
    filing = db.get(Filing, claim.filing_id, populate_existing=True)
    if filing is None or filing.status != VALIDATING or filing.claim_id != claim.token:
        return filing.status if filing else "missing"
    report, error, number = None, None, filing.board.number
    db.commit()  # no transaction stays open (idle) while the engine works
    with Heartbeat(db.get_bind(), Filing, filing.id, claim.token, lease(app)):
        try:
            data = open_store(app).get(filing.file_sha256)
            report = engine(app).validate(data, filing.file_name, number, filing.year)
        except (EngineError, OSError) as exc:  # the system failed, never the filer: retry
            log.warning("validation of filing %s failed: %s", filing.id, exc)
            error = str(exc)[:2000]
    failure = next((f for f in report.findings if f.code.startswith("ENGINE-")), None) if report else None
    retry = report is None or (failure is not None and failure.code not in ENGINE_FINAL)
    now = utcnow()
    viewer = None
    if not retry and report.viewer is not None:  # before the row that names it (a put is idempotent)
        try:
            viewer = open_store(app).put(report.viewer)
        except OSError as exc:  # the statements still show; only the viewer is missing
            log.warning("filing %s: the viewer document was not stored: %s", filing.id, exc)
    if not retry:  # a verdict; "error" at once for ENGINE-MEMORY and ENGINE-TIMEOUT
        values = {"report_json": report.to_json(), "status": report.status, "validated_at": now,
                  "last_error": failure.message["en"] if failure is not None else None}
    else:
        final = filing.attempts >= MAX_ATTEMPTS
        values = {"status": ERROR if final else QUEUED, "queued_at": now,
                  "last_error": error if failure is None else failure.message["en"]}
        if final and report is not None:
            values["report_json"] = report.to_json()  # the last attempt's report: the filer sees the code
    stored = db.execute(update(Filing).where(Filing.id == filing.id, Filing.status == VALIDATING,
                                             Filing.claim_id == claim.token)
                        .values(claim_id=None, lease_until=None, **values).execution_options(synchronize_session=False))
    if stored.rowcount != 1:
        db.rollback()
        log.warning("filing %s: the claim ran out before the validation ended; another job has it", filing.id)
        return db.get(Filing, filing.id, populate_existing=True).status
    if not retry and report.facts is not None:
        db.add(facts_row(filing.id, report.facts, viewer))
    if not retry:
        record(db, "filing.test_validated" if filing.is_test else "filing.validated", filing,
               board_id=filing.board_id, year=filing.year, version=filing.version, status=report.status,
               findings=len(report.findings))
    db.commit()
    return str(values["status"])


def facts_row(filing_id: int, facts: list[Any], viewer: str | None) -> FilingFacts:
    """The row that keeps a version's facts (validators.facts.kept) and its viewer document's hash."""
    found = kept(facts)
    return FilingFacts(filing_id=filing_id, count=len(found), viewer_sha256=viewer,
                       facts_json=json.dumps(found, ensure_ascii=False, separators=(",", ":")))


def keep_facts(app: Flask, filing: Filing) -> int | None:
    """Keep the facts of a version validated before the portal kept them: its stored bytes are
    validated again by this process's engine and only the facts (and the inline viewer document)
    are kept; its report, status and version stay as they were. Returns how many facts, or None
    when the file does not load. The caller commits."""
    files = open_store(app)
    report = engine(app).validate(files.get(filing.file_sha256), filing.file_name, filing.board.number, filing.year)
    if report.facts is None:
        return None
    viewer = files.put(report.viewer) if report.viewer is not None else None
    get_db().add(facts_row(filing.id, report.facts, viewer))
    return len(report.facts)


def recover() -> list[int]:
    """Queue again every validation whose lease ran out (its worker died or hangs); returns
    their ids, for Celery to send. Claims made before leases existed count from claimed_at."""
    db = get_db()
    now = utcnow()
    expired = or_(Filing.lease_until < now,
                  and_(Filing.lease_until.is_(None), Filing.claimed_at < now - lease(current_app)))
    ids = list(db.scalars(update(Filing).where(Filing.status == VALIDATING, expired)
                          .values(status=QUEUED, claimed_at=None, lease_until=None, claim_id=None, queued_at=now)
                          .returning(Filing.id).execution_options(synchronize_session=False)))
    db.commit()
    if ids:
        log.info("queued %s validations again whose claim ran out: %s", len(ids), ids)
    return sorted(ids)


def resend(older_than: timedelta) -> list[int]:
    """The queued filings waiting longer than `older_than` (their message may be lost), each
    marked as sent now so that a second sweep at the same moment does not send it too."""
    db = get_db()
    now = utcnow()
    ids = list(db.scalars(update(Filing).where(Filing.status == QUEUED, Filing.queued_at <= now - older_than)
                          .values(queued_at=now).returning(Filing.id)
                          .execution_options(synchronize_session=False)))
    db.commit()
    return sorted(ids)


def housekeeping(app: Flask) -> None:
    """Purge expired test versions and send the e-mail outbox, in one place at a time: two
    runners doing it at once would send the same message twice."""
    from ..outbox.sender import send_pending

    db = get_db()
    with job_lock(db, "housekeeping", timedelta(minutes=10)) as held:
        if held:
            purge(app)
            send_pending(app)


def purge(app: Flask) -> int:
    """Delete the test versions past their retention (each one in the audit log), then their
    files that nothing else uses; commits."""
    from ..filings.services import purge_test_versions

    db = get_db()
    purged, unused = purge_test_versions(db)
    for filing in purged:
        record(db, "filing.test_purged", filing, board_id=filing.board_id, year=filing.year, version=filing.version,
               sha256=filing.file_sha256)
    if purged:
        db.commit()
    files = open_store(app)
    for sha256 in sorted(unused):
        try:
            files.delete(sha256)
        except OSError as exc:  # the rows are gone; a file left behind takes room, nothing else
            log.warning("could not remove the purged file %s: %s", sha256, exc)
    return len(purged)
