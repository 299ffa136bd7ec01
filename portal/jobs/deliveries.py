"""Processing deliveries for their recipients, in the background jobs."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from ..db import get_db
from ..figures.services import load
from ..inspectorate.services import store
from ..recipients.models import Delivery
from ..recipients.services import deliver_pending
from . import core


def _ocw(app: Flask) -> object:
    def handle(db: Session, delivery: Delivery) -> bool:
        """Load every fact of the submitted version into OCW's fact store (replacing the
        board's earlier submission for the year), and keep its xBRL-JSON and xBRL-CSV;
        the load is OCW's acknowledgement."""
        filing = delivery.filing
        files = core.store(app)
        data = files.get(filing.file_sha256)
        report = core.engine(app).validate(data, filing.file_name, filing.board.number, filing.year, exports=True)
        if report.facts is None or report.exports is None:
            raise RuntimeError(f"no facts could be read from filing {filing.id}")
        load(db, delivery.receipt, report.facts)
        filing.oim_json_sha256 = files.put(report.exports["xbrl-json"])
        filing.oim_csv_sha256 = files.put(report.exports["xbrl-csv"])
        return True
    return handle


def _inspectorate(db: Session, delivery: Delivery) -> bool:
    """Store the submission's signalling values (from its report) for the inspectorate;
    the store is the inspectorate's acknowledgement."""
    # OCW's delivery of the same submission is processed first (id order): its figures give the income.
    store(db, delivery.receipt, delivery.filing.report or {}, _income(db, delivery))
    return True


def _income(db: Session, delivery: Delivery) -> float | None:
    # Total income, for the size class: from the fact store when OCW's figures are in.
    from sqlalchemy import select

    from ..figures.models import StoredFact

    value = db.scalar(select(StoredFact.value).where(
        StoredFact.board_id == delivery.board_id, StoredFact.year == delivery.year, StoredFact.concept == "Income",
        StoredFact.dimensions == "{}", StoredFact.period == f"{delivery.year}-01-01/{delivery.year}-12-31"))
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def process(app: Flask) -> int:
    """Deliver what is pending; commits. Needs an app context."""
    db = get_db()
    count = deliver_pending(db, {"ocw": _ocw(app), "inspectorate": _inspectorate})
    if count:
        db.commit()
    return count
