"""DUO's overview of some 1,500 boards: searched by number or name, filtered by status, sorted
both ways, paged (in Dutch notation), every choice in the URL; the record of correction requests."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from lxml import html

from portal.boards.services import import_csv
from portal.db import get_db

from ..samples import VALID
from .conftest import csrf_token, file_and_submit, log_in

EXTRA = 1100  # with the 4 demo boards: 1,104 boards, 23 pages of 50


def _import_boards(app: Flask) -> None:
    """Boards 10000-11099, "Stichting Testbestuur <n>", through the registry's own import."""
    lines = "".join(f"{n},Stichting Testbestuur {n},{n:08d},PO\n" for n in range(10000, 10000 + EXTRA))
    with app.app_context():
        db = get_db()
        import_csv(db, "number,name,kvk,sectors\n" + lines)
        db.commit()


def _numbers(page: str) -> list[str]:
    """The board numbers in the overview's rows, in order."""
    return [td.text_content().strip() for td in html.fromstring(page).xpath("//table[@class='list']/tbody/tr/td[1]")]


def _range(page: str) -> str:
    """The pager's "1-50 van 1.104"."""
    return " ".join(html.fromstring(page).xpath("//nav[@class='pager']/span[@class='range']")[0].text_content().split())


def _heading(page: str, label: str) -> html.HtmlElement:
    (th,) = [th for th in html.fromstring(page).xpath("//table[@class='list']/thead//th") if label in th.text_content()]
    return th


def test_paging_in_dutch_notation_and_its_bounds(app: Flask, client: FlaskClient, demo: None) -> None:
    _import_boards(app)
    log_in(client, "duo@demo.example")
    first = client.get("/duo/2025").get_data(as_text=True)
    assert _range(first) == "1-50 van 1.104" and "Pagina 1 van 23" in first
    assert _numbers(first) == [str(n) for n in range(10000, 10050)]
    assert "Nog niet ingediend: <strong>1.104</strong>" in first.replace("</a>", "")
    second = client.get("/duo/2025?page=2").get_data(as_text=True)
    assert _numbers(second)[0] == "10050" and _range(second) == "51-100 van 1.104"
    for beyond in ("23", "99", "100000000000000000000"):  # past the last page: the last one
        last = client.get(f"/duo/2025?page={beyond}")
        assert last.status_code == 200
        assert _range(last.get_data(as_text=True)) == "1.101-1.104 van 1.104"
        assert _numbers(last.get_data(as_text=True)) == ["20111", "25123", "30567", "41234"]
    for odd in ("abc", "-3", "0", "1.5", ""):  # not a page number: page 1, never an error
        response = client.get(f"/duo/2025?page={odd}")
        assert response.status_code == 200 and _range(response.get_data(as_text=True)) == "1-50 van 1.104"


def test_sorting_both_ways_shown_and_reversible(app: Flask, client: FlaskClient, demo: None) -> None:
    _import_boards(app)
    log_in(client, "duo@demo.example")
    up = client.get("/duo/2025?sort=number").get_data(as_text=True)
    assert _heading(up, "Nummer").get("aria-sort") == "ascending" and _numbers(up)[0] == "10000"
    assert _heading(up, "Naam").get("aria-sort") is None
    # The sorted column's link reverses it; another column's starts ascending.
    reverse = _heading(up, "Nummer").xpath(".//a")[0].get("href")
    assert parse_qs(urlsplit(reverse).query) == {"sort": ["number"], "dir": ["desc"]}
    down = client.get(reverse).get_data(as_text=True)
    assert _heading(down, "Nummer").get("aria-sort") == "descending"
    assert _numbers(down)[:2] == ["41234", "30567"]
    back = _heading(down, "Nummer").xpath(".//a")[0].get("href")
    assert parse_qs(urlsplit(back).query)["dir"] == ["asc"]
    by_name = client.get("/duo/2025?sort=name&dir=desc&q=Stichting+S").get_data(as_text=True)
    assert _heading(by_name, "Naam").get("aria-sort") == "descending"
    assert _numbers(by_name) == ["20111"]  # "Stichting Samenwerkingsverband ...": the search kept with the sort
    names = client.get("/duo/2025?sort=name&dir=desc").get_data(as_text=True)
    assert _numbers(names)[0] == "30567"  # Stichting Voortgezet Onderwijs Rijnmond: last by name
    assert client.get("/duo/2025?sort=1;DROP&dir=sideways").status_code == 200  # unknown: the default order


def test_search_by_number_or_name_is_plain_text(app: Flask, client: FlaskClient, demo: None) -> None:
    _import_boards(app)
    log_in(client, "duo@demo.example")
    assert _numbers(client.get("/duo/2025?q=linde").get_data(as_text=True)) == ["41234"]  # any case
    assert _numbers(client.get("/duo/2025?q=3056").get_data(as_text=True)) == ["30567"]
    found = client.get("/duo/2025?q=Testbestuur+1099").get_data(as_text=True)
    assert _numbers(found) == [str(n) for n in range(10990, 11000)] and _range(found) == "1-10 van 10"
    for hostile in ("' OR 1=1 --", "%", "_", "41234'; DROP TABLE boards; --", "\\", "<script>x</script>"):
        response = client.get("/duo/2025", query_string={"q": hostile})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Geen besturen gevonden." in page and not _numbers(page), hostile
        assert "<script>x</script>" not in page
    assert "1-50 van 1.104" in client.get("/duo/2025").get_data(as_text=True)  # the boards are all still there


def test_status_filter_and_the_correction_record(app: Flask, client: FlaskClient, demo: None,
                                                 switch: Callable[[str], None]) -> None:
    app.config["DEADLINES"] = "2025=2099-07-01"  # in time, whatever today's date
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, VALID)
    switch("duo@demo.example")
    assert _numbers(client.get("/duo/2025?status=valid").get_data(as_text=True)) == ["41234"]
    assert _numbers(client.get("/duo/2025?status=not-filed").get_data(as_text=True)) == ["20111", "25123", "30567"]
    assert "Geen besturen gevonden." in client.get("/duo/2025?status=late").get_data(as_text=True)
    assert "Geen besturen gevonden." in client.get("/duo/2025?status=correction").get_data(as_text=True)
    by_state = client.get("/duo/2025?sort=state&dir=desc").get_data(as_text=True)
    assert _numbers(by_state)[0] == "41234"  # filed and valid sorts after not filed; reversed, first
    assert _numbers(client.get("/duo/2025?sort=state").get_data(as_text=True))[-1] == "41234"
    for way in ("asc", "desc"):  # by submission time: the boards without one last, either way
        assert _numbers(client.get(f"/duo/2025?sort=submitted&dir={way}").get_data(as_text=True))[0] == "41234"

    listed = "/duo/2025?q=41&status=valid"  # the form comes back to the list it was sent from
    asked = client.post("/duo/2025/41234/correction", data={"csrf_token": csrf_token(client, listed),
                                                             "message": "De WNT-bijlage ontbreekt.", "q": "41",
                                                             "status": "valid"})
    assert parse_qs(urlsplit(asked.headers["Location"]).query) == {"q": ["41"], "status": ["valid"]}
    page = client.get("/duo/2025?status=correction").get_data(as_text=True)
    assert _numbers(page) == ["41234"]
    assert re.search(r"Correctie gevraagd op \d\d-\d\d-20\d\d", page)
    assert "Correctie gevraagd: <strong>1</strong>" in page.replace("</a>", "")

    app.config["DEADLINES"] = "2025=2026-07-01"  # the answer comes after the deadline: late
    switch("bestuur@demo.example")
    file_and_submit(app, client, VALID + b"<!-- gecorrigeerd -->")
    switch("duo@demo.example")
    assert _numbers(client.get("/duo/2025?status=late").get_data(as_text=True)) == ["41234"]
    assert "Geen besturen gevonden." in client.get("/duo/2025?status=valid").get_data(as_text=True)
    assert "Geen besturen gevonden." in client.get("/duo/2025?status=correction").get_data(as_text=True)
    answered = client.get("/duo/2025?q=41234").get_data(as_text=True)
    assert re.search(r"Correctie van \d\d-\d\d-20\d\d beantwoord op \d\d-\d\d-20\d\d", answered)
    assert "Correctie gevraagd op" not in answered


def test_no_boards_at_all(client: FlaskClient, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["users", "create", "d@duo.example", "--role", "duo"], input="een-lang-wachtwoord\n")
    log_in(client, "d@duo.example", "een-lang-wachtwoord")
    response = client.get("/duo/2025?page=3")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Geen besturen gevonden." in page
    assert client.get("/duo/2025.csv").get_data(as_text=True).splitlines()[1:] == []
