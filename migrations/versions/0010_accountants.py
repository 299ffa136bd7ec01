"""audit firms, authorisations, test versions, documents, signing keys and assurances

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 10:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.db

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('firms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_firms')),
    sa.UniqueConstraint('name', name=op.f('uq_firms_name'))
    )
    # Accountants named their firm as text; each distinct name becomes a firm.
    connection = op.get_bind()
    names = [row[0] for row in connection.execute(sa.text(
        "SELECT DISTINCT firm FROM users WHERE firm IS NOT NULL AND firm <> ''"))]
    for name in names:
        connection.execute(sa.text("INSERT INTO firms (name, created_at) VALUES (:name, CURRENT_TIMESTAMP)"),
                           {"name": name})
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('firm_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_firm_id'), ['firm_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_firm_id_firms'), 'firms', ['firm_id'], ['id'])
    connection.execute(sa.text("UPDATE users SET firm_id = (SELECT id FROM firms WHERE firms.name = users.firm) "
                               "WHERE firm IS NOT NULL"))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('firm')

    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_test', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('purge_after', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_filings_purge_after'), ['purge_after'], unique=False)

    op.create_table('filing_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], name=op.f('fk_filing_documents_filing_id_filings'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_filing_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filing_documents')),
    sa.UniqueConstraint('filing_id', 'kind', name=op.f('uq_filing_documents_filing_id'))
    )
    with op.batch_alter_table('filing_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filing_documents_filing_id'), ['filing_id'], unique=False)

    op.create_table('authorisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('firm_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_authorisations_board_id_boards')),
    sa.ForeignKeyConstraint(['firm_id'], ['firms.id'], name=op.f('fk_authorisations_firm_id_firms')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_authorisations_granted_by_id_users')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_authorisations_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authorisations'))
    )
    with op.batch_alter_table('authorisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authorisations_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_authorisations_firm_id'), ['firm_id'], unique=False)

    op.create_table('accountant_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('fingerprint', sa.String(length=80), nullable=False),
    sa.Column('public_pem', sa.Text(), nullable=False),
    sa.Column('encrypted_private_pem', sa.Text(), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_accountant_keys_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountant_keys'))
    )
    with op.batch_alter_table('accountant_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountant_keys_fingerprint'), ['fingerprint'], unique=False)
        batch_op.create_index(batch_op.f('ix_accountant_keys_user_id'), ['user_id'], unique=False)

    op.create_table('assurances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('accountant_id', sa.Integer(), nullable=False),
    sa.Column('firm_id', sa.Integer(), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('opinion', sa.String(length=30), nullable=False),
    sa.Column('opinion_date', sa.String(length=10), nullable=False),
    sa.Column('auditor_report_sha256', sa.String(length=64), nullable=False),
    sa.Column('document_json', sa.Text(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['accountant_id'], ['users.id'], name=op.f('fk_assurances_accountant_id_users')),
    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], name=op.f('fk_assurances_filing_id_filings')),
    sa.ForeignKeyConstraint(['firm_id'], ['firms.id'], name=op.f('fk_assurances_firm_id_firms')),
    sa.ForeignKeyConstraint(['key_id'], ['accountant_keys.id'], name=op.f('fk_assurances_key_id_accountant_keys')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assurances'))
    )
    with op.batch_alter_table('assurances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assurances_filing_id'), ['filing_id'], unique=False)


def downgrade() -> None:
    op.drop_table('assurances')
    op.drop_table('accountant_keys')
    op.drop_table('authorisations')
    op.drop_table('filing_documents')
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filings_purge_after'))
        batch_op.drop_column('purge_after')
        batch_op.drop_column('is_test')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('firm', sa.String(length=200), nullable=True))
    op.get_bind().execute(sa.text("UPDATE users SET firm = (SELECT name FROM firms WHERE firms.id = users.firm_id)"))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_firm_id_firms'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_firm_id'))
        batch_op.drop_column('firm_id')
    op.drop_table('firms')
