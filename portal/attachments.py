"""File names people chose, made safe to keep and to offer back as downloads; cells of a CSV
download made safe for spreadsheets.

A name from an upload is only ever a label: files are stored under their sha256. Still, the
name travels into the Content-Disposition header of a download, into receipts and e-mails, so
it is cleaned when it is stored and again when it is served (names stored before this existed
may hold anything). The header itself is always written by Werkzeug (`send_file`), never by
hand: it quotes the plain name and adds the UTF-8 form (filename*) for other characters.
"""

from __future__ import annotations

import io
import re
import unicodedata
from urllib.parse import quote

from flask import Response, send_file

MAX_NAME = 255
# Characters that mean something in a header, a path or a shell, replaced by "_".
_RESERVED = set('"\\/:*?<>|;%\'`$')


def clean_file_name(name: str | None, fallback: str, suffix: str | None = None) -> str:
    """`name` as a plain file name: its last path part, NFC, with no control, format or line
    characters, no quotes, semicolons or path signs (each becomes "_"), runs of spaces as one,
    at most 255 characters; `fallback` when nothing is left. With `suffix` (".pdf")
    the name ends in it, whatever the upload claimed to be."""
    text = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "C" or category in ("Zl", "Zp"):
            continue  # control, format, surrogate, private, unassigned; line and paragraph separators
        kept.append("_" if char in _RESERVED else " " if category == "Zs" else char)
    cleaned = " ".join("".join(kept).split())
    if suffix and not cleaned.lower().endswith(suffix):
        cleaned = cleaned + suffix if cleaned else ""
    if not cleaned:
        return fallback
    if len(cleaned) > MAX_NAME:  # keep the extension: it says what the file is
        _stem, dot, extension = cleaned.rpartition(".")
        extension = dot + extension if dot and len(extension) <= 10 else ""
        cleaned = cleaned[:MAX_NAME - len(extension)] + extension
    return cleaned


def send_download(data: bytes, name: str, mimetype: str, fallback: str = "download") -> Response:
    """`data` as an attachment (never shown inline) under a cleaned `name`."""
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=clean_file_name(name, fallback))


def as_attachment(response: Response, name: str, fallback: str = "download") -> Response:
    """Make a streamed answer (which send_file cannot take) an attachment under a cleaned `name`,
    the header written as send_file writes it (Werkzeug's quoting; filename* for non-ASCII)."""
    cleaned = clean_file_name(name, fallback)
    names = {"filename": cleaned}
    if not cleaned.isascii():
        plain = unicodedata.normalize("NFKD", cleaned).encode("ascii", "ignore").decode("ascii") or fallback
        names = {"filename": plain, "filename*": "UTF-8''" + quote(cleaned, safe="!#$&+-.^_`|~")}
    response.headers.set("Content-Disposition", "attachment", **names)
    return response


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula. A plain number (a filed amount
    such as -41902) is no formula and stays exactly as filed."""
    text = "" if value is None else str(value)
    if _NUMBER.fullmatch(text):
        return text
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
