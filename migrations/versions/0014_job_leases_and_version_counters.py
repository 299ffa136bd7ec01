"""Job leases, delivery retries, version counters

Revision ID: 0014
Revises: 0010
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.db

revision = '0014'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A validation's claim becomes a lease its job renews; the claim is named so a job whose
    # lease ran out cannot store its result over another job's.
    with op.batch_alter_table('filings') as batch:
        batch.add_column(sa.Column('lease_until', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('claim_id', sa.String(length=32), nullable=True))
    # Deliveries are claimed the same way, and a failure is retried after a growing pause.
    with op.batch_alter_table('deliveries') as batch:
        batch.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('next_attempt_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('lease_until', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('claim_id', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('last_error', sa.Text(), nullable=True))
    # One counter row per board and year numbers the versions; it starts where the filings are.
    op.create_table('filing_counters',
                    sa.Column('board_id', sa.Integer(), nullable=False),
                    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('last_version', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['board_id'], ['boards.id'],
                                            name=op.f('fk_filing_counters_board_id_boards')),
                    sa.PrimaryKeyConstraint('board_id', 'year', name=op.f('pk_filing_counters')))
    op.execute('INSERT INTO filing_counters (board_id, year, last_version) '
               'SELECT board_id, year, MAX(version) FROM filings GROUP BY board_id, year')
    op.create_table('job_locks',
                    sa.Column('name', sa.String(length=40), nullable=False),
                    sa.Column('holder', sa.String(length=32), nullable=True),
                    sa.Column('lease_until', portal.db.UTCDateTime(timezone=True), nullable=True),
                    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_locks')))


def downgrade() -> None:
    op.drop_table('job_locks')
    op.drop_table('filing_counters')
    with op.batch_alter_table('deliveries') as batch:
        for column in ('last_error', 'claim_id', 'lease_until', 'next_attempt_at', 'attempts'):
            batch.drop_column(column)
    with op.batch_alter_table('filings') as batch:
        batch.drop_column('claim_id')
        batch.drop_column('lease_until')
