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

from celery import bootsteps
from celery.signals import setup_logging, worker_ready
from celery.worker.consumer import Consumer as CeleryConsumer
from celery.worker.consumer.consumer import maybe_shutdown
from kombu import Connection

from .. import create_app
from ..ops import logs
from .celery_app import make_celery

flask_app = create_app({"SECRET_KEY": secrets.token_urlsafe(32)})
# From the start, so that what Celery says before it sets up its logging is in the same format.
logs.configure(flask_app.config["LOG_FORMAT"], logging.WARNING)
celery = make_celery(flask_app)
app = celery  # what `celery -A portal.jobs.worker` looks for
log = logging.getLogger(__name__)


@setup_logging.connect
def _logging(loglevel: int | str | None = None, **_kwargs: object) -> None:
    # Celery's own lines and the portal's in one format (PORTAL_LOG_FORMAT), at the --loglevel given.
    logs.configure(flask_app.config["LOG_FORMAT"], loglevel or logging.WARNING)


class Consumer(CeleryConsumer):
    """Celery's consumer, reconnecting to a broker that was away every BROKER_RETRY_SECONDS, and
    for as long as it takes. Celery's own waits 2, 4, 6 ... up to 30 s between attempts and stops
    the worker after 100: after a 20 s outage a worker came back up to 10 s after the broker."""

    def ensure_connected(self, conn: Connection) -> Connection:
        """Connect, trying again every BROKER_RETRY_SECONDS while the broker refuses."""
        every = flask_app.config["BROKER_RETRY_SECONDS"]

        def _error(exc: Exception, interval: float) -> None:
            log.warning("cannot reach the broker (%s); trying again in %.0f s", exc, interval)

        conn = conn.ensure_connection(_error, None, interval_start=every, interval_step=0, interval_max=every,
                                      callback=maybe_shutdown)
        self.first_connection_attempt = False
        self.broker_connection_retry_attempt = 0
        return conn


celery.conf.worker_consumer = f"{__name__}:Consumer"


class ResendOnConnect(bootsteps.StartStopStep):
    """Each time this worker's consumer (re)connects to the broker, at start and after the
    broker was away: send every queued filing again, oldest first. What was uploaded while no
    worker ran, or while the broker was down, is validated at once, in upload order, not at the
    next resend; and a broker restarted without its queue loses nothing. A filing sent twice is
    validated once (the claim), so a worker that reconnects needlessly costs only messages."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, _consumer: object) -> None:
        """Send the sweep that re-sends every queued filing (a failure waits for the next connect)."""
        try:
            celery.send_task("portal.sweep", kwargs={"resend_after": 0})
        except Exception as exc:  # noqa: BLE001 - the broker went away again: the next connect sends it
            log.warning("could not ask for the queued filings to be sent again: %s", exc)


celery.steps["consumer"].add(ResendOnConnect)


@worker_ready.connect
def _warn_of_embedded_beat(sender: object = None, **_kwargs: object) -> None:
    # A beat embedded in a worker (--beat) runs in a child process that outlives the worker when
    # it is killed, and each such worker adds a scheduler: harmless for the jobs, but not meant.
    if getattr(getattr(sender, "controller", None), "beat", None) is not None:
        log.warning("this worker embeds a beat (--beat): run one separate `celery -A portal.jobs.worker beat` "
                    "and the workers without it")
    if flask_app.config["FILE_STORE"] == "folder":
        log.warning("this worker reads and writes files in %s (PORTAL_FILE_STORE=folder): every web server and "
                    "worker must share that folder; on hosts of their own, set PORTAL_FILE_STORE=database",
                    flask_app.config["FILES_PATH"])
