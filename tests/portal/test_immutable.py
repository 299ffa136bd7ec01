"""What was submitted never changes: once a version has a receipt, no document or assurance is
added to it, every download serves exactly the bytes on the receipt, and the pages show the
assurance the receipt shows. (Every state-changing route is tried in test_every_route.py.)"""

from __future__ import annotations

import hashlib
import json
import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, text

from portal.filings.documents import ensure_open, put_document
from portal.accountants.models import AccountantKey, Assurance
from portal.users.models import User
from portal.db import get_db
from portal.submissions import receipts as submission
from portal.filings.models import Filing, FilingDocument, ImmutableRowError, Receipt
from portal.storage import open_store
from validators import assurance

from ..samples import VALID
from .accountant_steps import ACCOUNTANT, FIRM, OTHER_PDF, PASSPHRASE, PDF, attach_raw, make_key, upload
from .conftest import csrf_token, log_in, submit
from .stored import damage
from .submitted import ANNUAL, RECEIPT, file, section, seen, submitted_version

def test_nothing_is_attached_to_a_submitted_version(app: Flask, runner: FlaskCliRunner, demo: None) -> None:
    world = submitted_version(app, runner)
    before = seen(world)
    receipt = before["board receipt"]
    assert receipt["assurance"]["signature_valid"] is True
    assert {x["kind"] for x in receipt["files"]} == {"xbrl", "annual-report", "auditor-report"}

    # A submitted version offers no forms to add anything; a request made anyway is refused.
    assert 'name="key_id"' not in world.accountant.get(f"/filings/{world.filing_id}").get_data(as_text=True)
    with app.app_context():
        key_id = str(get_db().scalar(select(AccountantKey.id)))
    refused = attach_raw(world.accountant, world.filing_id, key_id, pdf=OTHER_PDF)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "SUBMITTED-IMMUTABLE" in page
    assert f"Deze versie is ingediend (ontvangstbewijs {RECEIPT}) en verandert niet meer" in page
    added = world.board.post(f"/filings/{world.filing_id}/documents", content_type="multipart/form-data",
                             data={"csrf_token": csrf_token(world.board, "/"), "file": (file(OTHER_PDF), "ander.pdf")})
    assert added.status_code == 409 and "SUBMITTED-IMMUTABLE" in added.get_data(as_text=True)
    world.board.post("/language/en", data={"csrf_token": csrf_token(world.board, "/")})
    added = world.board.post(f"/filings/{world.filing_id}/documents", content_type="multipart/form-data",
                             data={"csrf_token": csrf_token(world.board, "/"), "file": (file(OTHER_PDF), "ander.pdf")})
    assert f"This version was submitted (receipt {RECEIPT}) and no longer changes" in added.get_data(as_text=True)
    world.board.post("/language/nl", data={"csrf_token": csrf_token(world.board, "/")})
    assert seen(world) == before


def test_a_version_submitted_without_assurance_shows_none(app: Flask, runner: FlaskCliRunner, demo: None) -> None:
    """The finding: assurance attached after submission showed 'handtekening geldig' on the board's and
    DUO's pages while the receipt said none."""
    world = submitted_version(app, runner, with_assurance=False)
    assert world.board.get(f"/receipts/{RECEIPT}.json").get_json()["assurance"] is None
    make_key(world.accountant)
    with app.app_context():
        key_id = str(get_db().scalar(select(AccountantKey.id)))
    refused = attach_raw(world.accountant, world.filing_id, key_id)
    assert refused.status_code == 409 and "SUBMITTED-IMMUTABLE" in refused.get_data(as_text=True)
    with app.app_context():
        assert get_db().scalar(select(Assurance.id)) is None
    # Even a row that got there anyway (as the earlier code let it) is not what the version shows.
    _legacy_assurance_row(app, world.filing_id)
    for client in (world.board, world.duo):
        page = client.get(f"/filings/{world.filing_id}").get_data(as_text=True)
        part = section(page, r'<section class="card assurance" id="assurance">.*?</section>')
        assert "handtekening geldig" not in page and "geen digitale accountantsverklaring" in part
        assert client.get(f"/filings/{world.filing_id}/assurance.json").status_code == 404
        assert client.get(f"/filings/{world.filing_id}/documents/auditor-report").status_code == 404


def _legacy_assurance_row(app: Flask, filing_id: int) -> None:
    """An assurance row added to a submitted version behind the portal's back (straight into the database)."""
    with app.app_context():
        db = get_db()
        filing, key = db.get(Filing, filing_id), db.scalar(select(AccountantKey))
        store = open_store(app)
        statement = assurance.Statement.for_files(store.get(filing.file_sha256), PDF, "41234", 2025, "goedkeurend",
                                                  "2026-03-15", assurance.Signer(ACCOUNTANT, FIRM))
        document = assurance.sign(statement, key.encrypted_private_pem.encode(), PASSPHRASE.encode())
        store.put(PDF)
        db.add(Assurance(filing_id=filing_id, accountant_id=key.user_id, firm_id=key.user.firm_id, key_id=key.id,
                         opinion="goedkeurend", opinion_date="2026-03-15",
                         auditor_report_sha256=statement.auditor_report_sha256, document_json=json.dumps(document)))
        db.commit()


def test_downloads_serve_exactly_the_receipts_bytes(app: Flask, runner: FlaskCliRunner, demo: None) -> None:
    world = submitted_version(app, runner)
    receipt = world.board.get(f"/receipts/{RECEIPT}.json").get_json()
    on_receipt = {x["kind"]: x["sha256"] for x in receipt["files"]}
    attach_raw(world.accountant, world.filing_id, "1", pdf=OTHER_PDF)  # an attempted change: refused
    # A row changed behind the portal's back (as the earlier code overwrote it): the receipt still decides.
    other = open_store(app).put(OTHER_PDF)
    with app.app_context():
        db = get_db()
        db.execute(text("UPDATE filing_documents SET sha256 = :sha256"), {"sha256": other})
        db.commit()
    for client in (world.board, world.duo, world.accountant):
        for kind in ("annual-report", "auditor-report"):
            download = client.get(f"/filings/{world.filing_id}/documents/{kind}")
            assert download.status_code == 200 and hashlib.sha256(download.data).hexdigest() == on_receipt[kind]
            assert download.headers["Content-Disposition"].startswith("attachment")
    # Stored bytes that no longer match their sha256 are never served.
    damage(app, on_receipt["auditor-report"], OTHER_PDF)
    refused = world.board.get(f"/filings/{world.filing_id}/documents/auditor-report")
    assert refused.status_code == 503 and OTHER_PDF not in refused.data


def test_document_assurance_and_receipt_rows_are_never_updated(app: Flask, runner: FlaskCliRunner,
                                                               demo: None) -> None:
    world = submitted_version(app, runner)
    with app.app_context():
        db = get_db()
        for model, column, value in ((FilingDocument, "sha256", "0" * 64), (Assurance, "opinion", "afkeurend"),
                                     (Receipt, "body_json", "{}")):
            row = db.scalar(select(model).where(model.filing_id == world.filing_id).limit(1))
            setattr(row, column, value)
            with pytest.raises(ImmutableRowError):
                db.flush()
            db.rollback()
    assert world.board.get(f"/receipts/{RECEIPT}.json").get_json()["assurance"]["opinion"] == "goedkeurend"


def test_a_new_document_before_submission_is_a_new_row_and_the_latest_counts(app: Flask, client: FlaskClient,
                                                                              demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    filing_id = upload(app, client, VALID)
    for data in (PDF, OTHER_PDF):
        client.post(f"/filings/{filing_id}/documents", content_type="multipart/form-data",
                    data={"csrf_token": csrf_token(client, "/"), "file": (file(data), "jaarverslag.pdf")})
    assert client.get(f"/filings/{filing_id}/documents/annual-report").data == OTHER_PDF
    with app.app_context():
        rows = get_db().scalars(select(FilingDocument.sha256).order_by(FilingDocument.id)).all()
    assert rows == [hashlib.sha256(PDF).hexdigest(), hashlib.sha256(OTHER_PDF).hexdigest()]
    submit(client, filing_id)
    receipt = client.get(f"/receipts/{RECEIPT}.json").get_json()
    assert [x["sha256"] for x in receipt["files"] if x["kind"] == "annual-report"] == [rows[1]]


def test_a_submission_waits_for_a_document_being_added(app: Flask, client: FlaskClient, demo: None,
                                                       database_url: str) -> None:
    """Adding and submitting at the same moment: the submission waits for the version's row, so the
    document is either in the receipt or refused, never added after it (PostgreSQL; SQLite lets one
    writer at a time in anyway)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time")
    log_in(client, "bestuur@demo.example")
    filing_id = upload(app, client, VALID)
    submitted: list[str] = []

    def submit_now() -> None:
        with app.app_context():
            db = get_db()
            member = db.scalar(select(User).where(User.email == "bestuur@demo.example"))
            receipt, _created = submission.submit(db, open_store(app), member, filing_id, True)
            db.commit()
            submitted.append(receipt.body_json)

    with app.app_context():
        db = app.extensions["db_sessions"]()
        filing = db.get(Filing, filing_id)
        ensure_open(db, filing)  # an annual report being added: the version's row is locked
        waiting = threading.Thread(target=submit_now)
        waiting.start()
        waiting.join(timeout=2)
        assert waiting.is_alive() and not submitted  # the submission waits
        put_document(db, open_store(app), filing.uploaded_by, filing, "annual-report", ANNUAL, "jaarverslag.pdf")
        db.commit()
        db.close()
    waiting.join(timeout=60)
    files = json.loads(submitted[0])["files"]
    assert [x["sha256"] for x in files if x["kind"] == "annual-report"] == [hashlib.sha256(ANNUAL).hexdigest()]
