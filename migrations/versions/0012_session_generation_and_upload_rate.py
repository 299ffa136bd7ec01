"""session generation per user; an index for the upload rate limit

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every session repeats the user's generation; logout, a new password and deactivation raise it.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))
    # The upload limit counts one user's recent versions.
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.create_index('ix_filings_uploaded_by_id_uploaded_at', ['uploaded_by_id', 'uploaded_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.drop_index('ix_filings_uploaded_by_id_uploaded_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
