"""Validation jobs hold their claim as a lease: a job that renews it keeps its filing, one that
stops renewing loses it within the lease. Uploads number their versions without colliding,
and the same file again validates a filing the system gave up on. E-mail goes out once."""

from __future__ import annotations

import io
import threading
import time

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.db import get_db
from portal.filings.models import Filing
from portal.jobs import core
from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml
from validators import Engine, EngineSettings, PoolSettings

from ..samples import BROKEN, VALID
from .conftest import csrf_token, log_in, run_jobs, upload_page


def _filing(app: Flask, filing_id: int) -> Filing:
    with app.app_context():
        filing = get_db().get_one(Filing, filing_id)
        get_db().expunge(filing)
        return filing


def test_a_job_that_renews_its_lease_keeps_its_filing(app: Flask, client: FlaskClient, demo: None) -> None:
    # renewed every 1.3 s: a loaded machine (the suite's two processes and their Arelle workers on two
    # cores) may starve the renewing thread a while, not 2.7 s (3 s leases ran out there once)
    app.config["JOB_LEASE_SECONDS"] = 4
    log_in(client, "bestuur@demo.example")
    upload_page(client, to_xml(generate(2025, "41234", "Stichting Groot", "PO", "medium",
                                    officials=officials_for_facts(20_000))))  # seconds even on a quiet machine
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
    assert time.monotonic() - started > 6, "the validation should outlast the lease more than once"
    assert recovered == [] and statuses == ["valid"]
    filing = _filing(app, claim.filing_id)
    assert (filing.status, filing.attempts, filing.claim_id, filing.lease_until) == ("valid", 1, None, None)


def test_a_job_that_lost_its_lease_stores_nothing(app: Flask, client: FlaskClient, demo: None) -> None:
    app.config["JOB_LEASE_SECONDS"] = 1
    log_in(client, "bestuur@demo.example")
    upload_page(client, BROKEN)
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


def test_the_same_file_again_validates_a_filing_in_error(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    location = upload_page(client, BROKEN)
    good = app.extensions["engine"]
    # A real engine whose time limit no validation can meet: ENGINE-TIMEOUT, which is final at once
    # (the same file would run out of time again), so the filing ends in "error" without retries.
    with Engine(EngineSettings(pool=PoolSettings(workers=1, timeout_s=0.01)), good.registry) as failing:
        app.extensions["engine"] = failing
        assert run_jobs(app) == ["error"]
    app.extensions["engine"] = good
    assert run_jobs(app) == []  # nothing retries it by itself
    assert upload_page(client, BROKEN) == location  # the filer tries again with the same file: the same version
    filing = _filing(app, 1)
    assert (filing.status, filing.attempts, filing.last_error) == ("queued", 0, None)
    assert run_jobs(app) == ["invalid"]
    with app.app_context():
        actions = get_db().scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("filing.requeued") == 1 and actions[-1] == "filing.validated"
    assert upload_page(client, BROKEN) == location  # a finished validation is not repeated
    assert _filing(app, 1).status == "invalid"


def test_concurrent_uploads_all_get_a_version(app: Flask, runner: FlaskCliRunner, demo: None) -> None:
    headers = {"Authorization": "Bearer " + runner.invoke(args=["tokens", "create", "bestuur@demo.example"])
               .output.strip()}
    barrier = threading.Barrier(20)
    answers: list[tuple[int, dict]] = []

    def upload(n: int) -> None:
        client = app.test_client()
        data = VALID + f"<!-- {n} -->".encode()  # twenty distinct files, test versions among them
        barrier.wait()
        response = client.post("/api/v1/filings", headers=headers, content_type="multipart/form-data",
                               data={"board": "41234", "year": "2025", "test": "true" if n % 4 == 0 else "false",
                                     "file": (io.BytesIO(data), "jv.xbrl")})
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [status for status, _ in answers] == [202] * 20, [body for _, body in answers]
    assert sorted(body["version"] for _, body in answers) == list(range(1, 21))
    with app.app_context():
        versions = get_db().scalars(select(Filing.version).order_by(Filing.version)).all()
    assert versions == list(range(1, 21))


def test_version_numbers_continue_after_existing_filings(app: Flask, client: FlaskClient, demo: None) -> None:
    """The counter starts where the filings are (as the migration fills it for existing data)."""
    from sqlalchemy import delete

    from portal.filings.models import FilingCounter

    log_in(client, "bestuur@demo.example")
    upload_page(client, BROKEN)
    upload_page(client, VALID)
    with app.app_context():
        get_db().execute(delete(FilingCounter))  # filings from before the counters
        get_db().commit()
    upload_page(client, VALID + b"<!-- 3 -->")
    with app.app_context():
        assert get_db().scalars(select(Filing.version).order_by(Filing.id)).all() == [1, 2, 3]


def test_two_runners_send_each_mail_once(app: Flask, client: FlaskClient, demo: None) -> None:
    """The local runner's threads and Celery's sweeps all keep house; the job lock lets one send."""
    import asyncio

    from aiosmtpd.controller import Controller

    from .conftest import free_port

    received: list[bytes] = []

    class SlowInbox:  # a slow server: both runners would be sending at the same time
        async def handle_DATA(self, _server: object, _session: object, envelope: object) -> str:  # noqa: N802
            await asyncio.sleep(0.5)
            received.append(envelope.content)  # type: ignore[attr-defined]
            return "250 OK"

    port = free_port()
    controller = Controller(SlowInbox(), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    try:
        log_in(client, "duo@demo.example")  # a correction request mails the board: one message waits
        client.post("/duo/2025/41234/correction", data={"csrf_token": csrf_token(client, "/duo/2025"),
                                                        "message": "De WNT-toelichting ontbreekt."})
        barrier = threading.Barrier(2)

        def runner() -> None:
            with app.app_context():
                barrier.wait()
                core.housekeeping(app)

        threads = [threading.Thread(target=runner) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        controller.stop()
    assert len(received) == 1
