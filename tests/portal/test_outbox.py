"""E-mail by SMTP when configured, against a real SMTP server; the outbox keeps what cannot be sent."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from portal.db import get_db
from portal.jobs.lease import job_lock
from portal.outbox.models import Email

from ..samples import VALID
from .conftest import file_and_submit, free_port, log_in

ROOT = Path(__file__).resolve().parents[2]


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
    file_and_submit(app, client, VALID)


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


def test_the_command_does_not_send_while_a_worker_sends(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                        demo: None, smtp_server: tuple[int, _Inbox]) -> None:
    port, inbox = smtp_server
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    _submit_something(app, client)
    with app.app_context():
        db = get_db()
        with job_lock(db, "housekeeping", timedelta(minutes=10)) as held:  # a worker's housekeeping, mid-run
            assert held
            busy = runner.invoke(args=["outbox", "send"])
            assert busy.exit_code == 1 and "OUTBOX-BUSY" in busy.output
            assert inbox.messages == []
    assert "1 sent" in runner.invoke(args=["outbox", "send"]).output  # once the worker is done


class _SlowInbox(_Inbox):
    """Accepts the first message, then keeps the second one waiting (a server that stalls)."""

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        if self.messages:
            await asyncio.sleep(60)
        return await super().handle_DATA(server, session, envelope)


def test_a_sender_killed_mid_batch_keeps_what_it_sent(app: Flask, database_url: str, demo: None,
                                                      tmp_path: Path) -> None:
    inbox = _SlowInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with app.app_context():
            db = get_db()
            db.add_all([Email(to=f"lid{n}@demo.example", subject=f"Bericht {n}", body="...") for n in (1, 2)])
            db.commit()
        env = dict(os.environ, PORTAL_INSTANCE_PATH=app.instance_path, PORTAL_DATABASE_URL=database_url,
                   PORTAL_WORKER="none", PORTAL_SMTP_HOST="127.0.0.1", PORTAL_SMTP_PORT=str(port))
        sender = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "app", "outbox", "send"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # the first message is accepted; the second waits on the server
        sender.kill()
        sender.wait(timeout=10)
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    with app.app_context():
        sent = {mail.subject: mail.sent_at is not None for mail in get_db().scalars(select(Email))}
    assert sent == {"Bericht 1": True, "Bericht 2": False}  # the next run sends the second only
