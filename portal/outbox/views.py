"""The signed-in user's messages: the e-mails the portal sent or will send them. Opening the
page marks what it shows as read (the header counts the unread ones)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..db import get_db
from .services import emails_for, mark_read, unread_count

bp = Blueprint("outbox", __name__)


@bp.get("/outbox")
@login_required
def outbox() -> Any:
    """The e-mails the portal sent (or will send) to the signed-in user, the unread ones marked
    "new" this once; from now on they count as read."""
    db = get_db()
    emails = emails_for(db, current_user)
    new = {mail.id for mail in emails if mail.read_at is None}
    mark_read(db, current_user, emails)
    # Rendered before the commit, which would expire every message and load each again; the
    # header's count already sees them read in this transaction.
    page = render_template("outbox/messages.html", emails=emails, new=new)
    db.commit()
    return page


@bp.app_context_processor
def _unread() -> dict[str, Any]:
    # The header's count, asked only when a page shows it (a signed-in user's header).
    return {"unread_messages": lambda: unread_count(get_db(), current_user)}
