"""Where validation runs: local threads (the embedded default) or Celery workers."""

from __future__ import annotations

from flask import Flask


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
