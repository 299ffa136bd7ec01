"""Logging in and out: argon2 hashes, CSRF on every form, rate limiting, language switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import create_app
from portal.users.models import User
from portal.db import get_db

from .conftest import csrf_token, log_in


def test_login_shows_own_boards_and_logout(client: FlaskClient, demo: None) -> None:
    response = log_in(client, "bestuur@demo.example")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Stichting Openbaar Primair Onderwijs De Linde" in page
    assert "Rijnmond" not in page  # another board's name is not shown to this user
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_wrong_password_is_refused_without_saying_which_part(client: FlaskClient, demo: None) -> None:
    response = log_in(client, "bestuur@demo.example", "wrong password!")
    assert response.status_code == 401
    assert "E-mailadres of wachtwoord klopt niet." in response.get_data(as_text=True)
    assert log_in(client, "nobody@demo.example", "wrong password!").status_code == 401


def test_too_many_failures_pause_the_account(client: FlaskClient, demo: None) -> None:
    for _ in range(5):
        assert log_in(client, "bestuur@demo.example", "wrong password!").status_code == 401
    response = log_in(client, "bestuur@demo.example")  # even the right password, during the pause
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.get_data(as_text=True)


def test_forms_without_a_csrf_token_fail(client: FlaskClient, demo: None) -> None:
    response = client.post("/login", data={"email": "bestuur@demo.example", "password": "demo-wachtwoord-2025"})
    assert response.status_code == 400
    assert log_in(client, "bestuur@demo.example").status_code == 302
    assert client.post("/logout").status_code == 400  # logged in, still no token: refused
    assert client.get("/").status_code == 200  # and still logged in


def test_passwords_are_stored_as_argon2_hashes(app: Flask, demo: None) -> None:
    with app.app_context():
        user = get_db().scalar(select(User).where(User.email == "bestuur@demo.example"))
        assert user.password_hash.startswith("$argon2id$") and "demo-wachtwoord" not in user.password_hash


def test_language_switch_is_remembered(client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    assert "Uw besturen" in client.get("/").get_data(as_text=True)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    assert "Your school boards" in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, "bestuur@demo.example")
    assert "Your school boards" in client.get("/").get_data(as_text=True)  # the account remembers


def test_no_open_redirect_after_login(client: FlaskClient, demo: None) -> None:
    token = csrf_token(client)
    response = client.post("/login?next=//evil.example/x", data={
        "email": "bestuur@demo.example", "password": "demo-wachtwoord-2025", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_security_headers_and_cookie_flags(client: FlaskClient, demo: None) -> None:
    response = log_in(client, "bestuur@demo.example")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/")
    assert page.headers["X-Frame-Options"] == "DENY" and "default-src 'self'" in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize("page,back", [
    ("/filings/7/assurance", "/filings/7"),  # a refused signature is drawn at the form's address, POST only
    ("/boards/41234/2025/upload", "/boards/41234/2025"), ("/accountant/keys/3/revoke", "/accountant/keys"),
    ("/logout", "/"), ("/inspectie/2025?all=1", "/inspectie/2025?all=1"), ("/geen-pagina", "/geen-pagina")])
def test_the_language_switch_returns_to_a_page_that_answers_get(client: FlaskClient, demo: None, page: str,
                                                                back: str) -> None:
    response = client.post("/language/en", data={"csrf_token": csrf_token(client), "next": page})
    assert response.status_code == 302 and response.headers["Location"] == back


def test_the_test_suites_cheap_password_hash_is_refused_outside_testing(tmp_path: Path) -> None:
    """argon2id-test (one pass over 1 MiB) makes the suite's logins cheap; a portal that is not
    under test refuses to start with it, so stolen hashes are never that cheap to crack."""
    with pytest.raises(ValueError, match="PASSWORD_HASH"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}", "PASSWORD_HASH": "argon2id-test",
                    "SECRET_KEY": "x"}, instance_path=str(tmp_path / "instance"))
    with pytest.raises(ValueError, match="PASSWORD_HASH"):
        create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}", "PASSWORD_HASH": "md5",
                    "SECRET_KEY": "x"}, instance_path=str(tmp_path / "instance"))
