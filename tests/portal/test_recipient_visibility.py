"""DUO, OCW and the inspectorate see submitted versions only: the version on a receipt and the
earlier submitted versions its correction superseded. A version never submitted does not exist
for them (404) on every page, download and API route of a filing; admins see every version."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from portal.jobs import deliveries
from taxonomies.samples import SAMPLES_DIR

from .conftest import csrf_token, log_in, run_jobs

VALID = (SAMPLES_DIR / "2025/valid/po-small.xbrl").read_bytes()
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PASSPHRASE = "een lange wachtwoordzin"
PAGES = ["/filings/{id}", "/filings/{id}/status", "/filings/{id}/report-part", "/filings/{id}/report.json",
         "/filings/{id}/report.pdf", "/filings/{id}/xbrl-json", "/filings/{id}/xbrl-csv",
         "/filings/{id}/documents/annual-report", "/filings/{id}/documents/auditor-report",
         "/filings/{id}/assurance.json"]
API = ["/api/v1/filings/{id}", "/api/v1/filings/{id}/receipt", "/api/v1/filings/{id}/exports/xbrl-json",
       "/api/v1/filings/{id}/exports/xbrl-csv"]
RECIPIENTS = ("duo@demo.example", "ocw@demo.example", "inspectie@demo.example")


def _switch(client: FlaskClient, email: str) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, email)


def _version(app: Flask, client: FlaskClient, n: int) -> int:
    """Board: a new valid version (the sample with a comment) with its annual report PDF."""
    response = client.post("/boards/41234/2025/upload", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/boards/41234/2025"),
        "file": (io.BytesIO(VALID + f"<!-- {n} -->\n".encode()), "jv.xbrl")})
    run_jobs(app)
    filing_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/filings/{filing_id}/documents", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, f"/filings/{filing_id}"), "file": (io.BytesIO(PDF), "jaarverslag.pdf")})
    return filing_id


def _assure(client: FlaskClient, filing_id: int) -> None:
    """Accountant: signed assurance with the auditor's report on the version."""
    page = client.get(f"/filings/{filing_id}").get_data(as_text=True)
    key_id = page.split('name="key_id">', 1)[1].split('<option value="')[1].split('"', 1)[0]
    client.post(f"/filings/{filing_id}/assurance", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, f"/filings/{filing_id}"), "opinion": "goedkeurend",
        "opinion_date": "2026-03-15", "key_id": key_id, "passphrase": PASSPHRASE,
        "pdf": (io.BytesIO(PDF), "controleverklaring.pdf")})


def _submit(client: FlaskClient, filing_id: int) -> None:
    response = client.post(f"/filings/{filing_id}/submit", data={
        "csrf_token": csrf_token(client, f"/filings/{filing_id}"), "declaration": "yes"})
    assert response.status_code == 302


def test_the_walk_covers_every_filing_route(app: Flask) -> None:
    """Any route of a filing added later must join the walk below."""
    adapter = app.url_map.bind("localhost")
    walked = {adapter.match(path.format(id=1))[0] for path in PAGES + API}
    routes = {rule.endpoint for rule in app.url_map.iter_rules()
              if ("filing_id" in rule.arguments or rule.rule.startswith("/api/v1/filings/<id>"))
              and "GET" in (rule.methods or ())}
    assert routes == walked


def test_recipients_see_submitted_versions_only(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    page = client.get("/boards/41234/2025").get_data(as_text=True)
    firm_id = page.split('<option value="', 1)[1].split('"')[0]
    client.post("/boards/41234/2025/authorisations", data={"csrf_token": csrf_token(client, "/boards/41234/2025"),
                                                           "firm_id": firm_id})
    first, draft, correction = (_version(app, client, n) for n in range(3))
    _switch(client, "accountant@demo.example")
    client.post("/accountant/keys", data={"csrf_token": csrf_token(client, "/accountant/keys"), "action": "generate",
                                          "passphrase": PASSPHRASE, "passphrase2": PASSPHRASE})
    for filing_id in (first, draft, correction):
        _assure(client, filing_id)
    _switch(client, "bestuur@demo.example")
    _submit(client, first)
    with app.app_context():
        deliveries.process(app)  # OCW's delivery makes the xBRL-JSON and xBRL-CSV
    _submit(client, correction)  # supersedes the first; the draft is never submitted
    with app.app_context():
        deliveries.process(app)
    for filing_id in (first, draft, correction):  # the board sees everything of its versions
        for path in PAGES[:5] + PAGES[7:]:
            assert client.get(path.format(id=filing_id)).status_code == 200, path

    for email in RECIPIENTS:
        _switch(client, email)
        token = {"Authorization": "Bearer " + runner.invoke(args=["tokens", "create", email]).output.strip()}
        for filing_id, expected in ((first, 200), (correction, 200), (draft, 404)):
            for path in PAGES:
                response = client.get(path.format(id=filing_id))
                assert response.status_code == expected, (email, path.format(id=filing_id))
            for path in API:
                response = client.get(path.format(id=filing_id), headers=token)
                assert response.status_code == expected, (email, path.format(id=filing_id))
                if expected == 404:
                    assert response.get_json()["error"]["code"] == "NOT-FOUND"
        for number in ("JV-2025-41234-0001", "JV-2025-41234-0002"):
            for suffix in ("", ".json", ".pdf"):
                assert client.get(f"/receipts/{number}{suffix}").status_code == 200

    _switch(client, "beheer@demo.example")
    assert all(client.get(path.format(id=draft)).status_code == 200 for path in PAGES[:5] + PAGES[7:])
