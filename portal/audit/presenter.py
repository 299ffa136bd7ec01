"""The event log in plain words: each recorded action as a sentence in the page's language
("Versie 2 geüpload: jv.xbrl"), from the event's stored details. The action's code stays in the
log (and beside the sentence on the page) for whoever needs to search it."""

from __future__ import annotations

import json
from string import Formatter
from typing import Any

from ..i18n import language
from .models import AuditEvent

RECIPIENT = {"duo": "DUO", "ocw": "OCW", "inspectorate": ("de inspectie", "the inspectorate")}
STATUS = {"valid": ("geldig", "valid"), "valid-with-warnings": ("geldig met waarschuwingen", "valid with warnings"),
          "invalid": ("ongeldig", "invalid"), "rejected": ("geweigerd", "rejected"), "error": ("mislukt", "failed")}

# action -> (Dutch, English), with the event's details as {fields}; a missing detail reads "?".
EVENTS: dict[str, tuple[str, str]] = {
    "filing.uploaded": ("Versie {version} geüpload: {file}", "Version {version} uploaded: {file}"),
    "filing.test_uploaded": ("Testversie {version} geüpload: {file}", "Test version {version} uploaded: {file}"),
    "filing.requeued": ("Versie {version} opnieuw in de wachtrij gezet", "Version {version} queued again"),
    "filing.validated": ("Versie {version} gecontroleerd: {status}, {findings} meldingen",
                         "Version {version} checked: {status}, {findings} findings"),
    "filing.test_validated": ("Testversie {version} gecontroleerd: {status}, {findings} meldingen",
                              "Test version {version} checked: {status}, {findings} findings"),
    "filing.test_purged": ("Testversie {version} verwijderd (bewaartermijn voorbij)",
                           "Test version {version} deleted (retention passed)"),
    "filing.submitted": ("Versie {version} ingediend, ontvangstbewijs {receipt}",
                         "Version {version} submitted, receipt {receipt}"),
    "document.added": ("PDF toegevoegd: {name}", "PDF added: {name}"),
    "assurance.attached": ("Accountantsverklaring bij versie {version}: {opinion} ({firm})",
                           "Assurance on version {version}: {opinion} ({firm})"),
    "authorisation.granted": ("{firm} gemachtigd", "{firm} authorised"),
    "authorisation.withdrawn": ("Machtiging van {firm} ingetrokken", "Authorisation of {firm} withdrawn"),
    "delivery.delivered": ("Afgeleverd aan {recipient}", "Delivered to {recipient}"),
    "delivery.acknowledged": ("Ontvangst bevestigd door {recipient}", "Receipt confirmed by {recipient}"),
    "correction.requested": ("DUO vraagt om een correctie: {message}", "DUO asks for a correction: {message}"),
    "key.added": ("Ondertekeningssleutel toegevoegd", "Signing key added"),
    "key.revoked": ("Ondertekeningssleutel ingetrokken", "Signing key revoked"),
    "user.logged_in": ("Ingelogd", "Logged in"),
    "user.logged_out": ("Uitgelogd", "Logged out"),
    "user.password_changed": ("Wachtwoord gewijzigd", "Password changed"),
    "user.password_set": ("Wachtwoord ingesteld door de beheerder", "Password set by the administrator"),
    "user.created": ("Gebruiker aangemaakt", "User created"),
    "user.activated": ("Gebruiker geactiveerd", "User activated"),
    "user.deactivated": ("Gebruiker gedeactiveerd", "User deactivated"),
    "token.created": ("API-token aangemaakt", "API token created"),
    "token.revoked": ("API-token ingetrokken", "API token revoked"),
    "boards.imported": ("Besturenregister ingelezen", "Board registry imported"),
}


class _Details(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def _word(value: Any, table: dict[str, Any], english: bool) -> Any:
    found = table.get(value) if isinstance(value, str) else None
    if isinstance(found, tuple):
        return found[1] if english else found[0]
    return found if found is not None else value


def describe(event: AuditEvent) -> str:
    """The event as a sentence in the current language; an action without one reads as its code."""
    texts = EVENTS.get(event.action)
    if texts is None:
        return event.action
    english = language() == "en"
    try:
        stored = json.loads(event.detail or "{}")
    except ValueError:
        stored = {}
    details = _Details(stored if isinstance(stored, dict) else {})
    if "recipient" in details:
        details["recipient"] = _word(details["recipient"], RECIPIENT, english)
    if "status" in details:
        details["status"] = _word(details["status"], STATUS, english)
    template = texts[1] if english else texts[0]
    # Only plain {field} names: a stored detail can never reach an attribute or an index.
    fields = {name for _text, name, _spec, _conv in Formatter().parse(template) if name}
    return template.format_map(_Details({name: details[name] for name in fields}))
