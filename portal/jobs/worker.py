"""The Celery worker's entry point: `celery -A portal.jobs.worker worker --pool threads`."""

from __future__ import annotations

from celery.signals import worker_ready

from .. import create_app
from .celery_app import make_celery

flask_app = create_app()
celery = make_celery(flask_app)
app = celery  # what `celery -A portal.jobs.worker` looks for


@worker_ready.connect
def _sweep_on_start(**_kwargs: object) -> None:
    # Whatever was queued or interrupted while no worker ran is picked up now.
    celery.send_task("portal.sweep")
