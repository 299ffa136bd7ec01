"""Alembic environment: the schema is the portal's models; the connection comes from
the portal (`flask --app app db upgrade`) or, for autogenerate, from -x url=..."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from portal.models import Base

target_metadata = Base.metadata
config = context.config


def run() -> None:
    """Run the migrations on the connection the portal passed, or on -x url=..."""
    connection = config.attributes.get("connection")
    if connection is None:
        url = context.get_x_argument(as_dictionary=True)["url"]
        with create_engine(url).connect() as own:
            _migrate(own)
            own.commit()
        return
    _migrate(connection)


def _migrate(connection: object) -> None:
    # render_as_batch: SQLite alters tables by copying them; the same scripts run on PostgreSQL.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run()
