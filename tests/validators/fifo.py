"""A file that tells whether anyone opened it: a FIFO with a watcher thread.

Opening a FIFO for writing without blocking succeeds only while some process
has it open for reading, so a thread that keeps trying sees every reader,
in this process or any other (Arelle's workers). It closes at once, so a
reader gets end of file instead of waiting for ever.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path


class OpenWatch:
    """Counts the times any process had the FIFO at `path` open for reading, until `stop()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.opened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: no reader
                time.sleep(0.001)
                continue
            self.opened += 1
            os.close(fd)

    def stop(self) -> int:
        """Stop watching; the number of times a reader was seen."""
        self._stop.set()
        self._thread.join()
        return self.opened


def make_fifo(directory: Path, name: str) -> tuple[Path, OpenWatch]:
    """A FIFO `name` in `directory`, already watched."""
    path = directory / name
    os.mkfifo(path)
    return path, OpenWatch(path)
