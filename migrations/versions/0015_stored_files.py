"""Stored files: the database store's files and their chunks

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.db

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Files by sha256 for PORTAL_FILE_STORE=database (created whichever store is chosen, so
    # `flask files copy-to-database` can fill them before the switch). Bytes in chunks of at
    # most 1 MiB, keyed by (sha256, n): bytea on PostgreSQL, a BLOB on SQLite.
    op.create_table('stored_files',
                    sa.Column('sha256', sa.String(length=64), nullable=False),
                    sa.Column('size', sa.BigInteger(), nullable=False),
                    sa.Column('chunks', sa.Integer(), nullable=False),
                    sa.Column('stored_at', portal.db.UTCDateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_stored_files')))
    op.create_table('stored_file_chunks',
                    sa.Column('sha256', sa.String(length=64), nullable=False),
                    sa.Column('n', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('data', sa.LargeBinary(), nullable=False),
                    sa.ForeignKeyConstraint(['sha256'], ['stored_files.sha256'], ondelete='CASCADE',
                                            name=op.f('fk_stored_file_chunks_sha256_stored_files')),
                    sa.PrimaryKeyConstraint('sha256', 'n', name=op.f('pk_stored_file_chunks')))


def downgrade() -> None:
    op.drop_table('stored_file_chunks')
    op.drop_table('stored_files')
