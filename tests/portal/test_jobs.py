"""Validation jobs hold their claim as a lease: a job that renews it keeps its filing, one that
stops renewing loses it within the lease."""

from __future__ import annotations

import io
import threading
import time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.db import get_db
from portal.filings.models import Filing
from portal.jobs import core
from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml
from taxonomies.samples import SAMPLES_DIR

from .conftest import csrf_token, log_in, run_jobs

BROKEN = (SAMPLES_DIR / "2025/broken/EDU-BAL-01.xbrl").read_bytes()


def _upload(client: FlaskClient, data: bytes) -> str:
    response = client.post("/boards/41234/2025/upload", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token(client, "/boards/41234/2025"),
                                 "file": (io.BytesIO(data), "jv.xbrl")})
    assert response.status_code == 302
    return response.headers["Location"]


def _filing(app: Flask, filing_id: int) -> Filing:
    with app.app_context():
        filing = get_db().get_one(Filing, filing_id)
        get_db().expunge(filing)
        return filing


def test_a_job_that_renews_its_lease_keeps_its_filing(app: Flask, client: FlaskClient, demo: None) -> None:
    app.config["JOB_LEASE_SECONDS"] = 1  # renewed every third of a second
    log_in(client, "bestuur@demo.example")
    _upload(client, to_xml(generate(2025, "41234", "Stichting Groot", "PO", "medium",
                                    officials=officials_for_facts(3_000))))  # takes seconds to validate
    with app.app_context():
        claim = core.claim_next()
    assert claim is not None
    statuses: list[str] = []

    def job() -> None:
        with app.app_context():
            statuses.append(core.run(claim))

    worker = threading.Thread(target=job)
    started = time.monotonic()
    worker.start()
    recovered: list[int] = []
    while worker.is_alive():  # the sweep, again and again, all through the validation
        with app.app_context():
            recovered += core.recover()
        time.sleep(0.1)
    worker.join()
    assert time.monotonic() - started > 3, "the validation should outlast the lease several times"
    assert recovered == [] and statuses == ["valid"]
    filing = _filing(app, claim.filing_id)
    assert (filing.status, filing.attempts, filing.claim_id, filing.lease_until) == ("valid", 1, None, None)


def test_a_job_that_lost_its_lease_stores_nothing(app: Flask, client: FlaskClient, demo: None) -> None:
    app.config["JOB_LEASE_SECONDS"] = 1
    log_in(client, "bestuur@demo.example")
    _upload(client, BROKEN)
    with app.app_context():
        stale = core.claim_next()  # a job that stopped (frozen, cut off) ...
    time.sleep(1.2)
    with app.app_context():
        assert core.recover() == [stale.filing_id]
    assert run_jobs(app) == ["invalid"]  # ... another job validated it meanwhile
    with app.app_context():
        assert core.run(stale) == "invalid"  # the stale job comes back: its claim no longer holds
        events = get_db().scalars(select(AuditEvent.action).where(AuditEvent.action == "filing.validated")).all()
    assert len(events) == 1
    assert _filing(app, stale.filing_id).attempts == 2
