"""Authorisations of audit firms by boards, accountants' signing keys, and assurances."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..users.models import Firm, User
from ..boards.models import Board
from ..db import Base, UTCDateTime, utcnow
from ..filings.models import Filing, refuse_update


class Authorisation(Base):
    """A board lets a firm's accountants see its filings of one reporting year, until withdrawn.
    Rows are never deleted: a withdrawal is a timestamp, so the history stays."""

    __tablename__ = "authorisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    board: Mapped[Board] = relationship()
    firm: Mapped[Firm] = relationship()
    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id])


# How an accountant's key came to the portal.
PORTAL_KEY, PUBLIC_KEY, CERTIFICATE = "portal", "public-key", "certificate"


class AccountantKey(Base):
    """A key an accountant signs assurance with. A key made in the portal keeps its private
    half only encrypted with the accountant's passphrase (never stored in the clear); a key
    made outside (`python -m validators keygen`) or an X.509 certificate brings only its
    public half."""

    __tablename__ = "accountant_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # A key belongs to one accountant: registering it needs proof of holding its private half,
    # and no one else can register it again (not even after it is revoked).
    fingerprint: Mapped[str] = mapped_column(String(80), unique=True)
    public_pem: Mapped[str] = mapped_column(Text)  # the public key, or the certificate
    encrypted_private_pem: Mapped[str | None] = mapped_column(Text, default=None)
    subject: Mapped[str | None] = mapped_column(String(300), default=None)  # a certificate's claim, unverified
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    user: Mapped[User] = relationship()


class KeyChallenge(Base):
    """A nonce the portal hands one accountant to prove possession of a key it registers:
    random, short-lived, used at most once."""

    __tablename__ = "key_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class Assurance(Base):
    """An accountant's signed assurance on exactly one version: its sha256, the auditor's
    report PDF, the board, the year, the opinion and the signer (see validators/assurance/).
    Insert-only: attaching again adds a row, and none is added once the version is submitted."""

    __tablename__ = "assurances"

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), index=True)
    accountant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"))
    key_id: Mapped[int] = mapped_column(ForeignKey("accountant_keys.id"))
    opinion: Mapped[str] = mapped_column(String(30))
    opinion_date: Mapped[str] = mapped_column(String(10))
    auditor_report_sha256: Mapped[str] = mapped_column(String(64))
    document_json: Mapped[str] = mapped_column(Text)  # the signed assurance document, as verified
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    filing: Mapped[Filing] = relationship()
    accountant: Mapped[User] = relationship()
    firm: Mapped[Firm] = relationship()
    key: Mapped[AccountantKey] = relationship()

    @property
    def document(self) -> dict[str, Any]:
        """The signed assurance document (verify with `python -m validators verify-assurance`)."""
        return json.loads(self.document_json)

    @property
    def signer(self) -> dict[str, str] | None:
        """The signer the signed statement names ({"accountant", "firm"}); None for edu-assurance/1."""
        signer = self.document.get("statement", {}).get("signer")
        return signer if isinstance(signer, dict) else None


event.listen(Assurance, "before_update", refuse_update)
