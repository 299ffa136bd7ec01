"""The pages speak Dutch, with an English switch: the language of a request, and the texts by key (portal/texts.py)."""

from __future__ import annotations

from flask import current_app, g, request, session
from flask_login import current_user

from .texts import TEXTS

LANGUAGES = ("nl", "en")


def statement_label(definition: str | None, lang: str | None = None) -> str:
    """A statement's name in `lang` (default: the current language), from a role definition such as
    '200 - Balans (Balance sheet)'; other taxonomies' definitions are shown as they are."""
    lang = lang or language()
    if not definition:
        return text("general", lang)
    name = definition.split(" - ", 1)[-1]
    if name.endswith(")") and " (" in name:
        nl, en = name[:-1].split(" (", 1)
        return nl if lang == "nl" else en
    return name


def by_statement(findings: list[dict[str, object]]) -> list[tuple[str, list[dict[str, object]]]]:
    """Findings grouped by their statement (role definition), in order: first those that belong to no
    statement (None, empty or missing: "Algemeen"/"General", `statement_label("")`), then by name.
    The page and the PDF group alike; Jinja's groupby cannot, as it sorts None beside text."""
    groups: dict[str, list[dict[str, object]]] = {}
    for finding in findings:
        statement = finding.get("statement")
        groups.setdefault(statement if isinstance(statement, str) else "", []).append(finding)
    return sorted(groups.items(), key=lambda group: group[0])


def signal_reason(reason: str | None, lang: str) -> str:
    """Why a signalling value is not computable, in `lang`; a reason this module does not know is shown as it is."""
    what, _, detail = (reason or "").partition(": ")
    key = "reason_" + what.replace(" ", "_")
    if key not in TEXTS:
        return reason or ""
    return text(key, lang, detail=detail)


def language() -> str:
    """The current request's language: the user's choice, else the session's, else the default."""
    if "lang" not in g:
        chosen = session.get("lang")
        if chosen not in LANGUAGES and getattr(current_user, "is_authenticated", False):
            chosen = current_user.language
        g.lang = chosen if chosen in LANGUAGES else current_app.config["DEFAULT_LANGUAGE"]
    return g.lang


def text(key: str, lang: str, **values: object) -> str:
    """The text `key` in `lang`: for what is made in a chosen language outside a page, such as the report PDF."""
    nl, en = TEXTS[key]
    return (nl if lang == "nl" else en).format(**values)


def t(key: str, **values: object) -> str:
    """The text `key` in the current language."""
    return text(key, language(), **values)


def pick(message: dict[str, str]) -> str:
    """The current language's text of a {"nl", "en"} message."""
    return message.get(language()) or message.get("nl", "")


def client_address() -> str:
    """The client's address: the connection's, or with PROXY_FIX_X_FOR set, what the trusted proxies
    say (ProxyFix has put it in remote_addr)."""
    return request.remote_addr or "unknown"
