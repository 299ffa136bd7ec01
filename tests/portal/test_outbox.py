"""E-mail by SMTP when configured, against a real SMTP server; the outbox keeps what cannot be sent."""

from __future__ import annotations

import io
from collections.abc import Iterator
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from portal.db import get_db
from portal.outbox.models import Email
from taxonomies.samples import SAMPLES_DIR

from .conftest import csrf_token, free_port, log_in, run_jobs


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[object] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, _Inbox]]:
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def _submit_something(app: Flask, client: FlaskClient) -> None:
    log_in(client, "bestuur@demo.example")
    data = (SAMPLES_DIR / "2025/valid/po-small.xbrl").read_bytes()
    client.post("/boards/41234/2025/upload", data={"csrf_token": csrf_token(client, "/boards/41234/2025"),
                                                   "file": (io.BytesIO(data), "jv.xbrl")}, content_type="multipart/form-data")
    run_jobs(app)
    client.post("/filings/1/submit", data={"csrf_token": csrf_token(client, "/filings/1"), "declaration": "yes"})


def test_the_receipt_mail_is_sent_by_smtp(app: Flask, client: FlaskClient, runner: FlaskCliRunner, demo: None,
                                          smtp_server: tuple[int, _Inbox]) -> None:
    port, inbox = smtp_server
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_FROM="portaal@onderwijs.example")
    _submit_something(app, client)
    assert "1 sent" in runner.invoke(args=["outbox", "send"]).output
    (message,) = inbox.messages
    assert message["To"] == "bestuur@demo.example" and "JV-2025-41234-0001" in message["Subject"]
    assert "SHA-256" in message.get_payload()
    with app.app_context():
        (mail,) = get_db().scalars(select(Email)).all()
        assert mail.sent_at is not None and mail.last_error is None
    assert "0 sent" in runner.invoke(args=["outbox", "send"]).output  # sent once


def test_an_unreachable_server_keeps_the_mail_in_the_outbox(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                            demo: None) -> None:
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())  # nothing listens there
    _submit_something(app, client)
    assert "0 sent" in runner.invoke(args=["outbox", "send"]).output
    with app.app_context():
        (mail,) = get_db().scalars(select(Email)).all()
        assert mail.sent_at is None and mail.attempts == 1 and mail.last_error
    assert "JV-2025-41234-0001" in client.get("/outbox").get_data(as_text=True)  # still readable in the portal
