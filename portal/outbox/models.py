"""E-mail notifications: written to the outbox in the same transaction as their cause,
sent by SMTP when configured, always visible to their recipient in the portal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class Email(Base):
    """One message."""

    __tablename__ = "emails"
    __table_args__ = (Index("ix_emails_user_id_read_at", "user_id", "read_at"),)  # the header's unread count

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When its recipient first saw it on the messages page; None: unread (counted in the header).
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
