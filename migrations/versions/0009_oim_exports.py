"""OIM exports of submitted filings

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The xBRL-JSON and xBRL-CSV of a submitted version, kept in the file store by hash.
    with op.batch_alter_table('filings') as batch:
        batch.add_column(sa.Column('oim_json_sha256', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('oim_csv_sha256', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('filings') as batch:
        batch.drop_column('oim_csv_sha256')
        batch.drop_column('oim_json_sha256')
