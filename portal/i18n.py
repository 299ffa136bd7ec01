"""The pages speak Dutch, with an English switch: the language of a request, and the texts in it.

Every text the portal shows is a gettext message: English msgid in the code and templates, its
Dutch in the catalogue portal/translations/nl/LC_MESSAGES/messages.po (compiled by `make setup`).
Pages use `_()` (Flask-Babel's gettext, in the request's language); what is made in a chosen
language outside a page (a PDF, an e-mail) uses `text_in(lang, ...)`; a refusal carries its
message in both languages (`both`), as the API returns both."""

from __future__ import annotations

from pathlib import Path

from babel import support
from flask import current_app, g, request, session
from flask_login import current_user

from .vocabulary import NAMED

LANGUAGES = ("nl", "en")
LOCALES = {"nl": "nl_NL", "en": "en_GB"}  # Babel's locale per language: Dutch and British notation
TRANSLATIONS = Path(__file__).parent / "translations"  # Flask-Babel's default folder beside the app
_CATALOGUES: dict[str, support.NullTranslations] = {}
# What marks a text for the catalogue besides gettext's own names (`make translations` passes these):
# N_ (chosen by a value, portal/vocabulary.py), text_in and ServiceError (msgid second), both, forbidden.
KEYWORDS = ("N_", "text_in:2", "both", "ServiceError:2", "forbidden")


def statement_label(definition: str | None, lang: str | None = None) -> str:
    """A statement's name in `lang` (default: the current language), from a role definition such as
    '200 - Balans (Balance sheet)'; other taxonomies' definitions are shown as they are."""
    lang = lang or language()
    if not definition:
        return text_in(lang, "General")
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
    if key not in NAMED:
        return reason or ""
    return named_in(lang, key, detail=detail)


def language() -> str:
    """The current request's language: the user's choice, else the session's, else the default."""
    if "lang" not in g:
        chosen = session.get("lang")
        if chosen not in LANGUAGES and getattr(current_user, "is_authenticated", False):
            chosen = current_user.language
        g.lang = chosen if chosen in LANGUAGES else current_app.config["DEFAULT_LANGUAGE"]
    return g.lang


def _catalogue(lang: str) -> support.NullTranslations:
    """The compiled catalogue of `lang`, loaded once per process; English is the msgids themselves."""
    if lang not in _CATALOGUES:
        if lang == "en":
            _CATALOGUES[lang] = support.NullTranslations()
        else:
            compiled = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo"
            if not compiled.is_file():
                # Never English where Dutch is promised: a portal without its catalogue does not start.
                raise RuntimeError(f"{compiled} is missing: run `make setup` to compile the catalogues")
            with compiled.open("rb") as file:
                _CATALOGUES[lang] = support.Translations(file, domain="messages")
    return _CATALOGUES[lang]


def check_catalogues() -> None:
    """Fails at start-up, with what to do, when a language's compiled catalogue is missing."""
    for lang in LANGUAGES:
        _catalogue(lang)


def text_in(lang: str, msgid: str, **values: object) -> str:
    """The message `msgid` in `lang` ("nl" or "en"), for what is made in a chosen language outside a
    page (the report PDF, an e-mail) and in both languages for a refusal; %(name)s places are filled
    from `values`. Works outside a request, as PDFs and e-mails are also made by workers."""
    translated = _catalogue(lang if lang in LANGUAGES else "nl").ugettext(msgid)
    return translated % values if values else translated


def both(msgid: str, **values: object) -> dict[str, str]:
    """The message `msgid` in Dutch and in English: a refusal's message, which the API returns in both."""
    return {lang: text_in(lang, msgid, **values) for lang in LANGUAGES}


def named(key: str, **values: object) -> str:
    """The text chosen by a value (portal/vocabulary.py) in the current language; an unknown key is shown as it is."""
    return named_in(language(), key, **values)


def named_in(lang: str, key: str, **values: object) -> str:
    """`named(key)` in `lang`, outside a page."""
    msgid = NAMED.get(key)
    return key if msgid is None else text_in(lang, msgid, **values)


def pick(message: dict[str, str]) -> str:
    """The current language's text of a {"nl", "en"} message."""
    return message.get(language()) or message.get("nl", "")


def client_address() -> str:
    """The client's address: the connection's, or with PROXY_FIX_X_FOR set, what the trusted proxies
    say (ProxyFix has put it in remote_addr)."""
    return request.remote_addr or "unknown"
