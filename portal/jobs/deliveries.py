"""Processing deliveries for their recipients, in the background jobs.

Each delivery is claimed on its own (a lease, as validations are), prepared with no
transaction open, then marked delivered and stored in one short transaction that holds
only while the delivery is still pending under that claim: however many runners work at
once (local threads, Celery workers, a second beat), each delivery is processed once.
A failure is tried again after a pause that doubles per attempt.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from validators.facts import year_duration

from ..db import get_db
from ..figures.models import StoredFact
from ..figures.services import load
from ..inspectorate.services import store
from ..ops.logs import job_log
from ..storage import open_store
from ..submissions.models import Delivery
from ..submissions.deliveries import Handler, claim_delivery, complete_delivery, due_deliveries, postpone_delivery
from . import core
from .lease import Heartbeat

log = logging.getLogger(__name__)


def _ocw(app: Flask) -> Handler:
    def prepare(_db: Session, delivery: Delivery) -> tuple[list[dict[str, Any]], str, str]:
        """Read every fact of the submitted version, and keep its xBRL-JSON and xBRL-CSV."""
        filing = delivery.filing
        files = open_store(app)
        data = files.get(filing.file_sha256)
        report = core.engine(app).validate(data, filing.file_name, filing.board.number, filing.year, exports=True)
        if report.facts is None or report.exports is None:
            raise RuntimeError(f"no facts could be read from filing {filing.id}")
        return report.facts, files.put(report.exports["xbrl-json"]), files.put(report.exports["xbrl-csv"])

    def save(db: Session, delivery: Delivery, prepared: tuple[list[dict[str, Any]], str, str]) -> None:
        """Load the facts into OCW's fact store (replacing the board's earlier submission for
        the year); the load is OCW's acknowledgement."""
        facts, json_sha256, csv_sha256 = prepared
        load(db, delivery.receipt, facts)
        delivery.filing.oim_json_sha256, delivery.filing.oim_csv_sha256 = json_sha256, csv_sha256
    return Handler(prepare=prepare, store=save, acknowledges=True)


def _inspectorate(db: Session, delivery: Delivery, _prepared: None) -> None:
    """Store the submission's signalling values (from its report) for the inspectorate;
    the store is the inspectorate's acknowledgement."""
    store(db, delivery.receipt, delivery.filing.report or {}, _income(db, delivery))


def _income(db: Session, delivery: Delivery) -> float | None:
    # Total income, for the size class: from the fact store, where OCW's delivery of the same
    # submission put it (the inspectorate's delivery waits for that one: Handler.after).
    value = db.scalar(select(StoredFact.value).where(
        StoredFact.board_id == delivery.board_id, StoredFact.year == delivery.year, StoredFact.concept == "Income",
        StoredFact.dimensions == "{}", StoredFact.period == year_duration(delivery.year)))
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def handlers(app: Flask) -> dict[str, Handler]:
    """Each recipient's handler (DUO's deliveries are only made available)."""
    return {"duo": Handler(), "ocw": _ocw(app), "inspectorate": Handler(store=_inspectorate, acknowledges=True,
                                                                         after="ocw")}


def process(app: Flask, overrides: dict[str, Handler] | None = None, limit: int = 200) -> int:
    """Deliver what is due, one claimed delivery at a time; commits. Needs an app context.
    Returns how many this run delivered (another run's are not counted)."""
    db = get_db()
    every = {**handlers(app), **(overrides or {})}
    lease = core.lease(app)
    delivered = 0
    for _round in range(limit):
        claimed = _claim_one(db, every, lease)
        if claimed is None:
            break
        with job_log("delivery", delivery_id=claimed[0]) as entry:
            outcome = entry["outcome"] = _deliver(app, db, every, *claimed, entry)
        delivered += outcome == "delivered"
    return delivered


def _claim_one(db: Session, every: dict[str, Handler], lease: timedelta) -> tuple[int, str] | None:
    for delivery_id in due_deliveries(db, every):
        token = claim_delivery(db, delivery_id, lease)
        db.commit()
        if token is not None:
            return delivery_id, token
    return None


def _deliver(app: Flask, db: Session, every: dict[str, Handler], delivery_id: int, token: str,
             entry: dict[str, Any]) -> str:
    """One claimed delivery: "delivered", "skipped" (delivered elsewhere or superseded meanwhile) or
    "retry" (it failed and is tried again later); its filing and recipient go into `entry` (the log)."""
    try:
        delivery = db.get_one(Delivery, delivery_id, populate_existing=True)
        entry.update(filing_id=delivery.filing_id, recipient=delivery.recipient)
        handler = every.get(delivery.recipient, Handler())
        prepared = None
        if handler.prepare is not None:
            delivery.filing.board, delivery.receipt  # noqa: B018 - read now, not in prepare's transaction
            db.commit()
            with Heartbeat(db.get_bind(), Delivery, delivery_id, token, core.lease(app)):
                prepared = handler.prepare(db, delivery)
            db.commit()
        if complete_delivery(db, delivery_id, token, handler, prepared) is None:
            db.rollback()
            log.info("delivery %s: no longer this run's to store (delivered elsewhere or superseded)", delivery_id)
            return "skipped"
        db.commit()
        return "delivered"
    except Exception as exc:  # noqa: BLE001 - any failure: try again after the pause, the others go on
        db.rollback()
        log.exception("delivery %s failed", delivery_id)
        when = postpone_delivery(db, delivery_id, token, f"{type(exc).__name__}: {exc}",
                                 timedelta(seconds=app.config["DELIVERY_RETRY_SECONDS"]),
                                 timedelta(seconds=app.config["DELIVERY_RETRY_MAX_SECONDS"]))
        db.commit()
        if when is not None:
            log.warning("delivery %s is tried again at %s", delivery_id, when.isoformat())
        return "retry"
