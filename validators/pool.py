"""Warm worker processes for Arelle: one validation at a time per process.

Arelle is not thread-safe and keeps process-wide state, so every validation
runs in a worker process that has Arelle imported and warmed up. The pool
hands jobs to idle workers (callers may be many threads), and replaces a
worker that crashes, exceeds the time limit or grows past the memory ceiling.
A job that kills its worker raises EngineError: the system failed, not the
filer, and the caller may retry.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any


class EngineError(Exception):
    """The validation could not be completed (worker crash, time limit, memory ceiling)."""


@dataclass(frozen=True)
class PoolSettings:
    """How many workers, and their limits."""

    workers: int = max(1, os.cpu_count() or 1)
    timeout_s: float = 120.0  # one validation, wall clock
    recycle_mb: int = 400  # replaced after a job that leaves it larger than this
    kill_mb: int = 1500  # stopped during a job that grows larger than this
    formula_timeout_s: float = 60.0  # passed to Arelle's own formula time limits
    warmup: str | None = None  # an entry point (its taxonomy is loaded warm) or a file to validate at start


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _worker_main(conn: Connection, packages: list[str], warmup: str | None, formula_timeout: float) -> None:
    """The worker process: import and warm Arelle, then serve jobs until told to stop."""
    import gc

    from . import arelle_worker

    arelle_worker.install_xpath_cache()
    if warmup:
        try:
            arelle_worker.warm_up(warmup, packages, formula_timeout)
        except Exception:  # a failed warm-up only costs speed
            pass
    # Arelle builds and drops a large object graph per file. The warm state
    # (modules, caches) is frozen out of the collector's sight, and collection
    # runs after each reply instead of during the validation (about 10% faster).
    gc.collect()
    gc.freeze()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the pool went away
            return
        if job is None:
            return
        path, display_name, job_packages, entry_point, export_dir = job
        gc.disable()
        try:
            result = arelle_worker.run(path, display_name, job_packages, formula_timeout, entry_point, export_dir)
            reply: tuple[str, Any] = ("ok", result)
        except Exception as exc:  # Arelle raised: report it, keep serving
            reply = ("failed", f"{type(exc).__name__}: {exc}")
        finally:
            gc.enable()
        conn.send(reply)
        gc.collect()


class _Worker:
    def __init__(self, ctx: Any, packages: list[str], settings: PoolSettings) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, packages, settings.warmup,
                                                              settings.formula_timeout_s), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.jobs = 0

    def wait_ready(self, timeout: float) -> None:
        if not self.ready:
            try:
                if not self.conn.poll(timeout):
                    raise EngineError("validation worker did not start in time")
                self.conn.recv()
            except (EOFError, OSError) as exc:
                raise EngineError("validation worker failed to start") from exc
            self.ready = True

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=2)
        self.conn.close()


class WorkerPool:
    """A fixed number of warm Arelle worker processes."""

    def __init__(self, packages: list[str], settings: PoolSettings = PoolSettings()) -> None:
        self.packages = packages
        self.settings = settings
        # spawn: a worker never inherits the web server's threads, sockets or database connections.
        self._ctx = multiprocessing.get_context("spawn")
        # LIFO: the most recently used worker is reused first, its caches still warm.
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._closed = False
        self.restarts = 0
        workers = [_Worker(self._ctx, packages, settings) for _ in range(settings.workers)]
        for worker in workers:  # started together, so they warm up in parallel
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.stop()
        with self._lock:
            self.restarts += 1
        return _Worker(self._ctx, self.packages, self.settings)

    def run(self, path: str, display_name: str, packages: list[str] | None = None,
            entry_point: str | None = None, export_dir: str | None = None) -> dict[str, Any]:
        """Validate one file in a worker; blocks until a worker is free. Raises EngineError.

        `entry_point` is the taxonomy the file was checked to reference: the
        worker then validates against its warm model of it (warm_dts.py).
        """
        if self._closed:
            raise EngineError("the pool is closed")
        worker = self._idle.get()
        try:
            worker.wait_ready(timeout=120)
        except EngineError:
            self._idle.put(self._replace(worker))
            raise
        keep = worker
        try:
            try:
                worker.conn.send((path, display_name, packages or self.packages, entry_point, export_dir))
            except (OSError, BrokenPipeError) as exc:
                keep = self._replace(worker)
                raise EngineError("validation worker was gone") from exc
            deadline = time.monotonic() + self.settings.timeout_s
            while not worker.conn.poll(0.05):
                if not worker.process.is_alive():
                    keep = self._replace(worker)
                    raise EngineError("validation worker crashed")
                if time.monotonic() > deadline:
                    keep = self._replace(worker)
                    raise EngineError(f"validation took longer than {self.settings.timeout_s:.0f} s")
                if _rss_mb(worker.process.pid) > self.settings.kill_mb:
                    keep = self._replace(worker)
                    raise EngineError(f"validation used more than {self.settings.kill_mb} MB")
            try:
                status, payload = worker.conn.recv()
            except (EOFError, OSError) as exc:
                keep = self._replace(worker)
                raise EngineError("validation worker crashed") from exc
            worker.jobs += 1
            if _rss_mb(worker.process.pid) > self.settings.recycle_mb:
                keep = self._replace(worker)  # the result is good; the process is not kept
            if status != "ok":
                raise EngineError(f"Arelle failed: {payload}")
            return payload
        finally:
            self._idle.put(keep)

    def worker_pids(self) -> list[int]:
        """The process ids of the idle workers (for tests and monitoring)."""
        with self._idle.mutex:
            return [w.process.pid for w in list(self._idle.queue)]

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return
