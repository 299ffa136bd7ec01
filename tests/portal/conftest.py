"""An app on a fresh database built by the migrations, its client and CLI runner (flaskr style)."""

from __future__ import annotations

import io
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
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
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "WORKER": "none"},
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


def upload_page(client: FlaskClient, data: bytes, name: str = "jv.xbrl", board: str = "41234") -> str:
    """Upload a 2025 version through the (logged-in) board's upload form; the filing page it
    redirects to."""
    response = client.post(f"/boards/{board}/2025/upload", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token(client, f"/boards/{board}/2025"),
                                 "file": (io.BytesIO(data), name)})
    assert response.status_code == 302
    return response.headers["Location"]


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
