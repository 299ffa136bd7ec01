"""The event log in plain words, in the page's language, and in pages of 50."""

from __future__ import annotations

import json

from flask import Flask, session
from flask.testing import FlaskClient

from portal.audit.models import AuditEvent
from portal.audit.presenter import describe
from portal.db import get_db

from ..samples import VALID
from .conftest import csrf_token, log_in, run_jobs, submit, upload_page


def _event(action: str, **detail: object) -> AuditEvent:
    return AuditEvent(actor="x@example", action=action, object_type="filing", object_id="1",
                      detail=json.dumps(detail))


def test_each_action_reads_as_a_sentence_and_details_stay_text(app: Flask) -> None:
    with app.test_request_context("/"):
        session["lang"] = "nl"
        assert describe(_event("filing.uploaded", version=2, file="jv.xbrl")) == "Versie 2 geüpload: jv.xbrl"
        assert describe(_event("delivery.delivered", recipient="inspectorate")) == "Afgeleverd aan de inspectie"
        assert describe(_event("filing.validated", version=1, status="invalid", findings=3)) == \
            "Versie 1 gecontroleerd: ongeldig, 3 meldingen"
        assert describe(_event("filing.uploaded", file="x")) == "Versie ? geüpload: x"  # an older event's gap
        assert describe(_event("something.new")) == "something.new"
        # A file name is only ever text in the sentence, never a format of its own.
        assert describe(_event("filing.uploaded", version=1, file="{0.__class__}")) == "Versie 1 geüpload: {0.__class__}"
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert describe(_event("filing.submitted", version=1, receipt="JV-1")) == "Version 1 submitted, receipt JV-1"


def test_the_board_reads_its_log_in_words(app: Flask, client: FlaskClient, demo: None) -> None:
    log_in(client, "bestuur@demo.example")
    filing = upload_page(client, VALID).rsplit("/", 1)[1]
    run_jobs(app)
    submit(client, filing)
    log = client.get("/audit").get_data(as_text=True)
    for sentence in ("Versie 1 geüpload: jv.xbrl", "Versie 1 gecontroleerd: geldig, 0 meldingen",
                     "Versie 1 ingediend, ontvangstbewijs JV-2025-41234-0001"):
        assert sentence in log
    assert '{"version"' not in log  # no raw JSON
    year = client.get("/boards/41234/2025").get_data(as_text=True)
    assert "Versie 1 ingediend" in year and 'href="/audit"' in year
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    assert "Version 1 uploaded: jv.xbrl" in client.get("/audit").get_data(as_text=True)


def test_the_log_comes_in_pages_of_fifty(app: Flask, client: FlaskClient, demo: None) -> None:
    with app.app_context():
        db = get_db()
        db.add_all(_event("key.added") for _ in range(70))
        db.commit()
    log_in(client, "beheer@demo.example")
    first = client.get("/audit").get_data(as_text=True)
    assert first.count("<tr>") - 1 == 50 and "?page=2" in first and "?page=0" not in first
    second = client.get("/audit?page=2").get_data(as_text=True)
    assert second.count("Ondertekeningssleutel toegevoegd") >= 20 and "?page=1" in second
    assert client.get("/audit?page=abc").status_code == 200  # not a number: the first page


def test_sentences_are_catalogue_messages_and_details_stay_plain_text(app: Flask) -> None:
    with app.test_request_context("/"):
        session["lang"] = "nl"
        # A detail that looks like a %-place or reaches for an attribute stays text, once.
        assert describe(_event("filing.uploaded", version=3, file="%(version)s.__class__")) == \
            "Versie 3 geüpload: %(version)s.__class__"
        assert describe(_event("filing.validated", version="1[0]", status="valid", findings=0)) == \
            "Versie 1[0] gecontroleerd: geldig, 0 meldingen"
        assert describe(_event("filing.rejected", file="x.pdf", code="IN-TYPE")) == \
            "Bestand geweigerd, geen versie: x.pdf (IN-TYPE)"
        assert describe(_event("filing.validated", status="unknown-status")) == \
            "Versie ? gecontroleerd: unknown-status, ? meldingen"
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert describe(_event("delivery.delivered", recipient="inspectorate")) == "Delivered to the inspectorate"
        assert describe(_event("filing.validated", version=2, status="valid-with-warnings", findings=1)) == \
            "Version 2 checked: valid with warnings, 1 findings"
