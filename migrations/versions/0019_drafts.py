"""Drafts: the annual report filled in online, one per board and year, with a revision number

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.db

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One row per board and year (the unique constraint is what makes two first saves at once end
    # in one draft); a save replaces the facts only where the revision is still the one it read.
    op.create_table('drafts',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('board_id', sa.Integer(), nullable=False),
                    sa.Column('year', sa.Integer(), nullable=False),
                    sa.Column('revision', sa.Integer(), nullable=False),
                    sa.Column('facts_json', sa.Text(), nullable=False),
                    sa.Column('origin', sa.String(length=60), nullable=True),
                    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
                    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
                    sa.Column('updated_by_id', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_drafts_board_id_boards')),
                    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                            name=op.f('fk_drafts_updated_by_id_users')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts')),
                    sa.UniqueConstraint('board_id', 'year', name=op.f('uq_drafts_board_id')))


def downgrade() -> None:
    op.drop_table('drafts')
