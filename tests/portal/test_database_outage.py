"""PostgreSQL away: the portal answers 503 SERVICE-UNAVAILABLE (a page, or the API's JSON error),
never a 500, /healthz stays up, /readyz says so within its deadline, and everything works again
when the database is back, without a restart of the portal.

The test PostgreSQL is shared by other tests, so it is not restarted: the portal reaches it
through a TCP proxy of the test's own, which does to the portal what a restart does (every
connection dropped, new ones refused until it is back) and what a network that stops answering
does (connections open, nothing comes back)."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from portal import create_app
from portal.migrate import upgrade

from ..samples import VALID
from .conftest import fresh_postgres_database, log_in


class Proxy:
    """127.0.0.1:port -> the database. down(): every connection closed and the port refused, as in
    a restart; hang(): connections stay open and nothing is forwarded; up(): as normal."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = self._listen(0)
        self.port = self.listener.getsockname()[1]
        self.forwarding = threading.Event()
        self.forwarding.set()
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self._accepting()

    @staticmethod
    def _listen(port: int) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(16)
        return listener

    def _accepting(self) -> None:
        listener = self.listener

        def accept() -> None:
            while True:
                try:
                    client, _ = listener.accept()
                except OSError:
                    return  # closed: down()
                upstream = socket.create_connection(self.target)
                self.pairs.append((client, upstream))
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.forwarding.wait()
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def down(self) -> None:
        """Drop every connection and refuse new ones (closed port)."""
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept() (Linux)
        except OSError:
            pass
        self.listener.close()
        for pair in self.pairs:
            for s in pair:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self.pairs.clear()

    def hang(self) -> None:
        """Keep every connection, forward nothing."""
        self.forwarding.clear()

    def up(self) -> None:
        """Forward again (on the same port, if it was closed)."""
        if self.listener.fileno() == -1:
            self.listener = self._listen(self.port)
            self._accepting()
        self.forwarding.set()


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[Flask, Proxy]]:
    with fresh_postgres_database() as url:
        real = make_url(url)
        proxy = Proxy((real.host or "127.0.0.1", real.port or 5432))
        app = create_app({"TESTING": True, "WORKER": "none", "READY_TIMEOUT_SECONDS": 1.0,
                          "DATABASE_URL": real.set(port=proxy.port).render_as_string(hide_password=False)},
                         instance_path=str(tmp_path / "instance"))
        upgrade(app.extensions["db_engine"])
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        yield app, proxy
        proxy.up()
        app.extensions["db_engine"].dispose()
        proxy.down()


def test_a_database_restart_gives_503_never_500_and_the_portal_recovers(proxied: tuple[Flask, Proxy]) -> None:
    app, proxy = proxied
    token = app.test_cli_runner().invoke(args=["tokens", "create", "bestuur@demo.example"]).output.strip()
    api = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    log_in(client, "bestuur@demo.example")
    assert client.get("/boards/41234/2025").status_code == 200

    proxy.down()
    page = client.get("/boards/41234/2025")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "kan de database nu niet bereiken" in page.get_data(as_text=True)  # the default language: Dutch
    listed = client.get("/api/v1/filings?board=41234&year=2025", headers=api)
    assert listed.status_code == 503 and listed.get_json()["error"]["code"] == "SERVICE-UNAVAILABLE"
    upload = client.post("/api/v1/filings", headers=api, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(VALID), "jv.xbrl"), "board": "41234", "year": "2025"})
    assert upload.status_code == 503 and upload.get_json()["error"]["code"] == "SERVICE-UNAVAILABLE"
    assert client.get("/healthz").status_code == 200
    started = time.perf_counter()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["checks"]["database"]["error"] == "unreachable"
    assert time.perf_counter() - started < 2

    proxy.up()  # the database is back: the pool replaces its dropped connections, no restart needed
    assert client.get("/boards/41234/2025").status_code == 200
    assert client.get("/readyz").status_code == 200
    upload = client.post("/api/v1/filings", headers=api, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(VALID), "jv.xbrl"), "board": "41234", "year": "2025"})
    assert upload.status_code == 202


def test_readyz_answers_within_its_deadline_while_the_database_hangs(proxied: tuple[Flask, Proxy]) -> None:
    app, proxy = proxied
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    proxy.hang()
    for _probe in range(3):  # a probe every so often: each answers in time, none starts another hanging check
        started = time.perf_counter()
        ready = client.get("/readyz")
        assert time.perf_counter() - started < 1.5
        assert ready.status_code == 503 and ready.get_json()["checks"]["database"]["error"] == "timeout"
    # the one database check that hangs, not one per probe
    assert len([t for t in threading.enumerate() if t.name == "readyz-database"]) == 1
    assert client.get("/healthz").status_code == 200
    proxy.up()
    deadline = time.monotonic() + 10
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "not ready again after the database answered"
        time.sleep(0.2)
