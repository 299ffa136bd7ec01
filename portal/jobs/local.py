"""The embedded default: validation threads in the web process, feeding the engine's
warm worker processes. One process runs them (`python app.py`); for more machines,
use Celery (PORTAL_CELERY_BROKER_URL)."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from ..outbox.sender import send_pending
from . import core, deliveries

log = logging.getLogger(__name__)


class LocalRunner:
    """Threads that claim queued filings from the database and validate them."""

    def __init__(self, app: Flask, threads: int) -> None:
        self.app = app
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._loop, name=f"validate-{i}", daemon=True) for i in range(threads)]

    def start(self) -> LocalRunner:
        """Queue again what a previous run left half-done, then start the threads."""
        with self.app.app_context():
            recovered = core.recover()
        if recovered:
            log.info("queued %s interrupted validations again", recovered)
        for thread in self.threads:
            thread.start()
        return self

    def notify(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self.wake.set()

    def stop(self) -> None:
        """Let the threads finish their current filing and stop."""
        self.stopping.set()
        self.wake.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                with self.app.app_context():
                    filing_id = core.claim_next()
                    if filing_id is not None:
                        core.run(filing_id)
                        continue
                    deliveries.process(self.app)  # idle: deliveries to the recipients, then e-mail
                    core.purge(self.app)
                    send_pending(self.app)
            except Exception:  # keep the thread alive; the filing stays queued or validating
                log.exception("validation thread error")
            self.wake.wait(timeout=1.0)
            self.wake.clear()
