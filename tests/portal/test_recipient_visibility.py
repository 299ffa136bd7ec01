"""DUO, OCW and the inspectorate see submitted versions only: the version on a receipt and the
earlier submitted versions its correction superseded. A version never submitted does not exist
for them (404) on every page, download and API route of a filing; admins see every version."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from ..samples import VALID_INLINE
from .accountant_steps import PDF, attach, make_key
from .conftest import csrf_token, log_in, run_jobs, submit, upload_page

PAGES = ["/filings/{id}", "/filings/{id}/status", "/filings/{id}/report-part", "/filings/{id}/report.json",
         "/filings/{id}/report.pdf", "/filings/{id}/xbrl-json", "/filings/{id}/xbrl-csv",
         "/filings/{id}/documents/annual-report", "/filings/{id}/documents/auditor-report",
         "/filings/{id}/assurance.json", "/filings/{id}/compare", "/filings/{id}/statements",
         "/filings/{id}/viewer", "/filings/{id}/viewer/document"]
API = ["/api/v1/filings/{id}", "/api/v1/filings/{id}/receipt", "/api/v1/filings/{id}/exports/xbrl-json",
       "/api/v1/filings/{id}/exports/xbrl-csv", "/api/v1/filings/{id}/compare?with={id}",
       "/api/v1/filings/{id}/statements"]
RECIPIENTS = ("duo@demo.example", "ocw@demo.example", "inspectie@demo.example")


def _version(app: Flask, client: FlaskClient, n: int) -> int:
    """Board: a new valid version (the inline sample with a comment, so it has a viewer document too)
    with its annual report PDF."""
    filing_id = int(upload_page(client, VALID_INLINE + f"<!-- {n} -->\n".encode(), "jv.xhtml").rsplit("/", 1)[1])
    run_jobs(app)
    response = client.post(f"/filings/{filing_id}/documents", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, f"/filings/{filing_id}"), "file": (io.BytesIO(PDF), "jaarverslag.pdf")})
    assert response.status_code == 302
    return filing_id


def test_the_walk_covers_every_filing_route(app: Flask) -> None:
    """Any route of a filing added later must join the walk below."""
    adapter = app.url_map.bind("localhost")
    walked = {adapter.match(path.format(id=1).split("?")[0])[0] for path in PAGES + API}
    routes = {rule.endpoint for rule in app.url_map.iter_rules()
              if ("filing_id" in rule.arguments or rule.rule.startswith("/api/v1/filings/<id>"))
              and "GET" in (rule.methods or ())}
    assert routes == walked


def test_recipients_see_submitted_versions_only(app: Flask, client: FlaskClient, runner: FlaskCliRunner, demo: None,
                                                switch: Callable[[str], None], deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    page = client.get("/boards/41234/2025").get_data(as_text=True)
    firm_id = page.split('<option value="', 1)[1].split('"')[0]
    client.post("/boards/41234/2025/authorisations", data={"csrf_token": csrf_token(client, "/boards/41234/2025"),
                                                           "firm_id": firm_id})
    first, draft, correction = (_version(app, client, n) for n in range(3))
    switch("accountant@demo.example")
    make_key(client)
    for filing_id in (first, draft, correction):
        assert "handtekening geldig" in attach(client, filing_id)
    switch("bestuur@demo.example")
    assert submit(client, first).status_code == 302
    deliver()  # OCW's delivery makes the xBRL-JSON and xBRL-CSV
    assert submit(client, correction).status_code == 302  # supersedes the first; the draft is never submitted
    deliver()
    for filing_id in (first, draft, correction):  # the board sees everything of its versions
        for path in PAGES[:5] + PAGES[7:]:
            assert client.get(path.format(id=filing_id)).status_code == 200, path

    for email in RECIPIENTS:
        switch(email)
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

    switch("beheer@demo.example")
    assert all(client.get(path.format(id=draft)).status_code == 200 for path in PAGES[:5] + PAGES[7:])


def _links(page: str) -> list[str]:
    """Every link a page offers (its <a href>s) to this site: in-page anchors and mailto: left out."""
    return [href.replace("&amp;", "&") for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', page)
            if not href.startswith(("#", "mailto:"))]  # in-page anchors, and the helpdesk's address


def test_every_link_a_recipient_sees_on_a_filing_and_its_receipt_answers(app: Flask, client: FlaskClient,
                                                                         demo: None, switch: Callable[[str], None],
                                                                         deliver: Callable[[], int]) -> None:
    """No dead ends: a link to the board's year page (back, new version) is for those who may open it."""
    log_in(client, "bestuur@demo.example")
    filing_id = _version(app, client, 0)
    assert submit(client, filing_id).status_code == 302
    deliver()
    receipt = "/receipts/JV-2025-41234-0001"
    board_page = client.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert "/boards/41234/2025" in _links(board_page)  # the board still has its way back and to a new version
    assert "Nieuwe versie uploaden" in board_page and "Terug naar 2025" in client.get(receipt).get_data(as_text=True)
    for email in RECIPIENTS:
        switch(email)
        for path in (f"/filings/{filing_id}", receipt):
            page = client.get(path).get_data(as_text=True)
            links = _links(page)
            assert receipt in links or path == receipt, (email, path)
            assert "/boards/41234/2025" not in links and "Nieuwe versie uploaden" not in page, (email, path)
            for href in links:
                assert client.get(href).status_code == 200, (email, path, href)
