"""Messages read: when the recipient first opened the messages page showing a message, so the
header can count the unread ones

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 01:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.db

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Messages already there count as unread: a correction DUO asked for must not go unnoticed.
    op.add_column('emails', sa.Column('read_at', portal.db.UTCDateTime(timezone=True), nullable=True))
    op.create_index('ix_emails_user_id_read_at', 'emails', ['user_id', 'read_at'])


def downgrade() -> None:
    op.drop_index('ix_emails_user_id_read_at', table_name='emails')
    op.drop_column('emails', 'read_at')
