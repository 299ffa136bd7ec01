"""Celery processes of an app for the tests: a worker or beat as its own process group, with the
app's database and broker and short job timings, stopped as an operator would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
LEASE, SWEEP = 4, 2  # seconds: short, so that the tests wait little


def start_celery(app: Flask, *args: str, log: list[str] | None = None) -> subprocess.Popen[bytes]:
    """`celery -A portal.jobs.worker ARGS` as its own process group; its log lines go to `log`."""
    env = dict(os.environ, PORTAL_DATABASE_URL=app.config["DATABASE_URL"], PORTAL_INSTANCE_PATH=app.instance_path,
               PORTAL_CELERY_BROKER_URL=app.config["CELERY_BROKER_URL"], PORTAL_VALIDATION_WORKERS="1",
               PORTAL_JOB_LEASE_SECONDS=str(LEASE), PORTAL_SWEEP_SECONDS=str(SWEEP))
    process = subprocess.Popen([sys.executable, "-m", "celery", "-A", "portal.jobs.worker", *args,
                                "--loglevel", "INFO" if log is not None else "WARNING"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if log is not None else
                               subprocess.DEVNULL, start_new_session=True)
    if log is not None:
        def read() -> None:
            for line in process.stderr:  # type: ignore[union-attr]
                log.append(line.decode(errors="replace"))
        threading.Thread(target=read, daemon=True).start()
    return process


def start_worker(app: Flask, concurrency: int = 1, log: list[str] | None = None) -> subprocess.Popen[bytes]:
    """A Celery worker of the app with threads, under a name of its own; its log lines go to `log`."""
    name = f"{uuid.uuid4().hex}@%h"  # two workers on one host need two names
    return start_celery(app, "worker", "--pool", "threads", "--concurrency", str(concurrency), "-n", name, log=log)


def stop(*processes: subprocess.Popen[bytes]) -> None:
    """Stop the processes (and their children) as an operator would, and wait for them."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)


def wait_for(condition: Callable[[], bool], timeout: float = 120) -> None:
    """Return once `condition()` holds; fail the test if it does not within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
