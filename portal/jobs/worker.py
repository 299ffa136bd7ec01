"""The Celery entry point: `celery -A portal.jobs.worker worker --pool threads` for the
workers, `celery -A portal.jobs.worker beat` for the one scheduler."""

from __future__ import annotations

from celery.signals import worker_ready

from .. import create_app
from .celery_app import make_celery

flask_app = create_app()
celery = make_celery(flask_app)
app = celery  # what `celery -A portal.jobs.worker` looks for


@worker_ready.connect
def _sweep_on_start(**_kwargs: object) -> None:
    # Whatever was queued while no worker ran is sent again now, not at the next resend.
    celery.send_task("portal.sweep", kwargs={"resend_after": 0})
