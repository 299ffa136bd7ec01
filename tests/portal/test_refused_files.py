"""A file that intake refuses (empty, a PDF, not XBRL) keeps its report but is no version: it takes
no version number, is listed apart, and nothing can be added to it or done with it; the page and
the API say the same."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from portal.db import get_db
from portal.filings.models import Filing

from ..samples import VALID, VALID_INLINE
from .conftest import csrf_token, log_in, post_upload, run_jobs, submit, upload_page

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _versions(app: Flask) -> list[tuple[str, int | None, str]]:
    with app.app_context():
        return [(f.file_name, f.version, f.status) for f in get_db().scalars(select(Filing).order_by(Filing.id))]


def test_empty_and_pdf_uploads_take_no_number_and_the_next_valid_one_does(app: Flask, client: FlaskClient,
                                                                          demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    upload_page(client, VALID)
    empty = upload_page(client, b"", "leeg.xbrl")
    pdf = upload_page(client, PDF, "jaarverslag.xbrl")
    upload_page(client, VALID_INLINE, "jv.xhtml")
    # Refused at once, without a job: only the two real reports are validated.
    assert sorted(run_jobs(app)) == ["valid", "valid"]
    assert _versions(app) == [("jv.xbrl", 1, "valid"), ("leeg.xbrl", None, "rejected"),
                              ("jaarverslag.xbrl", None, "rejected"), ("jv.xhtml", 2, "valid")]
    page = client.get(empty).get_data(as_text=True)
    assert "Geweigerd bestand" in page and "IN-EMPTY" in page and "Het bestand is leeg." in page
    assert "Versie None" not in page and "Versie 3" not in client.get(pdf).get_data(as_text=True)
    year = client.get("/boards/41234/2025").get_data(as_text=True)
    versions, refused = year.split("<h3>Geweigerde bestanden</h3>", 1)
    assert "leeg.xbrl" not in versions and "jaarverslag.xbrl" not in versions
    assert "leeg.xbrl" in refused and "IN-EMPTY" in refused and "IN-TYPE" in refused
    # The same refused bytes again: no new row, and the page says it was refused before.
    again = post_upload(client, b"", "leeg.xbrl")
    assert again.headers["Location"] == empty and len(_versions(app)) == 4
    assert "al eerder geüpload" in client.get(empty).get_data(as_text=True)
    log = client.get("/audit").get_data(as_text=True)
    assert "Bestand geweigerd, geen versie: leeg.xbrl (IN-EMPTY)" in log and "Versie 2 geüpload: jv.xhtml" in log


def test_a_refused_file_offers_no_pdf_assurance_or_submit_and_refuses_them(app: Flask, client: FlaskClient,
                                                                          demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    location = upload_page(client, PDF, "jaarverslag.xbrl")
    filing_id = location.rsplit("/", 1)[1]
    page = client.get(location).get_data(as_text=True)
    for action in (f"/filings/{filing_id}/documents", f"/filings/{filing_id}/submit",
                   f"/filings/{filing_id}/assurance"):
        assert action not in page
    added = client.post(f"/filings/{filing_id}/documents", content_type="multipart/form-data",
                        data={"csrf_token": csrf_token(client, location), "file": (io.BytesIO(PDF), "jaarverslag.pdf")})
    assert added.status_code == 409 and "FILING-REFUSED" in added.get_data(as_text=True)
    assert submit(client, filing_id).status_code == 409
    with app.app_context():
        assert get_db().get(Filing, int(filing_id)).receipt is None


def test_the_api_says_what_the_page_says(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                         demo: None) -> None:
    token = {"Authorization": f"Bearer {runner.invoke(args=['tokens', 'create', 'bestuur@demo.example']).output.strip()}"}

    def post(data: bytes, name: str) -> dict:
        answer = client.post("/api/v1/filings", headers=token, content_type="multipart/form-data",
                             data={"file": (io.BytesIO(data), name), "board": "41234", "year": "2025"})
        assert answer.status_code == 202
        return answer.get_json()

    refused = post(PDF, "jaarverslag.xbrl")
    assert refused["version"] is None and refused["status"] == "rejected"
    assert [f["code"] for f in refused["report"]["findings"]] == ["IN-TYPE"]
    assert post(VALID, "jv.xbrl")["version"] == 1
    run_jobs(app)
    listed = client.get("/api/v1/filings?board=41234&year=2025", headers=token).get_json()["filings"]
    assert sorted((f["version"] is None, f["status"]) for f in listed) == [(False, "valid"), (True, "rejected")]
    submitted = client.post(f"/api/v1/filings/{refused['id']}/submit", headers=token, json={"declaration": True})
    assert submitted.status_code == 409 and submitted.get_json()["error"]["code"] == "SUBMIT-NOT-VALID"
    log_in(client, "bestuur@demo.example")
    page = client.get(f"/filings/{refused['id']}").get_data(as_text=True)
    assert "Geweigerd bestand" in page and "IN-TYPE" in page
