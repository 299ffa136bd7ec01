"""The delivery job under concurrency: each delivery claimed once, whatever runs at the same
time; a late run never moves a delivery back; a failing recipient is tried again only
after its pause, which doubles."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event, select, update

from portal.audit.models import AuditEvent
from portal.db import get_db, utcnow
from portal.jobs import deliveries
from portal.submissions.models import Delivery
from portal.submissions.deliveries import Handler, retry_pause
from portal.storage import open_store
from taxonomies.generator import generate
from taxonomies.instance import to_xml

from ..samples import VALID
from .conftest import csrf_token, log_in, run_jobs


def _token(runner: FlaskCliRunner, email: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + runner.invoke(args=["tokens", "create", email]).output.strip()}


def _submit(app: Flask, client: FlaskClient, headers: dict[str, str], board: str, data: bytes) -> int:
    response = client.post("/api/v1/filings", headers=headers, content_type="multipart/form-data",
                           data={"board": board, "year": "2025", "file": (_bytes(data), "jv.xbrl")})
    assert response.status_code == 202, response.get_json()
    filing_id = response.get_json()["id"]
    run_jobs(app)
    submitted = client.post(f"/api/v1/filings/{filing_id}/submit", headers=headers, json={"declaration": True})
    assert submitted.status_code == 201, submitted.get_json()
    return filing_id


def _bytes(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


@pytest.fixture
def three_submissions(app: Flask, client: FlaskClient, runner: FlaskCliRunner, demo: None) -> list[int]:
    """Three boards' submissions: nine pending deliveries."""
    first, second = _token(runner, "bestuur@demo.example"), _token(runner, "bestuur2@demo.example")
    return [_submit(app, client, first, "41234", VALID),
            _submit(app, client, second, "30567", to_xml(generate(2025, "30567", "Stichting Voortgezet Onderwijs "
                                                                  "Rijnmond", "VO"))),
            _submit(app, client, second, "25123", to_xml(generate(2025, "25123", "Stichting ROC Midden-Nederland",
                                                                  "MBO")))]


@contextmanager
def statements(app: Flask) -> Iterator[Counter[str]]:
    """Count the statements sent to the database that load a recipient's store: each load
    first deletes the board's earlier rows (OCW's facts, the inspectorate's values)."""
    seen: Counter[str] = Counter()
    lock = threading.Lock()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        for table in ("facts", "signal_values"):
            if statement.startswith(f"DELETE FROM {table}"):
                with lock:
                    seen[table] += 1

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _delivered_events(app: Flask) -> Counter[str]:
    with app.app_context():
        return Counter(e.object_id for e in get_db().scalars(select(AuditEvent)
                                                              .where(AuditEvent.action == "delivery.delivered")))


def _states(app: Flask) -> dict[int, str]:
    with app.app_context():
        return {row.id: row.state for row in get_db().execute(select(Delivery.id, Delivery.state))}


def test_two_runs_at_once_deliver_each_delivery_once(app: Flask, three_submissions: list[int]) -> None:
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():  # each run with its own app context and session
                barrier.wait()
                counts.append(deliveries.process(app))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    with statements(app) as loads:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    assert not errors
    assert sum(counts) == 9
    assert set(_delivered_events(app).values()) == {1} and len(_delivered_events(app)) == 9
    assert loads == {"facts": 3, "signal_values": 3}  # OCW's and the inspectorate's, once per submission
    assert Counter(_states(app).values()) == {"delivered": 3, "acknowledged": 6}
    with app.app_context():  # and the inspectorate's size class has OCW's income, whichever run stored it
        from portal.inspectorate.models import SignalValue

        incomes = [v.income for v in get_db().scalars(select(SignalValue))]
        assert incomes and None not in incomes  # stored, each with its income


def test_a_late_run_never_moves_an_acknowledged_delivery_back(app: Flask, client: FlaskClient,
                                                              three_submissions: list[int]) -> None:
    gate, claimed = threading.Event(), threading.Event()

    def stalls(_db: Any, _delivery: Delivery) -> None:
        claimed.set()
        gate.wait(timeout=120)  # the late run: it holds DUO's delivery ... and stops

    late: list[int] = []

    def late_run() -> None:
        with app.app_context():
            late.append(deliveries.process(app, {"duo": Handler(prepare=stalls)}, limit=1))

    thread = threading.Thread(target=late_run)
    thread.start()
    assert claimed.wait(timeout=60)
    with app.app_context():
        db = get_db()
        duo = db.scalar(select(Delivery).where(Delivery.recipient == "duo").order_by(Delivery.id))
        duo_id = duo.id
        assert duo.claim_id is not None
        # Its lease runs out (a process that stops renewing it: frozen, cut off from the database).
        db.execute(update(Delivery).where(Delivery.id == duo_id).values(lease_until=utcnow() - timedelta(seconds=1)))
        db.commit()
        assert deliveries.process(app) == 9  # another run delivers everything, DUO's too
    log_in(client, "duo@demo.example")
    client.post(f"/duo/deliveries/{duo_id}/acknowledge", data={"csrf_token": csrf_token(client, "/duo/2025")})
    assert _states(app)[duo_id] == "acknowledged"
    gate.set()  # the late run goes on
    thread.join(timeout=60)
    assert late == [0]
    assert _states(app)[duo_id] == "acknowledged"
    assert _delivered_events(app)[str(duo_id)] == 1


def test_a_failing_recipient_is_tried_again_only_after_its_pause(app: Flask, client: FlaskClient,
                                                                 runner: FlaskCliRunner, demo: None) -> None:
    app.config["DELIVERY_RETRY_SECONDS"] = 2
    token = _token(runner, "bestuur@demo.example")
    filing_id = _submit(app, client, token, "41234", VALID)
    with app.app_context():
        ids = dict(get_db().execute(select(Delivery.recipient, Delivery.id)).all())
        sha256 = get_db().get(Delivery, ids["ocw"]).filing.file_sha256
    store = open_store(app)
    kept = store.get(sha256)
    store.delete(sha256)  # OCW's handler cannot read the filing: a real failure, until the file is back

    def ocw() -> SimpleNamespace:
        with app.app_context():
            delivery = get_db().get_one(Delivery, ids["ocw"])
            return SimpleNamespace(**{c: getattr(delivery, c) for c in ("state", "attempts", "last_error",
                                                                        "next_attempt_at")})

    def attempt(delivered: int) -> tuple[Any, Any]:
        before = utcnow()
        with app.app_context():
            assert deliveries.process(app) == delivered
        return before, utcnow()

    with statements(app) as loads:
        before, after = attempt(1)  # DUO's; OCW's fails, the inspectorate's waits for OCW's figures
        failed = ocw()
        assert (failed.state, failed.attempts) == ("pending", 1) and "FileMissing" in failed.last_error
        assert before + timedelta(seconds=2) <= failed.next_attempt_at <= after + timedelta(seconds=2)
        attempt(0)  # not before its pause
        assert ocw().attempts == 1
        assert _states(app)[ids["inspectorate"]] == "pending"
        log_in(client, "bestuur@demo.example")
        assert "pogingen mislukt: 1" in client.get(f"/filings/{filing_id}").get_data(as_text=True)
        api = client.get(f"/api/v1/filings/{filing_id}", headers=token).get_json()
        shown = {d["recipient"]: d for d in api["deliveries"]}
        assert shown["ocw"]["failed_attempts"] == 1 and shown["ocw"]["next_attempt_at"].endswith("Z")
        assert (shown["inspectorate"]["failed_attempts"], shown["inspectorate"]["next_attempt_at"]) == (0, None)

        time.sleep(max(0.0, (failed.next_attempt_at - utcnow()).total_seconds()) + 0.1)
        before, after = attempt(0)  # tried again: it fails again, and now pauses twice as long
        again = ocw()
        assert again.attempts == 2
        assert before + timedelta(seconds=4) <= again.next_attempt_at <= after + timedelta(seconds=4)

        store.put(kept)
        attempt(0)
        time.sleep(max(0.0, (again.next_attempt_at - utcnow()).total_seconds()) + 0.1)
        attempt(2)  # OCW's, then the inspectorate's
    done = ocw()
    assert (done.state, done.attempts, done.last_error, done.next_attempt_at) == ("acknowledged", 3, None, None)
    assert loads == {"facts": 1, "signal_values": 1}  # the failed attempts loaded nothing
    assert retry_pause(1, timedelta(seconds=10), timedelta(hours=1)) == timedelta(seconds=10)
    assert retry_pause(4, timedelta(seconds=10), timedelta(hours=1)) == timedelta(seconds=80)
    assert retry_pause(50, timedelta(seconds=10), timedelta(hours=1)) == timedelta(hours=1)
