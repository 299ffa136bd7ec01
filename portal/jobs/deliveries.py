"""Processing deliveries for their recipients, in the background jobs."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from ..db import get_db
from ..figures.services import load
from ..recipients.models import Delivery
from ..recipients.services import deliver_pending
from . import core


def _ocw(app: Flask) -> object:
    def handle(db: Session, delivery: Delivery) -> bool:
        """Load every fact of the submitted version into OCW's fact store (replacing the
        board's earlier submission for the year); the load is OCW's acknowledgement."""
        filing = delivery.filing
        data = core.store(app).get(filing.file_sha256)
        report = core.engine(app).validate(data, filing.file_name, filing.board.number, filing.year)
        if report.facts is None:
            raise RuntimeError(f"no facts could be read from filing {filing.id}")
        load(db, delivery.receipt, report.facts)
        return True
    return handle


def process(app: Flask) -> int:
    """Deliver what is pending; commits. Needs an app context."""
    db = get_db()
    count = deliver_pending(db, {"ocw": _ocw(app)})
    if count:
        db.commit()
    return count
