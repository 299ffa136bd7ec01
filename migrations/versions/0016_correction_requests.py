"""Correction requests: what DUO asked a board to correct, kept until a later submission answers it

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.db

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('correction_requests',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('board_id', sa.Integer(), nullable=False),
                    sa.Column('year', sa.Integer(), nullable=False),
                    sa.Column('message', sa.Text(), nullable=False),
                    sa.Column('requested_by_id', sa.Integer(), nullable=False),
                    sa.Column('requested_at', portal.db.UTCDateTime(timezone=True), nullable=False),
                    sa.ForeignKeyConstraint(['board_id'], ['boards.id'],
                                            name=op.f('fk_correction_requests_board_id_boards')),
                    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                            name=op.f('fk_correction_requests_requested_by_id_users')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_correction_requests')))
    op.create_index('ix_correction_requests_board_id_year', 'correction_requests', ['board_id', 'year'])


def downgrade() -> None:
    op.drop_index('ix_correction_requests_board_id_year', table_name='correction_requests')
    op.drop_table('correction_requests')
