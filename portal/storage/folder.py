"""The embedded default: files in a folder, files/ab/abcdef... (0600), by sha256.

The path is made from the hash alone, never from anything the user sent. A file is written
to a temporary name, synced and renamed, so a reader never sees half a file; a write that
fails (a full disk, a file size limit, an I/O error) removes its temporary file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from .base import SHA256, FileDamaged, FileMissing, FileStore, StorageError, checked

log = logging.getLogger(__name__)


class FolderStore(FileStore):
    """Content-addressed storage in one folder that every reading process must see."""

    kind = "folder"

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Where the file with this sha256 is (or would be) kept."""
        return self.root / sha256[:2] / checked(sha256)

    def put(self, data: bytes) -> str:
        """Store `data` (once) and return its sha256."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path(sha256)
        if path.exists():
            return sha256
        partial: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # A name of its own (mode 0600) per write: two threads storing the same bytes never share one.
            fd, name = tempfile.mkstemp(prefix=f".{sha256}.", suffix=".part", dir=path.parent)
            partial = Path(name)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(partial, path)  # two writers of the same bytes: the second rename changes nothing
        except OSError as exc:
            try:
                if partial is not None:
                    partial.unlink(missing_ok=True)
            except OSError as cleanup:  # the folder itself is gone or unreadable: nothing more to do
                log.warning("could not remove %s: %s", partial, cleanup)
            raise StorageError(f"could not store file {sha256}: {exc}") from exc
        return sha256

    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`, checked against it."""
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise FileMissing(f"no stored file {sha256}") from exc
        except OSError as exc:
            raise StorageError(f"could not read stored file {sha256}: {exc}") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise FileDamaged(f"stored file {sha256} is damaged")
        return data

    def exists(self, sha256: str) -> bool:
        """Whether the file is there."""
        return self.path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        """Remove the file stored under `sha256`, if present."""
        try:
            self.path(sha256).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"could not delete stored file {sha256}: {exc}") from exc

    def walk(self) -> list[Path]:
        """Every file under the folder, kept or not (a leftover temporary file, something put
        there by hand), in a stable order."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.rglob("*") if p.is_file())

    def keeps(self, path: Path) -> str | None:
        """The sha256 `path` is kept under, or None when it is not a file of this store."""
        name = path.name
        return name if SHA256.fullmatch(name) and path.parent == self.root / name[:2] else None
