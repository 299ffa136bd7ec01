"""The Celery entry point: `celery -A portal.jobs.worker worker --pool threads` for the
workers, `celery -A portal.jobs.worker beat` for the one scheduler.

A worker host needs the database URL, the broker URL and the taxonomy packages, and with
PORTAL_FILE_STORE=database nothing of the web server's disk: it reads and writes files in
the database. It signs nothing (no sessions, no forms), so it gets a key of its own that
lives in memory only: it never reads the web server's secret key nor writes one to disk.
"""

from __future__ import annotations

import logging
import secrets

from celery.signals import worker_ready

from .. import create_app
from .celery_app import make_celery

flask_app = create_app({"SECRET_KEY": secrets.token_urlsafe(32)})
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
    if flask_app.config["FILE_STORE"] == "folder":
        log.warning("this worker reads and writes files in %s (PORTAL_FILE_STORE=folder): every web server and "
                    "worker must share that folder; on hosts of their own, set PORTAL_FILE_STORE=database",
                    flask_app.config["FILES_PATH"])
    # Whatever was queued while no worker ran is sent again now, not at the next resend.
    celery.send_task("portal.sweep", kwargs={"resend_after": 0})
