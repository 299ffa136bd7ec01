"""Submitting: the declaration, only valid versions, the receipt, corrections, late, the log."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.db import get_db
from portal.outbox.models import Email

from ..samples import BROKEN, VALID, WARNING
from .conftest import csrf_token, log_in, run_jobs, upload_page


def _uploaded(app: Flask, client: FlaskClient, data: bytes) -> int:
    location = upload_page(client, data)
    run_jobs(app)
    return int(location.rsplit("/", 1)[1])


def _submit(client: FlaskClient, filing_id: int, declared: bool = True) -> object:
    data = {"csrf_token": csrf_token(client, f"/filings/{filing_id}")}
    if declared:
        data["declaration"] = "yes"
    return client.post(f"/filings/{filing_id}/submit", data=data)


@pytest.fixture
def board_user(client: FlaskClient, demo: None) -> FlaskClient:
    log_in(client, "bestuur@demo.example")
    return client


def test_submit_gives_a_receipt_with_every_fact(app: Flask, board_user: FlaskClient) -> None:
    filing_id = _uploaded(app, board_user, VALID)
    response = _submit(board_user, filing_id)
    assert response.headers["Location"] == "/receipts/JV-2025-41234-0001"
    receipt = board_user.get("/receipts/JV-2025-41234-0001.json")
    assert receipt.headers["Content-Disposition"] == 'attachment; filename=JV-2025-41234-0001.json'
    body = receipt.get_json()
    assert set(body) >= {"number", "submitted_at", "submitted_by", "board", "year", "files", "taxonomy", "status", "late"}
    assert body["files"] == [{"kind": "xbrl", "name": "jv.xbrl", "size": len(VALID),
                              "sha256": __import__("hashlib").sha256(VALID).hexdigest()}]
    assert body["submitted_by"] == "bestuur@demo.example" and body["status"] == "valid"
    assert body["taxonomy"]["entry_point"].endswith("edu-rpt-jaarverantwoording-2025.xsd")
    pdf = board_user.get("/receipts/JV-2025-41234-0001.pdf")
    assert pdf.data.startswith(b"%PDF") and pdf.headers["Content-Disposition"].startswith("attachment")
    with app.app_context():
        (mail,) = get_db().scalars(select(Email)).all()
        assert mail.to == "bestuur@demo.example" and "JV-2025-41234-0001" in mail.subject
    assert "JV-2025-41234-0001" in board_user.get("/outbox").get_data(as_text=True)


def test_submitting_needs_the_declaration_and_no_errors(app: Flask, board_user: FlaskClient) -> None:
    broken = _uploaded(app, board_user, BROKEN)
    response = _submit(board_user, broken)
    assert response.status_code == 409 and "zonder fouten" in response.get_data(as_text=True)
    valid = _uploaded(app, board_user, VALID)
    response = _submit(board_user, valid, declared=False)
    assert response.status_code == 400 and "verklaring" in response.get_data(as_text=True)
    assert _submit(board_user, _uploaded(app, board_user, WARNING)).status_code == 302  # warnings may be submitted


def test_the_same_version_twice_is_one_submission(app: Flask, board_user: FlaskClient) -> None:
    filing_id = _uploaded(app, board_user, VALID)
    first = _submit(board_user, filing_id).headers["Location"]
    assert _uploaded(app, board_user, VALID) == filing_id  # the same bytes are the same version
    assert _submit(board_user, filing_id).headers["Location"] == first


def test_a_correction_supersedes_and_late_is_marked(app: Flask, board_user: FlaskClient) -> None:
    app.config["DEADLINES"] = "2025=2099-07-01"
    _submit(board_user, _uploaded(app, board_user, WARNING))
    app.config["DEADLINES"] = "2025=2020-07-01"  # the deadline has passed
    _submit(board_user, _uploaded(app, board_user, VALID))
    assert board_user.get("/receipts/JV-2025-41234-0001.json").get_json()["late"] is False
    assert board_user.get("/receipts/JV-2025-41234-0002.json").get_json()["late"] is True
    page = board_user.get("/boards/41234/2025").get_data(as_text=True)
    assert page.index("JV-2025-41234-0002") < page.index("Telt als de ingediende") < page.index("JV-2025-41234-0001")
    assert "Vervangen door een latere indiening" in page


def test_other_people_cannot_submit_or_see_the_receipt(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    filing_id = _uploaded(app, client, VALID)
    assert _submit(client, filing_id).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, "bestuur2@demo.example")
    assert _submit(client, filing_id).status_code == 404
    for suffix in ("", ".json", ".pdf"):
        assert client.get(f"/receipts/JV-2025-41234-0001{suffix}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, "duo@demo.example")  # a recipient reads filings, but does not file them
    assert _submit(client, filing_id).status_code == 404


def test_every_step_is_in_the_log_for_the_board(app: Flask, board_user: FlaskClient) -> None:
    _submit(board_user, _uploaded(app, board_user, VALID))
    with app.app_context():
        actions = [e.action for e in get_db().scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["user.logged_in", "filing.uploaded", "filing.validated", "filing.submitted"]
    page = board_user.get("/boards/41234/2025").get_data(as_text=True)
    assert "filing.submitted" in page and "127.0.0.1" in page


def test_admins_see_every_event_others_their_own_or_none(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    _uploaded(app, client, VALID)
    for email, expected in (("beheer@demo.example", 200), ("bestuur2@demo.example", 200), ("duo@demo.example", 404)):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
        log_in(client, email)
        page = client.get("/audit")
        assert page.status_code == expected
        if email == "beheer@demo.example":
            assert "filing.uploaded" in page.get_data(as_text=True)
        if email == "bestuur2@demo.example":  # another board's events are not theirs
            assert "filing.uploaded" not in page.get_data(as_text=True)


def test_the_receipt_pdf_reads_in_dutch_time_and_words(app: Flask, board_user: FlaskClient) -> None:
    filing_id = _uploaded(app, board_user, VALID)
    _submit(board_user, filing_id)
    body = board_user.get("/receipts/JV-2025-41234-0001.json").get_json()
    moment = datetime.fromisoformat(body["submitted_at"].replace("Z", "+00:00")).astimezone(ZoneInfo("Europe/Amsterdam"))
    pdf = board_user.get("/receipts/JV-2025-41234-0001.pdf").data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"{moment:%d-%m-%Y %H:%M:%S} (Nederlandse tijd" in text and body["submitted_at"] not in text
    assert "geldig / valid" in text
    assert f"{len(VALID):,} bytes".replace(",", ".") in text


def test_the_receipt_says_late_or_on_time_under_a_heading_that_fits_both(app: Flask,
                                                                          board_user: FlaskClient) -> None:
    _submit(board_user, _uploaded(app, board_user, VALID))  # 2025's deadline (1 July 2026) has passed
    page = board_user.get("/receipts/JV-2025-41234-0001").get_data(as_text=True)
    assert '<dt>Termijn</dt><dd><span class="badge invalid">Te laat</span></dd>' in page and "Op tijd" not in page
    app.config["DEADLINES"] = "2025=2099-07-01"  # moved: the correction is in time
    _submit(board_user, _uploaded(app, board_user, VALID + b"<!-- correctie -->"))
    page = board_user.get("/receipts/JV-2025-41234-0002").get_data(as_text=True)
    assert "<dt>Termijn</dt><dd>Op tijd</dd>" in page and "Te laat" not in page
