"""Warm worker processes for Arelle: one validation at a time per process.

Arelle is not thread-safe and keeps process-wide state, so every validation
runs in a worker process that has Arelle imported and warmed up. The pool
hands jobs to idle workers (callers may be many threads), and replaces a
worker that crashes, exceeds the time limit or grows past the memory ceiling.
A job that kills its worker raises EngineError with a stable code
(ENGINE-MEMORY, ENGINE-TIMEOUT, ENGINE-CRASH): the engine turns it into that
file's report, and the other files are not affected.

Each worker is a fresh interpreter, `python -m validators.arelle.worker` (worker.py),
connected by a socket pair (jobs go as JSON, answers come back as pickled plain
data that the pool unpickles with every class and function refused): not multiprocessing's spawn, which re-imports the
caller's main module (the portal's app.py, its configuration and secret key).
Its environment holds only what Python and Arelle need, and a private folder
(its temp folder and Arelle's empty web cache) that the pool removes when the
worker ends, however it ends.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..codes import ENGINE_CRASH, ENGINE_MEMORY, ENGINE_TIMEOUT
from .results import ArelleResult

# The folder that holds the `validators` package: the worker's only addition to Python's path.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
# Passed on to a worker when set: the locale (Arelle picks label languages by it); VALIDATORS_* too (the
# engine's own switches, e.g. VALIDATORS_WARM_DTS=0). Nothing else of the caller's environment.
_PASSED_ON = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ")


class EngineError(Exception):
    """The validation could not be completed; `code` says why (ENGINE-MEMORY, -TIMEOUT or -CRASH)."""

    def __init__(self, message: str, code: str = ENGINE_CRASH) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PoolSettings:
    """How many workers, and their limits."""

    workers: int = max(1, os.cpu_count() or 1)
    # One validation's computing time (the worker's CPU seconds): what the file costs, whatever else the
    # machine is doing, so a file under intake's limits is never stopped because the machine was busy.
    timeout_s: float = 120.0
    wall_timeout_s: float = 600.0  # wall clock, for a worker that waits instead of working
    recycle_mb: int = 400  # replaced after a job that leaves it larger than this
    kill_mb: int = 1500  # stopped during a job that grows larger than this
    formula_timeout_s: float = 60.0  # passed to Arelle's own formula time limits
    warmup: str | None = None  # an entry point (its taxonomy is loaded warm) or a file to validate at start
    guard: bool = True  # False only to measure what the guard costs (bench); never for real filings
    # Added to each worker's niceness: on a host shared with a web server, its requests get the CPU
    # first and validation takes what is left (the time limit counts CPU time, so it is not hit sooner).
    nice: int = 0


_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


def _usage(pid: int) -> tuple[float, float]:
    """A process's CPU seconds so far and its resident memory in MB (0, 0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0, 0.0
    # After the name: state is field 3, utime 14, stime 15, rss 24 (proc(5)), here counted from 3.
    return (int(fields[11]) + int(fields[12])) / _TICKS, int(fields[21]) * _PAGE_MB


def _rss_mb(pid: int) -> float:
    return _usage(pid)[1]


class _PlainData(pickle.Unpickler):
    """Unpickles plain data only (dicts, lists, strings, numbers): any class or function is refused,
    so a worker that read a hostile file cannot make the caller run anything (pickle's own
    "restricting globals"). As fast as pickle: plain data never asks for a class."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a worker's answer is plain data, not {module}.{name}")


def plain_data(data: bytes) -> Any:
    """What a worker sent, if it is plain data (pickle.UnpicklingError otherwise)."""
    return _PlainData(io.BytesIO(data)).load()


def worker_environment(private_dir: str) -> dict[str, str]:
    """A worker's whole environment: no PORTAL_* settings, secrets or credentials of the caller."""
    env = {key: os.environ[key] for key in _PASSED_ON if key in os.environ}
    env.update({key: value for key, value in os.environ.items() if key.startswith("VALIDATORS_")})
    env.setdefault("PATH", os.defpath)
    tmp = os.path.join(private_dir, "tmp")
    env.update({"HOME": private_dir, "TMPDIR": tmp, "PYTHONPATH": _PACKAGE_ROOT})
    return env


class _Worker:
    def __init__(self, packages: list[str], settings: PoolSettings) -> None:
        self.private_dir = tempfile.mkdtemp(prefix="edu-worker-")
        os.mkdir(os.path.join(self.private_dir, "tmp"))
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-s", "-B", "-m", "validators.arelle.worker", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), env=worker_environment(self.private_dir),
                cwd=os.path.join(self.private_dir, "tmp"), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        except OSError as exc:
            ours.close()
            shutil.rmtree(self.private_dir, ignore_errors=True)
            raise EngineError(f"validation worker could not be started: {exc}") from exc
        finally:
            theirs.close()
        if settings.nice > 0:
            try:  # from here, not in the child before exec (preexec_fn is unsafe with threads)
                os.setpriority(os.PRIO_PROCESS, self.process.pid,
                               min(19, os.getpriority(os.PRIO_PROCESS, self.process.pid) + settings.nice))
            except OSError:
                pass  # already gone: noticed when it is asked for its ready message
        self.conn = Connection(ours.detach())
        self.conn.send_bytes(json.dumps({
            "packages": packages, "warmup": settings.warmup, "formula_timeout": settings.formula_timeout_s,
            "private_dir": self.private_dir, "guard": settings.guard}).encode())
        self.ready = False
        self.about: dict[str, Any] = {}  # the worker's ready message: pid, modules, environment names, guard
        self.jobs = 0

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float) -> None:
        if not self.ready:
            try:
                if not self.conn.poll(timeout):
                    raise EngineError("validation worker did not start in time")
                self.about = json.loads(self.conn.recv_bytes())
            except (EOFError, OSError, ValueError) as exc:
                raise EngineError("validation worker failed to start") from exc
            self.ready = True

    def reply(self) -> dict[str, Any]:
        """The worker's answer to the job it was sent (EOFError, OSError or ValueError when it died)."""
        answer = plain_data(self.conn.recv_bytes())
        if not isinstance(answer, dict):
            raise ValueError("not a worker's answer")
        return answer

    def stop(self, kill: bool = False) -> None:
        """End the process (asking first, unless `kill`) and remove its private folder."""
        if not kill:
            try:
                self.conn.send_bytes(b"null")
            except OSError:
                pass
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        if self.alive():
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()
        shutil.rmtree(self.private_dir, ignore_errors=True)


class WorkerPool:
    """A fixed number of warm Arelle worker processes."""

    def __init__(self, packages: list[str], settings: PoolSettings = PoolSettings()) -> None:
        self.packages = packages
        self.settings = settings
        # LIFO: the most recently used worker is reused first, its caches still warm.
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._closed = False
        self.restarts = 0
        self.started = 0  # worker processes started, replacements included
        # What the workers' guards refused, newest last: {"file", "event", "target", "reference", "line"}.
        self.refusals: deque[dict[str, Any]] = deque(maxlen=1000)
        workers = [self._start() for _ in range(settings.workers)]
        for worker in workers:  # started together, so they warm up in parallel
            self._idle.put(worker)

    def _start(self) -> _Worker:
        worker = _Worker(self.packages, self.settings)
        with self._lock:
            self.started += 1
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop(kill=True)
        with self._lock:
            self.restarts += 1
        return self._start()

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:  # against close(): either it finds this worker idle, or the worker is stopped here
            if not self._closed:
                self._idle.put(worker)
                return
        worker.stop()  # closed while this job ran: nothing may be left behind

    def run(self, path: str, display_name: str, packages: list[str] | None = None,
            entry_point: str | None = None, export_dir: str | None = None,
            viewer: str | None = None) -> ArelleResult:
        """Validate one file in a worker; blocks until a worker is free. Raises EngineError.

        `entry_point` is the taxonomy the file was checked to reference: the
        worker then validates against its warm model of it (warm_dts.py).
        `viewer`: the viewer script's URL, to prepare an inline filing for the ixbrl-viewer (viewer.py).
        """
        if self._closed:
            raise EngineError("the pool is closed")
        worker = self._idle.get()
        keep = worker
        try:
            try:
                worker.wait_ready(timeout=120)
            except EngineError:
                keep = self._replace(worker)
                raise
            job = {"path": path, "name": display_name, "packages": packages or self.packages,
                   "entry_point": entry_point, "export_dir": export_dir, "viewer": viewer}
            try:
                worker.conn.send_bytes(json.dumps(job).encode())
            except OSError as exc:
                keep = self._replace(worker)
                raise EngineError("validation worker was gone") from exc
            cpu_start, _ = _usage(worker.pid)
            deadline = time.monotonic() + self.settings.wall_timeout_s
            while not worker.conn.poll(0.05):
                cpu, rss = _usage(worker.pid)
                if not worker.alive():
                    keep = self._replace(worker)
                    raise EngineError("validation worker crashed", ENGINE_CRASH)
                if cpu - cpu_start > self.settings.timeout_s or time.monotonic() > deadline:
                    keep = self._replace(worker)
                    raise EngineError(f"validation took longer than {self.settings.timeout_s:g} s", ENGINE_TIMEOUT)
                if rss > self.settings.kill_mb:
                    keep = self._replace(worker)
                    raise EngineError(f"validation used more than {self.settings.kill_mb} MB", ENGINE_MEMORY)
            try:
                answer = worker.reply()
            except pickle.UnpicklingError as exc:  # a class or function in the answer: never trusted
                keep = self._replace(worker)
                raise EngineError(f"validation worker's answer was not plain data: {exc}", ENGINE_CRASH) from exc
            except (EOFError, OSError, ValueError) as exc:
                keep = self._replace(worker)
                raise EngineError("validation worker crashed", ENGINE_CRASH) from exc
            worker.jobs += 1
            if _rss_mb(worker.pid) > self.settings.recycle_mb:
                keep = self._replace(worker)  # the result is good; the process is not kept
            if answer.get("status") != "ok":
                raise EngineError(f"Arelle failed: {answer.get('error')}", ENGINE_CRASH)
            try:
                result = ArelleResult.from_plain(answer.get("result"))
            except ValueError as exc:  # not what a worker sends: never trusted, like a class in the answer
                if keep is worker:
                    keep = self._replace(worker)
                raise EngineError(f"validation worker's answer was not a result: {exc}", ENGINE_CRASH) from exc
            self.refusals.extend({"file": display_name, **r.to_dict()} for r in result.refused)
            return result
        finally:
            self._give_back(keep)

    def worker_pids(self) -> list[int]:
        """The process ids of the idle workers (for tests and monitoring)."""
        with self._idle.mutex:
            return [w.pid for w in list(self._idle.queue)]

    def about(self) -> list[dict[str, Any]]:
        """What each idle worker says of itself once ready: pid, top-level modules, environment
        variable names, whether its guard is on (for monitoring and tests)."""
        with self._idle.mutex:
            workers = list(self._idle.queue)
        for worker in workers:
            worker.wait_ready(timeout=120)
        return [dict(w.about) for w in workers]

    def close(self) -> None:
        """Stop every idle worker now; a busy one is stopped when its job ends."""
        with self._lock:
            self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return
