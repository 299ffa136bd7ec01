"""How the web answers a store that fails: the API's JSON error STORAGE-UNAVAILABLE (503, with
Retry-After), a page that says so in plain words, never a 500. Nothing was committed: the
request's session is rolled back at its end, and a write that failed left no file."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template, request

from ..i18n import t
from . import StorageError

RETRY_AFTER = 30  # seconds: a store that is briefly away (a database restart, a remounted disk)
NL = "De opslag van bestanden is nu niet bereikbaar; probeer het later opnieuw."
EN = "The file store cannot be reached right now; please try again later."


def _storage_unavailable(exc: StorageError) -> Any:
    current_app.logger.error("storage failed on %s %s: %s", request.method, request.path, exc)
    if request.path.startswith("/api/"):
        from ..api.auth import error

        response = error("STORAGE-UNAVAILABLE", NL, EN, 503)
    else:
        response = current_app.make_response((render_template("error.html", message=t("storage_unavailable")), 503))
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def install(app: Flask) -> None:
    """Answer StorageError (and its FileMissing, FileDamaged) on every page and API route."""
    app.register_error_handler(StorageError, _storage_unavailable)
