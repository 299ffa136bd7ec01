"""The scale-out path: Celery workers on a Redis broker (PORTAL_CELERY_BROKER_URL), on this
or other machines. The broker only carries filing ids; the job state stays in the
database, so a lost message or a dead worker loses nothing: `sweep` queues again what
was interrupted and re-sends what is queued, when a worker starts and every minute.

    celery -A portal.jobs.worker worker --pool threads --concurrency 2 --beat

Threads, not processes: each worker's threads hand filings to the engine's own warm
Arelle worker processes.
"""

from __future__ import annotations

from datetime import timedelta

from celery import Celery
from flask import Flask

from ..outbox.sender import send_pending
from . import core, deliveries


def make_celery(app: Flask) -> Celery:
    """A Celery app bound to the Flask app (tasks run in its app context)."""
    celery = Celery("portal", broker=app.config["CELERY_BROKER_URL"])
    celery.conf.update(task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                       broker_connection_retry_on_startup=True, task_ignore_result=True,
                       beat_schedule={"sweep": {"task": "portal.sweep", "schedule": 60.0}})

    @celery.task(name="portal.validate")
    def validate(filing_id: int) -> str:
        with app.app_context():
            if core.claim(filing_id):
                return core.run(filing_id)
            return "not claimed"

    @celery.task(name="portal.sweep")
    def sweep() -> int:
        with app.app_context():
            core.recover(older_than=timedelta(seconds=app.config["VALIDATION_STALE_SECONDS"]))
            queued = core.queued_ids()
            deliveries.process(app)
            core.purge(app)
            send_pending(app)
        for filing_id in queued:
            validate.delay(filing_id)
        return len(queued)

    app.extensions["celery"] = celery
    return celery
