"""The database store's tables: one row per file, its bytes in chunks of at most 1 MiB."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class StoredFile(Base):
    """A file by its sha256, with its size and number of chunks. Written in the same
    transaction as its chunks and never changed, so a row seen is a file complete."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    chunks: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StoredChunk(Base):
    """Bytes n * CHUNK to (n + 1) * CHUNK of a file (bytea on PostgreSQL, a BLOB on SQLite):
    no file is ever one giant value in a statement or a row."""

    __tablename__ = "stored_file_chunks"

    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256", ondelete="CASCADE"), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
