"""A store that fails answers the API's JSON error STORAGE-UNAVAILABLE (503, Retry-After) and a
page that says so, never a 500; nothing is committed and no temporary file is left; a submission
whose assurance cannot be read from the store waits rather than calling it invalid for good."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from portal.db import get_db
from portal.filings.models import Filing, FilingDocument, Receipt

from ..samples import VALID
from .accountant_steps import ACCOUNTANT, attach, authorise, make_key, upload
from .conftest import log_in, post_upload
from .stored import damage
from .submitted import client_of, submitted_version


def _unwritable(app: Flask, tmp_path: Path) -> None:
    """A files folder that cannot be made: its parent is a file (root writes anywhere else)."""
    (tmp_path / "not-a-folder").write_bytes(b"")
    app.config["FILE_STORE"] = "folder"
    app.config["FILES_PATH"] = str(tmp_path / "not-a-folder" / "files")


def _filings(app: Flask) -> int:
    with app.app_context():
        return get_db().scalar(select(func.count(Filing.id)))


def _auditor_report(app: Flask, filing_id: int) -> str:
    with app.app_context():
        return get_db().scalars(select(FilingDocument.sha256).where(FilingDocument.filing_id == filing_id,
                                                                    FilingDocument.kind == "auditor-report")).one()


def _storage_unavailable(response: object) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:500]  # type: ignore[attr-defined]
    assert response.headers["Retry-After"] == "30"  # type: ignore[attr-defined]
    assert response.get_json()["error"]["code"] == "STORAGE-UNAVAILABLE"  # type: ignore[attr-defined]
    assert set(response.get_json()["error"]["message"]) == {"nl", "en"}  # type: ignore[attr-defined]


def test_an_upload_the_store_cannot_keep_is_a_documented_error(app: Flask, client: FlaskClient,
                                                                runner: FlaskCliRunner, demo: None,
                                                                tmp_path: Path) -> None:
    _unwritable(app, tmp_path)
    token = runner.invoke(args=["tokens", "create", "bestuur@demo.example"]).output.strip()
    response = client.post("/api/v1/filings", headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k1"},
                           data={"board": "41234", "year": "2025", "file": (io.BytesIO(VALID), "jv.xbrl")},
                           content_type="multipart/form-data")
    _storage_unavailable(response)
    documented = client.get("/api/v1/openapi.json").get_json()["paths"]["/filings"]["post"]["responses"]["503"]
    assert "STORAGE-UNAVAILABLE" in str(documented)

    log_in(client, "bestuur@demo.example")
    page = post_upload(client, VALID)
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "opslag van bestanden is nu niet bereikbaar" in page.get_data(as_text=True)
    assert _filings(app) == 0  # nothing committed, so the same request may simply be sent again


@pytest.mark.parametrize("kind", ["folder", "database"])
def test_a_damaged_stored_file_is_never_served(app: Flask, runner: FlaskCliRunner, demo: None, kind: str) -> None:
    app.config["FILE_STORE"] = kind
    world = submitted_version(app, runner)
    with app.app_context():
        export_sha256 = get_db().get_one(Filing, world.filing_id).oim_json_sha256
    pdf_sha256 = _auditor_report(app, world.filing_id)
    assert export_sha256 is not None
    damage(app, export_sha256)
    damage(app, pdf_sha256)

    answer = world.board.get(f"/api/v1/filings/{world.filing_id}/exports/xbrl-json",
                             headers=world.tokens["bestuur@demo.example"])
    _storage_unavailable(answer)
    for url in (f"/filings/{world.filing_id}/xbrl-json", f"/filings/{world.filing_id}/documents/auditor-report"):
        page = world.board.get(url)
        assert page.status_code == 503 and b"damaged" not in page.data
        assert "opslag van bestanden is nu niet bereikbaar" in page.get_data(as_text=True)
    # The filing's own page still opens: its assurance is shown as not verifiable now.
    shown = world.board.get(f"/filings/{world.filing_id}")
    assert shown.status_code == 200


def test_a_submission_waits_while_its_assurance_cannot_be_read(app: Flask, runner: FlaskCliRunner,
                                                                demo: None) -> None:
    """The receipt is forever: a store that fails now must not make it say 'signature not valid'."""
    board, accountant = client_of(app, "bestuur@demo.example"), client_of(app, ACCOUNTANT)
    authorise(board)
    filing_id = upload(app, board, VALID)
    make_key(accountant)
    assert "handtekening geldig" in attach(accountant, filing_id)
    pdf_sha256 = _auditor_report(app, filing_id)
    damage(app, pdf_sha256)
    token = runner.invoke(args=["tokens", "create", "bestuur@demo.example"]).output.strip()
    answer = board.post(f"/api/v1/filings/{filing_id}/submit", json={"declaration": True},
                        headers={"Authorization": f"Bearer {token}"})
    _storage_unavailable(answer)
    with app.app_context():
        assert get_db().scalar(select(func.count(Receipt.id))) == 0
