"""Numbers, amounts and times on pages in the page's language through Babel: Dutch notation in
Dutch (21.329 bytes, € 1.522.407, 0,35), British in English, and times in Dutch time."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask, session
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import formatting
from portal.db import get_db
from portal.filings.models import Filing
from tests.samples import VALID

from .conftest import csrf_token, log_in, upload_page


def _in(app: Flask, lang: str) -> dict[str, str]:
    with app.test_request_context("/"):
        session["lang"] = lang
        return {"number": formatting.number(1386.5), "two": formatting.number("0.35", 2),
                "amount": formatting.amount(1522407), "negative": formatting.amount(-41902),
                "percent": formatting.percent(0.042, signed=True), "size": formatting.filesize(21329),
                # 30 June 22:00 UTC is midnight in Amsterdam (summer time): the deadline's own moment.
                "summer": formatting.moment(datetime(2027, 6, 30, 22, 0, tzinfo=timezone.utc)),
                "winter": formatting.moment(datetime(2026, 12, 1, 13, 27, 46, tzinfo=timezone.utc), seconds=True),
                "day": formatting.day(datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc))}


def test_dutch_notation_and_dutch_time(app: Flask) -> None:
    assert _in(app, "nl") == {"number": "1.386,5", "two": "0,35", "amount": "€ 1.522.407", "negative": "€ -41.902",
                              "percent": "+4,2%", "size": "21.329 bytes", "summer": "01-07-2027 00:00",
                              "winter": "01-12-2026 14:27:46", "day": "02-12-2026"}


def test_british_notation_in_english_still_in_dutch_time(app: Flask) -> None:
    assert _in(app, "en") == {"number": "1,386.5", "two": "0.35", "amount": "€1,522,407", "negative": "-€41,902",
                              "percent": "+4.2%", "size": "21,329 bytes", "summer": "01/07/2027 00:00",
                              "winter": "01/12/2026 14:27:46", "day": "02/12/2026"}


def test_the_filing_page_in_each_language(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    page = upload_page(client, VALID)
    with app.app_context():
        filing = get_db().scalar(select(Filing))
        uploaded = filing.uploaded_at.astimezone(ZoneInfo(formatting.TIMEZONE))
    size = f"{len(VALID):,}"
    assert len(VALID) >= 1000  # the thousands separator shows
    dutch = client.get(page).get_data(as_text=True)
    assert f"{size.replace(',', '.')} bytes" in dutch and f"{uploaded:%d-%m-%Y %H:%M}" in dutch
    assert "UTC" not in dutch
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    english = client.get(page).get_data(as_text=True)
    assert f"{size} bytes" in english and f"{uploaded:%d/%m/%Y %H:%M}" in english


def test_a_finding_s_values_in_the_language_s_notation_when_its_concept_is_a_number() -> None:
    from portal.formatting import fact_values_in

    assert fact_values_in("nl", ["1522407", "-5000.5"], "edu:Assets") == "1.522.407, -5.000,5"
    assert fact_values_in("en", ["1522407"], "edu:Assets") == "1,522,407"
    # A board number, a KvK number or a text stays as the filing wrote it, whatever it looks like.
    assert fact_values_in("nl", ["41234"], "edu:BoardNumber") == "41234"
    assert fact_values_in("nl", ["12345678"], None) == "12345678"
    assert fact_values_in("nl", ["1.5e3", "n.v.t."], "edu:Assets") == "1.5e3, n.v.t."
