"""Liveness and readiness, for a load balancer, an orchestrator or a person.

`/healthz`: the process is up and answers; nothing else is touched (no database, no broker),
so it costs nothing and says nothing about the services behind it.

`/readyz`: can this process do its work now? Each check runs on a thread of its own with a
deadline (READY_TIMEOUT_SECONDS), so a database or broker that is stopped, or that hangs, is
reported within that time, never by a probe that hangs itself:

- database: a connection from the app's pool answers `SELECT 1`;
- broker (with CELERY_BROKER_URL): Redis answers PING;
- store: where uploads are kept can be written to (the folder exists, is writable and has room
  for an upload).

200 when every check passes, else 503; the JSON body names each check with "ok", its time in ms
and, when it failed, a short reason (the details go to the log, not to whoever asks). A check
still running from an earlier probe is waited for, not started again: a hanging database never
piles up threads.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import text

log = logging.getLogger(__name__)


class Unready(Exception):
    """A check failed, with a short reason that may be shown to anyone."""


def check_database(app: Flask) -> None:
    """A pooled connection answers SELECT 1 (a dropped connection is replaced: pool_pre_ping)."""
    try:
        with app.extensions["db_engine"].connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("readiness: the database cannot be reached: %s", exc)
        raise Unready("unreachable") from exc


def check_broker(app: Flask) -> None:
    """The Redis broker answers PING within the deadline."""
    import redis

    timeout = app.config["READY_TIMEOUT_SECONDS"]
    client = redis.Redis.from_url(app.config["CELERY_BROKER_URL"], socket_connect_timeout=timeout,
                                  socket_timeout=timeout)
    try:
        client.ping()
    except Exception as exc:
        log.warning("readiness: the broker cannot be reached: %s", exc)
        raise Unready("unreachable") from exc
    finally:
        client.close()


def check_store(app: Flask) -> None:
    """The file store can take an upload: a store with its own check (one in the database) runs
    that; a folder must exist (it is made, as the store would), be writable and have room for
    one upload of the largest size."""
    from ..jobs import core

    store = core.store(app)
    own: Callable[[], None] | None = getattr(store, "check", None)
    if own is not None:
        own()
        return
    root = getattr(store, "root", None)
    if root is None:
        return  # not a folder: kept in the database, which its own check covers
    folder = Path(root)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        writable = os.access(folder, os.W_OK | os.X_OK)
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        log.warning("readiness: the file store %s cannot be used: %s", folder, exc)
        raise Unready("unusable") from exc
    if not writable:
        raise Unready("not writable")
    if free < app.config["MAX_UPLOAD_MB"] * 1024 * 1024:
        raise Unready("full")


CHECKS: dict[str, Callable[[Flask], None]] = {"database": check_database, "broker": check_broker,
                                              "store": check_store}


class Readiness:
    """The app's readiness checks, each on its own thread, at most one of each running at a time."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
        self._running: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        """The checks this app needs: the broker only where there is one."""
        return [name for name in CHECKS if name != "broker" or self.app.config["CELERY_BROKER_URL"]]

    def _start(self, name: str) -> tuple[Future[None], float]:
        with self._lock:
            future = self._running.get(name)
            if future is None or future.done():
                future = self._pool.submit(self._run, CHECKS[name])
                self._running[name] = future
                future.started = time.perf_counter()  # type: ignore[attr-defined]
            return future, future.started  # type: ignore[attr-defined]

    def _run(self, check: Callable[[Flask], None]) -> None:
        with self.app.app_context():
            check(self.app)

    def report(self) -> tuple[bool, dict[str, Any]]:
        """(ready, {"ready", "checks": {name: {"ok", "ms", "error"?}}}) within the deadline."""
        deadline = time.perf_counter() + self.app.config["READY_TIMEOUT_SECONDS"]
        started = {name: self._start(name) for name in self.names()}
        checks: dict[str, dict[str, Any]] = {}
        for name, (future, since) in started.items():
            result: dict[str, Any] = {"ok": False}
            try:
                future.result(timeout=max(0.0, deadline - time.perf_counter()))
                result["ok"] = True
            except FutureTimeout:
                result["error"] = "timeout"
            except Unready as exc:
                result["error"] = str(exc)
            except Exception as exc:  # noqa: BLE001 - any other failure is "not ready", with its kind
                log.warning("readiness check %s failed: %s", name, exc)
                result["error"] = type(exc).__name__
            result["ms"] = round((time.perf_counter() - since) * 1000, 1)
            checks[name] = result
        ready = all(c["ok"] for c in checks.values())
        return ready, {"ready": ready, "checks": checks}
