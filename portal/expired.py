"""A form that arrives after its session or its token has expired: the page says in plain words
what happened and leads back to the page the form was on (after logging in again when the session
ended). An upload says plainly that the chosen file was not received: a browser cannot keep it.

The way back is a path the portal builds itself from the form's own route (never a Referer or a
value from the request), so it is always a page of this site."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login.utils import login_url
from flask_wtf.csrf import CSRFError

from .errors import ServiceError, is_api_request, respond
from .i18n import named

# The page each form is on, by the form's endpoint; both take the same route values.
FORM_PAGES = {
    "filings.upload": "filings.board_year",
    "accountants.authorise": "filings.board_year",
    "submissions.submit": "filings.show",
    "accountants.attach": "filings.show",
    "accountants.add_document": "filings.show",
    "accountants.add_key": "accountants.keys",
    "duo.correction": "duo.overview",
}


def form_page() -> str | None:
    """The path of the page the posted form of this request was on, or None when not known."""
    page = FORM_PAGES.get(request.endpoint or "")
    return url_for(page, **(request.view_args or {})) if page else None


def _way_back(page: str | None) -> dict[str, str]:
    """The link back: to the form's page, through the login page when the session has ended."""
    signed_in = bool(current_user.is_authenticated)
    if page is None:
        return {"url": url_for("boards.home") if signed_in else url_for("users.login"),
                "text": _("Go to the home page") if signed_in else _("Log in again")}
    if signed_in:
        return {"url": page, "text": _("Choose the file again") if request.endpoint == "filings.upload"
                else _("Back to the form")}
    return {"url": login_url("users.login", next_url=page), "text": _("Log in again")}


def form_expired(_exc: CSRFError) -> Any:
    """The CSRF check failed: the session ended (its token with it) or the page was open too long."""
    if is_api_request():
        return respond(ServiceError("CSRF", "The form expired or is invalid; please try again.", 400))
    signed_in = bool(current_user.is_authenticated)
    if request.endpoint == "filings.upload":
        heading = _("Your file was not received")
        message = (_("The upload page was open too long, so the portal could not accept the form. The file you "
                     "chose was not received: choose the file again.") if signed_in else
                   _("Your session ended before the upload arrived, so the portal could not accept it. The file "
                     "you chose was not received: log in again and choose the file again."))
    else:
        heading = _("The form has expired")
        message = (named("csrf") if signed_in else
                   _("Your session ended, so the portal could not accept the form. Log in again and fill it in again."))
    page = render_template("error.html", heading=heading, message=message, code="CSRF", back=_way_back(form_page()))
    return current_app.make_response((page, 400))


def login_required_page() -> Response:
    """Flask-Login's answer to a page that needs a signed-in user: the login page, then back. A posted
    form goes back to the page it was on (its own URL takes no GET), saying what was lost."""
    if request.method == "GET":
        return redirect(login_url("users.login", next_url=request.url))  # as Flask-Login does by itself
    if request.endpoint == "filings.upload":
        flash(_("Your session ended before the upload arrived. The file you chose was not received: log in and "
                "choose the file again."))
    else:
        flash(_("Your session ended, so the form was not accepted. Log in and fill it in again."))
    page = form_page()
    return redirect(login_url("users.login", next_url=page) if page else url_for("users.login"))


def install(app: Flask) -> None:
    """Answer an expired form and a page that needs a login as above."""
    app.register_error_handler(CSRFError, form_expired)
    app.login_manager.unauthorized_handler(login_required_page)  # type: ignore[attr-defined]
