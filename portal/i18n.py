"""The pages speak Dutch, with an English switch. Texts live here, by key."""

from __future__ import annotations

from flask import current_app, g, request, session
from flask_login import current_user

LANGUAGES = ("nl", "en")
TEXTS: dict[str, tuple[str, str]] = {
    "portal": ("Verantwoordingsportaal onderwijs", "Education accountability portal"),
    "tagline": ("Jaarverantwoording van schoolbesturen", "Annual accounts of school boards"),
    "login": ("Inloggen", "Log in"),
    "logout": ("Uitloggen", "Log out"),
    "email": ("E-mailadres", "E-mail address"),
    "password": ("Wachtwoord", "Password"),
    "welcome": ("Welkom, {name}", "Welcome, {name}"),
    "your_boards": ("Uw besturen", "Your school boards"),
    "all_boards": ("Alle besturen", "All school boards"),
    "no_boards": ("Er zijn nog geen besturen aan u gekoppeld.", "No school boards are linked to you yet."),
    "number": ("Nummer", "Number"),
    "name": ("Naam", "Name"),
    "kvk": ("KvK-nummer", "Chamber of Commerce no."),
    "sectors": ("Sectoren", "Sectors"),
    "language": ("English", "Nederlands"),  # the switch offers the other language
    "logged_out": ("U bent uitgelogd.", "You are logged out."),
    "login_needed": ("Log in om verder te gaan.", "Log in to continue."),
    "csrf": ("Het formulier is verlopen of ongeldig; probeer het opnieuw.", "The form expired or is invalid; please try again."),
    "not_found": ("Niet gevonden.", "Not found."),
    "too_large": ("Het bestand is te groot.", "The file is too large."),
}


def language() -> str:
    """The current request's language: the user's choice, else the session's, else the default."""
    if "lang" not in g:
        chosen = session.get("lang")
        if chosen not in LANGUAGES and getattr(current_user, "is_authenticated", False):
            chosen = current_user.language
        g.lang = chosen if chosen in LANGUAGES else current_app.config["DEFAULT_LANGUAGE"]
    return g.lang


def t(key: str, **values: object) -> str:
    """The text `key` in the current language."""
    nl, en = TEXTS[key]
    return (nl if language() == "nl" else en).format(**values)


def pick(message: dict[str, str]) -> str:
    """The current language's text of a {"nl", "en"} message."""
    return message.get(language()) or message.get("nl", "")


def safe_next(target: str | None) -> str | None:
    """A redirect target only if it stays on this site (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def client_address() -> str:
    """The client's address as the WSGI server saw it (proxies are not trusted by default)."""
    return request.remote_addr or "unknown"
