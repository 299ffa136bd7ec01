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

import threading
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.engine import Engine

from ..db import make_engine
from .base import STORES, FileDamaged, FileMissing, FileStore, StorageError, checked
from .database import DatabaseStore
from .folder import FolderStore

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
        return DatabaseStore(_files_engine(app))
    if kind == "folder":
        return FolderStore(Path(app.config["FILES_PATH"]))
    raise ValueError(f"PORTAL_FILE_STORE must be one of {', '.join(STORES)}, not {kind!r}")


def get_store() -> FileStore:
    """The current app's file store, as its configuration says now (a cheap object over the folder or
    the store's own pool; `flask files copy-to-database` and the tests switch stores at run time)."""
    return open_store(current_app)


__all__ = ["FileDamaged", "FileMissing", "FileStore", "STORES", "StorageError", "checked", "get_store", "open_store"]
