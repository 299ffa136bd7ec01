"""The Celery entry point: `celery -A portal.jobs.worker worker --pool threads` for the
workers, `celery -A portal.jobs.worker beat` for the one scheduler."""

from __future__ import annotations

import logging

from celery.signals import worker_ready

from .. import create_app
from .celery_app import make_celery

flask_app = create_app()
celery = make_celery(flask_app)
app = celery  # what `celery -A portal.jobs.worker` looks for
log = logging.getLogger(__name__)


@worker_ready.connect
def _sweep_on_start(sender: object = None, **_kwargs: object) -> None:
    # A beat embedded in a worker (--beat) runs in a child process that outlives the worker when
    # it is killed, and each such worker adds a scheduler: harmless for the jobs, but not meant.
    if getattr(getattr(sender, "controller", None), "beat", None) is not None:
        log.warning("this worker embeds a beat (--beat): run one separate `celery -A portal.jobs.worker beat` "
                    "and the workers without it")
    # Whatever was queued while no worker ran is sent again now, not at the next resend.
    celery.send_task("portal.sweep", kwargs={"resend_after": 0})
