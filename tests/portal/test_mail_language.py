"""E-mails in the recipient's language (Dutch unless they chose English), with times in Dutch
time and the language's notation: the receipt e-mail and DUO's correction request."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.db import get_db
from portal.filings.models import Receipt
from portal.outbox.models import Email

from ..samples import VALID
from .conftest import csrf_token, file_and_submit, log_in

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _mails(app: Flask) -> list[Email]:
    with app.app_context():
        mails = list(get_db().scalars(select(Email).order_by(Email.id)))
        get_db().expunge_all()
        return mails


def _received_at(app: Flask, number: str) -> object:
    with app.app_context():
        return get_db().scalar(select(Receipt.submitted_at).where(Receipt.number == number)).astimezone(AMSTERDAM)


def test_the_receipt_mail_is_in_dutch_with_dutch_time(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, VALID)
    (mail,) = _mails(app)
    at = _received_at(app, "JV-2025-41234-0001")
    assert mail.subject == "Ontvangstbewijs JV-2025-41234-0001"
    assert f"is ontvangen op {at:%d-%m-%Y %H:%M} (Nederlandse tijd)" in mail.body
    assert "UTC" not in mail.body and "annual report" not in mail.body  # one language, no English half


def test_a_member_who_chose_english_gets_english_mails(app: Flask, client: FlaskClient, demo: None,
                                                       switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})  # remembered for the user
    file_and_submit(app, client, VALID)
    (receipt_mail,) = _mails(app)
    at = _received_at(app, "JV-2025-41234-0001")
    assert receipt_mail.subject == "Receipt JV-2025-41234-0001"
    assert f"was received on {at:%d/%m/%Y %H:%M} (Dutch time)" in receipt_mail.body
    assert "UTC" not in receipt_mail.body and "ontvangen" not in receipt_mail.body

    switch("duo@demo.example")  # DUO works in Dutch; the board member still reads English
    client.post("/duo/2025/41234/correction", data={"csrf_token": csrf_token(client, "/duo/2025"),
                                                     "message": "De WNT-toelichting ontbreekt."})
    correction = _mails(app)[-1]
    assert correction.to == "bestuur@demo.example" and correction.subject == "Correction requested: annual report 2025"
    assert correction.body.startswith("DUO asks for a correction of the 2025 annual report of")
    assert "De WNT-toelichting ontbreekt." in correction.body and "vraagt" not in correction.body


def test_the_correction_request_mail_is_dutch_by_default(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "duo@demo.example")
    client.post("/duo/2025/41234/correction", data={"csrf_token": csrf_token(client, "/duo/2025"),
                                                     "message": "De WNT-toelichting ontbreekt."})
    (mail,) = _mails(app)
    assert mail.subject == "Verzoek om correctie: jaarverantwoording 2025"
    assert mail.body.startswith("DUO vraagt om een correctie van de jaarverantwoording 2025 van")
    assert "Correction" not in mail.body and "asks" not in mail.body
