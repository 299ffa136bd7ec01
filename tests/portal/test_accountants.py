"""Accountants: authorised by a board for a year (and only then), pre-validation with test
versions that never reach anyone and are purged, PDFs with a version, and signed assurance
on exactly one version."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.db import get_db
from portal.filings.models import Filing
from portal.jobs import core, deliveries
from portal.submissions.models import Delivery
from portal.storage import open_store
from validators import assurance

from ..samples import BROKEN, VALID, VALID_INLINE
from .accountant_steps import ACCOUNTANT, FIRM, PDF, attach, authorise, make_key, register_key, upload
from .conftest import csrf_token, log_in, post_upload


def _events(app: Flask) -> list[str]:
    with app.app_context():
        return list(get_db().scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_an_accountant_sees_a_board_only_while_authorised(app: Flask, client: FlaskClient, demo: None,
                                                          switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    filing_id = upload(app, client, VALID)
    paths = [f"/filings/{filing_id}", f"/filings/{filing_id}/report.json", "/boards/41234/2025"]
    switch("accountant@demo.example")
    assert [client.get(p).status_code for p in paths] == [404, 404, 404]
    assert "41234" not in client.get("/").get_data(as_text=True)

    switch("bestuur@demo.example")
    authorise(client)
    switch("accountant@demo.example")
    assert [client.get(p).status_code for p in paths] == [200, 200, 200]
    assert "/boards/41234/2025" in client.get("/").get_data(as_text=True)
    assert client.get("/boards/41234/2024").status_code == 404  # that year, nothing else
    assert 'href="/boards/41234/2024"' not in client.get("/boards/41234/2025").get_data(as_text=True)  # nor a link
    assert client.get("/boards/30567/2025").status_code == 404

    switch("bestuur@demo.example")
    page = client.get("/boards/41234/2025").get_data(as_text=True)
    withdraw = page.split('action="/authorisations/', 1)[1].split('"', 1)[0]
    client.post(f"/authorisations/{withdraw}", data={"csrf_token": csrf_token(client, "/boards/41234/2025"),
                                                     "confirm": "yes"})
    switch("accountant@demo.example")
    assert [client.get(p).status_code for p in paths] == [404, 404, 404]
    assert {"authorisation.granted", "authorisation.withdrawn"} <= set(_events(app))


def test_an_accountant_uploads_test_versions_only_on_the_page_as_in_the_api(app: Flask, client: FlaskClient, demo: None,
                                                                            switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    authorise(client)
    switch("accountant@demo.example")
    with app.app_context():
        before = get_db().scalar(select(func.count(Filing.id)))
    page = client.get("/boards/41234/2025").get_data(as_text=True)
    assert 'type="hidden" name="test" value="yes"' in page  # the form says test version by itself
    refused = post_upload(client, VALID)
    assert refused.status_code == 403 and "alleen testversies" in refused.get_data(as_text=True)
    with app.app_context():
        assert get_db().scalar(select(func.count(Filing.id))) == before


def test_test_versions_never_reach_anyone_and_are_purged(app: Flask, client: FlaskClient, demo: None,
                                                         switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    authorise(client)
    switch("accountant@demo.example")
    app.config["TEST_RETENTION_DAYS"] = 0  # due at once
    test_id = upload(app, client, BROKEN, "proef.xbrl", test=True)  # the accountant's form sends test=yes
    page = client.get(f"/filings/{test_id}").get_data(as_text=True)
    assert "TESTVERSIE" in page and "EDU-BAL-01" in page
    assert client.get(f"/filings/{test_id}/report.pdf").headers["Content-Type"] == "application/pdf"

    switch("bestuur@demo.example")
    valid_test = upload(app, client, VALID, test=True)
    refused = client.post(f"/filings/{valid_test}/submit", data={"csrf_token": csrf_token(client, f"/filings/"
                                                                                           f"{valid_test}"),
                                                                 "declaration": "yes"})
    assert refused.status_code == 409 and "testversie" in refused.get_data(as_text=True).lower()
    with app.app_context():
        deliveries.process(app)
        assert get_db().scalar(select(func.count(Delivery.id))) == 0
    switch("duo@demo.example")
    assert client.get(f"/filings/{valid_test}").status_code == 404  # recipients never see them

    store = open_store(app)
    with app.app_context():
        assert core.purge(app) == 2
        assert get_db().scalar(select(func.count(Filing.id)).where(Filing.is_test.is_(True))) == 0
    assert not store.exists(hashlib.sha256(BROKEN).hexdigest())
    assert {"filing.test_uploaded", "filing.test_validated", "filing.test_purged"} <= set(_events(app))


def test_assurance_binds_exactly_one_version(app: Flask, client: FlaskClient, demo: None, tmp_path: Path,
                                             switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    authorise(client)
    first = upload(app, client, VALID)
    switch("accountant@demo.example")
    make_key(client)

    page = attach(client, first, opinion="afkeurend")  # the file says goedkeurend
    assert "ASSURANCE-OPINION" in page and "AuditOpinionType: goedkeurend" in page
    assert "ASSURANCE-PASSPHRASE" in attach(client, first, passphrase="niet de goede zin")
    page = attach(client, first)
    assert "handtekening geldig" in page

    document = json.loads(client.get(f"/filings/{first}/assurance.json").data)
    pdf = client.get(f"/filings/{first}/documents/auditor-report").data
    assert pdf == PDF
    assert assurance.verify(document, VALID, PDF, filing_opinion="goedkeurend").valid
    tampered = bytearray(VALID)
    tampered[VALID.index(b"goedkeurend")] = ord("G")
    assert [c for c, _ in assurance.verify(document, bytes(tampered), PDF).problems] == ["ASSURANCE-FILING"]
    assert [c for c, _ in assurance.verify(document, VALID, PDF + b" ").problems] == ["ASSURANCE-PDF"]

    switch("bestuur@demo.example")
    second = upload(app, client, VALID_INLINE, "jv.xhtml")
    assert "geen geldige accountantsverklaring" in client.get(f"/filings/{second}").get_data(as_text=True)
    submit = client.post(f"/filings/{first}/submit", data={"csrf_token": csrf_token(client, f"/filings/{first}"),
                                                           "declaration": "yes"})
    assert submit.status_code == 302
    receipt = client.get("/receipts/JV-2025-41234-0001.json").get_json()
    assert receipt["assurance"]["opinion"] == "goedkeurend" and receipt["assurance"]["signature_valid"] is True
    assert {"kind": "auditor-report", "name": "controleverklaring.pdf", "size": len(PDF),
            "sha256": hashlib.sha256(PDF).hexdigest()} in receipt["files"]
    with app.app_context():
        deliveries.process(app)
    switch("duo@demo.example")
    assert "handtekening geldig" in client.get("/receipts/JV-2025-41234-0001").get_data(as_text=True)
    assert "assurance.attached" in _events(app)


def test_assurance_signed_outside_the_portal(app: Flask, client: FlaskClient, demo: None,
                                             switch: Callable[[str], None]) -> None:
    """The accountant registers a public key from `keygen` and uploads a document signed with
    `sign-assurance` (here: the same library calls); a document from another key is refused."""
    log_in(client, "bestuur@demo.example")
    authorise(client)
    filing_id = upload(app, client, VALID)
    switch("accountant@demo.example")
    private_pem, public_pem = assurance.generate_key(b"buiten het portaal")
    assert register_key(client, public_pem, private_pem, b"buiten het portaal")[0] == 302
    signer = assurance.Signer(ACCOUNTANT, FIRM)
    statement = assurance.Statement.for_files(VALID, PDF, "41234", 2025, "goedkeurend", "2026-03-15", signer)
    other_private, _ = assurance.generate_key(b"iemand anders")
    forged = json.dumps(assurance.sign(statement, other_private, b"iemand anders")).encode()
    assert "ASSURANCE-KEY" in attach(client, filing_id, signed=forged)
    signed = json.dumps(assurance.sign(statement, private_pem, b"buiten het portaal")).encode()
    assert "handtekening geldig" in attach(client, filing_id, signed=signed)


def test_the_board_adds_the_annual_report_pdf(app: Flask, client: FlaskClient, demo: None,
                                              switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    filing_id = upload(app, client, VALID)
    token = csrf_token(client, f"/filings/{filing_id}")
    bad = client.post(f"/filings/{filing_id}/documents", data={"csrf_token": token, "file": (io.BytesIO(VALID),
                                                                                             "jaarverslag.pdf")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "DOC-TYPE" in bad.get_data(as_text=True)
    client.post(f"/filings/{filing_id}/documents", data={"csrf_token": token, "file": (io.BytesIO(PDF),
                                                                                       "jaarverslag.pdf")},
                content_type="multipart/form-data")
    download = client.get(f"/filings/{filing_id}/documents/annual-report")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment")
    switch("bestuur2@demo.example")
    assert client.get(f"/filings/{filing_id}/documents/annual-report").status_code == 404


def test_pre_validation_through_the_api(app: Flask, client: FlaskClient, demo: None, runner: object) -> None:
    log_in(client, "bestuur@demo.example")
    authorise(client)
    token = {"Authorization": "Bearer " + runner.invoke(args=["tokens", "create", "accountant@demo.example"])
             .output.strip()}
    regular = client.post("/api/v1/filings", headers=token, content_type="multipart/form-data",
                          data={"file": (io.BytesIO(VALID), "jv.xbrl"), "board": "41234", "year": "2025"})
    assert regular.status_code == 403 and regular.get_json()["error"]["code"] == "FILING-TEST-ONLY"
    test = client.post("/api/v1/filings", headers=token, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(VALID), "jv.xbrl"), "board": "41234", "year": "2025", "test": "true"})
    assert test.status_code == 202 and test.get_json()["test"] is True
    other = client.post("/api/v1/filings", headers=token, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(VALID), "jv.xbrl"), "board": "30567", "year": "2025", "test": "true"})
    assert other.status_code == 404
