"""Uploaded files, stored immutably under their sha256 in the instance folder.

The path is made from the hash alone, never from anything the user sent; a
file is written once (to a temporary name, then renamed) and never changed.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileStore:
    """Content-addressed storage: files/ab/abcdef... (0600)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ValueError("not a sha256")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store `data` (once) and return its sha256."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._path(sha256)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = path.with_name(f".{sha256}.{os.getpid()}.part")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(partial, path)
        return sha256

    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`, checked against it."""
        data = self._path(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise OSError(f"stored file {sha256} is damaged")
        return data

    def delete(self, sha256: str) -> None:
        """Remove the file stored under `sha256` (a purged test version's), if present."""
        self._path(sha256).unlink(missing_ok=True)
