"""Where a reference in a filing leads, worked out the way Arelle will follow it.

A prefix check on the text of a reference is not enough: Arelle reads
`file://` and plain paths as files on this machine, treats only a lower-case
`http://` or `https://` as a URL, joins `xml:base` values as text, turns
backslashes into slashes and resolves `..` only after mapping a URL into its
cache folder, so `http://www.xbrl.org/../../etc/passwd` leaves that folder.
`target()` says which URL (if any) Arelle would fetch for a reference, and
`inside()` whether that URL stays under an allowed prefix however it is
spelled: percent-encoded, with backslashes, with `.` and `..` segments, or
with the host in capitals. Nothing here opens anything.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from lxml import etree

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_HTTP = ("http://", "https://")


def effective_base(element: etree._Element) -> str:
    """The xml:base Arelle applies to `element` ('' for none).

    Arelle joins the values of the element and its ancestors as text, outermost
    first, and stops at the first result that starts with '/'.
    """
    base = ""
    node: etree._Element | None = element
    while node is not None:
        value = node.get(XML_BASE)
        if value:
            base = value + base
            if base.startswith("/"):
                break
        node = node.getparent()
    return base


def target(reference: str, base: str = "") -> str | None:
    """The http(s) URL Arelle fetches for `reference` under xml:base `base`.

    None when Arelle would read it as a file on this machine instead: a path,
    a `file:` URL, a scheme it does not know (it is then a relative path), or
    a relative reference without an `http://` base. A fragment ('#...') must
    be split off by the caller where Arelle splits it off (xlink:href).
    """
    url = reference.removeprefix("file://").removeprefix("file:\\")
    if url.startswith(_HTTP):
        return url
    if url.startswith("/") or not base.startswith("http://"):
        return None  # Arelle reads an absolute path as one, and a base that is not http:// as a path
    scheme, _, path = base.partition("://")
    return f"{scheme}://{posixpath.dirname(path)}/{url}"


def inside(url: str, prefixes: tuple[str, ...]) -> bool:
    """Whether `url` stays under one of `prefixes`, as written and percent-decoded.

    Scheme and path compare exactly, the host without regard to case; `.` and
    empty segments are ignored, and a `..` may never climb above the prefix.
    """
    decoded = _decoded(url)
    if decoded is None:
        return False
    return all(any(_under(form, prefix) for prefix in prefixes) for form in {url, decoded})


def _decoded(url: str) -> str | None:
    """`url` percent-decoded until nothing changes (None if it never settles)."""
    for _ in range(5):
        plain = unquote(url, errors="replace")
        if plain == url:
            return url
        url = plain
    return None


def _under(url: str, prefix: str) -> bool:
    if any(ord(c) < 0x20 or c == "\x7f" for c in url):
        return False
    scheme, sep, rest = url.partition("://")
    prefix_scheme, _, prefix_rest = prefix.partition("://")
    if not sep or scheme != prefix_scheme:
        return False
    host, _, path = rest.replace("\\", "/").partition("/")
    prefix_host, _, prefix_path = prefix_rest.partition("/")
    if host.lower() != prefix_host.lower():
        return False
    fixed = [s for s in prefix_path.split("/") if s]
    segments = path.split("/")
    if segments[: len(fixed)] != fixed:
        return False
    depth = 0
    for segment in segments[len(fixed):]:
        if segment == "..":
            depth -= 1
            if depth < 0:
                return False
        elif segment not in ("", "."):
            depth += 1
    return True
