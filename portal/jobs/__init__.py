"""Where validation runs: local threads (the embedded default) or Celery workers."""

from __future__ import annotations

import logging

from flask import Flask

log = logging.getLogger(__name__)


def enqueue(app: Flask, filing_id: int) -> None:
    """Tell whoever validates that a filing is queued (after the commit). If the message
    is lost, nothing is: the filing stays queued in the database and is swept up."""
    runner = app.extensions.get("runner")
    if runner is not None:
        runner.notify()
        return
    if app.config["CELERY_BROKER_URL"]:
        try:
            celery = app.extensions.get("celery")
            if celery is None:
                from .celery_app import make_celery

                celery = make_celery(app)
            celery.send_task("portal.validate", args=[filing_id])
        except Exception as exc:  # the broker is down: the sweep sends it later
            log.warning("could not enqueue filing %s: %s", filing_id, exc)


def wake(app: Flask) -> None:
    """Something for the background jobs (deliveries, e-mail): look now, not at the next round."""
    runner = app.extensions.get("runner")
    if runner is not None:
        runner.notify()
    elif app.config["CELERY_BROKER_URL"]:
        try:
            celery = app.extensions.get("celery")
            if celery is None:
                from .celery_app import make_celery

                celery = make_celery(app)
            celery.send_task("portal.sweep")
        except Exception as exc:  # the broker is down: the periodic sweep does it later
            log.warning("could not wake the sweep: %s", exc)
