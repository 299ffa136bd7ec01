"""The viewer page and what it loads: who may open it, and the headers that keep an inline filing's
HTML away from the portal's origin (the browser side is tests/e2e/test_viewer.py)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from validators.arelle.viewer import SCRIPT_URL, script_file

from ..samples import VALID, VALID_INLINE
from .conftest import log_in, run_jobs, submit, switch_user, upload_page


def _inline_version(app: Flask, client: FlaskClient) -> int:
    log_in(client, "bestuur@demo.example")
    filing_id = int(upload_page(client, VALID_INLINE, "jv.xhtml").rsplit("/", 1)[1])
    assert run_jobs(app) == ["valid"]
    return filing_id


def test_the_viewer_page_and_its_document_keep_the_filing_away_from_the_portal(app: Flask, client: FlaskClient,
                                                                               demo: None) -> None:
    filing_id = _inline_version(app, client)
    assert f"/filings/{filing_id}/viewer" in client.get(f"/filings/{filing_id}").get_data(as_text=True)

    page = client.get(f"/filings/{filing_id}/viewer")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="viewer-frame"' in html and "Terug naar de versie" in html
    assert 'sandbox="allow-scripts allow-same-origin"' in html  # on a data: document: its origin stays opaque
    csp = page.headers["Content-Security-Policy"]
    # The data: frame inherits this policy: scripts by exact path only, requests only for the document
    # and the viewer's configuration, frames only data:, nobody may frame the page.
    assert "default-src 'none'" in csp and f"http://localhost{SCRIPT_URL}" in csp and "'unsafe-eval'" not in csp
    assert "script-src 'self'" not in csp and "frame-src data:;" in csp and "frame-ancestors 'none'" in csp
    assert f"connect-src http://localhost/filings/{filing_id}/viewer/document http://localhost/static/" in csp
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["Cache-Control"] == "no-store"

    document = client.get(f"/filings/{filing_id}/viewer/document")
    assert document.status_code == 200
    # Never rendered at the portal's address: a download, not sniffed, and sandboxed if rendered anyway.
    assert document.headers["Content-Type"] == "application/octet-stream"
    assert document.headers["Content-Disposition"].startswith("attachment")
    assert document.headers["X-Content-Type-Options"] == "nosniff"
    assert document.headers["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert document.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert document.headers["Cache-Control"] == "no-store"
    body = document.data
    assert b'type="application/x.ixbrl-viewer+json"' in body and b"Totaal activa" in body
    assert body.count(f'src="http://localhost{SCRIPT_URL}"'.encode()) == 1  # a path means nothing in a data: document

    script = client.get(SCRIPT_URL)
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/javascript")
    assert script.headers["X-Content-Type-Options"] == "nosniff" and "immutable" in script.headers["Cache-Control"]
    assert b"memoryStorage" in script.data[:2000] and script.data.endswith(script_file().read_bytes())
    config = client.get(SCRIPT_URL.replace("ixbrlviewer.js", "ixbrlviewer.config.json"))
    assert config.get_json() == {} and config.headers["Access-Control-Allow-Origin"] == "*"


def test_who_may_open_the_viewer(app: Flask, client: FlaskClient, demo: None) -> None:
    filing_id = _inline_version(app, client)
    paths = (f"/filings/{filing_id}/viewer", f"/filings/{filing_id}/viewer/document")
    switch_user(client, "bestuur2@demo.example")  # another board's user
    assert [client.get(p).status_code for p in paths] == [404, 404]
    switch_user(client, "duo@demo.example")  # a recipient: submitted versions only
    assert [client.get(p).status_code for p in paths] == [404, 404]
    switch_user(client, "bestuur@demo.example")
    assert submit(client, filing_id).status_code == 302
    switch_user(client, "duo@demo.example")
    assert [client.get(p).status_code for p in paths] == [200, 200]
    client.post("/logout", data={})
    anonymous = app.test_client()
    assert all(anonymous.get(p).status_code == 302 for p in paths)  # to the login page


def test_a_version_without_a_viewer_document_says_so(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    filing_id = int(upload_page(client, VALID).rsplit("/", 1)[1])
    assert run_jobs(app) == ["valid"]
    assert f"/filings/{filing_id}/viewer" not in client.get(f"/filings/{filing_id}").get_data(as_text=True)
    page = client.get(f"/filings/{filing_id}/viewer")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "kan niet worden getoond zoals ingediend" in html
    assert "<iframe" not in html and "viewer.js" not in html
    assert client.get(f"/filings/{filing_id}/viewer/document").status_code == 404
