"""The migrations make exactly the schema the models describe (on SQLite and PostgreSQL),
the accountants' migration carries existing accountants' firms over, and the next one gives
each receipt the assurance it was issued with and refuses a key registered twice."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

import portal.models  # noqa: F401  (every model on the metadata)
from portal.db import Base
from portal.migrate import upgrade


def test_migrations_match_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": False}),
                                       Base.metadata)
    engine.dispose()
    assert differences == []


def test_accountants_keep_their_firm(database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine, "0009")
    with engine.begin() as connection:
        for n, firm in enumerate(["Kantoor A", "Kantoor A", "Kantoor B", None]):
            connection.execute(text("INSERT INTO users (email, name, role, password_hash, firm, language, active, "
                                    "created_at) VALUES (:e, '', 'accountant', 'x', :f, 'nl', true, "
                                    "CURRENT_TIMESTAMP)"), {"e": f"a{n}@example.nl", "f": firm})
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT users.email, firms.name FROM users LEFT JOIN firms "
                                       "ON firms.id = users.firm_id ORDER BY users.email")).all()
    engine.dispose()
    assert rows == [("a0@example.nl", "Kantoor A"), ("a1@example.nl", "Kantoor A"), ("a2@example.nl", "Kantoor B"),
                    ("a3@example.nl", None)]


def _accountants_at_0010(connection: object) -> None:
    """A board, an accountant of a firm, a filing and two keys, as revision 0010 held them."""
    run = connection.execute  # type: ignore[attr-defined]
    run(text("INSERT INTO boards (id, number, name, kvk, sectors) VALUES (1, '41234', 'Bestuur', '12345678', 'PO')"))
    run(text("INSERT INTO firms (id, name, created_at) VALUES (1, 'Kantoor A', CURRENT_TIMESTAMP)"))
    for n in (1, 2):
        run(text("INSERT INTO users (id, email, name, role, password_hash, language, active, created_at, firm_id) "
                 "VALUES (:n, :e, '', 'accountant', 'x', 'nl', true, CURRENT_TIMESTAMP, 1)"),
            {"n": n, "e": f"a{n}@x.nl"})
    for n in (1, 2):
        run(text("INSERT INTO filings (id, board_id, year, version, file_name, file_size, file_sha256, uploaded_by_id, "
                 "uploaded_at, status, queued_at, attempts, is_test) VALUES (:n, 1, 2025, :n, 'jv.xbrl', 1, :sha, 1, "
                 "CURRENT_TIMESTAMP, 'valid', CURRENT_TIMESTAMP, 1, false)"), {"n": n, "sha": str(n) * 64})


def _key(connection: object, key_id: int, user_id: int, fingerprint: str) -> None:
    connection.execute(text(  # type: ignore[attr-defined]
        "INSERT INTO accountant_keys (id, user_id, kind, fingerprint, public_pem, created_at) "
        "VALUES (:id, :user, 'public-key', :fingerprint, 'pem', CURRENT_TIMESTAMP)"),
        {"id": key_id, "user": user_id, "fingerprint": fingerprint})


def test_a_key_registered_by_two_accountants_stops_the_upgrade(database_url: str) -> None:
    """The same key under two accounts is what revision 0011 forbids: a person must decide whose it is."""
    engine = create_engine(database_url)
    upgrade(engine, "0010")
    with engine.begin() as connection:
        _accountants_at_0010(connection)
        _key(connection, 1, 1, "SHA256:" + "a" * 64)
        _key(connection, 2, 2, "SHA256:" + "a" * 64)
    with pytest.raises(RuntimeError, match="SHA256:a{64} \\(2x\\)"):
        upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM accountant_keys WHERE id = 2"))
    upgrade(engine)
    engine.dispose()


def test_receipts_keep_the_assurance_they_were_issued_with(database_url: str) -> None:
    """Each existing receipt names the assurance row that was there when it was issued (none if its
    body shows none), not one attached after it."""
    engine = create_engine(database_url)
    upgrade(engine, "0010")
    with engine.begin() as connection:
        _accountants_at_0010(connection)
        _key(connection, 1, 1, "SHA256:" + "a" * 64)
        # Version 1: two before its receipt (the later one is on it), one after; version 2: one, not on it.
        for assurance_id, filing_id, pdf, at in ((1, 1, "1" * 64, "2026-03-01 10:00:00"),
                                                 (2, 1, "2" * 64, "2026-03-02 10:00:00"),
                                                 (3, 1, "3" * 64, "2026-03-04 10:00:00"),
                                                 (4, 2, "4" * 64, "2026-03-01 10:00:00")):
            connection.execute(text(
                "INSERT INTO assurances (id, filing_id, accountant_id, firm_id, key_id, opinion, opinion_date, "
                "auditor_report_sha256, document_json, created_at) VALUES (:id, :filing, 1, 1, 1, 'goedkeurend', "
                "'2026-03-01', :pdf, '{}', :at)"), {"id": assurance_id, "filing": filing_id, "pdf": pdf, "at": at})
        body = {"assurance": {"auditor_report_sha256": "2" * 64}}
        for receipt_id, shown in ((1, body), (2, {"assurance": None})):
            connection.execute(text(
                "INSERT INTO receipts (id, number, filing_id, board_id, year, sequence, submitted_at, "
                "submitted_by_id, late, body_json) VALUES (:id, :number, :id, 1, 2025, :id, '2026-03-03 10:00:00', "
                "1, false, :body)"), {"id": receipt_id, "number": f"JV-2025-41234-000{receipt_id}",
                                      "body": json.dumps(shown)})
    upgrade(engine)
    with engine.connect() as connection:
        pinned = connection.execute(text("SELECT id, assurance_id FROM receipts ORDER BY id")).all()
    engine.dispose()
    assert pinned == [(1, 2), (2, None)]
