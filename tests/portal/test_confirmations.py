"""What a person sees after acting: a confirmation after every action that changes something, a
refusal in plain words (its code small after it) in the error style, destructive actions that look
it and ask for a "yes" first, and an error page with a heading and a way home."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accountants.models import AccountantKey, Authorisation
from portal.db import get_db
from validators import assurance

from ..samples import VALID
from .accountant_steps import ACCOUNTANT, FIRM, PDF, attach, authorise, make_key, register_key, upload
from .conftest import csrf_token, log_in


def _notices(page: str) -> list[str]:
    """The confirmations (flashes) a page shows."""
    return re.findall(r'<p class="notice" role="status">([^<]*)</p>', page)


def _error(page: str) -> str:
    """The refusal a page shows, as its text (tags left out)."""
    match = re.search(r'<p class="error" role="alert">(.*?)</p>', page, re.S)
    assert match, page[:2000]
    return re.sub(r"<[^>]+>", "", match.group(1))


def _form(page: str, action: str) -> str:
    """The form posting to `action`, as HTML."""
    match = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>.*?</form>', page, re.S)
    assert match, action
    return match.group(0)


def _active_authorisations(app: Flask) -> int:
    with app.app_context():
        return len(get_db().scalars(select(Authorisation).where(Authorisation.withdrawn_at.is_(None))).all())


def _active_keys(app: Flask) -> int:
    with app.app_context():
        return len(get_db().scalars(select(AccountantKey).where(AccountantKey.revoked_at.is_(None))).all())


def test_the_error_page_has_a_heading_and_a_way_home(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    missing = client.get("/boards/41234/1999x")
    page = missing.get_data(as_text=True)
    assert missing.status_code == 404
    assert "<h1>Niet gevonden</h1>" in page and "<title>Niet gevonden - " in page
    assert re.search(r'<a href="/">Naar de startpagina</a>', page)
    assert "<h1>Geen toegang</h1>" in client.get("/ocw/2025").get_data(as_text=True)  # another role's page
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    page = client.get("/filings/999").get_data(as_text=True)
    assert "<h1>Not found</h1>" in page and '<a href="/">Go to the home page</a>' in page


def test_a_board_sees_each_action_confirmed_and_each_refusal_in_plain_words(app: Flask, client: FlaskClient,
                                                                             demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    year = "/boards/41234/2025"
    refused = client.post(f"{year}/authorisations", data={"csrf_token": csrf_token(client, year), "firm_id": "0"},
                          follow_redirects=True).get_data(as_text=True)
    # The message first, in the error style; the code small after it, not in front.
    assert _error(refused).startswith("Kies een geregistreerd accountantskantoor") and "(code AUTH-FIRM)" in refused
    assert "AUTH-FIRM:" not in refused and not _notices(refused)

    authorise(client)
    page = client.get(year).get_data(as_text=True)
    assert _notices(page) == [f"{FIRM} is gemachtigd voor 2025."]
    assert _notices(client.get(year).get_data(as_text=True)) == []  # shown once

    # Withdrawing is destructive: styled so, and only with the form's required "yes".
    (authorisation,) = re.findall(r'action="(/authorisations/\d+/withdraw)"', page)
    form = _form(page, authorisation)
    assert 'class="danger"' in form and re.search(r'<input type="checkbox" name="confirm" value="yes" required>', form)
    assert "Ja, intrekken" in form and "<script" not in page.replace('<script src="', "")  # no inline script
    unconfirmed = client.post(authorisation, data={"csrf_token": csrf_token(client, year)}, follow_redirects=True)
    page = unconfirmed.get_data(as_text=True)
    assert "(code CONFIRMATION-REQUIRED)" in page and _error(page).startswith("Vink eerst aan")
    assert _active_authorisations(app) == 1
    withdrawn = client.post(authorisation, data={"csrf_token": csrf_token(client, year), "confirm": "yes"},
                            follow_redirects=True).get_data(as_text=True)
    assert _notices(withdrawn) == [f"De machtiging van {FIRM} voor 2025 is ingetrokken."]
    assert _active_authorisations(app) == 0

    filing_id = upload(app, client, VALID)
    added = client.post(f"/filings/{filing_id}/documents", content_type="multipart/form-data", follow_redirects=True,
                        data={"csrf_token": csrf_token(client, f"/filings/{filing_id}"),
                              "file": (io.BytesIO(PDF), "jaarverslag.pdf")}).get_data(as_text=True)
    assert _notices(added) == ["Het jaarverslag (PDF) is aan versie 1 toegevoegd."]

    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    authorise(client)
    assert _notices(client.get(year).get_data(as_text=True)) == [f"{FIRM} is authorised for 2025."]


def test_an_accountant_sees_each_action_confirmed_and_each_refusal_in_plain_words(
        app: Flask, client: FlaskClient, demo: None, switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    authorise(client)
    filing_id = upload(app, client, VALID)
    switch(ACCOUNTANT)
    make_key(client)
    page = client.get("/accountant/keys").get_data(as_text=True)
    assert _notices(page) == ["Uw nieuwe sleutel is gemaakt."]
    private_pem, public_pem = assurance.generate_key(b"buiten het portaal")
    status, page = register_key(client, public_pem, private_pem, b"buiten het portaal")
    assert status == 302 and _notices(page) == ["Uw sleutel is geregistreerd."]

    refused = attach(client, filing_id, passphrase="niet de goede zin", key_index=1)  # the portal key: newest first
    assert "(code ASSURANCE-PASSPHRASE)" in refused and "ASSURANCE-PASSPHRASE:" not in refused
    assert not _error(refused).startswith("ASSURANCE") and not _notices(refused)
    attached = attach(client, filing_id, key_index=1)
    assert _notices(attached) == ["De ondertekende verklaring is aan versie 1 toegevoegd."]

    # Revoking is destructive: styled so, and only with the form's required "yes".
    page = client.get("/accountant/keys").get_data(as_text=True)
    revoke = re.findall(r'action="(/accountant/keys/\d+/revoke)"', page)[0]
    form = _form(page, revoke)
    assert 'class="danger"' in form and re.search(r'<input type="checkbox" name="confirm" value="yes" required>', form)
    unconfirmed = client.post(revoke, data={"csrf_token": csrf_token(client, "/accountant/keys")})
    page = unconfirmed.get_data(as_text=True)
    assert unconfirmed.status_code == 400 and "(code CONFIRMATION-REQUIRED)" in page and _active_keys(app) == 2
    revoked = client.post(revoke, data={"csrf_token": csrf_token(client, "/accountant/keys"), "confirm": "yes"},
                          follow_redirects=True).get_data(as_text=True)
    assert _notices(revoked) == ["De sleutel is ingetrokken; verklaringen die ermee zijn ondertekend, blijven zoals "
                                 "ze zijn."] and _active_keys(app) == 1


def test_duo_sees_its_correction_request_confirmed(app: Flask, client: FlaskClient, demo: None,
                                                   switch: Callable[[str], None]) -> None:
    log_in(client, "duo@demo.example")
    sent = client.post("/duo/2025/41234/correction", follow_redirects=True,
                       data={"csrf_token": csrf_token(client, "/duo/2025"), "message": "De WNT-toelichting ontbreekt."})
    assert _notices(sent.get_data(as_text=True)) == ["Het verzoek om correctie is naar bestuur 41234 gestuurd."]


def test_a_refused_assurance_form_keeps_the_choices_but_never_the_passphrase(
        app: Flask, client: FlaskClient, demo: None, switch: Callable[[str], None]) -> None:
    """After a refusal the accountant sees the message in the error style and the form as they left
    it: the opinion, the date and the key chosen; the passphrase and the files are asked again."""
    log_in(client, "bestuur@demo.example")
    authorise(client)
    filing_id = upload(app, client, VALID)
    switch(ACCOUNTANT)
    make_key(client)
    make_key(client)  # two keys: the second in the list is chosen, not the first
    page = client.get(f"/filings/{filing_id}").get_data(as_text=True)
    keys = re.findall(r'<option value="(\d+)"', page.split('name="key_id"', 1)[1].split("</select>", 1)[0])
    assert len(keys) == 2
    response = client.post(f"/filings/{filing_id}/assurance", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/"), "opinion": "afkeurend", "opinion_date": "2026-03-15",
        "key_id": keys[1], "passphrase": "niet de goede zin", "pdf": (io.BytesIO(PDF), "controleverklaring.pdf")})
    refused = response.get_data(as_text=True)
    assert response.status_code == 400 and "(code ASSURANCE-OPINION)" in _error(refused)  # not the file's opinion
    form = _form(refused, f"/filings/{filing_id}/assurance")
    assert re.search(r'<option value="afkeurend" selected>', form)
    assert len(re.findall(r"<option [^>]*selected", form)) == 2  # the opinion and the key; nothing else
    assert 'name="opinion_date" required value="2026-03-15"' in form
    assert re.search(rf'<option value="{keys[1]}" selected>', form)
    assert "niet de goede zin" not in refused and 'name="passphrase" autocomplete="off">' in form
    assert "Voer uw wachtwoordzin opnieuw in" in form

    # A refused key registration keeps the public key (no secret) in its field.
    private_pem, public_pem = assurance.generate_key(b"buiten het portaal")
    status, page = register_key(client, public_pem, private_pem, b"buiten het portaal", proof="geen-bewijs")
    assert status == 400 and _error(page)
    register = re.search(r'<form[^>]*id="register-key">.*?</form>', page, re.S).group(0)
    assert public_pem.decode().strip() in register and "geen-bewijs" not in register
