"""The drafts service: saves on a revision (a stale one is refused naming who saved, and nothing is
lost), a statement's save keeps the rest, who may read and who may change, every offending fact
listed, what a new draft starts from, a version taken over, and a draft filed as a version."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accountants.services import authorise
from portal.audit.models import AuditEvent
from portal.audit.presenter import describe
from portal.db import get_db
from portal.drafts import services as drafts
from portal.drafts.models import Draft
from portal.errors import ServiceError
from portal.filings.services import UploadLimits, upload
from portal.formatting import moment_in
from portal.storage import open_store
from portal.users.models import User
from portal.users.services import create_user
from validators.forms import DraftFact, read_instance

from ..samples import VALID_INLINE, sample
from .conftest import file_and_submit, log_in, run_jobs

MEMBER, SECOND, OTHER_BOARD = "bestuur@demo.example", "tweede@demo.example", "bestuur2@demo.example"
ACCOUNTANT = "accountant@demo.example"


def sample_facts(year: int = 2025, name: str = "po-small") -> list[DraftFact]:
    """The facts of a committed valid sample, as the forms read them."""
    return read_instance(drafts.forms_of(year), sample(f"{year}/valid/{name}.xbrl"))


@contextmanager
def session(app: Flask) -> Iterator[Session]:
    """A request's session of its own (as two people's requests each have one)."""
    with app.app_context():
        yield get_db()


def user(db: Session, email: str) -> User:
    """The user with `email`."""
    found = db.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


@pytest.fixture
def second_member(app: Flask, demo: None) -> None:
    """A second member of board 41234, who shares its draft with the first."""
    with session(app) as db:
        create_user(db, SECOND, "een-lang-wachtwoord", "board", ["41234"], None, "Piet Jansen")
        db.commit()


def by_key(facts: list[DraftFact]) -> dict[tuple[str, str, str], str]:
    """Facts as key -> value."""
    return {f.key: f.value for f in facts}


def test_a_save_on_a_stale_revision_names_who_saved_and_loses_nothing(app: Flask, second_member: None) -> None:
    facts = sample_facts()
    with session(app) as db:
        first = drafts.save(db, user(db, MEMBER), "41234", 2025, None, facts, via="web")
        db.commit()
        assert first.revision == 1
    # Both open revision 1; the second member saves first.
    theirs = [f if f.concept != "Equity" else DraftFact(f.concept, f.period, f.dimensions, "1", f.unit)
              for f in facts]
    with session(app) as db:
        second = drafts.save(db, user(db, SECOND), "41234", 2025, 1, theirs, via="web")
        db.commit()
        saved_at = second.updated_at
        assert second.revision == 2
    with session(app) as db, pytest.raises(drafts.DraftStale) as refused:
        drafts.save(db, user(db, MEMBER), "41234", 2025, 1, facts[:3], via="web")
    error = refused.value
    assert (error.code, error.status, error.revision, error.updated_by) == ("DRAFT-STALE", 409, 2, SECOND)
    assert "Piet Jansen" in error.message["nl"] and moment_in("nl", saved_at) in error.message["nl"]
    assert moment_in("en", saved_at) in error.message["en"] and "revision 2" in error.message["en"]
    with session(app) as db:  # the second member's save stands, whole
        _board, draft = drafts.open_draft(db, user(db, MEMBER), "41234", 2025)
        assert draft is not None and draft.revision == 2 and by_key(drafts.facts_of(draft)) == by_key(theirs)
        # On the current revision the first member's change goes through.
        assert drafts.save(db, user(db, MEMBER), "41234", 2025, 2, facts, via="web").revision == 3
        db.commit()


def race(app: Flask, revision: int | None, winner: list[DraftFact], loser: list[DraftFact]) -> Any:
    """The first member saves `winner` on `revision` and, before that commits, the second member saves
    `loser` on the same revision (each in a request of its own): what the second save ends in."""
    outcome: list[Any] = []
    with session(app) as db:
        drafts.save(db, user(db, MEMBER), "41234", 2025, revision, winner, via="web")  # not committed yet

        def second_saves() -> None:
            with session(app) as other:
                try:
                    outcome.append(drafts.save(other, user(other, SECOND), "41234", 2025, revision, loser,
                                               via="api"))
                    other.commit()
                except ServiceError as error:
                    outcome.append(error)

        racing = threading.Thread(target=second_saves)
        racing.start()
        time.sleep(0.5)  # the second save has read the same revision and waits for the first's row or lock
        db.commit()
        racing.join(30)
    assert len(outcome) == 1
    return outcome[0]


def test_two_saves_at_once_on_one_revision_one_wins(app: Flask, second_member: None) -> None:
    """Two members create the draft at the same moment, then both save on its revision 1: each time
    one wins and the other is DRAFT-STALE (not a database error, not a silent overwrite), naming the
    winner, and the draft holds the winner's facts."""
    facts = sample_facts()
    lost = race(app, None, facts, facts[:5])
    assert isinstance(lost, drafts.DraftStale), lost
    assert lost.revision == 1 and "Fatima de Boer" in lost.message["en"] and "starting a new one" in lost.message["en"]
    changed = [f for f in facts if f.concept != "BoardName"]
    lost = race(app, 1, changed, facts[:5])
    assert isinstance(lost, drafts.DraftStale), lost
    assert lost.revision == 2 and "Fatima de Boer" in lost.message["en"]
    with session(app) as db:
        rows = db.scalars(select(Draft)).all()
        assert len(rows) == 1 and rows[0].revision == 2 and by_key(drafts.facts_of(rows[0])) == by_key(changed)


def test_a_statement_s_save_keeps_the_other_statements(app: Flask, demo: None) -> None:
    forms = drafts.forms_of(2025)
    facts = sample_facts()
    balance = forms.statement("BalanceSheet")
    wnt = next(s for s in forms.statements if s.per_official)
    concepts = {row.concept for row in balance.rows}
    with session(app) as db:
        member = user(db, MEMBER)
        drafts.save(db, member, "41234", 2025, None, facts, via="web")
        in_balance = [f for f in facts if f.concept in concepts and not f.dimensions]
        assert len(in_balance) > 5
        # The balance sheet's form sent back with one amount changed and one field emptied.
        changed = DraftFact(in_balance[0].concept, in_balance[0].period, {}, "12345", in_balance[0].unit)
        elsewhere = next(f for f in facts if f.concept == "BoardName")  # another form's field: not this one's
        sent = [changed, *in_balance[2:], DraftFact("BoardName", elsewhere.period, {}, "Niet dit", None)]
        draft = drafts.save(db, member, "41234", 2025, 1, sent, via="web", statement="BalanceSheet")
        after = by_key(drafts.facts_of(draft))
        expected = {k: v for k, v in by_key(facts).items() if k != in_balance[1].key}
        expected[changed.key] = "12345"
        assert draft.revision == 2 and after == expected
        # The officials' form: one official's facts sent; the others' are the form's to remove.
        officials = sorted({f.dimensions[forms.official_axis] for f in facts if forms.official_axis in f.dimensions})
        assert len(officials) >= 2
        first = [f for f in facts if f.dimensions.get(forms.official_axis) == officials[0]]
        draft = drafts.save(db, member, "41234", 2025, 2, first, via="web", statement=wnt.id)
        after = by_key(drafts.facts_of(draft))
        assert after == {k: v for k, v in expected.items()
                         if forms.official_axis not in json.loads(k[2]) or k in by_key(first)}
        with pytest.raises(ServiceError) as unknown:
            drafts.save(db, member, "41234", 2025, 3, first, via="web", statement="NoSuchStatement")
        assert unknown.value.code == "NOT-FOUND"


def test_an_accountant_reads_and_checks_but_does_not_change(app: Flask, demo: None) -> None:
    with session(app) as db:
        member, accountant = user(db, MEMBER), user(db, ACCOUNTANT)
        with pytest.raises(ServiceError) as before:  # not yet authorised
            drafts.open_draft(db, accountant, "41234", 2025)
        assert before.value.code == "NOT-FOUND"
        authorise(db, member, "41234", 2025, accountant.firm_id)
        drafts.save(db, member, "41234", 2025, None, sample_facts(), via="web")
        board, draft = drafts.open_draft(db, accountant, "41234", 2025)
        assert draft is not None and drafts.can_edit(db, member, board, 2025)
        assert not drafts.can_edit(db, accountant, board, 2025)
        with pytest.raises(ServiceError) as changing:
            drafts.save(db, accountant, "41234", 2025, 1, sample_facts()[:2], via="web")
        assert (changing.value.code, changing.value.status) == ("FORBIDDEN", 403)
        with pytest.raises(ServiceError) as other_year:  # authorised for 2025 only
            drafts.open_draft(db, accountant, "41234", 2024)
        assert other_year.value.code == "NOT-FOUND"
        store = open_store(app)
        checked = drafts.file_draft(db, store, accountant, "41234", 2025, test=True, via="web")
        assert checked.is_test and checked.uploaded_by_id == accountant.id
        with pytest.raises(ServiceError) as filing:
            drafts.file_draft(db, store, accountant, "41234", 2025, test=False, via="web")
        assert filing.value.code == "FILING-TEST-ONLY"
        assert db.get(Draft, draft.id).revision == 1


def test_others_and_years_without_forms_get_not_found(app: Flask, demo: None) -> None:
    with session(app) as db:
        for email, number, year in ((OTHER_BOARD, "41234", 2025), ("duo@demo.example", "41234", 2025),
                                    (ACCOUNTANT, "41234", 2025), (MEMBER, "30567", 2025), (MEMBER, "41234", 2023),
                                    (MEMBER, "41234", 1999), (MEMBER, "99999", 2025)):
            someone = user(db, email)
            for call in (lambda: drafts.open_draft(db, someone, number, year),
                         lambda: drafts.save(db, someone, number, year, None, [], via="api"),
                         lambda: drafts.file_draft(db, open_store(app), someone, number, year, test=True,
                                                   via="api")):
                with pytest.raises(ServiceError) as refused:
                    call()
                assert (refused.value.code, refused.value.status) == ("NOT-FOUND", 404), (email, number, year)
        assert db.scalars(select(Draft)).all() == []


def test_every_offending_fact_is_listed_and_nothing_saved(app: Flask, demo: None) -> None:
    good = {"concept": "Equity", "period": "2025-12-31", "dimensions": {}, "value": "1000"}
    sent = [good, {**good, "concept": "NoSuchConcept"}, {**good, "period": "2019-12-31"},
            {**good, "value": "veel"}, {**good, "period": "2024-12-31"}]
    with session(app) as db:
        member = user(db, MEMBER)
        with pytest.raises(ServiceError) as refused:
            drafts.save(db, member, "41234", 2025, None, sent, via="api")
        error = refused.value
        assert (error.code, error.status) == ("DRAFT-INVALID", 422)
        listed = error.extra["facts"]
        assert [(p["index"], p["code"]) for p in listed] == [(1, "DRAFT-CONCEPT"), (2, "DRAFT-PERIOD"),
                                                            (3, "DRAFT-VALUE")]
        assert listed[1]["concept"] == "Equity" and listed[1]["period"] == "2019-12-31"
        assert all(p["message"]["nl"] and p["message"]["en"] for p in listed)
        assert "3" in error.message["nl"] and db.scalars(select(Draft)).all() == []


def test_saves_and_imports_are_in_the_audit_log(app: Flask, demo: None) -> None:
    with session(app) as db:
        member = user(db, MEMBER)
        facts = sample_facts()
        general = {row.concept for row in drafts.forms_of(2025).statement("GeneralInformation").rows}
        drafts.save(db, member, "41234", 2025, None, facts, via="api", address="192.0.2.1")
        drafts.save(db, member, "41234", 2025, 1, [f for f in facts if f.concept in general], via="web",
                    statement="GeneralInformation")
        db.commit()
        events = db.scalars(select(AuditEvent).where(AuditEvent.action == "draft.saved")
                            .order_by(AuditEvent.id)).all()
        details = [json.loads(e.detail) for e in events]
        assert details == [{"revision": 1, "facts": len(facts), "via": "api", "statement": None},
                           {"revision": 2, "facts": len(facts), "via": "web", "statement": "GeneralInformation"}]
        assert {(e.board_id, e.year, e.actor, e.object_type) for e in events} == {
            (user(db, MEMBER).boards[0].id, 2025, MEMBER, "draft")}
        assert events[0].address == "192.0.2.1"
        with app.test_request_context():  # the log page's sentence, in Dutch
            assert describe(events[0]) == f"Concept opgeslagen: revisie 1, {len(facts)} feiten"


def test_a_new_draft_starts_from_the_registry_and_last_year_s_submission(app: Flask, client: FlaskClient,
                                                                       demo: None, deliver: Any) -> None:
    forms = drafts.forms_of(2025)
    with session(app) as db:
        board, _draft = drafts.open_draft(db, user(db, MEMBER), "41234", 2025)
        before = drafts.start_facts(db, board, 2025)
    registry = {f.concept: f.value for f in before}
    assert registry == {"BoardName": "Stichting Openbaar Primair Onderwijs De Linde", "BoardNumber": "41234",
                        "ChamberOfCommerceNumber": "41110298", "EducationSectors": "PO"}
    general = forms.statement("GeneralInformation")
    assert {f.period for f in before} == {general.columns[0].period(forms.concept("BoardName"))}
    # Last year's version submitted and delivered: its figures become this year's comparative column.
    log_in(client, MEMBER)
    file_and_submit(app, client, sample("2024/valid/po-small.xbrl"), year=2024)
    assert deliver() >= 1
    last_year = {(f.concept, f.period): f.value for f in read_instance(drafts.forms_of(2024),
                                                                       sample("2024/valid/po-small.xbrl"))
                 if not f.dimensions}
    with session(app) as db:
        board, _draft = drafts.open_draft(db, user(db, MEMBER), "41234", 2025)
        after = drafts.start_facts(db, board, 2025)
    comparative = {(f.concept, f.period): f.value for f in after if f.concept not in registry}
    assert len(comparative) > 20 and ("Equity", "2024-12-31") in comparative
    assert all(last_year[key] == value for key, value in comparative.items())
    assert all(not f.dimensions for f in after)
    # Exactly the previous year's actuals that this year's forms have a comparative field for.
    t_minus_1 = {(cell.concept, cell.period) for s in forms.statements for _row, cells in forms.cells(s)
                 for cell in cells if cell is not None and cell.column == "t-1"}
    assert set(comparative) == {key for key in last_year if key in t_minus_1}
    # Saved as the first revision, they are the draft's facts.
    with session(app) as db:
        draft = drafts.save(db, user(db, MEMBER), "41234", 2025, None, after, via="web")
        assert by_key(drafts.facts_of(draft)) == by_key(after)


def test_an_uploaded_version_is_taken_over_into_the_draft(app: Flask, demo: None) -> None:
    store = open_store(app)
    with session(app) as db:
        member = user(db, MEMBER)
        regular, _ = upload(db, store, member, "41234", 2025, sample("2025/valid/po-small.xbrl"), "jv.xbrl",
                            UploadLimits())
        inline, _ = upload(db, store, member, "41234", 2025, VALID_INLINE, "jv.xhtml", UploadLimits())
        other, _ = upload(db, store, member, "41234", 2024, sample("2024/valid/po-small.xbrl"), "jv.xbrl",
                          UploadLimits())
        db.commit()
        draft = drafts.import_filing(db, store, member, "41234", 2025, regular.id, None)
        assert by_key(drafts.facts_of(draft)) == by_key(sample_facts())
        assert draft.origin == "version:1" and drafts.origin_text(draft, "nl") == "Overgenomen uit versie 1"
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "draft.imported"))
        assert json.loads(event.detail) == {"revision": 1, "version": 1, "facts": len(sample_facts()), "skipped": 0}
        for filing_id, revision, code in ((inline.id, 1, "DRAFT-IMPORT"), (other.id, 1, "NOT-FOUND"),
                                          (regular.id, 0, "DRAFT-STALE")):
            with pytest.raises(ServiceError) as refused:
                drafts.import_filing(db, store, member, "41234", 2025, filing_id, revision)
            assert refused.value.code == code
        # A later save keeps where the draft came from; another import tells anew.
        assert drafts.save(db, member, "41234", 2025, 1, sample_facts()[:3], via="web").origin == "version:1"


def test_a_draft_filed_twice_is_one_version(app: Flask, demo: None) -> None:
    store = open_store(app)
    with session(app) as db:
        member = user(db, MEMBER)
        with pytest.raises(ServiceError) as empty:
            drafts.file_draft(db, store, member, "41234", 2025, test=False, via="web")
        assert (empty.value.code, empty.value.status) == ("DRAFT-EMPTY", 409)
        drafts.save(db, member, "41234", 2025, None, list(reversed(sample_facts())), via="web")
        first = drafts.file_draft(db, store, member, "41234", 2025, test=False, via="web")
        db.commit()
        again = drafts.file_draft(db, store, member, "41234", 2025, test=False, via="web")
        assert again.id == first.id and not first.is_test and first.file_name == "concept-41234-2025-r1.xbrl"
        assert by_key(read_instance(drafts.forms_of(2025), store.get(first.file_sha256))) == by_key(sample_facts())
        db.commit()
    assert run_jobs(app) == ["valid"]
