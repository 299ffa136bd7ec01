"""The migrations make exactly the schema the models describe (on SQLite and PostgreSQL),
and the accountants' migration carries existing accountants' firms over."""

from __future__ import annotations

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
