"""The scale-out path: Celery workers on a Redis broker (PORTAL_CELERY_BROKER_URL), on this
or other machines, and one beat process that sends the sweep every PORTAL_SWEEP_SECONDS:

    celery -A portal.jobs.worker worker --pool threads --concurrency 2     # as many as you like
    celery -A portal.jobs.worker beat                                      # exactly one

The broker only carries filing ids; the job state stays in the database, so a lost message
or a dead worker loses nothing. A validation's claim is a lease its job renews; the sweep
queues again every filing whose lease ran out and sends it at once, so a killed worker's
filing is validated again within JOB_LEASE_SECONDS + SWEEP_SECONDS. Every job is claimed
in the database, so a second beat by mistake (or a sweep per submission) only sends
messages that find nothing to do.

Threads, not processes: each worker's threads hand filings to the engine's own warm
Arelle worker processes.
"""

from __future__ import annotations

import os
from datetime import timedelta

from celery import Celery
from flask import Flask

from ..filings.models import QUEUED
from . import core, deliveries


def make_celery(app: Flask, sender: bool = False) -> Celery:
    """A Celery app bound to the Flask app (tasks run in its app context). `sender`: for sending
    from requests, which must not wait for a broker that is down (broker.py): one attempt, with
    short timeouts; the workers keep Celery's own reconnecting."""
    celery = Celery("portal", broker=app.config["CELERY_BROKER_URL"])
    if sender:
        timeout = app.config["BROKER_TIMEOUT_SECONDS"]
        celery.conf.broker_transport_options = {"max_retries": 0, "socket_connect_timeout": timeout,
                                                "socket_timeout": timeout}
    celery.conf.update(task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                       broker_connection_retry_on_startup=True, task_ignore_result=True,
                       beat_schedule={"sweep": {"task": "portal.sweep",
                                                "schedule": float(app.config["SWEEP_SECONDS"])}},
                       # beat's state belongs to this installation, not to the directory it was started in
                       beat_schedule_filename=os.path.join(app.instance_path, "celerybeat-schedule"))

    @celery.task(name="portal.validate")
    def validate(filing_id: int) -> str:
        with app.app_context():
            claim = core.claim(filing_id)
            if claim is None:  # validated, or being validated, by another job
                return "not claimed"
            status = core.run(claim)
        if status == QUEUED:  # a system failure, to be tried again (MAX_ATTEMPTS in all)
            validate.delay(filing_id)
        return status

    @celery.task(name="portal.sweep")
    def sweep(resend_after: float | None = None) -> int:
        """Queue again what lost its claim and send it, with whatever waited too long for its
        message; then the deliveries and the housekeeping. Safe to run any number of times
        at once: every step claims what it does."""
        waited = app.config["VALIDATION_RESEND_SECONDS"] if resend_after is None else resend_after
        with app.app_context():
            due = sorted(set(core.recover()) | set(core.resend(timedelta(seconds=waited))))
        for filing_id in due:
            validate.delay(filing_id)
        with app.app_context():
            deliveries.process(app)
            core.housekeeping(app)
        return len(due)

    app.extensions["celery"] = celery
    return celery
