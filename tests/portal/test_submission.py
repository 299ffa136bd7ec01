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
from portal.boards.models import Board
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


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_receipt_pdf_reads_in_dutch_time_and_words(app: Flask, board_user: FlaskClient) -> None:
    filing_id = _uploaded(app, board_user, VALID)
    _submit(board_user, filing_id)
    body = board_user.get("/receipts/JV-2025-41234-0001.json").get_json()
    moment = datetime.fromisoformat(body["submitted_at"].replace("Z", "+00:00")).astimezone(ZoneInfo("Europe/Amsterdam"))
    offset = f"{moment:%z}"[:3] + ":" + f"{moment:%z}"[3:]  # +01:00 in winter, +02:00 in summer
    # In the reader's language, Dutch by default: a board hands it to its accountant as it is.
    dutch = _text(board_user.get("/receipts/JV-2025-41234-0001.pdf").data)
    assert f"Ingediend op {moment:%d-%m-%Y %H:%M:%S} Nederlandse tijd (UTC{offset})" in dutch
    assert body["submitted_at"] not in dutch and "Status Geldig" in dutch and "Termijn Te laat" in dutch
    assert "valid" not in dutch.lower() and "Dutch" not in dutch  # no English on a Dutch receipt
    assert f"{len(VALID):,} bytes".replace(",", ".") in dutch
    # What the receipt proves, exactly as the JSON has it.
    assert f"Nummer {body['number']}" in dutch and body["files"][0]["sha256"] in dutch
    assert body["submitted_by"] in dutch
    english = _text(board_user.get("/receipts/JV-2025-41234-0001.pdf?lang=en").data)
    assert f"Submitted at {moment:%d/%m/%Y %H:%M:%S} Dutch time (UTC{offset})" in english
    assert "Status Valid" in english and f"{len(VALID):,} bytes" in english and "Ingediend" not in english
    board_user.post("/language/en", data={"csrf_token": csrf_token(board_user, "/"), "next": "/"})
    assert "Status Valid" in _text(board_user.get("/receipts/JV-2025-41234-0001.pdf").data)
    assert "Status Geldig" in _text(board_user.get("/receipts/JV-2025-41234-0001.pdf?lang=nl").data)


def _fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF uses (without the subset's tag), each one embedded in the file."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or []  # a core font (Helvetica) has none: not embedded
            assert [d.get_object()["/FontDescriptor"].get("/FontFile2") is not None for d in descendants] == [True]
            names.add(font["/BaseFont"].split("+")[-1])
    return names


def test_the_receipt_and_the_report_are_one_portals_documents(app: Flask, board_user: FlaskClient) -> None:
    with app.app_context():
        db = get_db()
        board = db.scalar(select(Board).where(Board.number == "41234"))
        board.name = "Stichting Marie Skłodowska-Curie Reünie – €-fonds"  # not Latin-1, and a Dutch ë
        db.commit()
    filing_id = _uploaded(app, board_user, VALID)
    _submit(board_user, filing_id)
    receipt = board_user.get("/receipts/JV-2025-41234-0001.pdf").data
    report = board_user.get(f"/filings/{filing_id}/report.pdf").data
    for pdf in (receipt, report):
        assert "41234 Stichting Marie Skłodowska-Curie Reünie – €-fonds" in _text(pdf)
    assert _fonts(receipt) == _fonts(report) == {"DejaVuSansBook", "DejaVuSansBold", "DejaVuSansMonoBook"}
    assert len(receipt) < 60_000  # only the glyphs used are embedded, not the fonts' 1.8 MB


def test_the_receipt_says_late_or_on_time_under_a_heading_that_fits_both(app: Flask,
                                                                          board_user: FlaskClient) -> None:
    _submit(board_user, _uploaded(app, board_user, VALID))  # 2025's deadline (1 July 2026) has passed
    page = board_user.get("/receipts/JV-2025-41234-0001").get_data(as_text=True)
    assert '<dt>Termijn</dt><dd><span class="badge invalid">Te laat</span></dd>' in page and "Op tijd" not in page
    app.config["DEADLINES"] = "2025=2099-07-01"  # moved: the correction is in time
    _submit(board_user, _uploaded(app, board_user, VALID + b"<!-- correctie -->"))
    page = board_user.get("/receipts/JV-2025-41234-0002").get_data(as_text=True)
    assert "<dt>Termijn</dt><dd>Op tijd</dd>" in page and "Te laat" not in page
