"""Where the portal keeps files: uploads, annual and auditor's report PDFs, and the xBRL-JSON
and xBRL-CSV exports made for OCW. Every file is kept under its sha256, written once, never
changed, and checked against that hash on every read.

Two stores behind one interface, chosen by PORTAL_FILE_STORE:

- `folder` (the embedded default): files/ab/abcdef... in the instance folder (FILES_PATH);
  every process that reads them must see that folder.
- `database`: rows in the portal's own database, in chunks, so every web server and worker
  that reaches the database reaches the files (the scale-out configuration: no shared disk,
  no new server).

Anything the store cannot do raises StorageError (an OSError, so a validation job treats it
as a system failure and tries again); the web answers it with STORAGE-UNAVAILABLE (503).
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import Engine

from ..db import make_engine

SHA256 = re.compile(r"[0-9a-f]{64}")
STORES = ("folder", "database")


class StorageError(OSError):
    """The store could not read or write a file (a disk error, a full disk, the database)."""


class FileMissing(StorageError):
    """No file is stored under this sha256 (never stored, purged, or not copied into this store)."""


class FileDamaged(StorageError):
    """The stored bytes no longer hash to their sha256."""


def checked(sha256: str) -> str:
    """`sha256` if it is one (lower-case hex): no other text ever names a stored file."""
    if not SHA256.fullmatch(sha256):
        raise ValueError("not a sha256")
    return sha256


class FileStore(ABC):
    """Content-addressed storage: put bytes, get them back by their sha256."""

    kind: str

    @abstractmethod
    def put(self, data: bytes) -> str:
        """Store `data` once (storing the same bytes again changes nothing); return its sha256.
        Two processes storing the same bytes at the same moment both succeed."""

    @abstractmethod
    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`, checked against it (FileMissing, FileDamaged)."""

    @abstractmethod
    def exists(self, sha256: str) -> bool:
        """Whether a file is stored under `sha256` (not read or checked)."""

    @abstractmethod
    def delete(self, sha256: str) -> None:
        """Remove the file stored under `sha256`, if there is one (a purged test version's)."""


_engine_lock = threading.Lock()


def _files_engine(app: Flask) -> Engine:
    """The database store's own engine (and pool), made on first use. A request keeps its
    session's connection while it stores or reads a file on another: sharing the app's pool, 20
    simultaneous uploads each held one connection and waited for a second until the pool ran
    dry. The store's connections only run its own short statements, so they always come back."""
    with _engine_lock:
        if "files_engine" not in app.extensions:
            app.extensions["files_engine"] = make_engine(app.config["DATABASE_URL"])
        return app.extensions["files_engine"]


def open_store(app: Flask) -> FileStore:
    """The store the configuration chooses (FILE_STORE), for this app."""
    kind = app.config["FILE_STORE"]
    if kind == "database":
        from .database import DatabaseStore

        return DatabaseStore(_files_engine(app))
    if kind == "folder":
        from .folder import FolderStore

        return FolderStore(Path(app.config["FILES_PATH"]))
    raise ValueError(f"PORTAL_FILE_STORE must be one of {', '.join(STORES)}, not {kind!r}")


__all__ = ["FileDamaged", "FileMissing", "FileStore", "STORES", "StorageError", "checked", "open_store"]
