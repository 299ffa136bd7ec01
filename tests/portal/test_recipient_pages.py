"""OCW's year selector and page per board; the inspectorate's list sorted either way, its links to
each board and each submitted filing; the language switch keeps a list's filters and never leaves
the site."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree, html

from ..samples import VALID, sample
from .accountant_steps import upload
from .conftest import csrf_token, file_and_submit, log_in, submit


@pytest.fixture
def three_boards(app: Flask, client: FlaskClient, demo: None, switch: Callable[[str], None],
                 deliver: Callable[[], int]) -> None:
    """Boards 41234, 30567 and 25123 submitted 2025 (their valid samples) and the deliveries made."""
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, VALID)
    switch("bestuur2@demo.example")
    for board, name in (("30567", "vo-large"), ("25123", "mbo")):
        filing_id = upload(app, client, sample(f"2025/valid/{name}.xbrl"), board=board)
        assert submit(client, filing_id).status_code == 302
    deliver()


def _links(page: str) -> list[str]:
    return [a.get("href") for a in html.fromstring(page).xpath("//main//a[@href]")]


def _column(page: str, n: int) -> list[str]:
    return [" ".join(td.text_content().split())
            for td in html.fromstring(page).xpath(f"//table[contains(@class, 'list')]/tbody/tr/td[{n}]")]


def _heading(page: str, label: str) -> html.HtmlElement:
    (th,) = [th for th in html.fromstring(page).xpath("//table[contains(@class, 'list')]/thead//th")
             if label in th.text_content()]
    return th


def test_ocw_year_selector_and_a_page_per_board(app: Flask, client: FlaskClient, three_boards: None,
                                                switch: Callable[[str], None]) -> None:
    assert client.get("/ocw/2025/bestuur/25123").status_code == 403  # a board user, even of that board
    switch("ocw@demo.example")
    year = client.get("/ocw/2025").get_data(as_text=True)
    nav = html.fromstring(year).xpath("//nav[@class='years']//a")
    assert [(a.text_content(), a.get("aria-current")) for a in nav] == [("2025", "page")]  # only years with figures
    assert {"/ocw/2025/bestuur/41234", "/ocw/2025/bestuur/30567", "/ocw/2025/bestuur/25123"} <= set(_links(year))
    assert "Stichting ROC Midden-Nederland" in year
    vo = [h for h in _links(client.get("/ocw/2025?sector=VO").get_data(as_text=True)) if "/bestuur/" in h]
    assert vo == ["/ocw/2025/bestuur/30567"]  # the sector chosen applies to the list of boards too
    assert _links(client.get("/ocw/2025?q=linde").get_data(as_text=True)).count("/ocw/2025/bestuur/41234") == 1
    assert "/ocw/2025/bestuur/30567" not in _links(client.get("/ocw/2025?q=linde").get_data(as_text=True))
    assert "Geen besturen gevonden." in client.get("/ocw/2025?q=%25' OR 1=1 --").get_data(as_text=True)
    assert "Geen besturen gevonden." in client.get("/ocw/2024").get_data(as_text=True)  # a year without figures

    board = client.get("/ocw/2025/bestuur/41234").get_data(as_text=True)
    assert "Stichting Openbaar Primair Onderwijs De Linde" in board and 'href="/ocw/2025"' in board
    equity = Decimal(etree.fromstring(VALID).find(
        "{https://xbrl.onderwijs.example/2025/edu}Equity[@contextRef='I2025']").text)
    rows = [" ".join(tr.text_content().split()) for tr in html.fromstring(board).xpath("//table/tbody/tr")]
    # The taxonomy's Dutch label, the concept and its unit, the day in Dutch notation, the amount with points.
    assert "Eigen vermogen (Equity, €) 31-12-2025 € " + f"{equity:,.0f}".replace(",", ".") in rows
    assert "Datum goedkeuring intern toezicht (SupervisoryApprovalDate) 01-01-2025 – 31-12-2025 10-06-2026" in rows
    assert any("Scenario: Begroting" in r for r in rows)  # a budget figure, its dimension in Dutch
    assert any(r.startswith("Totaal baten (Income, €) 01-01-2025 – 31-12-2025 € ") for r in rows)

    assert client.get("/ocw/2025/bestuur/20111").status_code == 404  # a board without figures
    assert client.get("/ocw/2025/bestuur/99999").status_code == 404  # no such board
    assert client.get("/ocw/2024/bestuur/41234").status_code == 404  # no figures that year
    for other in ("duo@demo.example", "inspectie@demo.example"):
        switch(other)
        assert client.get("/ocw/2025/bestuur/41234").status_code == 403


def test_inspectorate_sorts_either_way_and_links_only_where_it_may(client: FlaskClient, three_boards: None,
                                                                  switch: Callable[[str], None]) -> None:
    switch("inspectie@demo.example")
    up = client.get("/inspectie/2025?all=1&sort=cash").get_data(as_text=True)
    cash = _heading(up, "Liquide middelen")
    assert cash.get("aria-sort") == "ascending"
    ascending = _column(up, 1)
    assert len(ascending) == 3
    reverse = cash.xpath(".//a")[0].get("href")
    assert parse_qs(urlsplit(reverse).query) == {"all": ["1"], "sort": ["cash"], "dir": ["desc"]}
    down = client.get(reverse).get_data(as_text=True)
    assert _heading(down, "Liquide middelen").get("aria-sort") == "descending"
    assert _column(down, 1) == ascending[::-1]
    back = _heading(down, "Liquide middelen").xpath(".//a")[0].get("href")
    assert parse_qs(urlsplit(back).query)["dir"] == ["asc"]
    # Another column starts ascending, by name; the signals count starts with the most.
    assert parse_qs(urlsplit(_heading(down, "Bevoegd gezag").xpath(".//a")[0].get("href")).query)["dir"] == ["asc"]
    by_name = client.get("/inspectie/2025?all=1&sort=name").get_data(as_text=True)
    assert _column(by_name, 1) == sorted(ascending, key=str.casefold)
    assert _column(client.get("/inspectie/2025?all=1&sort=name&dir=desc").get_data(as_text=True), 1) == \
        sorted(ascending, key=str.casefold, reverse=True)

    # Every link of the list and of a board page leads somewhere the inspectorate may go.
    board_links = [h for h in _links(up) if h.startswith("/inspectie/bestuur/")]
    assert len(board_links) == 3
    for link in board_links:
        page = client.get(link).get_data(as_text=True)
        assert re.search(r"<h1>Stichting [^<]+ <span", page)  # the board's name
        filings = [h for h in _links(page) if h.startswith("/filings/")]
        assert len(filings) == 2 and filings[1] == filings[0] + "/statements"  # the version, and its statements
        for target in _links(page):
            assert client.get(target).status_code == 200, target


def test_language_switch_keeps_the_query_and_stays_on_the_site(client: FlaskClient, demo: None) -> None:
    log_in(client, "inspectie@demo.example")
    listed = "/inspectie/2025?sector=PO&size=small&all=1&sort=cash&dir=desc"
    page = client.get(listed).get_data(as_text=True)
    (kept,) = html.fromstring(page).xpath("//form[contains(@action, '/language/')]//input[@name='next']/@value")
    assert kept == listed
    switched = client.post("/language/en", data={"csrf_token": csrf_token(client, listed), "next": kept})
    assert switched.status_code == 302 and switched.headers["Location"] == listed
    english = client.get(switched.headers["Location"]).get_data(as_text=True)
    assert 'lang="en"' in english and 'value="PO" selected' in english and 'value="small" selected' in english
    for offsite in ("https://evil.example/inspectie/2025", "//evil.example/x", "/\\evil.example", "http:/x",
                    "javascript:alert(1)", "/%2e%2e//evil.example"):
        answer = client.post("/language/nl", data={"csrf_token": csrf_token(client, listed), "next": offsite})
        where = urlsplit(answer.headers["Location"])
        assert answer.status_code == 302 and where.netloc in ("", "localhost") and where.path == "/", offsite
