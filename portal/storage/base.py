"""The file store's interface and its errors, apart from the two stores that implement them
(so each store imports this, never the package that chooses between them)."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

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
