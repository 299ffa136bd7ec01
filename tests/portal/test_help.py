"""The help pages: readable by anyone in Dutch and English, with the portal's own signal thresholds,
the taxonomy's entry points and the deadline; the helpdesk's address from configuration on the help
page, the error pages and every page's footer."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from portal.db import utcnow
from portal.formatting import amount, number
from validators import Registry
from validators.signals import table_for

from .conftest import csrf_token, log_in


def _headings(page: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", page)]


def test_anyone_reads_the_help_in_dutch_with_the_portal_s_own_thresholds(app: Flask, client: FlaskClient) -> None:
    response = client.get("/help")
    assert response.status_code == 200  # not logged in
    page = response.get_data(as_text=True)
    levels = _headings(page)
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels  # no level skipped
    for text in ("Wat XBRL is", "Hoe u aan uw XBRL-bestand komt", "Stap voor stap", "Termijn", "Contact",
                 "Machtig uw accountant.", "geen versienummer"):
        assert text in page, text
    year = utcnow().year - 1
    table = table_for(year)
    with app.test_request_context("/"):
        # Every threshold as the table has it, in Dutch notation: the page invents no number.
        expected = [f"onder {number(table['solvency2']['below'], 2)}",
                    f"onder {number(table['current_ratio']['below']['small'], 2)} voor een klein bestuur "
                    f"(totale baten onder {amount(table['size_bounds'][0])})",
                    f"onder {amount(table['cash']['below']['PO'])} voor PO, SO, VO",
                    f"onder {amount(table['cash']['below']['MBO'])} voor MBO, HBO, WO",
                    f"boven {number(table['excess_public_equity']['above'], 2)}",
                    f"boven {number(table['housing_ratio']['above']['MBO'], 2)} voor MBO, HBO, WO",
                    f"gemiddeld over drie jaar onder {number(table['profitability']['below_3y'], 2)}",
                    f"tabelversie {table['id']}"]
    for text in expected:
        assert text.replace(" ", "&nbsp;") in page or text in page, text
    for taxonomy in Registry().all():
        assert taxonomy.entry_point in page
    assert f"vóór 01-07-{year + 1}" in page and f"uiterlijk op 30-06-{year + 1}" in page
    assert "helpdesk@verantwoordingsportaal.example" in page


def test_the_help_in_english_and_the_link_in_the_header(app: Flask, client: FlaskClient, demo: None) -> None:
    assert 'href="/help"' in client.get("/login").get_data(as_text=True)
    log_in(client, "bestuur@demo.example")
    assert 'href="/help"' in client.get("/").get_data(as_text=True)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    page = client.get("/help").get_data(as_text=True)
    assert "What XBRL is" in page and "Step by step" in page and "Wat XBRL is" not in page


def test_the_contact_address_comes_from_configuration(app: Flask, client: FlaskClient) -> None:
    app.config.update(CONTACT_EMAIL="vragen@duo.example", SUPPORT_PHONE="050 599 7755")
    for path, status in (("/help", 200), ("/login", 200), ("/geen-pagina", 404)):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == status, path
        assert 'href="mailto:vragen@duo.example"' in page and "050 599 7755" in page, path
        assert "helpdesk@verantwoordingsportaal.example" not in page, path
    app.config["SUPPORT_PHONE"] = None
    assert "tel:" not in client.get("/help").get_data(as_text=True)
