"""What changed, in the portal: the API's shape and its refusals (another board's version, a recipient
and a version never submitted, a pair that cannot be compared, a version without kept facts), the
compare page with its choices, the submit box's summary since the last submitted version, and DUO's
overview saying what a correction changed. On both databases, with real validations."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from taxonomies.samples import SAMPLES_DIR

from ..samples import VALID
from .conftest import file_and_submit, log_in, post_upload, run_jobs, submit, upload_page

ONE_AMOUNT = VALID.replace(b'decimals="0">54956<', b'decimals="0">55956<')  # other income: + 1,000
ONE_TEXT = VALID.replace(b"zes keer vergaderd", b"zeven keer vergaderd")  # still valid
CHANGE = {"concept": "OtherIncome", "period": "2025-01-01/2025-12-31", "dimensions": {}, "old": "54956",
          "new": "55956"}


def _token(runner: FlaskCliRunner, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {runner.invoke(args=['tokens', 'create', email]).output.strip()}"}


def _version(app: Flask, client: FlaskClient, data: bytes, year: int = 2025, board: str = "41234") -> int:
    filing_id = int(upload_page(client, data, board=board, year=year).rsplit("/", 1)[1])
    run_jobs(app)
    return filing_id


def _code(response: object) -> tuple[int, str]:
    return response.status_code, response.get_json()["error"]["code"]  # type: ignore[attr-defined]


def test_the_api_gives_exactly_the_one_change(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                              demo: None) -> None:
    assert ONE_AMOUNT != VALID and ONE_TEXT != VALID
    log_in(client, "bestuur@demo.example")
    first, second = _version(app, client, VALID), _version(app, client, ONE_AMOUNT)
    board = _token(runner, "bestuur@demo.example")
    answer = client.get(f"/api/v1/filings/{second}/compare?with={first}", headers=board)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["changes"] == [CHANGE]
    assert (body["old"]["version"], body["new"]["version"]) == (1, 2)
    # The income no longer adds up in version 2: its findings are new; none resolved.
    assert body["findings"]["new"] and body["findings"]["resolved"] == []
    # The earlier version is the old side whichever the URL names first.
    assert client.get(f"/api/v1/filings/{first}/compare?with={second}", headers=board).get_json() == body
    # The operation is in the OpenAPI document, its answer's changes with exactly these keys.
    document = client.get("/api/v1/openapi.json").get_json()
    assert "get" in document["paths"]["/filings/{id}/compare"]
    change = document["components"]["schemas"]["Change"]
    assert set(change["required"]) == set(change["properties"]) == set(CHANGE)
    assert _code(client.get(f"/api/v1/filings/{first}/compare", headers=board)) == (400, "REQUEST-INVALID")


def test_the_api_refuses_what_cannot_be_compared(app: Flask, client: FlaskClient, runner: FlaskCliRunner,
                                                 demo: None, switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur2@demo.example")  # another board's version
    other_board = _version(app, client, (SAMPLES_DIR / "2025/valid/vo-large.xbrl").read_bytes(), board="30567")
    switch("bestuur@demo.example")
    first = file_and_submit(app, client, VALID)
    second = _version(app, client, ONE_TEXT)  # valid, so it can be submitted below
    last_year = _version(app, client, (SAMPLES_DIR / "2024/valid/po-small.xbrl").read_bytes(), year=2024)
    too_old = int(post_upload(client, VALID, year=2023).headers["Location"].rsplit("/", 1)[1])
    queued = int(upload_page(client, VALID + b"<!-- queued -->").rsplit("/", 1)[1])  # not validated: no facts
    board, duo, admin = (_token(runner, e) for e in ("bestuur@demo.example", "duo@demo.example",
                                                        "beheer@demo.example"))

    def get(filing: int, other: int, headers: dict[str, str]) -> object:
        return client.get(f"/api/v1/filings/{filing}/compare?with={other}", headers=headers)

    # Another board's version is not found, whichever side it is on, and for its own board too.
    assert _code(get(first, other_board, board)) == (404, "NOT-FOUND")
    assert _code(get(other_board, first, board)) == (404, "NOT-FOUND")
    assert _code(get(first, 999, board)) == (404, "NOT-FOUND")
    assert _code(get(other_board, first, _token(runner, "bestuur2@demo.example"))) == (404, "NOT-FOUND")
    # Someone who sees both (an administrator) is told they do not compare.
    assert _code(get(first, other_board, admin)) == (422, "COMPARE-MISMATCH")
    mismatch = get(first, too_old, board)
    assert _code(mismatch) == (422, "COMPARE-MISMATCH")
    assert "2023" in mismatch.get_json()["error"]["message"]["nl"]
    assert _code(get(first, queued, board)) == (409, "COMPARE-NO-FACTS")
    # The year before lines up: last year's balance sheet date against this year's.
    year = get(first, last_year, board).get_json()
    assert (year["old"]["year"], year["new"]["year"]) == (2024, 2025)
    assert {c["period"] for c in year["changes"]} >= {"2025-12-31", "2024-12-31", "2025-01-01/2025-12-31"}
    assert not any("2023" in (c["period"] or "") for c in year["changes"])
    # A recipient compares submitted versions only: version 2 does not exist for DUO until submitted.
    assert _code(get(first, second, duo)) == (404, "NOT-FOUND")
    assert _code(get(second, first, duo)) == (404, "NOT-FOUND")
    assert submit(client, second).status_code == 302
    assert [c["concept"] for c in get(second, first, duo).get_json()["changes"]] == ["SupervisoryBoardReport"]


def test_the_page_shows_the_change_and_the_choices(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    last_year = file_and_submit(app, client, (SAMPLES_DIR / "2024/valid/po-small.xbrl").read_bytes(), year=2024)
    first, second = _version(app, client, VALID), _version(app, client, ONE_AMOUNT)
    assert f'href="/filings/{second}/compare"' in client.get(f"/filings/{second}").get_data(as_text=True)
    choices = client.get(f"/filings/{second}/compare").get_data(as_text=True)
    assert f"/filings/{second}/compare?with={first}" in choices
    assert f"/filings/{second}/compare?with={last_year}" in choices and "Het ingediende jaarverslag 2024" in choices

    page = client.get(f"/filings/{second}/compare?with={first}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "1 cijfer gewijzigd." in html and "Van versie 1 naar versie 2" in html
    row = html.split("Overige baten", 1)[1].split("</tr>", 1)[0]  # the row of other income, in Dutch
    assert "54.956" in row and "55.956" in row and "+1.000" in row and "Gewijzigd" in row and "2025" in row
    assert "Nieuwe bevindingen (1)" in html and "Staat van baten en lasten" in html

    year = client.get(f"/filings/{first}/compare?with={last_year}").get_data(as_text=True)
    assert "Van het jaarverslag 2024 (versie 1) naar 2025 (versie 1)" in year
    assert "Toegevoegd" in year and "31-12-2025" in year
    refused = client.get(f"/filings/{first}/compare?with=99")
    assert refused.status_code == 404


def test_the_submit_box_says_what_changed_and_duo_sees_what_was_corrected(
        app: Flask, client: FlaskClient, demo: None, switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    first = _version(app, client, VALID)
    assert "Wat is er veranderd sinds" not in client.get(f"/filings/{first}").get_data(as_text=True)
    assert submit(client, first).status_code == 302
    correction = _version(app, client, ONE_TEXT)
    box = client.get(f"/filings/{correction}").get_data(as_text=True).split('id="submit"', 1)[1]
    assert "Wat is er veranderd sinds uw laatst ingediende versie (versie 1):" in box
    assert "1 tekst gewijzigd." in box and f"/filings/{correction}/compare?with={first}" in box
    assert client.get(f"/filings/{correction}/report-part").get_data(as_text=True).count("1 tekst gewijzigd.") == 1
    assert submit(client, correction).status_code == 302

    switch("duo@demo.example")
    overview = client.get("/duo/2025").get_data(as_text=True)
    assert "Wat deze correctie van versie 1 veranderde" in overview and "1 tekst gewijzigd." in overview
    link = f"/filings/{correction}/compare?with={first}"
    assert link in overview
    page = client.get(link).get_data(as_text=True)
    assert "zeven keer vergaderd" in page and "zes keer vergaderd" in page
