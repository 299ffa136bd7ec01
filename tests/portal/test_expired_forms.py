"""An upload whose session or form has expired: the page says in plain words that the file was not
received, and leads back to the year page (through the login page when the session has ended)."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient

from ..samples import VALID
from .conftest import csrf_token, log_in

YEAR_PAGE = "/boards/41234/2025"


def _post_upload(client: FlaskClient, token: str) -> object:
    return client.post(YEAR_PAGE + "/upload", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(VALID), "jv.xbrl")})


def _way_back(page: str) -> tuple[str, str]:
    match = re.search(r'<a class="button-like" id="way-back" href="([^"]+)">([^<]+)</a>', page)
    assert match, page
    return match.group(1).replace("&amp;", "&"), match.group(2)


def test_an_upload_from_a_page_open_too_long_says_to_choose_the_file_again(client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    response = _post_upload(client, "een-verlopen-token")  # what a token from a page open too long gets
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<h1>Uw bestand is niet ontvangen</h1>" in page
    assert "Het bestand dat u koos, is niet ontvangen: kies het bestand opnieuw." in page
    assert _way_back(page) == (YEAR_PAGE, "Kies het bestand opnieuw")


def test_an_upload_after_the_session_ended_leads_to_login_and_back(client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    token = csrf_token(client, YEAR_PAGE)
    client.delete_cookie("session")  # the session ends (expired), with the form's token
    response = _post_upload(client, token)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Uw sessie is afgelopen" in page and "kies het bestand opnieuw" in page
    url, text = _way_back(page)
    assert text == "Opnieuw inloggen" and urlsplit(url).path == "/login"
    assert parse_qs(urlsplit(url).query)["next"] == [YEAR_PAGE]  # a path on this site, made by the portal
    response = client.post(url, data={"email": "bestuur@demo.example", "password": "demo-wachtwoord-2025",
                                      "csrf_token": csrf_token(client, url)})
    assert response.headers["Location"] == YEAR_PAGE


def test_an_upload_that_needs_a_login_goes_to_login_with_the_year_page_next(client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    token = csrf_token(client, YEAR_PAGE)
    with client.session_transaction() as session:  # signed out (elsewhere), the form's token still valid
        session.pop("_user_id")
    response = _post_upload(client, token)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login" and parse_qs(location.query)["next"] == [YEAR_PAGE]  # not the POST-only URL
    login = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Het bestand dat u koos, is niet ontvangen: log in en kies het bestand opnieuw." in login


def test_a_page_that_needs_a_login_still_comes_back_to_itself(client: FlaskClient, demo: None) -> None:
    response = client.get(YEAR_PAGE + "?tab=1")
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login" and parse_qs(location.query)["next"] == [YEAR_PAGE + "?tab=1"]
