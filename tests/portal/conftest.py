"""An app on a fresh database built by the migrations, its client and CLI runner (flaskr style)."""

from __future__ import annotations

import io
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from portal import create_app
from validators import Engine, EngineSettings, PoolSettings, Registry
from portal.cli import DEMO_PASSWORD
from portal.migrate import upgrade


@pytest.fixture(scope="session")
def shared_engine(packages_dir: Path) -> Iterator[Engine]:
    """One warm validation engine for the whole run (starting Arelle workers takes seconds)."""
    with Engine(EngineSettings(pool=PoolSettings(workers=1)), Registry([packages_dir])) as engine:
        yield engine


POSTGRES = os.environ.get("PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://portal:portal@127.0.0.1:5432/postgres")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        connection = admin.connect()
    except OperationalError as exc:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES} (.ci/run starts it): {exc}")
        pytest.skip("PostgreSQL is not running here")
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    finally:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.close()
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every portal test runs on both databases."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'portal.db'}"
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture
def app(tmp_path: Path, shared_engine: Engine, database_url: str) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "WORKER": "none",
                      "PASSWORD_HASH": "argon2id-test"},
                     instance_path=str(tmp_path / "instance"))
    upgrade(app.extensions["db_engine"])
    app.extensions["engine"] = shared_engine
    yield app
    app.extensions["db_engine"].dispose()
    if "files_engine" in app.extensions:  # the database store's own pool
        app.extensions["files_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def demo(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the form on `path`, as a browser would read it."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def log_in(client: FlaskClient, email: str, password: str = DEMO_PASSWORD) -> object:
    """Post the login form, CSRF token included."""
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})


def post_upload(client: FlaskClient, data: bytes, name: str = "jv.xbrl", board: str = "41234", year: int = 2025,
                test: bool = False) -> TestResponse:
    """Post the (logged-in) user's upload form of the board's year, as a browser would; the answer
    as it is (a redirect to the version's page, or the refusal), for tests of what is refused."""
    form: dict[str, object] = {"csrf_token": csrf_token(client, f"/boards/{board}/{year}"),
                               "file": (io.BytesIO(data), name)}
    if test:
        form["test"] = "yes"
    return client.post(f"/boards/{board}/{year}/upload", content_type="multipart/form-data", data=form)


def upload_page(client: FlaskClient, data: bytes, name: str = "jv.xbrl", board: str = "41234",
                year: int = 2025) -> str:
    """Upload a version through the (logged-in) board's upload form; the filing page it
    redirects to."""
    response = post_upload(client, data, name, board, year)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def submit(client: FlaskClient, filing_id: int | str) -> TestResponse:
    """The (logged-in) board member submits the version with the declaration."""
    return client.post(f"/filings/{filing_id}/submit", data={"csrf_token": csrf_token(client, f"/filings/{filing_id}"),
                                                             "declaration": "yes"})


def file_and_submit(app: Flask, client: FlaskClient, data: bytes, year: int = 2025) -> int:
    """Upload a version of board 41234's year through the page, validate it and submit it; its id."""
    filing_id = int(upload_page(client, data, year=year).rsplit("/", 1)[1])
    run_jobs(app)
    assert submit(client, filing_id).status_code == 302
    return filing_id


def switch_user(client: FlaskClient, email: str) -> None:
    """Log out and in as `email`."""
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, email)


@pytest.fixture
def switch(client: FlaskClient) -> Callable[[str], None]:
    """switch(email): the test's client logs out and in as `email`."""
    return partial(switch_user, client)


@pytest.fixture
def deliver(app: Flask) -> Callable[[], int]:
    """deliver(): run the delivery job once, as the worker would; the number of deliveries made."""
    from portal.jobs import deliveries

    def run() -> int:
        with app.app_context():
            return deliveries.process(app)
    return run


def run_jobs(app: Flask) -> list[str]:
    """Validate everything queued, as the worker would; returns the new statuses."""
    from portal.jobs import core

    statuses = []
    with app.app_context():
        while (claim := core.claim_next()) is not None:
            statuses.append(core.run(claim))
    return statuses


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
