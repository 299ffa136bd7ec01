"""Worker hosts on this machine: Celery workers that each have an instance folder of their own
and an environment that holds only what a worker host is given (the database URL, the broker
URL, the store and the job settings)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def host_env(instance: Path, database_url: str, broker_url: str, **settings: str) -> dict[str, str]:
    """A worker host's whole environment: no PORTAL_* of this shell, no web server's instance;
    a home of its own beside the instance folder."""
    home = instance.with_name(instance.name + "-home")
    home.mkdir(exist_ok=True)
    env = {key: os.environ[key] for key in ("PATH", "LANG", "LC_ALL", "TMPDIR") if key in os.environ}
    env.update(HOME=str(home), PORTAL_INSTANCE_PATH=str(instance), PORTAL_DATABASE_URL=database_url,
               PORTAL_CELERY_BROKER_URL=broker_url, PORTAL_FILE_STORE="database")
    env.update({f"PORTAL_{key}": value for key, value in settings.items()})
    return env


class Celery:
    """`celery -A portal.jobs.worker ARGS` in a process group of its own; its log is read as it
    comes, to see which validations it has received and finished."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen([sys.executable, "-m", "celery", "-A", "portal.jobs.worker", *args,
                                         "--loglevel", "INFO"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    @classmethod
    def worker(cls, env: dict[str, str], concurrency: int = 2) -> Celery:
        """A worker (threads: the sweep needs one free beside the validations)."""
        return cls(env, "worker", "--pool", "threads", "--concurrency", str(concurrency), "-n",
                   f"{uuid.uuid4().hex}@%h")

    def _read(self) -> None:
        for line in self.process.stderr:  # type: ignore[union-attr]
            self.lines.append(line.decode(errors="replace"))

    def _tasks(self, event: str) -> set[str]:
        return {m.group(1) for line in list(self.lines)
                if (m := re.search(r"Task portal\.validate\[([0-9a-f-]+)\] " + event, line))}

    @property
    def ready(self) -> bool:
        """The worker has connected and sent its start-up sweep."""
        return any(" ready." in line for line in list(self.lines))

    @property
    def validating(self) -> int:
        """Validation tasks received and not finished (succeeded or failed) yet."""
        return len(self._tasks("received") - self._tasks("succeeded") - self._tasks("raised"))

    @property
    def finished(self) -> int:
        """Validation tasks that ended."""
        return len(self._tasks("succeeded"))

    def kill(self) -> None:
        """SIGKILL: the worker and its Arelle processes, as a host that loses power."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """A warm shutdown, if it still runs."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
