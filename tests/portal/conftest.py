"""An app on a fresh database built by the migrations, its client and CLI runner (flaskr style)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from portal import create_app
from validators import Engine, EngineSettings, PoolSettings, Registry
from portal.cli import DEMO_PASSWORD
from portal.migrate import upgrade


@pytest.fixture(scope="session")
def shared_engine(packages_dir: Path) -> Iterator[Engine]:
    """One warm validation engine for the whole run (starting Arelle workers takes seconds)."""
    with Engine(EngineSettings(pool=PoolSettings(workers=1)), Registry([packages_dir])) as engine:
        yield engine


@pytest.fixture
def app(tmp_path: Path, shared_engine: Engine) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}", "WORKER": "none"},
                     instance_path=str(tmp_path / "instance"))
    upgrade(app.extensions["db_engine"])
    app.extensions["engine"] = shared_engine
    yield app
    app.extensions["db_engine"].dispose()


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


def run_jobs(app: Flask) -> list[str]:
    """Validate everything queued, as the worker would; returns the new statuses."""
    from portal.jobs import core

    statuses = []
    with app.app_context():
        while (filing_id := core.claim_next()) is not None:
            statuses.append(core.run(filing_id))
    return statuses
