"""Nothing is lost: kill the web server in the middle of validations, or one of its Arelle
workers; after a restart every uploaded filing ends validated."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml

from .conftest import api_statuses, api_upload, flask_command, free_port, launch, portal_env

FINAL = {"valid", "valid-with-warnings", "invalid", "rejected"}


def _filing(n: int) -> bytes:
    # Distinct bytes per upload (a different name), big enough to take a while to validate.
    return to_xml(generate(2025, "41234", f"Stichting Proef {n}", "PO", "medium", officials=officials_for_facts(3_000),
                           seed=n))


def _wait(url: str, token: str, ids: list[int], want: set[str], timeout: float = 180) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = api_statuses(url, token, ids)
        if any(s in want for s in statuses) if want != FINAL else all(s in FINAL for s in statuses):
            return statuses
        time.sleep(0.2)
    return api_statuses(url, token, ids)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _portal(tmp_path: Path) -> tuple[dict[str, str], str, subprocess.Popen[bytes], str]:
    """A portal with demo data and a board user's API token: (env, token, server, url)."""
    env = portal_env(tmp_path / "instance", free_port())
    flask_command(env, "seed-demo")
    token = flask_command(env, "tokens", "create", "bestuur@demo.example").strip()
    server, url = launch(env)
    return env, token, server, url


def test_killing_the_server_mid_validation_loses_nothing(tmp_path: Path) -> None:
    env, token, server, url = _portal(tmp_path)
    try:
        ids = [api_upload(url, token, _filing(n)) for n in range(4)]
        assert "validating" in _wait(url, token, ids, {"validating"})
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # the web server and its Arelle workers, mid-validation
        server.wait(timeout=30)
    server, url = launch(env)  # restart: the interrupted validation is queued again
    try:
        assert set(_wait(url, token, ids, FINAL)) == {"valid"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_killing_an_arelle_worker_mid_validation_loses_nothing(tmp_path: Path) -> None:
    _env, token, server, url = _portal(tmp_path)
    try:
        ids = [api_upload(url, token, _filing(n)) for n in range(2)]
        assert "validating" in _wait(url, token, ids, {"validating"})
        time.sleep(0.3)
        workers = _children(server.pid)
        assert workers, "the engine's worker processes"
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        assert set(_wait(url, token, ids, FINAL)) == {"valid"}  # retried on a fresh worker
        with sqlite3.connect(tmp_path / "instance" / "portal.db") as db:
            attempts = [row[0] for row in db.execute("SELECT attempts FROM filings ORDER BY id")]
        assert max(attempts) >= 2, attempts  # the kill did interrupt a validation
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
