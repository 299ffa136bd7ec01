"""A board's next step in view: the home page shows per board where the year stands and the days
left; the year page leads with the submission that counts and reaches the other years."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from ..samples import BROKEN, VALID
from .conftest import log_in, run_jobs, submit, upload_page


def _row(page: str, board: str) -> str:
    match = re.search(rf"<tr><td[^>]*>[^<]*<span class=\"muted\">\({board}\)</span>.*?</tr>", page, re.S)
    assert match, page
    return match.group(0)


def test_the_home_page_follows_the_year_from_nothing_to_submitted(app: Flask, client: FlaskClient,
                                                                   demo: None) -> None:
    app.config["DEADLINES"] = "2025=2099-07-01"  # far ahead: days are left
    log_in(client, "bestuur@demo.example")
    row = _row(client.get("/").get_data(as_text=True), "41234")
    assert "Nog niets geüpload" in row and "Jaarverantwoording 2025 indienen" in row
    assert re.search(r"nog [\d.]+ dagen", row) and "tot 01-07-2099 00:00 (Nederlandse tijd)" in row

    upload_page(client, BROKEN)
    run_jobs(app)
    assert "Nog te verbeteren" in _row(client.get("/").get_data(as_text=True), "41234")

    filing = upload_page(client, VALID).rsplit("/", 1)[1]
    run_jobs(app)
    row = _row(client.get("/").get_data(as_text=True), "41234")
    assert "Klaar om in te dienen" in row and "Nu indienen" in row and "Versie 2" in row

    submit(client, filing)
    row = _row(client.get("/").get_data(as_text=True), "41234")
    assert "Ingediend" in row and "JV-2025-41234-0001" in row and "te laat" not in row


def test_after_the_deadline_the_home_page_says_so(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")  # 2025's deadline, 1 July 2026, has passed
    assert "termijn verstreken" in _row(client.get("/").get_data(as_text=True), "41234")


def test_the_year_page_leads_with_the_submission_and_reaches_other_years(app: Flask, client: FlaskClient,
                                                                        demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    before = client.get("/boards/41234/2025").get_data(as_text=True)
    assert "Deze indiening telt" not in before and "Een correctie uploaden" not in before
    filing = upload_page(client, VALID).rsplit("/", 1)[1]
    run_jobs(app)
    submit(client, filing)
    page = client.get("/boards/41234/2025").get_data(as_text=True)
    assert page.index("Deze indiening telt") < page.index("Een correctie uploaden")
    assert "JV-2025-41234-0001" in page
    years = re.findall(r'href="(/boards/41234/(\d{4}))"', page)
    assert ("/boards/41234/2024", "2024") in years
    for path, _year in years:
        assert client.get(path).status_code == 200
