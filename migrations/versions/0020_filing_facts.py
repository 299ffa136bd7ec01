"""Each version's facts as its validation read them, and its inline XBRL prepared for the viewer

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One row per validated version, written with its report: the statements and the comparison
    # pages read it instead of parsing the file again in a web request.
    op.create_table('filing_facts',
                    sa.Column('filing_id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('count', sa.Integer(), nullable=False),
                    sa.Column('facts_json', sa.Text(), nullable=False),
                    sa.Column('viewer_sha256', sa.String(length=64), nullable=True),
                    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], ondelete='CASCADE',
                                            name=op.f('fk_filing_facts_filing_id_filings')),
                    sa.PrimaryKeyConstraint('filing_id', name=op.f('pk_filing_facts')))


def downgrade() -> None:
    op.drop_table('filing_facts')
