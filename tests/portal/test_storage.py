"""Both file stores, on SQLite and PostgreSQL: the same bytes back, checked against their
sha256; written once, however many write the same bytes at once; a damaged or missing file
is an error, never other bytes; a write that fails (a file size limit, as a full disk would)
leaves no temporary file behind."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import Engine

from portal.db import make_engine
from portal.migrate import upgrade
from portal.storage import FileDamaged, FileMissing, FileStore, StorageError
from portal.storage.database import CHUNK, DatabaseStore
from portal.storage.folder import FolderStore
from portal.storage.models import StoredChunk, StoredFile

from .conftest import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
BIG = os.urandom(CHUNK) * 2 + b"the rest"  # three chunks, the last a short one


@contextlib.contextmanager
def _database(kind: str, tmp_path: Path) -> Iterator[Engine]:
    with contextlib.ExitStack() as stack:
        url = f"sqlite:///{tmp_path / 'portal.db'}" if kind == "sqlite" else \
            stack.enter_context(fresh_postgres_database())
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database of each kind."""
    with _database(request.param, tmp_path) as engine:
        yield engine


@pytest.fixture(params=["folder", "database-sqlite", "database-postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FileStore]:
    """Each store; the database one on each database."""
    if request.param == "folder":
        yield FolderStore(tmp_path / "files")
    else:
        with _database(request.param.split("-")[1], tmp_path) as engine:
            yield DatabaseStore(engine)


@pytest.mark.parametrize("data", [b"<xbrl/>", b"", BIG], ids=["small", "empty", "three-chunks"])
def test_what_is_stored_comes_back_checked(store: FileStore, data: bytes) -> None:
    sha256 = store.put(data)
    assert sha256 == hashlib.sha256(data).hexdigest()
    assert store.exists(sha256) and store.get(sha256) == data
    assert store.put(data) == sha256 and store.get(sha256) == data  # the same bytes again: nothing changes
    store.delete(sha256)
    assert not store.exists(sha256)
    with pytest.raises(FileMissing):
        store.get(sha256)
    store.delete(sha256)  # deleting what is not there is no error


def test_a_name_that_is_not_a_sha256_names_nothing(store: FileStore) -> None:
    for name in ("../../etc/passwd", "A" * 64, "ab"):
        with pytest.raises(ValueError):
            store.get(name)


def test_the_database_keeps_a_file_in_chunks(engine: Engine) -> None:
    sha256 = DatabaseStore(engine).put(BIG)
    with engine.connect() as connection:
        sizes = connection.execute(select(StoredChunk.n, func.length(StoredChunk.data))
                                   .where(StoredChunk.sha256 == sha256).order_by(StoredChunk.n)).all()
        head = connection.execute(select(StoredFile.size, StoredFile.chunks)).one()
    assert [tuple(r) for r in sizes] == [(0, CHUNK), (1, CHUNK), (2, len(b"the rest"))]
    assert tuple(head) == (len(BIG), 3)


def _damage_folder(store: FolderStore, sha256: str) -> None:
    store.path(sha256).write_bytes(b"something else")


def test_damaged_files_are_refused(store: FileStore) -> None:
    sha256 = store.put(BIG)
    if isinstance(store, FolderStore):
        _damage_folder(store, sha256)
        with pytest.raises(FileDamaged):
            store.get(sha256)
        return
    damages = [update(StoredChunk).where(StoredChunk.n == 1).values(data=b"x" * CHUNK),  # other bytes
               text("DELETE FROM stored_file_chunks WHERE n = 2"),  # a chunk lost
               update(StoredFile).values(chunks=2)]  # the head no longer agrees
    for damage in damages:
        store.delete(sha256)
        store.put(BIG)
        with store.engine.begin() as connection:  # type: ignore[attr-defined]
            connection.execute(damage)
        with pytest.raises(FileDamaged):
            store.get(sha256)


def test_writers_of_the_same_bytes_at_once_store_them_once(store: FileStore) -> None:
    """Four threads, each with its own connection, storing the same three chunks at the same
    moment: all succeed, the file is stored once and reads back whole."""
    start, results, errors = threading.Barrier(4), [], []

    def write() -> None:
        start.wait()
        try:
            results.append(store.put(BIG))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(results)) == 1
    assert store.get(results[0]) == BIG
    if isinstance(store, DatabaseStore):
        with store.engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(StoredChunk)) == 3
    else:
        assert [p.name for p in (store.root / results[0][:2]).iterdir()] == [results[0]]  # no temporary file left


def test_an_unreachable_database_is_a_storage_error(tmp_path: Path) -> None:
    store = DatabaseStore(create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'portal.db'}"))
    with pytest.raises(StorageError):
        store.put(b"data")
    with pytest.raises(StorageError):
        store.get(hashlib.sha256(b"data").hexdigest())


FULL_DISK = """
import os, resource, sys
from pathlib import Path
from portal.storage import StorageError
from portal.storage.folder import FolderStore
store = FolderStore(Path(sys.argv[1]))
store.put(b"small enough")
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # the disk is full after 4 KB
try:
    store.put(os.urandom(100_000))
except StorageError as exc:
    print("StorageError", exc)
"""


def test_a_write_that_fails_midway_leaves_no_temporary_file(tmp_path: Path) -> None:
    """A real write error halfway through the file (the file size limit, EFBIG, as a full
    disk gives ENOSPC), in a process of its own."""
    root = tmp_path / "files"
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(root)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("StorageError"), done.stdout + done.stderr
    left = sorted(p.name for p in root.rglob("*") if p.is_file())
    assert left == [hashlib.sha256(b"small enough").hexdigest()]


def test_a_folder_that_cannot_be_made_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_bytes(b"")
    store = FolderStore(tmp_path / "a-file" / "files")  # a folder inside a file: NotADirectoryError
    with pytest.raises(StorageError):
        store.put(b"data")
