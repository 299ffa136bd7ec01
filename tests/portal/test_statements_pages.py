"""A version's statements as a page and in the API: read from the facts its validation kept (never
the file again), every fact with its label and its value in Dutch notation, findings at their rows,
the year before's submitted figures beside for OCW and the inspectorate, and the filing's
visibility rules unchanged."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import delete, select

from portal.db import get_db
from portal.drafts.forms import forms_of
from portal.filings.models import Filing, FilingFacts
from portal.storage import open_store
from validators.statements import shown

from ..samples import BROKEN, VALID, VALID_INLINE, sample
from .conftest import file_and_submit, log_in, post_upload, run_jobs, upload_page


def _kept(app: Flask, filing_id: int) -> list[dict]:
    with app.app_context():
        row = get_db().get(FilingFacts, filing_id)
        return row.facts if row is not None else []


def _text(page: str) -> str:
    """The page's text: tags out, entities decoded, white space collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def board(client: FlaskClient, demo: None) -> FlaskClient:
    log_in(client, "bestuur@demo.example")
    return client


@pytest.mark.parametrize("data, name", [(VALID, "jv.xbrl"), (VALID_INLINE, "jv.xhtml")], ids=["xbrl", "inline"])
def test_the_statements_show_every_fact_with_its_label_and_dutch_value(
        app: Flask, board: FlaskClient, data: bytes, name: str) -> None:
    filing_id = int(upload_page(board, data, name).rsplit("/", 1)[1])
    run_jobs(app)
    facts = _kept(app, filing_id)
    assert len(facts) == 154
    with app.app_context():
        forms = forms_of(2025)
    open_store(app)  # the page reads no file: the facts come from the database
    page = board.get(f"/filings/{filing_id}/statements")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    for fact in facts:
        concept = forms.concepts[fact["local"]]
        assert concept.labels["nl"] in text, concept.labels["nl"]
        assert shown(concept.kind, fact["value"]) in text, (fact["local"], fact["value"])
    assert "Balans" in text and "Staat van baten en lasten" in text and "Begroting 2026" in text
    english = _text(board.get(f"/filings/{filing_id}/statements", headers={"Accept-Language": "en"})
                    .get_data(as_text=True))
    assert "Balance sheet" in english or "Balans" in english  # the switch, not the header, picks the language


def test_the_page_reads_no_file(app: Flask, board: FlaskClient) -> None:
    """The statements come from the kept facts: with the uploaded file gone from the store, they
    still show (and a version without kept facts says why, without an error)."""
    filing_id = int(upload_page(board, VALID).rsplit("/", 1)[1])
    run_jobs(app)
    with app.app_context():
        filing = get_db().get(Filing, filing_id)
        open_store(app).delete(filing.file_sha256)
    page = board.get(f"/filings/{filing_id}/statements").get_data(as_text=True)
    assert "Totaal activa" in _text(page)
    with app.app_context():
        db = get_db()
        db.execute(delete(FilingFacts).where(FilingFacts.filing_id == filing_id))
        db.commit()
    page = board.get(f"/filings/{filing_id}/statements")
    assert page.status_code == 200 and "no statements to show" in _text(page.get_data(as_text=True)).replace(
        "geen staten te tonen", "no statements to show")


def test_a_finding_is_at_its_row_and_the_report_links_to_it(app: Flask, board: FlaskClient) -> None:
    filing_id = int(upload_page(board, BROKEN).rsplit("/", 1)[1])
    run_jobs(app)
    report = board.get(f"/filings/{filing_id}").get_data(as_text=True)
    link = f'/filings/{filing_id}/statements#BalanceSheet-'
    assert link in report
    page = board.get(f"/filings/{filing_id}/statements").get_data(as_text=True)
    row = re.search(r'<tr id="BalanceSheet-(\w+)" class="[^"]*flagged[^"]*">(.*?)</tr>', page, re.S)
    assert row is not None
    assert "EDU-BAL-01" in row.group(2)
    assert f'{link}{row.group(1)}"' in report


def test_signalling_values_show_the_rows_they_are_computed_from(app: Flask, board: FlaskClient) -> None:
    filing_id = int(upload_page(board, VALID).rsplit("/", 1)[1])
    run_jobs(app)
    report = board.get(f"/filings/{filing_id}").get_data(as_text=True)
    assert f'href="/filings/{filing_id}/statements#BalanceSheet-Equity"' in report
    assert f'href="/filings/{filing_id}/statements#BalanceSheet-EquityAndLiabilities"' in report


def test_statements_follow_the_filings_visibility(app: Flask, client: FlaskClient, demo: None,
                                                  switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    filing_id = int(upload_page(client, VALID).rsplit("/", 1)[1])
    run_jobs(app)
    for email in ("bestuur2@demo.example", "ocw@demo.example", "inspectie@demo.example", "duo@demo.example"):
        switch(email)
        assert client.get(f"/filings/{filing_id}/statements").status_code == 404, email
    switch("bestuur@demo.example")
    assert client.get(f"/filings/{filing_id}/statements").status_code == 200


def test_ocw_and_the_inspectorate_see_last_years_submitted_figures_beside(
        app: Flask, client: FlaskClient, demo: None, switch: Callable[[str], None], deliver: Callable[[], int]) -> None:
    log_in(client, "bestuur@demo.example")
    earlier = file_and_submit(app, client, sample("2024/valid/po-small.xbrl"), year=2024)
    this = file_and_submit(app, client, VALID)
    deliver()  # OCW's board page shows the figures its delivery loaded
    switch("ocw@demo.example")
    assert f'href="/filings/{this}/statements"' in client.get("/ocw/2025/bestuur/41234").get_data(as_text=True)
    switch("inspectie@demo.example")
    assert f'href="/filings/{this}/statements"' in client.get("/inspectie/bestuur/41234").get_data(as_text=True)
    for email in ("ocw@demo.example", "inspectie@demo.example"):
        switch(email)
        page = client.get(f"/filings/{this}/statements").get_data(as_text=True)
        assert "2024 (jaarverslag 2024)" in page, email
        assert "2024 (jaarverslag 2024)" not in client.get(f"/filings/{this}/statements?previous=0").get_data(
            as_text=True)
    switch("duo@demo.example")
    page = client.get(f"/filings/{this}/statements").get_data(as_text=True)
    assert "2024 (jaarverslag 2024)" not in page and "previous=1" in page  # DUO asks for it
    assert "2024 (jaarverslag 2024)" in client.get(f"/filings/{this}/statements?previous=1").get_data(as_text=True)
    assert client.get(f"/filings/{earlier}/statements").status_code == 200


def test_the_api_gives_the_statements_in_the_language_asked(app: Flask, client: FlaskClient, board: FlaskClient,
                                                              runner: FlaskCliRunner) -> None:
    filing_id = int(upload_page(board, VALID).rsplit("/", 1)[1])
    run_jobs(app)
    token = runner.invoke(args=["tokens", "create", "bestuur@demo.example"]).output.strip()
    other = runner.invoke(args=["tokens", "create", "bestuur2@demo.example"]).output.strip()
    answer = client.get(f"/api/v1/filings/{filing_id}/statements?lang=en", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    body = answer.get_json()
    titles = [s["title"] for s in body["statements"]]
    assert titles[:3] == ["General information", "Balance sheet", "Statement of income and expenses"]
    balance = body["statements"][1]
    assert balance["columns"][0] == {"period": "2025-01-01/2025-12-31", "instant": "2025-12-31", "dimensions": {},
                                     "label": "2025"}
    assets = next(row for row in balance["rows"] if row["concept"] == "Assets")
    facts = _kept(app, filing_id)
    filed = next(f["value"] for f in facts if f["local"] == "Assets" and f["period"] == "2025-12-31")
    assert assets["values"][0] == filed and assets["total"] is True and assets["label"] == "Total assets"
    assert set(assets) >= {"concept", "label", "depth", "total", "values"}
    refused = client.get(f"/api/v1/filings/{filing_id}/statements",
                         headers={"Authorization": f"Bearer {other}"})
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "NOT-FOUND"
    with app.app_context():
        db = get_db()
        db.execute(delete(FilingFacts).where(FilingFacts.filing_id == filing_id))
        db.commit()
    missing = client.get(f"/api/v1/filings/{filing_id}/statements", headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "STATEMENTS-NOT-READY"
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/filings/{id}/statements" in spec["paths"]


def test_a_purged_test_version_takes_its_kept_facts_along(app: Flask, board: FlaskClient) -> None:
    from datetime import timedelta

    from portal.db import utcnow
    from portal.jobs import core

    assert post_upload(board, VALID, test=True).status_code == 302
    run_jobs(app)
    with app.app_context():
        db = get_db()
        filing = db.scalar(select(Filing).where(Filing.is_test.is_(True)))
        assert db.get(FilingFacts, filing.id) is not None
        filing.purge_after = utcnow() - timedelta(seconds=1)
        db.commit()
        core.purge(app)
        assert db.scalar(select(FilingFacts)) is None


def test_versions_validated_before_facts_were_kept_get_them_from_the_command(
        app: Flask, board: FlaskClient, runner: FlaskCliRunner) -> None:
    """`flask filings keep-facts` validates such a version again and keeps its facts; its report and
    status stay as they were, and a second run finds nothing to do."""
    filing_id = int(upload_page(board, VALID_INLINE, "jv.xhtml").rsplit("/", 1)[1])
    run_jobs(app)
    with app.app_context():
        db = get_db()
        before = db.get(FilingFacts, filing_id).facts
        report = db.get(Filing, filing_id).report_json
        db.execute(delete(FilingFacts).where(FilingFacts.filing_id == filing_id))
        db.commit()
    assert "geen staten te tonen" in _text(board.get(f"/filings/{filing_id}/statements").get_data(as_text=True))
    result = runner.invoke(args=["filings", "keep-facts"])
    assert result.exit_code == 0, result.output
    assert "41234 2025 v1: 154 facts kept" in result.output
    with app.app_context():
        db = get_db()
        assert db.get(FilingFacts, filing_id).facts == before
        assert db.get(Filing, filing_id).report_json == report
    again = runner.invoke(args=["filings", "keep-facts"])
    assert again.exit_code == 0 and "0 versions without kept facts" in again.output


def test_a_hostile_text_in_the_filing_is_shown_as_text(app: Flask, board: FlaskClient) -> None:
    """A filing's value is data: markup in it is escaped on the page, never run."""
    hostile = VALID.replace(b"Dalend leerlingenaantal", b"&lt;script&gt;alert(document.cookie)&lt;/script&gt;"
                            b"&lt;img src=x onerror=alert(1)&gt;Dalend leerlingenaantal", 1)
    assert hostile != VALID
    filing_id = int(upload_page(board, hostile).rsplit("/", 1)[1])
    run_jobs(app)
    page = board.get(f"/filings/{filing_id}/statements").get_data(as_text=True)
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


def test_an_accountant_authorised_for_this_year_only_gets_no_figures_of_the_year_before(
        app: Flask, client: FlaskClient, demo: None, switch: Callable[[str], None]) -> None:
    """Last year's column is a version of last year: shown only to whom may see that version."""
    from .accountant_steps import ACCOUNTANT, authorise

    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, sample("2024/valid/po-small.xbrl"), year=2024)
    this = file_and_submit(app, client, VALID)
    authorise(client)  # for 2025, not 2024
    switch(ACCOUNTANT)
    page = client.get(f"/filings/{this}/statements?previous=1")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    assert "2024 (jaarverslag 2024)" not in text and "geen jaarverslag" in text
    switch("ocw@demo.example")  # who may see last year's version gets it
    assert "2024 (jaarverslag 2024)" in client.get(f"/filings/{this}/statements").get_data(as_text=True)
