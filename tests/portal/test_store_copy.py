"""`flask files copy-to-database`: an existing folder store moved into the database, each file
checked against its sha256; run twice, the same result; a damaged file reported, not copied;
afterwards the portal runs on the database store without the folder, and takes simultaneous
uploads."""

from __future__ import annotations

import hashlib
import io
import shutil
import threading
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from portal.db import get_db
from portal.filings.models import Filing
from portal.storage.database import DatabaseStore
from portal.storage.models import StoredFile
from portal.storage import open_store

from ..samples import BROKEN, VALID, VALID_INLINE
from .conftest import log_in, run_jobs, upload_page
from .stored import damage


def _stored(app: Flask) -> int:
    with app.app_context():
        return get_db().scalar(select(func.count()).select_from(StoredFile))


def test_a_folder_store_moves_into_the_database(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                demo: None) -> None:
    app.config["FILE_STORE"] = "folder"
    log_in(client, "bestuur@demo.example")
    upload_page(client, VALID)
    upload_page(client, BROKEN)
    folder = open_store(app)
    bad = folder.put(b"a file that will not survive")
    damage(app, bad)  # what a failing disk does
    sha_valid = hashlib.sha256(VALID).hexdigest()
    (folder.path(sha_valid).parent / f".{sha_valid}.1234.part").write_bytes(b"half")  # a write cut off long ago
    (folder.root / "README").write_text("not a stored file")

    first = runner.invoke(args=["files", "copy-to-database"])
    assert first.exit_code == 1, first.output  # not complete: the damaged file
    assert f"damaged (its bytes do not match its name; not copied): {bad}" in first.output
    assert "copied 2, already in the database 0, repaired 0, damaged 1 (not copied), unreadable 0 (not copied), " \
           "ignored 2" in first.output
    assert _stored(app) == 2

    again = runner.invoke(args=["files", "copy-to-database"])
    assert again.exit_code == 1
    assert "copied 0, already in the database 2, repaired 0, damaged 1" in again.output
    assert _stored(app) == 2

    # A copy damaged in the database is replaced by the folder's good one.
    app.config["FILE_STORE"] = "database"
    damage(app, sha_valid)
    repaired = runner.invoke(args=["files", "copy-to-database"])
    assert "copied 0, already in the database 1, repaired 1, damaged 1" in repaired.output
    assert DatabaseStore(app.extensions["db_engine"]).get(sha_valid) == VALID

    # The portal now works without the folder: validation reads the uploads from the database.
    shutil.move(folder.root, Path(app.instance_path) / "files-moved-away")
    assert sorted(run_jobs(app)) == ["invalid", "valid"]
    upload_page(client, VALID_INLINE)  # a new upload goes to the database
    assert run_jobs(app) == ["valid"]
    assert _stored(app) == 4 and not folder.root.exists()  # the inline upload and its viewer document
    with app.app_context():
        assert get_db().scalar(select(func.count(Filing.id))) == 3


def test_copying_from_a_folder_that_is_not_there_says_so(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["files", "copy-to-database", "--from", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "FILES-FOLDER" in result.output


def test_simultaneous_uploads_to_the_database_store_all_get_a_version(app: Flask, runner: FlaskCliRunner,
                                                                     demo: None) -> None:
    """Twenty at once: each request keeps its session's connection while it stores the file on
    another; with one shared pool they held every connection and waited for one more (503s)."""
    app.config["FILE_STORE"] = "database"
    headers = {"Authorization": "Bearer " + runner.invoke(args=["tokens", "create", "bestuur@demo.example"])
               .output.strip()}
    barrier, answers = threading.Barrier(20), []

    def upload(n: int) -> None:
        client = app.test_client()
        barrier.wait()
        answers.append(client.post("/api/v1/filings", headers=headers, content_type="multipart/form-data",
                                   data={"board": "41234", "year": "2025",
                                         "file": (io.BytesIO(VALID + f"<!-- {n} -->".encode()), "jv.xbrl")}))

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [a.status_code for a in answers] == [202] * 20, [a.get_json() for a in answers if a.status_code != 202]
    assert sorted(a.get_json()["version"] for a in answers) == list(range(1, 21))
    assert _stored(app) == 20
