"""Filing versions: one upload for a board and reporting year, its validation and its report."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..users.models import User
from ..boards.models import Board
from ..db import Base, UTCDateTime, utcnow

# Job states before a report exists; afterwards the report's status.
QUEUED, VALIDATING, ERROR = "queued", "validating", "error"
FINAL = ("valid", "valid-with-warnings", "invalid", "rejected")


class Filing(Base):
    """One version of a board's annual report for one reporting year. Never changed after its
    validation: a correction is a new version. A regular version is never deleted; a test
    version (pre-validation) is, once its retention has passed."""

    __tablename__ = "filings"
    __table_args__ = (UniqueConstraint("board_id", "year", "version"),
                      Index("ix_filings_status_queued_at", "status", "queued_at"),
                      Index("ix_filings_uploaded_by_id_uploaded_at", "uploaded_by_id", "uploaded_at"))  # rate limit

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    # The version number, given at upload to a file that passes intake; None for a file intake refused
    # (status "rejected"): that is no version, and a number once shown is never given again or changed.
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_size: Mapped[int] = mapped_column(Integer)
    file_sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The job, kept in the database so a crash or restart loses nothing.
    status: Mapped[str] = mapped_column(String(24), default=QUEUED)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # A claim is a lease: the job renews lease_until while it validates; once it has run out the
    # sweep queues the filing again. claim_id names the claim, so a job whose lease ran out
    # (and whose filing another job claimed since) can no longer store its result.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    claim_id: Mapped[str | None] = mapped_column(String(32), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    report_json: Mapped[str | None] = mapped_column(Text, default=None)
    # A test version (pre-validation): never submitted nor delivered, deleted after purge_after.
    is_test: Mapped[bool] = mapped_column(default=False)
    purge_after: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)
    # Made when the submitted version is delivered to OCW (validators' OIM exports), kept by hash.
    oim_json_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    oim_csv_sha256: Mapped[str | None] = mapped_column(String(64), default=None)

    board: Mapped[Board] = relationship()
    uploaded_by: Mapped[User] = relationship()
    # The receipt, once the version is submitted (read-only here: submissions/receipts.py issues it).
    # Code that has just locked the version asks the database again (filings.services.receipt_for).
    receipt: Mapped[Receipt | None] = relationship("Receipt", primaryjoin="Filing.id == Receipt.filing_id",
                                                   uselist=False, viewonly=True)

    @property
    def report(self) -> dict[str, Any] | None:
        """The validation report (the published report JSON, as a dict), once there is one."""
        return json.loads(self.report_json) if self.report_json else None

    @property
    def done(self) -> bool:
        """True once the validation has a result: a verdict, or an `error` report that says why
        the engine could not finish (ENGINE-MEMORY, ENGINE-TIMEOUT, ENGINE-CRASH after the retries)."""
        return self.status in FINAL or (self.status == ERROR and self.report_json is not None)


class FilingCounter(Base):
    """The last version number given out for a board and year. An upload locks this row while
    it numbers its version, so concurrent uploads take turns instead of colliding."""

    __tablename__ = "filing_counters"

    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_version: Mapped[int] = mapped_column(Integer)


ANNUAL_REPORT, AUDITOR_REPORT = "annual-report", "auditor-report"  # jaarverslag, controleverklaring


class FilingDocument(Base):
    """A PDF that travels with a version: the annual report (jaarverslag, added by the board)
    or the auditor's report (controleverklaring, added with the accountant's assurance).

    Insert-only: every upload is a new row, and the version's document of a kind is
    its latest row until the version is submitted; from then on the receipt's files
    say which bytes belong to it, and no row of a submitted version is ever added."""

    __tablename__ = "filing_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    filing: Mapped[Filing] = relationship()
    uploaded_by: Mapped[User] = relationship()

    def to_dict(self) -> dict[str, Any]:
        """As the receipt and the API show it."""
        return {"kind": self.kind, "name": self.name, "size": self.size, "sha256": self.sha256}


class Receipt(Base):
    """Proof of filing: issued once per submitted version, never changed. It fixes what the
    version is: its files by sha256 (in the body) and the assurance it carried (`assurance_id`)."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # JV-2025-41234-0001
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), unique=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)  # the board's n-th submission for the year
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    late: Mapped[bool] = mapped_column(default=False)
    body_json: Mapped[str] = mapped_column(Text)  # the receipt as issued (the published JSON shape)
    # The assurance row the version carried when it was submitted (None: it carried none).
    assurance_id: Mapped[int | None] = mapped_column(ForeignKey("assurances.id"), default=None)

    filing: Mapped[Filing] = relationship()
    board: Mapped[Board] = relationship()

    @property
    def body(self) -> dict[str, Any]:
        """The receipt as issued."""
        return json.loads(self.body_json)


class FilingFacts(Base):
    """The facts of a version as its validation read them (validators.facts.kept), kept so that its
    statements and what changed between versions are shown without reading the file again; and
    the sha256 of its inline XBRL prepared for the viewer, for an inline filing. Written once, with
    the report; a version validated before these were kept has no row."""

    __tablename__ = "filing_facts"

    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    count: Mapped[int] = mapped_column(Integer)
    facts_json: Mapped[str] = mapped_column(Text)
    viewer_sha256: Mapped[str | None] = mapped_column(String(64), default=None)

    @property
    def facts(self) -> list[dict[str, Any]]:
        """The facts, as kept."""
        return json.loads(self.facts_json)


class ImmutableRowError(RuntimeError):
    """A row that is only ever inserted was about to be changed: a bug, never a user's mistake."""


def refuse_update(_mapper: object, _connection: object, target: object) -> None:
    raise ImmutableRowError(f"{type(target).__name__} rows are never changed")


# What was submitted never changes: the receipt and the documents are inserted, never updated
# (a new document is a new row). Refused here too, so no code path can do it by accident.
for _model in (FilingDocument, Receipt, FilingFacts):
    event.listen(_model, "before_update", refuse_update)
