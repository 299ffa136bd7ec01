"""The Celery path with a real Redis server and a real worker process: the job state lives
in the database, so what was queued while no worker ran is validated when one starts."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal import create_app
from portal.audit.models import AuditEvent
from portal.db import get_db
from portal.filings.models import FINAL, Filing
from portal.migrate import upgrade

from ..redis_db import redis_database
from ..samples import BROKEN, VALID
from .celery_workers import LEASE, ROOT, SWEEP, start_celery, start_worker, stop, wait_for
from .conftest import log_in, upload_page


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database of this test's own: tests running at the same time (pytest -n 2) took
    each other's messages from one shared queue and emptied it under each other."""
    with redis_database() as url:
        yield url


@pytest.fixture
def celery_app(tmp_path: Path, database_url: str, redis_url: str) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "CELERY_BROKER_URL": redis_url},
                     instance_path=str(tmp_path / "instance"))
    assert app.config["WORKER"] == "celery"
    upgrade(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()
    if "files_engine" in app.extensions:  # the database store's own pool
        app.extensions["files_engine"].dispose()


def _statuses(app: Flask, count: int, timeout: float = 120) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            filings = get_db().query(Filing).order_by(Filing.id).all()
            statuses = [f.status for f in filings]
        if len(statuses) == count and all(s in FINAL for s in statuses):
            return statuses
        time.sleep(0.5)
    return statuses


def test_a_celery_worker_validates_and_picks_up_what_waited(celery_app: Flask) -> None:
    runner = celery_app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    client = celery_app.test_client()
    log_in(client, "bestuur@demo.example")
    upload_page(client, BROKEN)  # no worker yet: the message waits, the filing stays queued
    with celery_app.app_context():
        assert get_db().query(Filing).one().status == "queued"
    worker = start_worker(celery_app)
    try:
        assert _statuses(celery_app, 1) == ["invalid"]
        upload_page(client, VALID)
        assert _statuses(celery_app, 2) == ["invalid", "valid"]
    finally:
        stop(worker)


def test_killing_a_celery_worker_mid_validation_loses_nothing(celery_app: Flask) -> None:
    from taxonomies.generator import generate, officials_for_facts
    from taxonomies.instance import to_xml

    assert celery_app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    client = celery_app.test_client()
    log_in(client, "bestuur@demo.example")
    for n in range(3):  # big enough to take a while each
        data = to_xml(generate(2025, "41234", f"Stichting {n}", "PO", "medium", officials=officials_for_facts(3_000),
                               seed=n))
        upload_page(client, data)
    worker = start_worker(celery_app)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until a validation is under way
        with celery_app.app_context():
            if any(f.status == "validating" for f in get_db().query(Filing).all()):
                break
        time.sleep(0.1)
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its Arelle processes, mid-validation
    worker.wait(timeout=30)
    with celery_app.app_context():
        assert "validating" in [f.status for f in get_db().query(Filing).all()]
    time.sleep(LEASE + 0.5)  # nobody renews the claim: it runs out
    worker = start_worker(celery_app)  # a new worker sweeps at start: interrupted work is queued again
    try:
        assert _statuses(celery_app, 3) == ["valid", "valid", "valid"]
    finally:
        stop(worker)


def test_a_killed_workers_filing_is_validated_again_within_the_bound(celery_app: Flask) -> None:
    """Two workers and the beat; the worker validating a filing is killed: the other one has it
    again within JOB_LEASE_SECONDS + SWEEP_SECONDS. A second beat started by mistake changes
    nothing: every filing is still validated once."""
    from taxonomies.generator import generate, officials_for_facts
    from taxonomies.instance import to_xml

    assert celery_app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    client = celery_app.test_client()
    log_in(client, "bestuur@demo.example")
    logs: dict[str, list[str]] = {"a": [], "b": []}
    workers = {name: start_worker(celery_app, concurrency=2, log=log) for name, log in logs.items()}
    beats = [start_celery(celery_app, "beat"),
             start_celery(celery_app, "beat", "--schedule", str(Path(celery_app.instance_path) / "second-beat"))]
    try:
        wait_for(lambda: all(any(" ready." in line for line in log) for log in logs.values()))
        data = to_xml(generate(2025, "41234", "Stichting Groot", "PO", "medium", officials=officials_for_facts(3_000)))
        upload_page(client, data)

        def holder() -> str | None:
            # The worker that claimed the filing; a sweep may have sent the other a copy of the
            # message meanwhile (both "received" it), which finds nothing to claim.
            claimed = [n for n, log in logs.items() if any("filing 1: claimed" in line for line in log)]
            return claimed[0] if len(claimed) == 1 else None

        def claim() -> tuple[str, str | None]:
            with celery_app.app_context():
                filing = get_db().get_one(Filing, 1, populate_existing=True)
                return filing.status, filing.claim_id

        held: list[str] = []

        def validating() -> bool:
            name = holder()
            if claim()[0] == "validating" and name is not None:
                held.append(name)
                return True
            return False

        wait_for(validating)
        first = claim()[1]
        os.killpg(workers[held[0]].pid, signal.SIGKILL)  # mid-validation, renewing its lease until now
        killed = time.monotonic()
        wait_for(lambda: claim()[1] not in (first,) or claim()[0] in FINAL, timeout=60)
        again = time.monotonic() - killed
        assert again <= LEASE + SWEEP + 2, f"claimed again after {again:.1f} s"
        assert _statuses(celery_app, 1) == ["valid"]
        time.sleep(3 * SWEEP)  # sweeps from both beats: still validated once
        with celery_app.app_context():
            filing = get_db().get_one(Filing, 1, populate_existing=True)
            state = (filing.status, filing.attempts,
                     get_db().query(AuditEvent).filter(AuditEvent.action == "filing.validated").count())
        assert state == ("valid", 2, 1)
    finally:
        stop(*workers.values(), *beats)
    # beat keeps its schedule in the instance folder, never in the directory it was started from
    assert list(Path(celery_app.instance_path).glob("celerybeat-schedule*"))
    assert not list(ROOT.glob("celerybeat-schedule*"))
