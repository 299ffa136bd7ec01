"""An inline filing shown as filed, in Arelle's ixbrl-viewer, where its HTML cannot reach the portal.

The validation prepared the document (validators/arelle/viewer.py: the filing's own XHTML with the
viewer's data and a script tag naming `SCRIPT_URL`) and the job stored it (FilingFacts.viewer_sha256).
The filing's HTML is the filer's: it must never run with the portal's origin. How it is shown:

- The page (`viewer_page.html`) puts the document into an iframe as a `data:` URL, made in the
  browser from the bytes of the document route. A `data:` document always has an opaque origin of
  its own: no cookies (Chromium disables them in `data:` documents), no storage, and every request
  it makes is cross-origin to the portal, so it carries no session and reads no answer.
- Why not the document's own URL in an `<iframe sandbox="allow-scripts">`: the viewer moves the
  filing into an iframe of its own and works inside it; in a sandbox without allow-same-origin every
  document gets a new opaque origin, so the viewer cannot reach its own inner frame and stops at
  "Loading". A `data:` document's inner frames share its (opaque) origin, so the iframe may keep
  allow-same-origin: it cannot give the portal's origin to a `data:` document.
- The page's Content-Security-Policy (`page_csp`) is inherited by the `data:` document: scripts only
  from the portal's own files and the viewer's script, requests only to the viewer's configuration.
  Filings cannot hold scripts anyway (intake's IN-SCRIPT).
- The viewer keeps its settings in localStorage and sessionStorage, which throw in an opaque origin:
  the script as served starts with a storage in memory for the page's life (`static/ixbrl-storage.js`).

Every function that reads a filing checks that the user may see it first (`get_filing`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from validators.arelle.viewer import SCRIPT_URL, VERSION, script_file

from ..filings.models import Filing, FilingFacts
from ..filings.services import get_filing
from ..storage import FileStore
from ..users.models import User

# The runtime configuration the viewer asks for beside its script (an empty one: the defaults).
CONFIG_URL = SCRIPT_URL.rsplit("/", 1)[0] + "/ixbrlviewer.config.json"
_STORAGE_SHIM = Path(__file__).resolve().parents[1] / "static" / "ixbrl-storage.js"


@cache
def script() -> bytes:
    """The viewer's script as the portal serves it: the storage in memory, then the installed
    package's script unchanged (read once per process)."""
    return _STORAGE_SHIM.read_bytes() + b"\n" + script_file().read_bytes()


def viewer_sha256(db: Session, filing: Filing) -> str | None:
    """The store's hash of the version's viewer document; None for xBRL-XML or an older validation."""
    return db.scalar(select(FilingFacts.viewer_sha256).where(FilingFacts.filing_id == filing.id))


def has_viewer(db: Session, filing: Filing) -> bool:
    """Whether the version can be shown in the viewer (the caller has already got the filing through
    `get_filing`, e.g. on its page)."""
    return viewer_sha256(db, filing) is not None


def viewer_filing(db: Session, user: User, filing_id: int) -> tuple[Filing, bool]:
    """The filing (NOT-FOUND for anyone who may not see it) and whether it has a viewer document."""
    filing = get_filing(db, user, filing_id)
    return filing, has_viewer(db, filing)


def viewer_document(db: Session, store: FileStore, user: User, filing_id: int, origin: str) -> bytes | None:
    """The version's viewer document as a `data:` frame loads it: its script tag names the script by
    the portal's full address (`origin`, e.g. "https://portal.example"), since a path means nothing
    inside a `data:` document. None when the version has none. NOT-FOUND as `get_filing`."""
    filing = get_filing(db, user, filing_id)
    sha256 = viewer_sha256(db, filing)
    if sha256 is None:
        return None
    data = store.get(sha256)
    # The builder appended the script tag at the end of the body: the last occurrence is it, whatever
    # the filing itself holds before it.
    tag = f'src="{SCRIPT_URL}"'.encode()
    at = data.rfind(tag)
    if at < 0:
        return data
    return data[:at] + f'src="{origin}{SCRIPT_URL}"'.encode() + data[at + len(tag):]


def page_csp(origin: str, document_url: str) -> str:
    """The viewer page's Content-Security-Policy, which its `data:` frame inherits: the portal's own
    files and the viewer's script (exact paths, never a whole origin); inline styles, and `data:`
    images and fonts, which the viewer's script uses; requests only for the document (the page) and
    the viewer's configuration (the frame); frames only `data:`."""
    scripts = " ".join(origin + path for path in ("/static/layout.js", "/static/viewer.js", SCRIPT_URL))
    return (f"default-src 'none'; script-src {scripts}; style-src {origin}/static/portal.css 'unsafe-inline'; "
            f"img-src data:; font-src data:; connect-src {origin}{document_url} {origin}{CONFIG_URL}; "
            "frame-src data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


__all__ = ["CONFIG_URL", "SCRIPT_URL", "VERSION", "has_viewer", "page_csp", "script", "viewer_document",
           "viewer_filing"]
