"""The scale-out store: files as rows of the portal's own database (PostgreSQL in production,
SQLite works too), so every host that reaches the database reaches every file.

A file is a `stored_files` row and its bytes in `stored_file_chunks` rows of at most 1 MiB,
keyed by (sha256, n), written in one transaction: a reader sees all of a file or none of it.
Writing is "insert unless there": the file row goes first with ON CONFLICT DO NOTHING, so a
second writer of the same bytes (at the same moment, on another host) waits for the first
one's transaction and then writes nothing; bytes already stored are never sent again.
Reading streams the chunks in order and checks the size and the sha256 before returning.

Each operation runs on a connection of its own and commits at once, like a write to a
folder: a file is stored before the row that names it is committed, and a reader never
holds a transaction open on the caller's session. On SQLite, which has one writer at a time,
a file is therefore stored before the caller's transaction writes anything (as every caller
in the portal does): a session holding the write lock would wait for itself.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from ..db import utcnow
from .base import FileDamaged, FileMissing, FileStore, StorageError, checked
from .models import StoredChunk, StoredFile

CHUNK = 1024 * 1024


class DatabaseStore(FileStore):
    """Content-addressed storage in the database behind `engine`."""

    kind = "database"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, data: bytes) -> str:
        """Store `data` (once) and return its sha256."""
        sha256 = hashlib.sha256(data).hexdigest()
        try:
            with self.engine.begin() as connection:
                if self._claim(connection, sha256, len(data)):
                    view = memoryview(data)
                    for n, start in enumerate(range(0, len(data), CHUNK)):
                        connection.execute(insert(StoredChunk).values(sha256=sha256, n=n,
                                                                      data=bytes(view[start:start + CHUNK])))
        except SQLAlchemyError as exc:
            raise StorageError(f"could not store file {sha256} in the database: {exc}") from exc
        return sha256

    def _claim(self, connection: Connection, sha256: str, size: int) -> bool:
        """Insert the file's row unless it is there (or being written by another transaction,
        which this one then waits for); True when this transaction is the one to write it."""
        values = {"sha256": sha256, "size": size, "chunks": -(-size // CHUNK), "stored_at": utcnow()}
        dialect = connection.dialect.name
        if dialect == "postgresql":
            statement = postgresql.insert(StoredFile).values(**values).on_conflict_do_nothing()
        elif dialect == "sqlite":
            statement = sqlite.insert(StoredFile).values(**values).on_conflict_do_nothing()
        else:  # pragma: no cover - the portal runs on these two
            raise StorageError(f"the database store does not support {dialect}")
        # RETURNING, not rowcount: psycopg reports no row count for an insert that returns rows.
        return connection.execute(statement.returning(StoredFile.sha256)).first() is not None

    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`, read chunk by chunk and checked against it."""
        checked(sha256)
        try:
            with self.engine.connect() as connection:
                head = connection.execute(select(StoredFile.size, StoredFile.chunks)
                                          .where(StoredFile.sha256 == sha256)).first()
                if head is None:
                    raise FileMissing(f"no stored file {sha256} in the database")
                # One statement (one snapshot), fetched a chunk at a time (a server-side cursor on PostgreSQL).
                rows = connection.execution_options(yield_per=1).execute(
                    select(StoredChunk.n, StoredChunk.data).where(StoredChunk.sha256 == sha256)
                    .order_by(StoredChunk.n))
                digest, parts = hashlib.sha256(), []
                for expected, (n, data) in enumerate(rows):
                    if n != expected:
                        break
                    digest.update(data)
                    parts.append(bytes(data))
        except SQLAlchemyError as exc:
            raise StorageError(f"could not read stored file {sha256} from the database: {exc}") from exc
        data = b"".join(parts)
        if len(parts) != head.chunks or len(data) != head.size or digest.hexdigest() != sha256:
            raise FileDamaged(f"stored file {sha256} is damaged")
        return data

    def exists(self, sha256: str) -> bool:
        """Whether the file's row is there."""
        checked(sha256)
        try:
            with self.engine.connect() as connection:
                return connection.execute(select(StoredFile.sha256).where(StoredFile.sha256 == sha256)).first() \
                    is not None
        except SQLAlchemyError as exc:
            raise StorageError(f"could not look up stored file {sha256}: {exc}") from exc

    def delete(self, sha256: str) -> None:
        """Remove the file and its chunks, if present."""
        checked(sha256)
        try:
            with self.engine.begin() as connection:
                connection.execute(delete(StoredChunk).where(StoredChunk.sha256 == sha256))
                connection.execute(delete(StoredFile).where(StoredFile.sha256 == sha256))
        except SQLAlchemyError as exc:
            raise StorageError(f"could not delete stored file {sha256}: {exc}") from exc

    def check(self) -> None:
        """Readiness: the store's own connections reach its table (they come from a pool of
        their own, which the database check of the app's pool does not cover)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(select(StoredFile.sha256).limit(1)).first()
        except SQLAlchemyError as exc:
            raise StorageError(f"the database store cannot be read: {exc}") from exc
