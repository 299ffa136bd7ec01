"""What was submitted never changes: once a version has a receipt, no document or assurance is
added to it, every download serves exactly the bytes on the receipt, and the pages show the
assurance the receipt shows. Every state-changing route of the app is tried against it."""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, text

from portal.accountants.documents import ensure_open, put_document
from portal.accountants.models import AccountantKey, Assurance, Authorisation
from portal.accounts.models import User
from portal.db import get_db
from portal.filings import submission
from portal.filings.models import Filing, FilingDocument, ImmutableRowError, Receipt
from portal.jobs import core, deliveries
from portal.recipients.models import Delivery
from validators import assurance

from .accountant_steps import (ACCOUNTANT, FIRM, OTHER_PDF, PASSPHRASE, PDF, VALID, VALID_INLINE, attach,
                               attach_raw, authorise, make_key, register_key, submit, upload)
from portal.cli import DEMO_PASSWORD

from .conftest import csrf_token, log_in

RECEIPT = "JV-2025-41234-0001"
ANNUAL = b"%PDF-1.7\n% jaarverslag\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    """A board's version, with assurance and the annual report, submitted; a client per role."""

    app: Flask
    board: FlaskClient
    accountant: FlaskClient
    duo: FlaskClient
    filing_id: int
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)


def _client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    log_in(client, email)
    return client


def _world(app: Flask, runner: FlaskCliRunner, with_assurance: bool = True) -> World:
    board, accountant, duo = (_client(app, e) for e in ("bestuur@demo.example", ACCOUNTANT, "duo@demo.example"))
    authorise(board)
    filing_id = upload(app, board, VALID)
    if with_assurance:
        make_key(accountant)
        assert "handtekening geldig" in attach(accountant, filing_id)
        board.post(f"/filings/{filing_id}/documents", content_type="multipart/form-data",
                   data={"csrf_token": csrf_token(board, "/"), "file": (_file(ANNUAL), "jaarverslag.pdf")})
    assert submit(board, filing_id).status_code == 302
    with app.app_context():
        deliveries.process(app)
    tokens = {email: {"Authorization": "Bearer " + runner.invoke(args=["tokens", "create", email]).output.strip()}
              for email in ("bestuur@demo.example", ACCOUNTANT)}
    return World(app, board, accountant, duo, filing_id, tokens)


def _file(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def _section(html: str, pattern: str) -> str:
    match = re.search(pattern, html, re.S)
    assert match, pattern
    return re.sub(r'name="csrf_token" value="[^"]*"', "", match.group(0))


def _rows(app: Flask, filing_id: int) -> dict[str, Any]:
    """The version's rows exactly as stored: documents, assurances, receipt."""
    with app.app_context():
        db = get_db()
        columns = {model: [c.key for c in model.__table__.columns] for model in (FilingDocument, Assurance, Receipt)}
        rows = {model.__tablename__: [tuple(getattr(row, c) for c in columns[model]) for row in db.scalars(
            select(model).where(model.filing_id == filing_id).order_by(model.id))] for model in columns}
        db.close()
    return rows


def _seen(world: World) -> dict[str, Any]:
    """Everything about the submitted version as it is stored and as the board and DUO see it."""
    f = world.filing_id
    seen: dict[str, Any] = {"rows": _rows(world.app, f)}
    store = core.store(world.app)
    receipt = json.loads(world.board.get(f"/receipts/{RECEIPT}.json").data)
    seen["stored"] = {x["sha256"]: hashlib.sha256(store.get(x["sha256"])).hexdigest() for x in receipt["files"]}
    for name, client in (("board", world.board), ("duo", world.duo)):
        page = client.get(f"/filings/{f}").get_data(as_text=True)
        seen[f"{name} page"] = _section(page, r'<section class="card assurance" id="assurance">.*?</section>')
        seen[f"{name} receipt page"] = _section(client.get(f"/receipts/{RECEIPT}").get_data(as_text=True),
                                                r'<dl class="facts">.*?</dl>')
        seen[f"{name} receipt"] = client.get(f"/receipts/{RECEIPT}.json").get_json()
        seen[f"{name} assurance"] = client.get(f"/filings/{f}/assurance.json").data
        seen[f"{name} downloads"] = {kind: hashlib.sha256(client.get(f"/filings/{f}/documents/{kind}").data).hexdigest()
                                     for kind in ("annual-report", "auditor-report")}
    seen["api receipt"] = world.board.get(f"/api/v1/filings/{f}", headers=world.tokens["bestuur@demo.example"]
                                          ).get_json()["receipt"]
    return seen


# --- the rules, one at a time ------------------------------------------------------------------------------

def test_nothing_is_attached_to_a_submitted_version(app: Flask, runner: FlaskCliRunner, demo: None) -> None:
    world = _world(app, runner)
    before = _seen(world)
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
                             data={"csrf_token": csrf_token(world.board, "/"), "file": (_file(OTHER_PDF), "ander.pdf")})
    assert added.status_code == 409 and "SUBMITTED-IMMUTABLE" in added.get_data(as_text=True)
    world.board.post("/language/en", data={"csrf_token": csrf_token(world.board, "/")})
    added = world.board.post(f"/filings/{world.filing_id}/documents", content_type="multipart/form-data",
                             data={"csrf_token": csrf_token(world.board, "/"), "file": (_file(OTHER_PDF), "ander.pdf")})
    assert f"This version was submitted (receipt {RECEIPT}) and no longer changes" in added.get_data(as_text=True)
    world.board.post("/language/nl", data={"csrf_token": csrf_token(world.board, "/")})
    assert _seen(world) == before


def test_a_version_submitted_without_assurance_shows_none(app: Flask, runner: FlaskCliRunner, demo: None) -> None:
    """The finding: assurance attached after submission showed 'handtekening geldig' on the board's and
    DUO's pages while the receipt said none."""
    world = _world(app, runner, with_assurance=False)
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
        section = _section(page, r'<section class="card assurance" id="assurance">.*?</section>')
        assert "handtekening geldig" not in page and "geen digitale accountantsverklaring" in section
        assert client.get(f"/filings/{world.filing_id}/assurance.json").status_code == 404
        assert client.get(f"/filings/{world.filing_id}/documents/auditor-report").status_code == 404


def _legacy_assurance_row(app: Flask, filing_id: int) -> None:
    """An assurance row added to a submitted version behind the portal's back (SQL, not the services)."""
    with app.app_context():
        db = get_db()
        filing, key = db.get(Filing, filing_id), db.scalar(select(AccountantKey))
        store = core.store(app)
        statement = assurance.Statement.for_files(store.get(filing.file_sha256), PDF, "41234", 2025, "goedkeurend",
                                                  "2026-03-15", assurance.Signer(ACCOUNTANT, FIRM))
        document = assurance.sign(statement, key.encrypted_private_pem.encode(), PASSPHRASE.encode())
        store.put(PDF)
        db.add(Assurance(filing_id=filing_id, accountant_id=key.user_id, firm_id=key.user.firm_id, key_id=key.id,
                         opinion="goedkeurend", opinion_date="2026-03-15",
                         auditor_report_sha256=statement.auditor_report_sha256, document_json=json.dumps(document)))
        db.commit()


def test_downloads_serve_exactly_the_receipts_bytes(app: Flask, runner: FlaskCliRunner, demo: None) -> None:
    world = _world(app, runner)
    receipt = world.board.get(f"/receipts/{RECEIPT}.json").get_json()
    on_receipt = {x["kind"]: x["sha256"] for x in receipt["files"]}
    attach_raw(world.accountant, world.filing_id, "1", pdf=OTHER_PDF)  # an attempted change: refused
    # A row changed behind the portal's back (as the earlier code overwrote it): the receipt still decides.
    other = core.store(app).put(OTHER_PDF)
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
    path = core.store(app)._path(on_receipt["auditor-report"])
    path.write_bytes(OTHER_PDF)
    with pytest.raises(OSError, match="damaged"):
        world.board.get(f"/filings/{world.filing_id}/documents/auditor-report")


def test_document_assurance_and_receipt_rows_are_never_updated(app: Flask, runner: FlaskCliRunner,
                                                               demo: None) -> None:
    world = _world(app, runner)
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
                    data={"csrf_token": csrf_token(client, "/"), "file": (_file(data), "jaarverslag.pdf")})
    assert client.get(f"/filings/{filing_id}/documents/annual-report").data == OTHER_PDF
    with app.app_context():
        rows = get_db().scalars(select(FilingDocument.sha256).order_by(FilingDocument.id)).all()
    assert rows == [hashlib.sha256(PDF).hexdigest(), hashlib.sha256(OTHER_PDF).hexdigest()]
    submit(client, filing_id)
    receipt = client.get(f"/receipts/{RECEIPT}.json").get_json()
    assert [x["sha256"] for x in receipt["files"] if x["kind"] == "annual-report"] == [rows[1]]


# --- every state-changing route, against the submitted version ---------------------------------------------

Action = Callable[[World], list[int]]


def _post(client: FlaskClient, path: str, **data: Any) -> int:
    form = {"csrf_token": csrf_token(client, "/"), **data}
    return client.post(path, data=form, content_type="multipart/form-data").status_code


def _ids(world: World) -> dict[str, int]:
    with world.app.app_context():
        db = get_db()
        return {"key": db.scalar(select(AccountantKey.id).order_by(AccountantKey.id)),
                "authorisation": db.scalar(select(Authorisation.id).where(Authorisation.withdrawn_at.is_(None))),
                "delivery": db.scalar(select(Delivery.id).where(Delivery.recipient == "duo"))}


def _keys(world: World) -> list[int]:
    private_pem, public_pem = assurance.generate_key(b"buiten het portaal")
    return [_post(world.board, "/accountant/keys", action="generate", passphrase=PASSPHRASE, passphrase2=PASSPHRASE),
            _post(world.accountant, "/accountant/keys", action="generate", passphrase=PASSPHRASE,
                  passphrase2=PASSPHRASE),
            register_key(world.accountant, public_pem, private_pem, b"buiten het portaal")[0]]


def _revoke(world: World) -> list[int]:
    key = _ids(world)["key"]  # the key the version's assurance was signed with
    return [_post(client, f"/accountant/keys/{key}/revoke") for client in (world.board, world.accountant)]


def _api_upload(world: World) -> list[int]:
    statuses = []
    for email, test in (("bestuur@demo.example", "false"), ("bestuur@demo.example", "false"), (ACCOUNTANT, "true")):
        for data in (VALID, VALID_INLINE):  # the same bytes give the submitted version back; others a new one
            statuses.append(world.board.post("/api/v1/filings", headers=world.tokens[email],
                                             content_type="multipart/form-data",
                                             data={"file": (_file(data), "jv.xbrl"), "board": "41234",
                                                   "year": "2025", "test": test}).status_code)
    return statuses


def _api_submit(world: World) -> list[int]:
    return [world.board.post(f"/api/v1/filings/{world.filing_id}/submit", headers=world.tokens[email],
                             json={"declaration": True}).status_code for email in ("bestuur@demo.example", ACCOUNTANT)]


def _withdraw(world: World) -> list[int]:
    authorisation = _ids(world)["authorisation"]
    statuses = [_post(world.accountant, f"/authorisations/{authorisation}/withdraw"),
                _post(world.board, f"/authorisations/{authorisation}/withdraw")]
    authorise(world.board)  # the firm again, for the routes after this one
    return statuses


def _authorise(world: World) -> list[int]:
    return [_post(world.accountant, "/boards/41234/2025/authorisations", firm_id="1"),
            _post(world.board, "/boards/41234/2025/authorisations", firm_id="1")]


def _upload(world: World) -> list[int]:
    return [_post(client, "/boards/41234/2025/upload", file=(_file(data), "jv.xbrl"), **extra)
            for client, extra in ((world.board, {}), (world.board, {"test": "yes"}), (world.accountant, {}))
            for data in (VALID, VALID_INLINE)]


def _correction(world: World) -> list[int]:
    return [_post(client, "/duo/2025/41234/correction", message="Graag de jaarrekening corrigeren.")
            for client in (world.board, world.accountant, world.duo)]


def _acknowledge(world: World) -> list[int]:
    delivery = _ids(world)["delivery"]
    return [_post(client, f"/duo/deliveries/{delivery}/acknowledge") for client in (world.board, world.accountant,
                                                                                    world.duo)]


def _assurance(world: World) -> list[int]:
    key = str(_ids(world)["key"])
    filing_bytes = VALID
    statement = assurance.Statement.for_files(filing_bytes, OTHER_PDF, "41234", 2025, "goedkeurend", "2026-03-15",
                                              assurance.Signer(ACCOUNTANT, FIRM))
    with world.app.app_context():
        private = get_db().get(AccountantKey, int(key)).encrypted_private_pem.encode()
    signed = json.dumps(assurance.sign(statement, private, PASSPHRASE.encode())).encode()
    statuses = [attach_raw(client, world.filing_id, key, pdf=OTHER_PDF).status_code
                for client in (world.board, world.accountant)]
    statuses.append(attach_raw(world.accountant, world.filing_id, key, signed=signed, pdf=OTHER_PDF).status_code)
    return statuses


def _documents(world: World) -> list[int]:
    return [_post(client, f"/filings/{world.filing_id}/documents", file=(_file(OTHER_PDF), "ander.pdf"))
            for client in (world.board, world.accountant)]


def _submit(world: World) -> list[int]:
    return [_post(client, f"/filings/{world.filing_id}/submit", declaration="yes")
            for client in (world.board, world.accountant)]


def _language(world: World) -> list[int]:
    return [_post(client, f"/language/{lang}") for client in (world.board, world.accountant, world.duo)
            for lang in ("en", "nl")]


def _login(world: World) -> list[int]:
    """Each logs in again (as itself) while logged in."""
    return [_post(client, "/login", email=email, password=DEMO_PASSWORD) for client, email in (
        (world.board, "bestuur@demo.example"), (world.accountant, ACCOUNTANT), (world.duo, "duo@demo.example"))]


def _logout(world: World) -> list[int]:
    statuses = []
    for client, email in ((world.board, "bestuur@demo.example"), (world.accountant, ACCOUNTANT),
                          (world.duo, "duo@demo.example")):
        statuses.append(_post(client, "/logout"))
        log_in(client, email)
    return statuses


# Each state-changing route with what the board, its authorised accountant (and DUO, where it may act)
# try there, and the answers expected; withdrawing the authorisation runs last but one, then login/out.
ROUTES: dict[tuple[str, str], tuple[Action, list[int]]] = {
    ("/filings/<int:filing_id>/assurance", "POST"): (_assurance, [404, 409, 409]),
    ("/filings/<int:filing_id>/documents", "POST"): (_documents, [409, 404]),
    ("/filings/<int:filing_id>/submit", "POST"): (_submit, [302, 404]),
    ("/api/v1/filings/<int:filing_id>/submit", "POST"): (_api_submit, [200, 404]),
    ("/api/v1/filings", "POST"): (_api_upload, [202] * 6),
    ("/boards/<number>/<int:year>/upload", "POST"): (_upload, [302] * 6),
    ("/accountant/keys", "POST"): (_keys, [404, 302, 302]),
    ("/accountant/keys/<int:key_id>/revoke", "POST"): (_revoke, [404, 302]),
    ("/boards/<number>/<int:year>/authorisations", "POST"): (_authorise, [404, 302]),
    ("/duo/<int:year>/<number>/correction", "POST"): (_correction, [403, 403, 302]),
    ("/duo/deliveries/<int:delivery_id>/acknowledge", "POST"): (_acknowledge, [403, 403, 302]),
    ("/authorisations/<int:authorisation_id>/withdraw", "POST"): (_withdraw, [404, 302]),
    ("/language/<lang>", "POST"): (_language, [302] * 6),
    ("/login", "POST"): (_login, [302, 302, 302]),
    ("/logout", "POST"): (_logout, [302, 302, 302]),
}


def test_every_state_changing_route_leaves_a_submitted_version_as_it_was(app: Flask, runner: FlaskCliRunner,
                                                                         demo: None) -> None:
    changing = {(rule.rule, method) for rule in app.url_map.iter_rules()
                for method in rule.methods & {"POST", "PUT", "PATCH", "DELETE"}}
    # A new route that changes state must be added to ROUTES, with what each role tries there.
    assert changing == set(ROUTES), (changing - set(ROUTES), set(ROUTES) - changing)
    world = _world(app, runner)
    before = _seen(world)
    assert before["board receipt"]["assurance"] is not None and "handtekening geldig" in before["board page"]
    for (rule, method), (action, expected) in ROUTES.items():
        assert action(world) == expected, rule
        assert _seen(world) == before, rule


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
            receipt, _created = submission.submit(db, member, filing_id, True)
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
        put_document(db, core.store(app), filing.uploaded_by, filing, "annual-report", ANNUAL, "jaarverslag.pdf")
        db.commit()
        db.close()
    waiting.join(timeout=60)
    files = json.loads(submitted[0])["files"]
    assert [x["sha256"] for x in files if x["kind"] == "annual-report"] == [hashlib.sha256(ANNUAL).hexdigest()]
