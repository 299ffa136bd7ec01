"""The e-mail that tells a board's members their submission was received (kept in the outbox,
sent when SMTP is configured), in Dutch and English."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..users.models import Role, User
from ..filings.models import Filing, Receipt
from ..outbox.models import Email


def notify_members(db: Session, filing: Filing, receipt: Receipt) -> None:
    """An e-mail to every member of the board (outbox, sent when SMTP is configured)."""
    members = db.scalars(select(User).where(User.role == Role.BOARD, User.active.is_(True))).all()
    for member in [m for m in members if filing.board in m.boards]:
        late_nl = " Let op: ingediend na de termijn." if receipt.late else ""
        late_en = " Note: submitted after the deadline." if receipt.late else ""
        db.add(Email(user_id=member.id, to=member.email,
                     subject=f"Ontvangstbewijs {receipt.number} / Receipt {receipt.number}",
                     body=(f"De jaarverantwoording {filing.year} van {filing.board.name} ({filing.board.number}), "
                           f"versie {filing.version}, is ontvangen op {receipt.submitted_at:%d-%m-%Y %H:%M} UTC. "
                           f"Ontvangstbewijs: {receipt.number}. Bestand: {filing.file_name}, "
                           f"SHA-256 {filing.file_sha256}.{late_nl}\n\n"
                           f"The {filing.year} annual report of {filing.board.name} ({filing.board.number}), version "
                           f"{filing.version}, was received on {receipt.submitted_at:%Y-%m-%d %H:%M} UTC. Receipt: "
                           f"{receipt.number}. File: {filing.file_name}, SHA-256 {filing.file_sha256}.{late_en}\n")))
