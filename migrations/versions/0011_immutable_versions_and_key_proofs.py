"""immutable versions and key proofs: documents insert-only, the receipt fixes the assurance,
one accountant per key fingerprint, nonces for proof of possession

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:06:43
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

import portal.db

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _refuse_duplicate_keys(connection: sa.engine.Connection) -> None:
    """A key registered twice (by two accountants, or one twice) cannot be given to one owner by a
    script: the same key under two accounts is what this revision forbids, so a person decides."""
    duplicates = connection.execute(sa.text(
        "SELECT fingerprint, COUNT(*) FROM accountant_keys GROUP BY fingerprint HAVING COUNT(*) > 1")).all()
    if duplicates:
        listed = ", ".join(f"{fingerprint} ({count}x)" for fingerprint, count in duplicates)
        raise RuntimeError("accountant_keys: these key fingerprints are registered more than once; a key may "
                           f"belong to one accountant only. Resolve them before upgrading: {listed}")


def _fix_receipts_assurance(connection: sa.engine.Connection) -> None:
    """Each receipt that shows assurance gets the assurance row that was there when it was issued:
    the latest row for its version, created no later than the receipt, with the PDF the receipt names."""
    for receipt_id, body_json in connection.execute(sa.text("SELECT id, body_json FROM receipts")).all():
        shown = json.loads(body_json).get("assurance")
        if not shown:
            continue
        connection.execute(sa.text(
            "UPDATE receipts SET assurance_id = (SELECT a.id FROM assurances a WHERE a.filing_id = receipts.filing_id "
            "AND a.created_at <= receipts.submitted_at AND a.auditor_report_sha256 = :sha256 "
            "ORDER BY a.created_at DESC, a.id DESC LIMIT 1) WHERE id = :id"),
            {"id": receipt_id, "sha256": shown.get("auditor_report_sha256")})


def upgrade() -> None:
    connection = op.get_bind()
    _refuse_duplicate_keys(connection)
    op.create_table('key_challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_key_challenges_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_challenges')),
    sa.UniqueConstraint('nonce', name=op.f('uq_key_challenges_nonce'))
    )
    with op.batch_alter_table('key_challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_challenges_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('accountant_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountant_keys_fingerprint'))
        batch_op.create_unique_constraint(batch_op.f('uq_accountant_keys_fingerprint'), ['fingerprint'])

    with op.batch_alter_table('filing_documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_filing_documents_filing_id'), type_='unique')

    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assurance_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_receipts_assurance_id_assurances'), 'assurances',
                                    ['assurance_id'], ['id'])
    _fix_receipts_assurance(connection)


def downgrade() -> None:
    # One document row per version and kind again: refused while a version has several (its history).
    several = op.get_bind().execute(sa.text(
        "SELECT filing_id, kind FROM filing_documents GROUP BY filing_id, kind HAVING COUNT(*) > 1")).first()
    if several is not None:
        raise RuntimeError("filing_documents: versions have more than one document of a kind; the earlier schema "
                           "cannot hold that history")
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_receipts_assurance_id_assurances'), type_='foreignkey')
        batch_op.drop_column('assurance_id')

    with op.batch_alter_table('filing_documents', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_filing_documents_filing_id'), ['filing_id', 'kind'])

    with op.batch_alter_table('accountant_keys', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_accountant_keys_fingerprint'), type_='unique')
        batch_op.create_index(batch_op.f('ix_accountant_keys_fingerprint'), ['fingerprint'], unique=False)

    with op.batch_alter_table('key_challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_challenges_user_id'))

    op.drop_table('key_challenges')
