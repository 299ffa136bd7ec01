"""A board's version with assurance and the annual report, submitted, and everything about it as
stored and as the board and DUO see it (for the tests that it never changes)."""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from portal.accountants.models import Assurance
from portal.db import get_db
from portal.filings.models import FilingDocument, Receipt
from portal.jobs import deliveries
from portal.storage import open_store

from ..samples import VALID
from .accountant_steps import ACCOUNTANT, attach, authorise, make_key, upload
from .conftest import csrf_token, log_in, submit

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


def client_of(app: Flask, email: str) -> FlaskClient:
    """A client of its own, logged in as `email`."""
    client = app.test_client()
    log_in(client, email)
    return client


def submitted_version(app: Flask, runner: FlaskCliRunner, with_assurance: bool = True) -> World:
    """The version submitted (with the accountant's assurance and the annual report unless told not)
    and delivered; API tokens for the board member and the accountant."""
    board, accountant, duo = (client_of(app, e) for e in ("bestuur@demo.example", ACCOUNTANT, "duo@demo.example"))
    authorise(board)
    filing_id = upload(app, board, VALID)
    if with_assurance:
        make_key(accountant)
        assert "handtekening geldig" in attach(accountant, filing_id)
        board.post(f"/filings/{filing_id}/documents", content_type="multipart/form-data",
                   data={"csrf_token": csrf_token(board, "/"), "file": (file(ANNUAL), "jaarverslag.pdf")})
    assert submit(board, filing_id).status_code == 302
    with app.app_context():
        deliveries.process(app)
    tokens = {email: {"Authorization": "Bearer " + runner.invoke(args=["tokens", "create", email]).output.strip()}
              for email in ("bestuur@demo.example", ACCOUNTANT)}
    return World(app, board, accountant, duo, filing_id, tokens)


def file(data: bytes) -> io.BytesIO:
    """An upload's content."""
    return io.BytesIO(data)


def section(html: str, pattern: str) -> str:
    """The part of a page matching `pattern`, without its CSRF tokens."""
    match = re.search(pattern, html, re.S)
    assert match, pattern
    return re.sub(r'name="csrf_token" value="[^"]*"', "", match.group(0))


def rows(app: Flask, filing_id: int) -> dict[str, Any]:
    """The version's rows exactly as stored: documents, assurances, receipt."""
    with app.app_context():
        db = get_db()
        columns = {model: [c.key for c in model.__table__.columns] for model in (FilingDocument, Assurance, Receipt)}
        rows = {model.__tablename__: [tuple(getattr(row, c) for c in columns[model]) for row in db.scalars(
            select(model).where(model.filing_id == filing_id).order_by(model.id))] for model in columns}
        db.close()
    return rows


def seen(world: World) -> dict[str, Any]:
    """Everything about the submitted version as it is stored and as the board and DUO see it."""
    f = world.filing_id
    seen: dict[str, Any] = {"rows": rows(world.app, f)}
    store = open_store(world.app)
    receipt = json.loads(world.board.get(f"/receipts/{RECEIPT}.json").data)
    seen["stored"] = {x["sha256"]: hashlib.sha256(store.get(x["sha256"])).hexdigest() for x in receipt["files"]}
    for name, client in (("board", world.board), ("duo", world.duo)):
        page = client.get(f"/filings/{f}").get_data(as_text=True)
        seen[f"{name} page"] = section(page, r'<section class="card assurance" id="assurance">.*?</section>')
        seen[f"{name} receipt page"] = section(client.get(f"/receipts/{RECEIPT}").get_data(as_text=True),
                                                r'<dl class="facts">.*?</dl>')
        seen[f"{name} receipt"] = client.get(f"/receipts/{RECEIPT}.json").get_json()
        seen[f"{name} assurance"] = client.get(f"/filings/{f}/assurance.json").data
        seen[f"{name} downloads"] = {kind: hashlib.sha256(client.get(f"/filings/{f}/documents/{kind}").data).hexdigest()
                                     for kind in ("annual-report", "auditor-report")}
    seen["api receipt"] = world.board.get(f"/api/v1/filings/{f}", headers=world.tokens["bestuur@demo.example"]
                                          ).get_json()["receipt"]
    return seen
