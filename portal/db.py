"""The database: declarative base, one session per request (or job), shared column types.

Services add and flush, never commit; the request (or the command, or the job)
commits once at its end. SQLite gets WAL and foreign keys; PostgreSQL is
chosen by PORTAL_DATABASE_URL alone.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations work the same on SQLite and PostgreSQL.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    """Base of every model."""

    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: use utcnow()")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


def utcnow() -> datetime:
    """The current time, UTC, timezone-aware."""
    return datetime.now(timezone.utc)


def make_engine(url: str, connect_timeout: int = 3) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL a
    connect timeout (seconds, libpq's least is 2), so that a database that cannot be reached
    gives a quick error (503) instead of a request that hangs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "savepoint")
        def _begin_before_savepoint(connection: Any, _name: str | None) -> None:
            # pysqlite opens a transaction only before its first INSERT, UPDATE or DELETE. A
            # SAVEPOINT issued before that (a service that has only read so far) starts a
            # transaction of its own, and its RELEASE then commits everything up to there:
            # a receipt without its deliveries if the request dies afterwards. Opening the
            # outer transaction first keeps the savepoint inside it, as on PostgreSQL, while
            # reads before the first write stay outside any transaction, as pysqlite does
            # them (so a writer never has to upgrade a stale read snapshot: no extra
            # "database is locked" under concurrent uploads).
            dbapi = connection.connection.dbapi_connection
            if not dbapi.in_transaction:
                dbapi.execute("BEGIN")

        return engine
    if url.startswith("postgresql"):
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": max(2, connect_timeout)})
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    """Bind an engine and a session factory to the app; close the request's session at teardown."""
    engine = make_engine(app.config["DATABASE_URL"], app.config["DATABASE_CONNECT_TIMEOUT_SECONDS"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessions"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_db() -> Session:
    """The current request's (or app context's) session."""
    if "db" not in g:
        g.db = current_app.extensions["db_sessions"]()
    return g.db


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db", None)
    if session is not None:
        session.rollback()  # anything not committed by the view is dropped
        session.close()
