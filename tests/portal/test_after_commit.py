"""Work starts after the commit, never before and never for a rolled-back transaction: the
services say what should run (portal/jobs: validate_after_commit, wake_after_commit) and the
session's after-commit event starts it. Watched on the real local runner, not started, whose
wake-up flag is what the validation threads wait on."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.users.models import User
from portal.db import get_db
from portal.filings import services
from portal.filings.services import UploadLimits
from portal.jobs import PENDING
from portal.jobs.local import LocalRunner
from portal.storage import open_store

from ..samples import VALID
from .conftest import csrf_token, log_in, post_upload

NO_LIMIT = UploadLimits(0, 0, 600)


def _runner(app: Flask) -> LocalRunner:
    runner = LocalRunner(app, 0)  # no threads: only the flag they would wait on
    app.extensions["runner"] = runner
    return runner


def _board_user(app: Flask) -> User:
    return get_db().scalar(select(User).where(User.email == "bestuur@demo.example"))


def test_an_upload_wakes_the_runner_only_once_committed(app: Flask, demo: None) -> None:
    runner = _runner(app)
    with app.app_context():
        db = get_db()
        services.upload(db, open_store(app), _board_user(app), "41234", 2025, VALID, "jv.xbrl", NO_LIMIT)
        db.flush()
        assert not runner.wake.is_set()  # flushed is not committed: a worker could not see the row yet
        db.commit()
        assert runner.wake.is_set()
        assert PENDING not in db.info


def test_a_rolled_back_upload_starts_nothing_and_leaves_nothing_for_the_next_transaction(app: Flask,
                                                                                           demo: None) -> None:
    runner = _runner(app)
    with app.app_context():
        db = get_db()
        services.upload(db, open_store(app), _board_user(app), "41234", 2025, VALID, "jv.xbrl", NO_LIMIT)
        db.rollback()
        assert PENDING not in db.info
        db.commit()  # the session's next transaction commits nothing of the upload's
        assert not runner.wake.is_set()


def test_a_refused_upload_form_starts_nothing(app: Flask, client: FlaskClient, demo: None) -> None:
    runner = _runner(app)
    log_in(client, "bestuur@demo.example")
    refused = client.post("/boards/41234/1999/upload", content_type="multipart/form-data",
                          data={"csrf_token": csrf_token(client, "/boards/41234/2025"),
                                "file": (io.BytesIO(VALID), "jv.xbrl")})
    assert refused.status_code == 400 and "1999" in refused.get_data(as_text=True)  # FILING-YEAR
    assert not runner.wake.is_set()
    accepted = post_upload(client, VALID)
    assert accepted.status_code == 302 and runner.wake.is_set()
