"""Uploads are limited per user and per board, in the upload service, so the page and the API
refuse alike: 429 with a message in Dutch and English and Retry-After."""

from __future__ import annotations

import io
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select, update

from portal.db import get_db, utcnow
from portal.filings.models import Filing

from ..samples import VALID
from .conftest import csrf_token, log_in, post_upload, upload_page


def _file(n: int) -> bytes:
    """A distinct file (a new version) each time: the sample with a comment."""
    return VALID + f"<!-- {n} -->\n".encode()


def _versions(app: Flask) -> int:
    with app.app_context():
        return get_db().scalar(select(func.count(Filing.id)))


def test_the_defaults_allow_a_few_uploads_a_minute(app: Flask) -> None:
    assert (app.config["UPLOAD_RATE_PER_USER"], app.config["UPLOAD_RATE_PER_BOARD"],
            app.config["UPLOAD_RATE_WINDOW_SECONDS"]) == (30, 60, 600)


def test_a_user_over_the_limit_gets_a_clear_429_page(app: Flask, client: FlaskClient, demo: None) -> None:
    app.config["UPLOAD_RATE_PER_USER"] = 3
    log_in(client, "bestuur@demo.example")
    assert post_upload(client, _file(0)).status_code == 302
    assert post_upload(client, _file(0)).status_code == 302  # the same bytes again: no new version, not counted
    for n in (1, 2):
        assert post_upload(client, _file(n)).status_code == 302
    refused = post_upload(client, _file(3))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "U heeft in de afgelopen 10 minuten 3 versies geüpload, het maximum." in page
    assert 590 <= int(refused.headers["Retry-After"]) <= 600
    assert "Probeer het over " + refused.headers["Retry-After"] + " seconden opnieuw." in page
    assert _versions(app) == 3  # nothing stored or queued
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    english = post_upload(client, _file(3)).get_data(as_text=True)
    assert "You have uploaded 3 versions in the last 10 minutes, the maximum." in english

    with app.app_context():  # ten minutes later: the window has moved on
        get_db().execute(update(Filing).values(uploaded_at=utcnow() - timedelta(minutes=10, seconds=1)))
        get_db().commit()
    assert post_upload(client, _file(3)).status_code == 302


def test_retry_after_counts_from_the_upload_that_frees_a_place(app: Flask, client: FlaskClient, demo: None) -> None:
    app.config["UPLOAD_RATE_PER_USER"] = 2
    log_in(client, "bestuur@demo.example")
    upload_page(client, _file(0))
    upload_page(client, _file(1))
    with app.app_context():  # the first was 8 minutes ago: a place frees in about 2 minutes
        get_db().execute(update(Filing).where(Filing.version == 1).values(uploaded_at=utcnow() - timedelta(minutes=8)))
        get_db().commit()
    assert 110 <= int(post_upload(client, _file(2)).headers["Retry-After"]) <= 120


def test_the_board_limit_counts_every_user_of_the_board(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                        demo: None) -> None:
    app.config.update(UPLOAD_RATE_PER_USER=3, UPLOAD_RATE_PER_BOARD=4)
    result = runner.invoke(args=["users", "create", "collega@demo.example", "--role", "board", "--board", "41234"],
                           input="een lang wachtwoord\n")
    assert result.exit_code == 0, result.output
    log_in(client, "bestuur@demo.example")
    for n in range(3):
        assert post_upload(client, _file(n)).status_code == 302
    colleague = app.test_client()
    log_in(colleague, "collega@demo.example", "een lang wachtwoord")
    assert post_upload(colleague, _file(10)).status_code == 302
    refused = post_upload(colleague, _file(11))
    assert refused.status_code == 429
    assert "Voor bestuur 41234 zijn in de afgelopen 10 minuten 4 versies geüpload" in refused.get_data(as_text=True)
    other_board = app.test_client()  # another board's users are not held up
    log_in(other_board, "bestuur2@demo.example")
    assert post_upload(other_board, _file(20), board="30567").status_code == 302


def test_the_api_refuses_with_upload_rate_and_retry_after(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                          demo: None) -> None:
    app.config["UPLOAD_RATE_PER_USER"] = 2
    token = runner.invoke(args=["tokens", "create", "bestuur@demo.example"]).output.strip()
    headers = {"Authorization": f"Bearer {token}"}

    def post(n: int) -> object:
        return client.post("/api/v1/filings", headers=headers, content_type="multipart/form-data",
                           data={"board": "41234", "year": "2025", "file": (io.BytesIO(_file(n)), "jv.xbrl")})

    assert post(0).status_code == 202
    log_in(client, "bestuur@demo.example")  # the page and the API count together
    assert post_upload(client, _file(1)).status_code == 302
    refused = post(2)
    assert refused.status_code == 429
    assert 590 <= int(refused.headers["Retry-After"]) <= 600
    body = refused.get_json()
    assert body["error"]["code"] == "UPLOAD-RATE"
    assert set(body["error"]["message"]) == {"nl", "en"}
    assert body["error"]["message"]["en"].startswith("You have uploaded 2 versions in the last 10 minutes")
    assert _versions(app) == 2


def test_zero_means_no_limit(app: Flask, client: FlaskClient, demo: None) -> None:
    app.config.update(UPLOAD_RATE_PER_USER=0, UPLOAD_RATE_PER_BOARD=0)
    log_in(client, "bestuur@demo.example")
    assert all(post_upload(client, _file(n)).status_code == 302 for n in range(5))
