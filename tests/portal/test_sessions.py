"""A session ends at logout, at a password change, when an administrator deactivates the account
or sets a new password, after the idle time and after its lifetime: a copy of the cookie taken
before then opens nothing (the login page), however it is replayed."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from portal.cli import DEMO_PASSWORD

from .conftest import csrf_token, log_in

PAGE = "/boards/41234/2025"
NEW_PASSWORD = "een geheel nieuw wachtwoord"


def _captured(client: FlaskClient) -> str:
    """The session cookie as an attacker would copy it from the browser."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app: Flask, value: str) -> object:
    """The captured cookie, sent from another browser."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other.get(PAGE)


def _is_login_page(response: object) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def _logged_in_board_user(app: Flask) -> tuple[FlaskClient, str]:
    client = app.test_client()
    assert log_in(client, "bestuur@demo.example").status_code == 302
    assert client.get(PAGE).status_code == 200
    return client, _captured(client)


def test_a_captured_cookie_is_dead_after_logout(app: Flask, demo: None) -> None:
    client, cookie = _logged_in_board_user(app)
    assert _replay(app, cookie).status_code == 200  # the copy works while the session lives
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert _is_login_page(_replay(app, cookie))
    assert _is_login_page(client.get(PAGE))


def test_logout_ends_the_users_other_sessions_too(app: Flask, demo: None) -> None:
    laptop, _cookie = _logged_in_board_user(app)
    phone, _other = _logged_in_board_user(app)
    phone.post("/logout", data={"csrf_token": csrf_token(phone, "/")})
    assert _is_login_page(laptop.get(PAGE))


def test_a_password_change_ends_every_other_session(app: Flask, demo: None) -> None:
    client, cookie = _logged_in_board_user(app)
    other, _ = _logged_in_board_user(app)
    form = {"csrf_token": csrf_token(client, "/account/password"), "current": DEMO_PASSWORD, "new": NEW_PASSWORD,
            "repeat": NEW_PASSWORD}
    response = client.post("/account/password", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get(PAGE).status_code == 200  # the session that changed it goes on, with a new cookie
    assert _captured(client) != cookie
    assert _is_login_page(_replay(app, cookie))
    assert _is_login_page(other.get(PAGE))
    fresh = app.test_client()
    assert log_in(fresh, "bestuur@demo.example").status_code == 401
    assert log_in(fresh, "bestuur@demo.example", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("form,code,status", [
    ({"current": "wrong password!", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}, "huidige wachtwoord klopt niet", 401),
    ({"current": DEMO_PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD + "x"}, "niet gelijk", 400),
    ({"current": DEMO_PASSWORD, "new": "kort", "repeat": "kort"}, "minstens 12 tekens", 400),
])
def test_a_refused_password_change_changes_nothing(app: Flask, demo: None, form: dict, code: str, status: int) -> None:
    client, cookie = _logged_in_board_user(app)
    response = client.post("/account/password", data={"csrf_token": csrf_token(client, "/account/password"), **form})
    assert response.status_code == status and code in response.get_data(as_text=True)
    assert _replay(app, cookie).status_code == 200
    assert log_in(app.test_client(), "bestuur@demo.example").status_code == 302


def test_deactivation_by_an_administrator_ends_every_session(app: Flask, runner: FlaskCliRunner, demo: None) -> None:
    client, cookie = _logged_in_board_user(app)
    result = runner.invoke(args=["users", "deactivate", "bestuur@demo.example"])
    assert result.exit_code == 0, result.output
    assert _is_login_page(client.get(PAGE)) and _is_login_page(_replay(app, cookie))
    assert log_in(app.test_client(), "bestuur@demo.example").status_code == 401
    assert runner.invoke(args=["users", "activate", "bestuur@demo.example"]).exit_code == 0
    assert _is_login_page(_replay(app, cookie))  # reactivation does not bring old sessions back
    assert log_in(app.test_client(), "bestuur@demo.example").status_code == 302


def test_a_new_password_set_by_an_administrator_ends_every_session(app: Flask, runner: FlaskCliRunner,
                                                                    demo: None) -> None:
    _client, cookie = _logged_in_board_user(app)
    result = runner.invoke(args=["users", "password", "bestuur@demo.example"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert _is_login_page(_replay(app, cookie))
    assert log_in(app.test_client(), "bestuur@demo.example", NEW_PASSWORD).status_code == 302


def _aged(app: Flask, value: str, **seconds_ago: int) -> str:
    """The captured cookie as it would be after time went by: its session's clocks moved back."""
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(value)
    for key, ago in seconds_ago.items():
        data[key] = data[key] - ago
    return serializer.dumps(data)


def test_a_session_ends_after_the_idle_time(app: Flask, demo: None) -> None:
    assert app.config["SESSION_IDLE_MINUTES"] == 30  # the default
    _client, cookie = _logged_in_board_user(app)
    assert _replay(app, _aged(app, cookie, _seen=29 * 60, _started=29 * 60)).status_code == 200
    assert _is_login_page(_replay(app, _aged(app, cookie, _seen=31 * 60, _started=31 * 60)))


def test_use_keeps_a_session_alive_until_its_lifetime(app: Flask, demo: None) -> None:
    assert app.config["SESSION_LIFETIME_HOURS"] == 12
    _client, cookie = _logged_in_board_user(app)
    assert _replay(app, _aged(app, cookie, _started=11 * 3600)).status_code == 200  # used a minute ago
    assert _is_login_page(_replay(app, _aged(app, cookie, _started=13 * 3600)))


def test_the_idle_clock_moves_with_use(app: Flask, demo: None) -> None:
    client, cookie = _logged_in_board_user(app)
    client.set_cookie("session", _aged(app, cookie, _seen=20 * 60, _started=20 * 60))
    assert client.get(PAGE).status_code == 200  # used after 20 minutes: the clock starts again
    moved = app.session_interface.get_signing_serializer(app).loads(_captured(client))
    assert abs(moved["_seen"] - time.time()) < 5
    assert _replay(app, _aged(app, _captured(client), _seen=20 * 60)).status_code == 200


def test_the_signed_cookie_expires_with_the_lifetime(app: Flask, demo: None) -> None:
    response = log_in(app.test_client(), "bestuur@demo.example")
    cookie = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")][0]
    expires = parsedate_to_datetime(cookie.split("Expires=", 1)[1].split(";", 1)[0])
    # Not Flask's 31 days: the browser drops it, and Flask refuses its signature, after 12 hours.
    assert abs((expires - datetime.now(timezone.utc)).total_seconds() - 12 * 3600) < 60
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600
