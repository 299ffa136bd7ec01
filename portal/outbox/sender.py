"""Sending the outbox by SMTP, when PORTAL_SMTP_HOST is set. A message that cannot be sent
stays in the outbox (still visible to its recipient in the portal) and is tried again."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import Flask
from sqlalchemy import select

from ..db import get_db, utcnow
from .models import Email

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


def send_pending(app: Flask, limit: int = 50) -> int:
    """Send what waits in the outbox; returns how many were sent. Needs an app context, and
    must run in one place at a time (the housekeeping lock): it does not claim each message.
    Each message's outcome is committed as soon as the server answered."""
    config = app.config
    if not config["SMTP_HOST"]:
        return 0
    db = get_db()
    waiting = db.scalars(select(Email).where(Email.sent_at.is_(None), Email.attempts < MAX_ATTEMPTS)
                         .order_by(Email.id).limit(limit)).all()
    if not waiting:
        return 0
    sent = 0
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
            for mail in waiting:
                message = EmailMessage()
                message["From"], message["To"], message["Subject"] = config["SMTP_FROM"], mail.to, mail.subject
                message.set_content(mail.body)
                mail.attempts += 1
                try:
                    smtp.send_message(message)
                except smtplib.SMTPException as exc:
                    mail.last_error = str(exc)[:2000]
                    db.commit()
                    continue
                mail.sent_at, mail.last_error = utcnow(), None
                # Kept at once: a sender that dies later in the batch must not send this one again.
                db.commit()
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:  # the server is unreachable: all wait for the next round
        log.warning("outbox: cannot reach SMTP server: %s", exc)
        for mail in waiting:
            if mail.sent_at is None:
                mail.attempts += 1
                mail.last_error = str(exc)[:2000]
    db.commit()
    return sent
