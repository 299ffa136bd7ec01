"""Refusals and failures, answered in one place: a `ServiceError` (one clear message per rejection,
with a stable code, in Dutch and English) becomes the API's JSON error under /api/ and an error
page everywhere else. HTTP errors (404, 403, 405, 413), a database or file store that cannot
be reached (503) and an API bug (500) are turned into a ServiceError first, so every refusal has
one shape per kind of request and no view or blueprint answers one its own way. An expired form
(CSRF) is answered by expired.py, with the way back to the form's page.

Views that show a refused form again (the upload form, the submit button) catch the
ServiceError themselves, to render their page with the message at the top; everything
else reaches `respond`.
"""

from __future__ import annotations

from typing import Any, Self

from flask import Flask, Response, current_app, flash, g, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import Forbidden, InternalServerError, MethodNotAllowed, NotFound, RequestEntityTooLarge

API_PREFIX = "/api/"
RETRY_AFTER = 30  # seconds: a database restart, a store remounted, a failover


class ServiceError(Exception):
    """A request the service refuses; pages show the message, the API returns the code.

    The message is a gettext msgid (English) with %(name)s places filled from `values`; it is
    rendered in Dutch and English at once (the API returns both), from the portal's catalogue."""

    def __init__(self, code: str, msgid: str, status: int = 400, *, retry_after: int | None = None,
                 extra: dict[str, Any] | None = None, **values: object) -> None:
        from .i18n import both

        super().__init__(code)
        self.code = code
        self.message = both(msgid, **values)
        self.status = status
        self.retry_after = retry_after  # seconds, for a Retry-After header (rate limits, outages)
        # More the API's error carries beside the code and the message, e.g. {"facts": [...]}: every
        # offending fact of a draft, so software can point at each (keys never named code or message).
        self.extra = _extra(extra)

    @classmethod
    def said(cls, code: str, message: dict[str, str], status: int = 400,
             retry_after: int | None = None, extra: dict[str, Any] | None = None) -> Self:
        """A refusal whose message was already said in both languages elsewhere: by the validation
        engine (its own catalogue) or by the API contract's table of rejections."""
        refused = cls.__new__(cls)
        Exception.__init__(refused, code)
        refused.code, refused.status, refused.retry_after = code, status, retry_after
        refused.message = {"nl": message["nl"], "en": message["en"]}
        refused.extra = _extra(extra)
        return refused


def _extra(extra: dict[str, Any] | None) -> dict[str, Any]:
    if extra and {"code", "message"} & set(extra):
        raise ValueError("an error's extra keys never replace its code or message")
    return dict(extra or {})


def not_found() -> ServiceError:
    """What anyone gets for something they may not see, whether or not it exists: the one NOT-FOUND."""
    return ServiceError("NOT-FOUND", "Not found.", 404)


def forbidden(msgid: str = "This page is for another role.") -> ServiceError:
    """A page or API of another role (recipients, OCW, the inspectorate): FORBIDDEN, 403."""
    return ServiceError("FORBIDDEN", msgid, 403)


def confirmation_required() -> ServiceError:
    """A destructive action (withdrawing an authorisation, revoking a key) asked without its explicit
    "yes": nothing is changed. The form's required checkbox gives the yes; no script is needed."""
    return ServiceError("CONFIRMATION-REQUIRED", "First tick that you really want this; nothing was changed.", 400)


def service_unavailable() -> ServiceError:
    """The database cannot be reached: nothing was committed, a retry later may work."""
    return ServiceError("SERVICE-UNAVAILABLE", "The database cannot be reached right now; please try again later.",
                        503, retry_after=RETRY_AFTER)


def storage_unavailable() -> ServiceError:
    """The file store cannot read or write: nothing was stored or changed (the request rolls back)."""
    return ServiceError("STORAGE-UNAVAILABLE", "The file store cannot be reached right now; please try again later.",
                        503, retry_after=RETRY_AFTER)


def is_api_request() -> bool:
    """True for the JSON API (bearer tokens, JSON errors); False for pages."""
    return request.path.startswith(API_PREFIX)


def json_error(code: str, nl: str, en: str, status: int, retry_after: int | None = None,
               extra: dict[str, Any] | None = None) -> Response:
    """The API's error: {"error": {"code", "message": {"nl", "en"}}} (and the refusal's `extra` keys
    beside them, such as "facts"), with WWW-Authenticate on 401."""
    response = jsonify({"error": {"code": code, "message": {"nl": nl, "en": en}, **(extra or {})}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


# A page shows these codes in the portal's own words (the texts its users know from the catalogue).
PAGE_TEXT = {"NOT-FOUND": "not_found", "FORBIDDEN": "forbidden", "IN-SIZE": "too_large", "CSRF": "csrf",
             "SERVICE-UNAVAILABLE": "unavailable", "STORAGE-UNAVAILABLE": "storage_unavailable"}

# The error page's heading by status; a status not listed has the general one.
ERROR_TITLES = {404: "error_title_404", 403: "error_title_403"}


def respond(exc: ServiceError) -> Response:
    """The answer to a refusal: the API's JSON error, or the error page in the user's language."""
    if is_api_request():
        return json_error(exc.code, exc.message["nl"], exc.message["en"], exc.status, exc.retry_after, exc.extra)
    from .i18n import named, pick

    known = exc.code in PAGE_TEXT  # the portal's own words; others are a service's refusal, with its code
    message = named(PAGE_TEXT[exc.code]) if known else pick(exc.message)
    heading = named(ERROR_TITLES.get(exc.status, "error_title_500" if exc.status >= 500 else "error_title"))
    page = render_template("error.html", heading=heading, message=message, code=None if known else exc.code)
    response = current_app.make_response((page, exc.status))
    if exc.retry_after:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def flash_error(exc: ServiceError) -> None:
    """A refused form whose view redirects back: the page it lands on shows the message in the error
    style, its code small after it (base.html), like a refusal rendered on its own page."""
    from .i18n import pick

    flash({"text": pick(exc.message), "code": exc.code}, "error")


def _database_unavailable(exc: Exception) -> Response:
    current_app.logger.error("request failed on the database: %s", exc)
    if not is_api_request():
        g._login_user = current_app.login_manager.anonymous_user()  # the page must not ask the database who
    return respond(service_unavailable())


def _storage_failed(exc: Exception) -> Response:
    current_app.logger.error("storage failed on %s %s: %s", request.method, request.path, exc)
    return respond(storage_unavailable())


def _too_large(_exc: Exception) -> Response:
    mb = current_app.config["MAX_UPLOAD_MB"]
    return respond(ServiceError("IN-SIZE", "The upload exceeds %(mb)s MB.", 413, mb=mb))


def _method_not_allowed(exc: MethodNotAllowed) -> Any:
    if not is_api_request():
        return exc
    response = respond(ServiceError("METHOD-NOT-ALLOWED", "This method is not allowed here.", 405))
    response.headers["Allow"] = ", ".join(sorted(exc.valid_methods or []))
    return response


def _internal(exc: InternalServerError) -> Any:
    # A bug: the API's error shape; a page's user gets the portal's own error page (the helpdesk in
    # its footer) rather than the server's bare English one. Should that page fail too (the bug is
    # in the layout itself), the bare one it is.
    refusal = ServiceError("INTERNAL-ERROR", "Something went wrong in the portal.", 500)
    if is_api_request():
        return respond(refusal)
    try:
        return respond(refusal)
    except Exception:  # noqa: BLE001 - rendering the error page failed as well
        current_app.logger.exception("the error page could not be rendered")
        return exc


def install(app: Flask) -> None:
    """Answer every refusal and failure of every page and API route through `respond`."""
    from .storage import StorageError

    app.register_error_handler(ServiceError, respond)
    app.register_error_handler(NotFound, lambda _exc: respond(not_found()))
    app.register_error_handler(Forbidden, lambda _exc: respond(forbidden("This is for another role.")))
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    # An expired form (CSRF) is answered by expired.py: what happened, and the way back.
    app.register_error_handler(MethodNotAllowed, _method_not_allowed)
    app.register_error_handler(InternalServerError, _internal)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(PoolTimeout, _database_unavailable)
    app.register_error_handler(StorageError, _storage_failed)
