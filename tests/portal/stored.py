"""Doing to a stored file what a failing disk or database would, in whichever store the app uses."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import update

from portal.storage.database import DatabaseStore
from portal.storage.folder import FolderStore
from portal.storage.models import StoredChunk
from portal.storage import open_store


def damage(app: Flask, sha256: str, data: bytes = b"damaged") -> None:
    """Put other bytes where the file with `sha256` is kept."""
    store = open_store(app)
    if isinstance(store, FolderStore):
        store.path(sha256).write_bytes(data)
    else:
        assert isinstance(store, DatabaseStore)
        with store.engine.begin() as connection:
            assert connection.execute(update(StoredChunk).where(StoredChunk.sha256 == sha256, StoredChunk.n == 0)
                                      .values(data=data)).rowcount == 1
