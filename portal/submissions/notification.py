"""The e-mail that tells a board's members their submission was received (kept in the outbox,
sent when SMTP is configured), each in the member's own language, with the time in Dutch time."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..filings.models import Filing, Receipt
from ..formatting import moment_in
from ..i18n import text_in
from ..outbox.models import Email
from ..users.models import Role, User


def notify_members(db: Session, filing: Filing, receipt: Receipt) -> None:
    """An e-mail to every member of the board (outbox, sent when SMTP is configured), in the
    member's language (Dutch unless they chose English)."""
    members = db.scalars(select(User).where(User.role == Role.BOARD, User.active.is_(True))).all()
    for member in [m for m in members if filing.board in m.boards]:
        lang = member.language or "nl"
        body = text_in(lang, "The %(year)s annual report of %(board)s (%(number)s), version %(version)s, was received "
                             "on %(moment)s (Dutch time). Receipt: %(receipt)s. File: %(file)s, SHA-256 %(sha256)s.",
                       year=filing.year, board=filing.board.name, number=filing.board.number, version=filing.version,
                       moment=moment_in(lang, receipt.submitted_at), receipt=receipt.number, file=filing.file_name,
                       sha256=filing.file_sha256)
        if receipt.late:
            body += " " + text_in(lang, "Note: submitted after the deadline.")
        db.add(Email(user_id=member.id, to=member.email, subject=text_in(lang, "Receipt %(number)s",
                                                                         number=receipt.number),
                     body=body + "\n"))
