"""Download names: a name from an upload is cleaned when it is stored and when it is served,
and Werkzeug writes every Content-Disposition, so no name adds a header parameter or a header."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.http import parse_options_header

import portal
from portal.attachments import clean_file_name
from portal.db import get_db
from portal.filings.models import Filing, FilingDocument

from ..samples import VALID
from .conftest import csrf_token, log_in, run_jobs

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
INJECTION = "jaarverslag.pdf\"; filename*=UTF-8''evil.html"


@pytest.mark.parametrize("name,expected", [
    ("jaarverslag 2025.pdf", "jaarverslag 2025.pdf"),
    (INJECTION, "jaarverslag.pdf__ filename_=UTF-8__evil.html"),
    ("jaar\r\nverslag.pdf", "jaarverslag.pdf"),
    ("C:\\Users\\fatima\\jaarverslag.xbrl", "jaarverslag.xbrl"),
    ("../../etc/passwd", "passwd"),
    ("rapport\u202egpj.exe", "rapportgpj.exe"),  # a right-to-left override would show it as "exe.jpg"
    ("  ", "upload"), ("", "upload"), (None, "upload"),
    ("a" * 300 + ".xbrl", "a" * 250 + ".xbrl"),
    ("één\u00a0twee.pdf", "één twee.pdf"),
])
def test_names_are_cleaned(name: str | None, expected: str) -> None:
    assert clean_file_name(name, "upload") == expected


def test_a_pdf_keeps_its_kind() -> None:
    assert clean_file_name("evil.html", "annual-report.pdf", suffix=".pdf") == "evil.html.pdf"
    assert clean_file_name("Jaarverslag.PDF", "annual-report.pdf", suffix=".pdf") == "Jaarverslag.PDF"


def _post_file(client: FlaskClient, path: str, data: bytes, name_parameter: str) -> object:
    """A multipart upload whose file part names the file with `name_parameter`, exactly as given: a
    client may send any name, quoted with backslash escapes or as RFC 5987 filename* (percent-encoded
    UTF-8, which the server decodes, line breaks and all)."""
    boundary = "----grens"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{csrf_token(client, '/boards/41234/2025')}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; {name_parameter}\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _filing_with_pdf(app: Flask, client: FlaskClient, pdf_name: str, xbrl_name: str = "jv.xbrl") -> int:
    """A version uploaded as `xbrl_name`, with the annual report PDF as `pdf_name` (both sent as filename*)."""
    log_in(client, "bestuur@demo.example")
    response = _post_file(client, "/boards/41234/2025/upload", VALID, "filename*=UTF-8''" + quote(xbrl_name))
    run_jobs(app)
    filing_id = int(response.headers["Location"].rsplit("/", 1)[1])
    _post_file(client, f"/filings/{filing_id}/documents", PDF, "filename*=UTF-8''" + quote(pdf_name))
    return filing_id


def _disposition(response: object) -> tuple[str, dict[str, str]]:
    assert response.status_code == 200
    headers = response.headers.getlist("Content-Disposition")
    assert len(headers) == 1
    return parse_options_header(headers[0])


def test_a_name_cannot_add_a_header_parameter(app: Flask, client: FlaskClient, demo: None) -> None:
    filing_id = _filing_with_pdf(app, client, "jaarverslag.pdf")
    _post_file(client, f"/filings/{filing_id}/documents", PDF,  # the quote escaped, as the multipart format allows
               'filename="' + INJECTION.replace('"', '\\"') + '"')
    with app.app_context():
        assert get_db().scalar(select(FilingDocument.name).order_by(FilingDocument.id.desc()).limit(1)) == "jaarverslag.pdf__ filename_=UTF-8__evil.html.pdf"
    response = client.get(f"/filings/{filing_id}/documents/annual-report")
    kind, options = _disposition(response)
    assert kind == "attachment" and options == {"filename": "jaarverslag.pdf__ filename_=UTF-8__evil.html.pdf"}
    assert response.data == PDF


def test_a_line_break_in_a_name_is_never_stored_nor_breaks_the_download(app: Flask, client: FlaskClient,
                                                                      demo: None) -> None:
    filing_id = _filing_with_pdf(app, client, "jaar\r\nX-Injected: 1\r\nverslag.pdf", "jv\r\n.xbrl")
    with app.app_context():
        assert get_db().scalar(select(FilingDocument.name).order_by(FilingDocument.id.desc()).limit(1)) == "jaarX-Injected_ 1verslag.pdf"
        assert get_db().scalar(select(Filing.file_name)) == "jv.xbrl"
    response = client.get(f"/filings/{filing_id}/documents/annual-report")
    assert "X-Injected" not in response.headers
    assert _disposition(response)[1]["filename"] == "jaarX-Injected_ 1verslag.pdf"


def test_a_name_stored_before_cleaning_is_served_cleaned(app: Flask, client: FlaskClient, demo: None) -> None:
    filing_id = _filing_with_pdf(app, client, "jaarverslag.pdf")
    with app.app_context():  # as an older portal stored it
        get_db().execute(update(FilingDocument).values(name="evil\r\nSet-Cookie: x=1\r\n.html"))
        get_db().commit()
    response = client.get(f"/filings/{filing_id}/documents/annual-report")
    assert "x=1" not in str(response.headers.getlist("Set-Cookie"))
    assert _disposition(response)[1]["filename"] == "evilSet-Cookie_ x=1.html.pdf"


def test_a_name_outside_ascii_is_offered_in_utf8(app: Flask, client: FlaskClient, demo: None) -> None:
    filing_id = _filing_with_pdf(app, client, "jaarverslag één.pdf")
    header = client.get(f"/filings/{filing_id}/documents/annual-report").headers["Content-Disposition"]
    assert header == "attachment; filename=\"jaarverslag een.pdf\"; filename*=UTF-8''jaarverslag%20%C3%A9%C3%A9n.pdf"


def test_every_download_is_an_attachment_written_by_werkzeug(app: Flask, client: FlaskClient, demo: None) -> None:
    filing_id = _filing_with_pdf(app, client, "jaarverslag.pdf")
    for path in (f"/filings/{filing_id}/report.json", f"/filings/{filing_id}/report.pdf",
                 f"/filings/{filing_id}/documents/annual-report"):
        kind, options = _disposition(client.get(path))
        assert kind == "attachment" and options["filename"].startswith(("validatierapport-41234-2025-v1",
                                                                        "jaarverslag"))
    # No header of that kind is put together by hand anywhere in the portal.
    sources = [p for p in Path(portal.__file__).parent.rglob("*.py") if p.name != "attachments.py"]
    assert not [p for p in sources if "Content-Disposition" in p.read_text(encoding="utf-8")]
