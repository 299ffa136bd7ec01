"""Where background work runs: local threads (the embedded default) or Celery workers.

Services never start work themselves: they say what should run once their transaction is
committed (`pending.py`: `validate_after_commit`, `wake_after_commit`), and `init_app` runs it from the
session's after-commit event, in the manner of warehouse's after-commit tasks. A rolled-back
transaction starts nothing, and no view has to remember "commit, then enqueue"."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from .pending import PENDING, VALIDATE, validate_after_commit, wake_after_commit

def enqueue(app: Flask, filing_id: int) -> None:
    """Tell whoever validates that a filing is queued (after the commit). If the message cannot
    be sent now, nothing is lost: the filing stays queued in the database, and its message is
    sent when the broker is back, before newer ones (broker.py)."""
    runner = app.extensions.get("runner")
    if runner is not None:
        runner.notify()
    elif app.config["CELERY_BROKER_URL"]:
        from .broker import sender

        sender(app).validate(filing_id)


def wake(app: Flask) -> None:
    """Something for the background jobs (deliveries, e-mail): look now, not at the next round."""
    runner = app.extensions.get("runner")
    if runner is not None:
        runner.notify()
    elif app.config["CELERY_BROKER_URL"]:
        from .broker import sender

        sender(app).sweep()


def run_pending(app: Flask, pending: list[tuple[str, Any]]) -> None:
    """Start what a committed transaction asked for, each thing once, in the order asked."""
    seen: set[tuple[str, Any]] = set()
    for item in pending:
        if item in seen:
            continue
        seen.add(item)
        kind, filing_id = item
        if kind == VALIDATE:
            enqueue(app, filing_id)
        else:
            wake(app)


def init_app(app: Flask) -> None:
    """Run each session's pending work after its commit; forget it when the transaction ends otherwise."""
    sessions = app.extensions["db_sessions"]

    @event.listens_for(sessions, "after_commit")
    def _after_commit(session: Session) -> None:
        pending = session.info.pop(PENDING, None)
        if pending:
            # A failure here cannot undo the commit, and loses nothing: the rows are queued or
            # pending in the database, and the runners' sweep finds them (jobs/core.py, broker.py).
            try:
                run_pending(app, pending)
            except Exception:  # noqa: BLE001 - the request has committed; tell the log, not the user
                app.logger.exception("starting work after commit failed; the sweep will find it")

    @event.listens_for(sessions, "after_transaction_end")
    def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:  # the outermost transaction: committed (popped above) or rolled back
            session.info.pop(PENDING, None)


__all__ = ["PENDING", "enqueue", "init_app", "run_pending", "validate_after_commit", "wake", "wake_after_commit"]
