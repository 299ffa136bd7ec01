"""Sending to the Celery broker from the web process: quickly, and in upload order after an outage.

A filing is committed as queued before anything is sent, so a broker that is down loses
nothing; what matters is that the request does not wait for it, and that the filings it missed
are sent as soon as it is back, before anything newer:

- a send is tried once, with a short connect and socket timeout (BROKER_TIMEOUT_SECONDS) and
  no retry in the request;
- after a failure this process sends nothing for BROKER_RETRY_SECONDS: later requests answer at
  once instead of each waiting for the broker;
- it remembers the first filing it could not send. The first send after the pause (a request's,
  or the catch-up thread's, which tries every BROKER_RETRY_SECONDS while the process is behind)
  sends every filing still queued from that one on, oldest first, and only then anything newer.
  A request that comes meanwhile waits for that (one lock per process), so it cannot overtake.

Celery workers re-send every queued filing themselves whenever they (re)connect to the broker
(worker.py), which covers messages the broker lost in a restart and filings that another web
process could not send.
"""

from __future__ import annotations

import logging
import threading
import time
from celery import Celery
from flask import Flask
from sqlalchemy import select

from ..db import get_db
from ..filings.models import QUEUED, Filing

log = logging.getLogger(__name__)
VALIDATE, SWEEP = "portal.validate", "portal.sweep"


class Sender:
    """The web process's messages to the workers (one per app)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._paused_until = 0.0  # time.monotonic(): no send is tried before then
        self._first_unsent: int | None = None  # the oldest filing whose message could not be sent
        self._sweep_unsent = False
        self._catching_up: threading.Thread | None = None
        self._celery: Celery | None = None

    @property
    def behind(self) -> bool:
        """Whether some message of this process is still unsent."""
        return self._first_unsent is not None or self._sweep_unsent

    def validate(self, filing_id: int) -> bool:
        """Send a queued filing to the workers; False when it could not be sent now (it will be)."""
        return self._send(VALIDATE, filing_id)

    def sweep(self) -> bool:
        """Ask the workers to look for work now (deliveries, e-mail); False when it could not be sent."""
        return self._send(SWEEP, None)

    def _send(self, task: str, filing_id: int | None) -> bool:
        with self._lock:
            if self.behind:
                if time.monotonic() < self._paused_until:
                    self._remember(task, filing_id)
                    return False
                sent = self._catch_up()
                if sent is None:
                    self._remember(task, filing_id)
                    return False
                if task == VALIDATE and filing_id in sent:
                    return True  # sent by the catch-up, in its place
            try:
                self._publish(task, filing_id)
                return True
            except Exception as exc:  # noqa: BLE001 - any broker failure: the database keeps the job
                self._failed(exc)
                self._remember(task, filing_id)
                return False

    def _remember(self, task: str, filing_id: int | None) -> None:
        if task == SWEEP:
            self._sweep_unsent = True
        elif filing_id is not None and (self._first_unsent is None or filing_id < self._first_unsent):
            self._first_unsent = filing_id
        self._start_catching_up()

    def _failed(self, exc: Exception) -> None:
        self._paused_until = time.monotonic() + self.app.config["BROKER_RETRY_SECONDS"]
        log.warning("the broker cannot be reached (%s): queued filings are sent when it is back, oldest first", exc)

    def _catch_up(self) -> set[int] | None:
        """Send what this process missed, oldest first (with the lock held): the filings sent, or
        None when the broker (or the database) is still away."""
        try:
            ids: list[int] = []
            if self._first_unsent is not None:
                with self.app.app_context():
                    ids = list(get_db().scalars(select(Filing.id).where(Filing.status == QUEUED,
                                                                        Filing.id >= self._first_unsent)
                                                .order_by(Filing.id)))
            for filing_id in ids:
                self._publish(VALIDATE, filing_id)
            if self._sweep_unsent:
                self._publish(SWEEP, None)
        except Exception as exc:  # noqa: BLE001 - still away: later
            self._failed(exc)
            return None
        log.info("the broker is back: sent %s queued filings, oldest first", len(ids))
        self._first_unsent, self._sweep_unsent = None, False
        return set(ids)

    def _start_catching_up(self) -> None:
        # Without new uploads nothing would send the missed filings until a worker reconnects or
        # the sweep re-sends them: a thread tries after each pause while this process is behind.
        if self._catching_up is None or not self._catching_up.is_alive():
            self._catching_up = threading.Thread(target=self._catch_up_loop, name="broker-catch-up", daemon=True)
            self._catching_up.start()

    def _catch_up_loop(self) -> None:
        while True:
            with self._lock:
                if not self.behind or (time.monotonic() >= self._paused_until and self._catch_up() is not None):
                    return
                wait = self._paused_until - time.monotonic()
            time.sleep(max(wait, 0.05))

    def _publish(self, task: str, filing_id: int | None) -> None:
        if self._celery is None:
            from .celery_app import make_celery

            self._celery = make_celery(self.app, sender=True)
        if task == VALIDATE:
            self._celery.send_task(VALIDATE, args=[filing_id], retry=False)
        else:
            self._celery.send_task(SWEEP, retry=False)


def sender(app: Flask) -> Sender:
    """The app's sender, made on first use."""
    found = app.extensions.get("broker_sender")
    if found is None:
        found = app.extensions.setdefault("broker_sender", Sender(app))
    return found
