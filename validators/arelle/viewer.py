"""An inline XBRL filing prepared for Arelle's ixbrl-viewer, made in the worker that validated it.

The viewer is one script that runs inside the filing's own XHTML: the builder
(`iXBRLViewerBuilder`) reads the loaded model once and adds two elements at
the end of the document's body, the viewer's data (concepts, labels, facts,
relationships) as a JSON script block, and a script tag that loads the viewer.
The result is one self-contained XHTML document, returned as bytes (plain data
for the pool) and kept by the portal beside the report.

The script tag names `SCRIPT_URL`, a path on the portal that serves the
installed package's script itself (nothing is fetched from elsewhere at run
time); the path carries the viewer's version, so a browser may keep the script
as long as it likes.

Building the viewer must never change a validation's verdict: `build` catches
everything and answers with an error text instead, which the engine logs. It
runs last, after the facts were read and the exports saved, because the
builder writes ids onto facts that have none and re-points the parser of the
document it copies: nothing may read the model after it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
from pathlib import Path
from typing import Any

DISTRIBUTION = "ixbrl-viewer"
PACKAGE = "iXBRLViewerPlugin"
VERSION = importlib.metadata.version(DISTRIBUTION)
# The viewer's script as the portal serves it (portal/reading/viewer_views.py): the same path in every
# document prepared with this version of the package.
SCRIPT_URL = f"/static/ixbrl-viewer/{VERSION}/ixbrlviewer.js"


def script_file() -> Path:
    """The installed package's viewer script (found without importing the package, which imports Arelle)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the {DISTRIBUTION} package is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "viewer" / "dist" / "ixbrlviewer.js"


def preload() -> None:
    """Import the builder now: a worker calls this before its guard is installed, so that no job
    opens a file of the plugin (the guard allows the Python installation anyway; this keeps the
    first inline filing from paying for the import)."""
    from iXBRLViewerPlugin import iXBRLViewer  # noqa: F401
    from iXBRLViewerPlugin import xhtmlserialize  # noqa: F401


def build(cntlr: Any, model: Any, script_url: str) -> tuple[bytes | None, str | None]:
    """The loaded single-document inline filing `model` as the viewer's XHTML, or (None, why not).

    Only an inline XBRL document loaded on its own is prepared (an xBRL-XML instance has nothing
    to show as filed). Validation messages are left out of the viewer (`showValidations=False`):
    the portal's report says what is wrong, in Dutch and English.
    """
    try:
        from arelle.ModelDocument import Type
        from iXBRLViewerPlugin.iXBRLViewer import IXBRLViewerBuilder
        from iXBRLViewerPlugin.xhtmlserialize import XHTMLSerializer

        document = getattr(model, "modelDocument", None)
        if document is None or document.type != Type.INLINEXBRL:
            return None, None
        builder = IXBRLViewerBuilder(cntlr)
        builder.processModel(model)
        viewer = builder.createViewer(scriptUrl=script_url, showValidations=False)
        if viewer is None or len(viewer.files) != 1:
            return None, "the viewer could not be added to the document (it has no body, or has a viewer already)"
        buffer = io.BytesIO()
        XHTMLSerializer(buffer).serialize(viewer.files[0].xmlDocument)
        return buffer.getvalue(), None
    except Exception as exc:  # anything at all: the verdict stands, only the viewer is missing
        return None, f"{type(exc).__name__}: {exc}"[:500]
