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
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import text

from ..storage import open_store

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
    store = open_store(app)
    own: Callable[[], None] | None = getattr(store, "check", None)
    if own is not None:
        try:
            own()
        except OSError as exc:  # the store's StorageError
            log.warning("readiness: the file store cannot be used: %s", exc)
            raise Unready("unusable") from exc
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


class _Running:
    """One check on a daemon thread of its own (a check that hangs must not keep the process
    from ending), with its outcome once it is done."""

    def __init__(self, app: Flask, name: str) -> None:
        self.started = time.perf_counter()
        self.done = threading.Event()
        self.error: BaseException | None = None
        threading.Thread(target=self._run, args=(app, CHECKS[name]), name=f"readyz-{name}", daemon=True).start()

    def _run(self, app: Flask, check: Callable[[Flask], None]) -> None:
        try:
            with app.app_context():
                check(app)
        except BaseException as exc:  # noqa: BLE001 - reported by report()
            self.error = exc
        finally:
            self.done.set()


class Readiness:
    """The app's readiness checks, each on its own thread, at most one of each running at a time."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._running: dict[str, _Running] = {}
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        """The checks this app needs: the broker only where there is one."""
        return [name for name in CHECKS if name != "broker" or self.app.config["CELERY_BROKER_URL"]]

    def _start(self, name: str) -> _Running:
        with self._lock:
            running = self._running.get(name)
            if running is None or running.done.is_set():
                running = self._running[name] = _Running(self.app, name)
            return running

    def report(self) -> tuple[bool, dict[str, Any]]:
        """(ready, {"ready", "checks": {name: {"ok", "ms", "error"?}}}) within the deadline."""
        deadline = time.perf_counter() + self.app.config["READY_TIMEOUT_SECONDS"]
        started = {name: self._start(name) for name in self.names()}
        checks: dict[str, dict[str, Any]] = {}
        for name, running in started.items():
            result: dict[str, Any] = {"ok": False}
            if not running.done.wait(max(0.0, deadline - time.perf_counter())):
                result["error"] = "timeout"
            elif isinstance(running.error, Unready):
                result["error"] = str(running.error)
            elif running.error is not None:  # any other failure is "not ready", with its kind
                log.warning("readiness check %s failed: %s", name, running.error)
                result["error"] = type(running.error).__name__
            else:
                result["ok"] = True
            result["ms"] = round((time.perf_counter() - running.started) * 1000, 1)
            checks[name] = result
        ready = all(c["ok"] for c in checks.values())
        return ready, {"ready": ready, "checks": checks}
