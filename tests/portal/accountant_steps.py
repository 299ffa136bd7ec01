"""What boards and accountants do in the portal, step by step, through its pages (for the tests)."""

from __future__ import annotations

import io
import re

from flask import Flask
from flask.testing import FlaskClient

from validators import assurance

from .conftest import csrf_token, post_upload, run_jobs

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OTHER_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Lang (en) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PASSPHRASE = "een lange wachtwoordzin"
ACCOUNTANT, FIRM = "accountant@demo.example", "Accountants Noord B.V."  # the demo accountant and its firm


def upload(app: Flask, client: FlaskClient, data: bytes, name: str = "jv.xbrl", test: bool = False,
           board: str = "41234") -> int:
    """Upload a version of the board's 2025 filing and validate it; its id."""
    response = post_upload(client, data, name, board, test=test)
    assert response.status_code == 302, response.get_data(as_text=True)
    run_jobs(app)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def authorise(client: FlaskClient, firm: str = FIRM, board: str = "41234") -> None:
    """The (logged-in) board member authorises `firm` for 2025."""
    page = client.get(f"/boards/{board}/2025").get_data(as_text=True)
    firm_id = re.search(r'<option value="(\d+)"[^>]*>' + re.escape(firm) + "<", page).group(1)
    client.post(f"/boards/{board}/2025/authorisations", data={"csrf_token": csrf_token(client, f"/boards/{board}/2025"),
                                                              "firm_id": firm_id})


def make_key(client: FlaskClient) -> None:
    """The (logged-in) accountant makes a key in the portal."""
    client.post("/accountant/keys", data={"csrf_token": csrf_token(client, "/accountant/keys"), "action": "generate",
                                          "passphrase": PASSPHRASE, "passphrase2": PASSPHRASE})


def nonce(client: FlaskClient) -> str:
    """The nonce the (logged-in) accountant's key page shows to sign."""
    page = client.get("/accountant/keys").get_data(as_text=True)
    return re.search(r'name="nonce" value="([A-Za-z0-9_-]+)"', page).group(1)


def register_key(client: FlaskClient, public_pem: bytes, private_pem: bytes | None, passphrase: bytes,
                 code: str | None = None, proof: str | None = None) -> tuple[int, str]:
    """Register a key made outside, proving possession as `prove-key` does (with the page's nonce unless
    `code` is given; with `proof` instead if given). The answer's status and page."""
    code = code or nonce(client)
    if proof is None:
        assert private_pem is not None
        proof, _ = assurance.prove_possession(private_pem, passphrase, code)
    response = client.post("/accountant/keys", data={"csrf_token": csrf_token(client, "/accountant/keys"),
                                                     "action": "register", "pem": public_pem.decode(),
                                                     "nonce": code, "proof": proof})
    page = response.get_data(as_text=True) if response.status_code != 302 else client.get(
        "/accountant/keys").get_data(as_text=True)
    return response.status_code, page


def attach(client: FlaskClient, filing_id: int, opinion: str = "goedkeurend", passphrase: str = PASSPHRASE,
           signed: bytes | None = None, key_index: int = 0, pdf: bytes = PDF) -> str:
    """Attach assurance through the filing page's form; the page afterwards (a refusal answers with
    the page and its code at once, not with a redirect)."""
    page = client.get(f"/filings/{filing_id}").get_data(as_text=True)
    key_id = page.split('name="key_id">', 1)[1].split('<option value="')[1 + key_index].split('"', 1)[0]
    response = attach_raw(client, filing_id, key_id, opinion, passphrase, signed, pdf)
    if response.status_code != 302:
        return response.get_data(as_text=True)
    return client.get(f"/filings/{filing_id}").get_data(as_text=True)


def attach_raw(client: FlaskClient, filing_id: int, key_id: str, opinion: str = "goedkeurend",
               passphrase: str = PASSPHRASE, signed: bytes | None = None, pdf: bytes = PDF) -> object:
    """POST the assurance form as it is, with the key id given; the response."""
    form = {"csrf_token": csrf_token(client, "/"), "opinion": opinion,
            "opinion_date": "2026-03-15", "key_id": key_id, "passphrase": passphrase,
            "pdf": (io.BytesIO(pdf), "controleverklaring.pdf")}
    if signed is not None:
        form["signed"] = (io.BytesIO(signed), "verklaring.json")
    return client.post(f"/filings/{filing_id}/assurance", data=form, content_type="multipart/form-data")
