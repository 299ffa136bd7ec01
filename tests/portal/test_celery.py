"""The Celery path with a real Redis server and a real worker process: the job state lives
in the database, so what was queued while no worker ran is validated when one starts."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.db import get_db
from portal.filings.models import FINAL, Filing
from portal.migrate import upgrade
from taxonomies.samples import SAMPLES_DIR

from .conftest import csrf_token, log_in

REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6390/0")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS} (.ci/run starts it)")
        pytest.skip("Redis is not running here")
    return REDIS


@pytest.fixture
def celery_app(tmp_path: Path, database_url: str, redis_url: str) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "CELERY_BROKER_URL": redis_url},
                     instance_path=str(tmp_path / "instance"))
    assert app.config["WORKER"] == "celery"
    upgrade(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


def _worker(app: Flask) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PORTAL_DATABASE_URL=app.config["DATABASE_URL"], PORTAL_INSTANCE_PATH=app.instance_path,
               PORTAL_CELERY_BROKER_URL=app.config["CELERY_BROKER_URL"], PORTAL_VALIDATION_WORKERS="1",
               PORTAL_VALIDATION_STALE_SECONDS="1")
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "portal.jobs.worker", "worker", "--pool", "threads",
                             "--concurrency", "1", "--loglevel", "WARNING"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _upload(client: FlaskClient, name: str) -> None:
    data = (SAMPLES_DIR / name).read_bytes()
    token = csrf_token(client, "/boards/41234/2025")
    response = client.post("/boards/41234/2025/upload", data={"csrf_token": token, "file": (io.BytesIO(data), "jv.xbrl")},
                           content_type="multipart/form-data")
    assert response.status_code == 302


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
    _upload(client, "2025/broken/EDU-BAL-01.xbrl")  # no worker yet: the message waits, the filing stays queued
    with celery_app.app_context():
        assert get_db().query(Filing).one().status == "queued"
    worker = _worker(celery_app)
    try:
        assert _statuses(celery_app, 1) == ["invalid"]
        _upload(client, "2025/valid/po-small.xbrl")
        assert _statuses(celery_app, 2) == ["invalid", "valid"]
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)


def test_killing_a_celery_worker_mid_validation_loses_nothing(celery_app: Flask) -> None:
    from taxonomies.generator import generate, officials_for_facts
    from taxonomies.instance import to_xml

    assert celery_app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    client = celery_app.test_client()
    log_in(client, "bestuur@demo.example")
    for n in range(3):  # big enough to take a while each
        data = to_xml(generate(2025, "41234", f"Stichting {n}", "PO", "medium", officials=officials_for_facts(3_000),
                               seed=n))
        client.post("/boards/41234/2025/upload", data={"csrf_token": csrf_token(client, "/boards/41234/2025"),
                                                       "file": (io.BytesIO(data), "jv.xbrl")},
                    content_type="multipart/form-data")
    worker = _worker(celery_app)
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
    time.sleep(1.5)  # longer than PORTAL_VALIDATION_STALE_SECONDS: the claim is now considered lost
    worker = _worker(celery_app)  # a new worker sweeps at start: interrupted work is queued again
    try:
        assert _statuses(celery_app, 3) == ["valid", "valid", "valid"]
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
