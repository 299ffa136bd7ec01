"""Locks for the background work that must run in one place at a time (e-mail, purging)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime


class JobLock(Base):
    """A named lease: whoever holds it (holder) runs that job until lease_until. A holder that
    dies leaves the lock to run out, so a crash never blocks the job for longer than the lease."""

    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(32), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
