"""The event log in plain words: each recorded action as a sentence in the page's language
("Versie 2 geüpload: jv.xbrl"), from the event's stored details. The action's code stays in the
log (and beside the sentence on the page) for whoever needs to search it.

Each sentence is a gettext message (English msgid, Dutch in the catalogue) with %(field)s places
filled from the event's details; a detail the event does not have reads "?"."""

from __future__ import annotations

import json
import re
from typing import Any

from ..i18n import language, text_in
from ..vocabulary import N_
from .models import AuditEvent

# Words put into a sentence, by the stored value; a value not listed is shown as it is.
RECIPIENT = {"duo": N_("DUO"), "ocw": N_("OCW"), "inspectorate": N_("the inspectorate")}
STATUS = {"valid": N_("valid"), "valid-with-warnings": N_("valid with warnings"), "invalid": N_("invalid"),
          "rejected": N_("rejected"), "error": N_("failed")}

# action -> its sentence, with the event's details as %(field)s places.
EVENTS: dict[str, str] = {
    "filing.uploaded": N_("Version %(version)s uploaded: %(file)s"),
    "filing.test_uploaded": N_("Test version %(version)s uploaded: %(file)s"),
    "filing.rejected": N_("File refused, not a version: %(file)s (%(code)s)"),
    "filing.requeued": N_("Version %(version)s queued again"),
    "filing.validated": N_("Version %(version)s checked: %(status)s, %(findings)s findings"),
    "filing.test_validated": N_("Test version %(version)s checked: %(status)s, %(findings)s findings"),
    "filing.test_purged": N_("Test version %(version)s deleted (retention passed)"),
    "filing.submitted": N_("Version %(version)s submitted, receipt %(receipt)s"),
    "draft.saved": N_("Draft saved: revision %(revision)s, %(facts)s facts"),
    "draft.imported": N_("Draft filled in from version %(version)s: revision %(revision)s, %(facts)s facts"),
    "document.added": N_("PDF added: %(name)s"),
    "assurance.attached": N_("Assurance on version %(version)s: %(opinion)s (%(firm)s)"),
    "authorisation.granted": N_("%(firm)s authorised"),
    "authorisation.withdrawn": N_("Authorisation of %(firm)s withdrawn"),
    "delivery.delivered": N_("Delivered to %(recipient)s"),
    "delivery.acknowledged": N_("Receipt confirmed by %(recipient)s"),
    "correction.requested": N_("DUO asks for a correction: %(message)s"),
    "key.added": N_("Signing key added"),
    "key.revoked": N_("Signing key revoked"),
    "user.logged_in": N_("Logged in"),
    "user.logged_out": N_("Logged out"),
    "user.password_changed": N_("Password changed"),
    "user.password_set": N_("Password set by the administrator"),
    "user.created": N_("User created"),
    "user.activated": N_("User activated"),
    "user.deactivated": N_("User deactivated"),
    "token.created": N_("API token created"),
    "token.revoked": N_("API token revoked"),
    "boards.imported": N_("Board registry imported"),
}

_PLACE = re.compile(r"%\((\w+)\)s")


def _text(value: Any) -> str:
    # A detail is shown as plain text: JSON's scalars as they read, anything else (a list, an
    # object) as its JSON; `null` (a detail recorded as absent) like a missing one.
    if value is None:
        return "?"
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def describe(event: AuditEvent) -> str:
    """The event as a sentence in the current language; an action without one reads as its code."""
    msgid = EVENTS.get(event.action)
    if msgid is None:
        return event.action
    lang = language()
    try:
        stored = json.loads(event.detail or "{}")
    except ValueError:
        stored = {}
    details: dict[str, Any] = stored if isinstance(stored, dict) else {}
    words = {"recipient": RECIPIENT, "status": STATUS}
    sentence = text_in(lang, msgid)
    values: dict[str, str] = {}
    # Only the sentence's own %(name)s places, each filled with a str: %-formatting of a str never
    # looks up an attribute or an index, and a stored value is never read as a format itself.
    for name in set(_PLACE.findall(sentence)):
        value = details.get(name)
        table = words.get(name)
        if table is not None and isinstance(value, str) and value in table:
            values[name] = text_in(lang, table[value])
        else:
            values[name] = _text(value)
    return sentence % values
