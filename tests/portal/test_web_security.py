"""Where a redirect may go after login and a language switch; failed logins pause one address
for one account, not the account for everyone; the address behind trusted proxies; the
headers every answer carries (no-store, CSP, HSTS)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import create_app
from portal.users.models import LoginAttempt
from portal.users.services import DELAY_SLOTS
from portal.cli import DEMO_PASSWORD
from portal.db import get_db
from portal.migrate import upgrade
from portal.security import safe_next

from .conftest import csrf_token, log_in

# What a browser would make of each: another host, a scheme, or a path it reads as a host.
HOSTILE = ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "//evil.example", "///evil.example",
           "/\\evil.example", "\\\\evil.example", "https://evil.example/", "javascript:alert(1)", "evil.example",
           " //evil.example", "/./\t/evil.example", "/.//evil.example", "/%2e//evil.example", "/\u200b/evil.example",
           "/\x00/evil.example", "/\x7f/evil.example", "/\u2028/evil.example",
           "/" + "a" * 2001, "", "http:/evil.example"]
SAFE = ["/", "/boards/41234/2025", "/filings/3?lang=en", "/ocw/2025", "/boards/41234/2025?x=%2F%2Fevil"]


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_anything_but_a_plain_path(target: str) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize("target", SAFE)
def test_safe_next_keeps_a_path_on_this_site(target: str) -> None:
    assert safe_next(target) == target


def _login_to(client: FlaskClient, raw_next: str) -> object:
    token = csrf_token(client)
    return client.post(f"/login?next={raw_next}", data={"email": "bestuur@demo.example", "password": DEMO_PASSWORD,
                                                        "csrf_token": token})


@pytest.mark.parametrize("raw_next", ["/%09/evil.example", "/%0a/evil.example", "%2F%0D%0A%2Fevil.example",
                                      "/%0d%0aSet-Cookie:%20x=1", "//evil.example", "/%5Cevil.example",
                                      "https:%2F%2Fevil.example"])
def test_login_never_redirects_off_site(client: FlaskClient, demo: None, raw_next: str) -> None:
    response = _login_to(client, raw_next)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200  # logged in all the same


def test_login_returns_to_the_page_asked_for(client: FlaskClient, demo: None) -> None:
    first = client.get("/boards/41234/2025")
    assert first.status_code == 302
    form = {"email": "bestuur@demo.example", "password": DEMO_PASSWORD, "csrf_token": csrf_token(client)}
    response = client.post(first.headers["Location"], data=form)
    assert response.headers["Location"] == "/boards/41234/2025"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\r\n/evil.example", "//evil.example", "/\\evil.example"])
def test_the_language_switch_never_redirects_off_site(client: FlaskClient, demo: None, target: str) -> None:
    response = client.post("/language/en", data={"csrf_token": csrf_token(client), "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    good = client.post("/language/nl", data={"csrf_token": csrf_token(client), "next": "/login"})
    assert good.headers["Location"] == "/login"


def test_failures_pause_one_address_for_one_account_not_the_real_user(app: Flask, demo: None) -> None:
    app.config["LOGIN_DELAY_SECONDS"] = 0.3
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    for _ in range(5):
        assert log_in(attacker, "bestuur@demo.example", "wrong password!").status_code == 401
    assert log_in(attacker, "bestuur@demo.example").status_code == 429  # paused here, even the right password
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.2"
    started = time.monotonic()
    assert log_in(owner, "bestuur@demo.example").status_code == 302  # the real user comes in from elsewhere
    assert time.monotonic() - started >= 0.06  # after a short delay: the account failed five times
    assert owner.get("/").status_code == 200
    assert log_in(attacker, "bestuur2@demo.example").status_code == 302  # another account from that address


def test_an_address_failing_on_many_accounts_pauses(app: Flask, demo: None) -> None:
    app.config["LOGIN_DELAY_SECONDS"] = 0
    client = app.test_client()
    for n in range(20):
        assert log_in(client, f"guess{n}@demo.example", "wrong password!").status_code == 401
    assert log_in(client, "bestuur@demo.example").status_code == 429


def _proxied_app(tmp_path: Path, database_url: str, hops: int) -> Flask:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "WORKER": "none", "PROXY_FIX_X_FOR": hops},
                     instance_path=str(tmp_path / "instance"))
    upgrade(app.extensions["db_engine"])
    return app


@pytest.mark.parametrize("hops,expected", [(0, ["127.0.0.1", "127.0.0.1"]), (1, ["198.51.100.9", "203.0.113.5"]),
                                           (2, ["127.0.0.1", "192.0.2.1"])])
def test_the_client_address_behind_trusted_proxies(tmp_path: Path, database_url: str, hops: int,
                                                   expected: list[str]) -> None:
    app = _proxied_app(tmp_path, database_url, hops)
    client = app.test_client()
    # The client may send its own X-Forwarded-For; each trusted proxy appends the address it saw.
    for forwarded in ("198.51.100.9", "192.0.2.1, 203.0.113.5"):
        client.post("/login", data={"email": "x@demo.example", "password": "wrong password!",
                                    "csrf_token": csrf_token(client)}, headers={"X-Forwarded-For": forwarded})
    with app.app_context():
        assert list(get_db().scalars(select(LoginAttempt.address).order_by(LoginAttempt.id))) == expected
    app.extensions["db_engine"].dispose()


def test_each_client_behind_the_proxy_has_its_own_counter(tmp_path: Path, database_url: str) -> None:
    app = _proxied_app(tmp_path, database_url, 1)
    app.config["LOGIN_DELAY_SECONDS"] = 0
    client = app.test_client()
    for n in range(20):
        client.post("/login", data={"email": f"guess{n}@demo.example", "password": "wrong password!",
                                    "csrf_token": csrf_token(client)}, headers={"X-Forwarded-For": "203.0.113.66"})
    from portal.users.services import create_user

    with app.app_context():
        create_user(get_db(), "someone@demo.example", DEMO_PASSWORD, "duo")
        get_db().commit()
    paused = client.post("/login", data={"email": "someone@demo.example", "password": DEMO_PASSWORD,
                                         "csrf_token": csrf_token(client)}, headers={"X-Forwarded-For": "203.0.113.66"})
    assert paused.status_code == 429
    other = app.test_client()
    response = other.post("/login", data={"email": "someone@demo.example", "password": DEMO_PASSWORD,
                                          "csrf_token": csrf_token(other)}, headers={"X-Forwarded-For": "198.51.100.1"})
    assert response.status_code == 302
    app.extensions["db_engine"].dispose()


def test_answers_are_not_stored_and_forms_post_only_here(client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    for path in ("/", "/boards/41234/2025", "/login", "/api/v1/openapi.json", "/api/v1/filings?board=41234&year=2025",
                 "/no-such-page"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        policy = response.headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in policy, (path, directive)
        assert "Strict-Transport-Security" not in response.headers  # off unless configured
    assert "no-store" not in client.get("/static/portal.css").headers.get("Cache-Control", "")


def test_hsts_when_configured(tmp_path: Path, database_url: str) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "WORKER": "none", "HSTS_SECONDS": 31536000},
                     instance_path=str(tmp_path / "instance"))
    assert app.test_client().get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"
    app.extensions["db_engine"].dispose()


def test_hsts_from_the_environment(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_HSTS_SECONDS", "600")
    monkeypatch.setenv("PORTAL_PROXY_FIX_X_FOR", "1")
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "WORKER": "none"},
                     instance_path=str(tmp_path / "instance"))
    assert app.config["HSTS_SECONDS"] == 600 and app.config["PROXY_FIX_X_FOR"] == 1
    assert app.test_client().get("/login").headers["Strict-Transport-Security"] == "max-age=600"
    app.extensions["db_engine"].dispose()



def test_a_flood_of_guesses_holds_few_threads(app: Flask, demo: None) -> None:
    # The account has failed often: every login to it waits. A flood of them at once must not
    # hold every web server thread in that wait; those beyond the few slots are told to come back.
    app.config["LOGIN_DELAY_SECONDS"] = 1.0
    for n in range(9):  # nine failures: the full delay (it grows with the failures past five)
        guesser = app.test_client()
        guesser.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"
        assert log_in(guesser, "bestuur@demo.example", "wrong password!").status_code == 401
    answers: list[tuple[int, float]] = []

    def attempt(n: int) -> None:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        token = csrf_token(client)
        started = time.monotonic()
        response = client.post("/login", data={"email": "bestuur@demo.example", "password": "wrong password!",
                                               "csrf_token": token})
        answers.append((response.status_code, time.monotonic() - started))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    waited = [seconds for status, seconds in answers if status == 401]
    refused = [seconds for status, seconds in answers if status == 429]
    assert len(answers) == 6 and len(waited) <= DELAY_SLOTS and len(waited) + len(refused) == 6
    assert all(seconds >= 0.9 for seconds in waited) and all(seconds < 0.9 for seconds in refused)
