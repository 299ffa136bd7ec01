"""The viewer pages (routes on reading.blueprint.bp): the page that shows an inline filing in the
ixbrl-viewer, the document it loads, and the viewer's script and configuration, served by the
portal itself (nothing comes from a CDN)."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request, url_for
from flask_login import current_user, login_required

from ..attachments import send_download
from ..db import get_db
from ..errors import not_found
from ..storage import get_store
from . import viewer
from .blueprint import bp

__all__ = ["bp"]

# The script and its configuration carry the viewer's version in their path: a browser may keep them.
_LONG_CACHE = "public, max-age=31536000, immutable"


@bp.app_template_global()
def has_viewer(filing: Any) -> bool:
    """For the filing page: whether to link to the viewer (the page has checked the user may see it)."""
    return viewer.has_viewer(get_db(), filing)


def _origin() -> str:
    return request.host_url.rstrip("/")


@bp.get("/filings/<int:filing_id>/viewer")
@login_required
def viewer_page(filing_id: int) -> Any:
    """The inline filing as filed, in the ixbrl-viewer; a plain sentence when the version has none."""
    filing, available = viewer.viewer_filing(get_db(), current_user, filing_id)
    document_url = url_for("reading.viewer_document", filing_id=filing.id)
    response = Response(render_template("reading/viewer_page.html", filing=filing, available=available,
                                        document_url=document_url))
    # Its own policy instead of the portal's (security.py): the data: frame inherits it, and it
    # names exactly what the viewer may load (viewer.page_csp).
    response.headers["Content-Security-Policy"] = viewer.page_csp(_origin(), document_url)
    return response


@bp.get("/filings/<int:filing_id>/viewer/document")
@login_required
def viewer_document(filing_id: int) -> Any:
    """The viewer document's bytes, for the viewer page's script to put into its data: frame. Never
    rendered at this address: a download (attachment, octet-stream, not sniffed), and should a
    browser render it anyway, the sandbox directive gives it an opaque origin with nothing allowed."""
    data = viewer.viewer_document(get_db(), get_store(), current_user, filing_id, _origin())
    if data is None:
        raise not_found()
    response = send_download(data, "viewer.html", "application/octet-stream")
    response.headers.update({"Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
                             "Cross-Origin-Resource-Policy": "same-origin", "X-Content-Type-Options": "nosniff"})
    return response


@bp.get(viewer.SCRIPT_URL)
def viewer_script() -> Any:
    """The viewer's script (public: the package's own file, with the storage in memory first). Its
    only reader is a data: document, whose origin is opaque, so no Cross-Origin-Resource-Policy."""
    return Response(viewer.script(), headers={"Content-Type": "text/javascript; charset=utf-8",
                                              "Cache-Control": _LONG_CACHE, "X-Content-Type-Options": "nosniff"})


@bp.get(viewer.CONFIG_URL)
def viewer_config() -> Any:
    """The runtime configuration the viewer always asks for beside its script: none (its defaults).
    It asks from an opaque origin, so the answer says anyone may read it (it is public and empty)."""
    return Response("{}", headers={"Content-Type": "application/json", "Cache-Control": _LONG_CACHE,
                                   "Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"})
