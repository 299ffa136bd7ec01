"""The append-only event log: who did what, when, to which object, from which address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    """One state change. Rows are only ever added (no service updates or deletes them)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    actor: Mapped[str] = mapped_column(String(254), default="system")  # e-mail, kept if the user goes
    action: Mapped[str] = mapped_column(String(60))  # e.g. filing.uploaded
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(60))
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id"), default=None, index=True)
    address: Mapped[str | None] = mapped_column(String(64), default=None)
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    year: Mapped[int | None] = mapped_column(Integer, default=None)
