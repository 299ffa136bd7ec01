"""The signed-in user's messages: the e-mails the portal sent or will send them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..db import get_db
from .services import emails_for

bp = Blueprint("outbox", __name__)


@bp.get("/outbox")
@login_required
def outbox() -> Any:
    """The e-mails the portal sent (or will send) to the signed-in user."""
    return render_template("outbox/messages.html", emails=emails_for(get_db(), current_user))
