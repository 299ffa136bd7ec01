"""A file refused at intake is no version: filings.version may be empty

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 01:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # From now on an upload that intake refuses keeps its report but takes no version number.
    # Rejected uploads numbered before keep their number: a number a user has seen never changes
    # (the pages no longer show it, as they list those files apart).
    with op.batch_alter_table('filings') as batch:
        batch.alter_column('version', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    unnumbered = op.get_bind().scalar(sa.text('SELECT COUNT(*) FROM filings WHERE version IS NULL'))
    if unnumbered:
        raise RuntimeError(f"{unnumbered} refused files have no version number; delete them before downgrading")
    with op.batch_alter_table('filings') as batch:
        batch.alter_column('version', existing_type=sa.Integer(), nullable=False)
