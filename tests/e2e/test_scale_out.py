"""The scale-out configuration, as an operator runs it: the web server and two worker hosts
that share nothing but PostgreSQL and Redis. Each worker has an instance folder of its own
and is told only the database URL, the broker URL and the store (the database); a dozen
filings uploaded through the API, one worker killed with SIGKILL while it validates: every
filing ends valid, each exactly one version, validated once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml

from ..portal.conftest import fresh_postgres_database
from .conftest import api_statuses, api_upload, flask_command, free_port, launch, portal_env
from ..redis_db import redis_database
from .hosts import Celery, host_env

FILINGS = 12
LEASE, SWEEP, RESEND = 4, 2, 4  # seconds: short, so the recovery is quick to wait for
BOUND = LEASE + SWEEP + RESEND + 30  # the README's bound (lease + sweep), a resend, and validating what is left


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_two_worker_hosts_sharing_only_the_database_lose_nothing_when_one_is_killed(tmp_path: Path) -> None:
    settings = {"JOB_LEASE_SECONDS": str(LEASE), "SWEEP_SECONDS": str(SWEEP),
                "VALIDATION_RESEND_SECONDS": str(RESEND), "VALIDATION_WORKERS": "1"}
    files = [to_xml(generate(2025, "41234", f"Stichting Schaal {n}", "PO", "medium",
                             officials=officials_for_facts(300), seed=n)) for n in range(FILINGS)]
    with fresh_postgres_database() as database_url, redis_database() as broker_url:
        web = tmp_path / "web"
        env = portal_env(web, free_port(), PORTAL_DATABASE_URL=database_url, PORTAL_CELERY_BROKER_URL=broker_url,
                         PORTAL_FILE_STORE="database",
                         **{f"PORTAL_{k}": v for k, v in settings.items() if k != "VALIDATION_WORKERS"})
        flask_command(env, "seed-demo")
        token = flask_command(env, "tokens", "create", "bestuur@demo.example").strip()
        instances = {name: tmp_path / name for name in ("host-a", "host-b", "beat")}
        for folder in instances.values():
            folder.mkdir()
        workers = {name: Celery.worker(host_env(instances[name], database_url, broker_url, **settings))
                   for name in ("host-a", "host-b")}
        beat = Celery(host_env(instances["beat"], database_url, broker_url, **settings), "beat")
        server, url = launch(env, tmp_path / "web.log")
        try:
            _wait_for(lambda: all(w.ready for w in workers.values()), 120, "the workers")
            ids = [api_upload(url, token, data) for data in files]
            victim = workers["host-a"]
            _wait_for(lambda: victim.validating > 0, 120, "host-a to validate")
            victim.kill()  # mid-validation: its lease is renewed no more, its message never acknowledged
            killed = time.monotonic()
            deadline = killed + BOUND
            while time.monotonic() < deadline and set(api_statuses(url, token, ids)) != {"valid"}:
                time.sleep(0.5)
            took = time.monotonic() - killed
            assert api_statuses(url, token, ids) == ["valid"] * FILINGS, f"after {took:.0f} s"
            assert workers["host-b"].finished > 0
        except BaseException:
            print("web server:", (tmp_path / "web.log").read_text(errors="replace")[-5000:])
            for name, process in (*workers.items(), ("beat", beat)):
                print(f"{name}:", "".join(process.lines[-60:]))
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)
            for process in (*workers.values(), beat):
                process.stop()
        engine = create_engine(database_url)
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version FROM filings ORDER BY version")).scalars().all()
            hashes = connection.execute(text("SELECT COUNT(DISTINCT file_sha256) FROM filings")).scalar()
            validated = connection.execute(text(
                "SELECT COUNT(*), COUNT(DISTINCT object_id) FROM audit_events WHERE action = 'filing.validated'")).one()
            stored = connection.execute(text("SELECT COUNT(*) FROM stored_files")).scalar()
        engine.dispose()
    assert versions == list(range(1, FILINGS + 1)) and hashes == FILINGS  # each upload exactly one version
    assert tuple(validated) == (FILINGS, FILINGS)  # each validated once: no result stored twice
    assert stored == FILINGS  # the uploads live in the database ...
    assert not (web / "files").exists()  # ... not in the web server's folder
    for name in ("host-a", "host-b"):  # and the workers needed nothing on their own disk, nor wrote anything there
        assert list(instances[name].iterdir()) == [], name
