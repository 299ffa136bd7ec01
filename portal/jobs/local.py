"""The embedded default: validation threads in the web process, feeding the engine's
warm worker processes. One process runs them (`python app.py`); for more machines,
use Celery (PORTAL_CELERY_BROKER_URL)."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from . import core, deliveries

log = logging.getLogger(__name__)


class LocalRunner:
    """Threads that claim queued filings from the database and validate them; when idle,
    they deliver, keep house and, every SWEEP_SECONDS, queue again what lost its claim."""

    def __init__(self, app: Flask, threads: int) -> None:
        self.app = app
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._loop, name=f"validate-{i}", daemon=True) for i in range(threads)]
        self._sweep_lock = threading.Lock()
        self._next_sweep = 0.0

    def start(self) -> LocalRunner:
        """Queue again what a previous run left half-done (once its lease has run out: another
        process may still hold it), then start the threads."""
        self._sweep()
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

    def _sweep(self) -> None:
        # One thread sweeps per round; the sweep itself is safe to repeat (a conditional update).
        with self._sweep_lock:
            if time.monotonic() < self._next_sweep:
                return
            self._next_sweep = time.monotonic() + self.app.config["SWEEP_SECONDS"]
        with self.app.app_context():
            core.recover()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                self._sweep()
                with self.app.app_context():
                    claim = core.claim_next()
                    if claim is not None:
                        core.run(claim)
                        continue
                    deliveries.process(self.app)  # idle: deliveries to the recipients, then e-mail
                    core.housekeeping(self.app)
            except Exception:  # keep the thread alive; the filing stays queued or validating
                log.exception("validation thread error")
            self.wake.wait(timeout=1.0)
            self.wake.clear()
