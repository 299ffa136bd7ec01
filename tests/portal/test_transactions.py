"""Multi-row writes hold together: a request that dies at any statement leaves nothing behind.

Each request is interrupted at its 1st, 2nd, ... statement (an exception raised from the
database driver's hook, as a killed process would stop there) until it runs to the end;
after every interruption nothing of it may be visible to a new connection, and the
complete run must have written everything. On SQLite a savepoint opened before the
first write used to commit the transaction at its RELEASE: a receipt without its
deliveries, audit entry and e-mail.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from portal.api.models import IdempotencyKey
from portal.audit.models import AuditEvent
from portal.filings.models import Filing, Receipt
from portal.outbox.models import Email
from portal.submissions.models import Delivery

from ..samples import VALID
from .conftest import csrf_token, log_in, run_jobs, upload_page


class Interrupted(Exception):
    """Stands for the process dying just before a statement."""


@contextmanager
def interrupted_at(app: Flask, step: int) -> Iterator[list[int]]:
    """Raise Interrupted before the `step`-th statement sent to the database; yields a list
    holding the number of statements seen (to know when a run went through)."""
    engine = app.extensions["db_engine"]
    seen = [0]

    def before(*_args: Any) -> None:
        seen[0] += 1
        if seen[0] == step:
            raise Interrupted(f"statement {step}")

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def counts(app: Flask) -> dict[str, int]:
    """Rows of every table a filing's upload or submission writes, read on a new connection."""
    with Session(app.extensions["db_engine"]) as db:
        return {model.__name__: db.scalar(select(func.count()).select_from(model)) or 0
                for model in (Filing, Receipt, Delivery, AuditEvent, Email, IdempotencyKey)}


def all_or_nothing(app: Flask, request: Callable[[], Any], changes: Callable[[dict[str, int]], None]) -> int:
    """Interrupt `request` at every statement in turn; each time nothing may have changed.
    Then `changes(difference)` checks the complete run. Returns the number of statements."""
    before = counts(app)
    step = 1
    while True:
        with interrupted_at(app, step) as seen:
            try:
                request()
            except Interrupted:
                after = counts(app)
                assert after == before, f"interrupted at statement {step}: {before} -> {after}"
                step += 1
                continue
        break
    assert seen[0] < step, "the last run should not have been interrupted"
    after = counts(app)
    changes({name: after[name] - before[name] for name in after})
    return step - 1


@pytest.fixture
def board_user(client: FlaskClient, demo: None) -> FlaskClient:
    log_in(client, "bestuur@demo.example")
    return client


def test_an_interrupted_submission_leaves_no_receipt_behind(app: Flask, board_user: FlaskClient) -> None:
    location = upload_page(board_user, VALID)
    run_jobs(app)
    filing_id = int(location.rsplit("/", 1)[1])
    token = csrf_token(board_user, f"/filings/{filing_id}")

    def submit() -> None:
        response = board_user.post(f"/filings/{filing_id}/submit", data={"csrf_token": token, "declaration": "yes"})
        assert response.status_code == 302, response.get_data(as_text=True)

    def complete(difference: dict[str, int]) -> None:
        # the receipt, a delivery per recipient, the audit entry and the board member's e-mail
        assert difference["Receipt"] == 1 and difference["Delivery"] == 3
        assert difference["AuditEvent"] >= 1 and difference["Email"] >= 1

    assert all_or_nothing(app, submit, complete) > 5


def test_an_interrupted_upload_leaves_no_version_behind(app: Flask, board_user: FlaskClient) -> None:
    token = csrf_token(board_user, "/boards/41234/2025")

    def upload() -> None:
        response = board_user.post("/boards/41234/2025/upload",
                                   data={"csrf_token": token, "file": (io.BytesIO(VALID), "jv.xbrl")},
                                   content_type="multipart/form-data")
        assert response.status_code == 302

    def complete(difference: dict[str, int]) -> None:
        assert difference["Filing"] == 1 and difference["AuditEvent"] == 1

    all_or_nothing(app, upload, complete)


def test_an_interrupted_api_upload_keeps_its_idempotency_key_with_it(app: Flask, runner: Any, demo: None,
                                                                     client: FlaskClient) -> None:
    result = runner.invoke(args=["tokens", "create", "bestuur@demo.example"])
    assert result.exit_code == 0, result.output
    headers = {"Authorization": f"Bearer {result.output.strip().split()[-1]}", "Idempotency-Key": "upload-1"}

    def upload() -> None:
        response = client.post("/api/v1/filings", headers=headers, content_type="multipart/form-data",
                               data={"board": "41234", "year": "2025", "file": (io.BytesIO(VALID), "jv.xbrl")})
        assert response.status_code == 202, response.get_data(as_text=True)

    def complete(difference: dict[str, int]) -> None:
        assert difference["Filing"] == 1 and difference["AuditEvent"] == 1 and difference["IdempotencyKey"] == 1

    all_or_nothing(app, upload, complete)
