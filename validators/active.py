"""IN-SCRIPT: nothing in an inline XBRL document may run, or load anything, in a viewer's browser.

Refused: elements that run code or embed other pages (script, object, embed,
iframe, ...); event-handler attributes (`on...`), also when SVG's `<set>` or
`<animate>` would add one (`attributeName="onmouseover"`); `javascript:` and
similar URLs in any attribute, read as a browser reads them (it drops tabs
and newlines anywhere in a URL, and spaces and control characters around it,
so `java&#x09;script:` is still script; here all of those are dropped
everywhere); `<meta http-equiv="refresh">`; external stylesheets (`<link
rel="stylesheet">`); and styling that loads from elsewhere or runs code:
`@import`, `url(...)` other than a `data:` URL or a `#fragment`, `image-set()`
and `expression()`, in `<style>` elements and in any attribute, after CSS
escapes are undone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from .i18n import Message, both

ACTIVE_ELEMENTS = {"script", "object", "embed", "iframe", "frame", "frameset", "applet"}
HTML_NAMESPACES = {"http://www.w3.org/1999/xhtml", None}
FETCHING_LINKS = {"stylesheet", "import", "preload", "prefetch", "modulepreload", "prerender", "preconnect",
                  "dns-prefetch"}
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_ACTIVE_URL = re.compile(r"(?:javascript|vbscript|livescript):|data:(?:text/html|application/xhtml\+xml)", re.I)
_CSS_HINT = re.compile(r"[\\(@]")
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\r\n|(.))", re.S)
# @namespace names a namespace with url(...) and loads nothing; the rule ends at ';' or at a block.
_CSS_NAMESPACE = re.compile(r"@namespace[^;{}]*")
# A url( or src( whose quote or bracket is never closed still loads: nothing after the target is required.
_CSS_FUNCTION = re.compile(r"(?<![\w-])(url|src)\s*\(\s*(?:\"([^\"]*)|'([^']*)|([^)\s]*))")
_CSS_ALWAYS = re.compile(r"@import|(?<![\w-])(?:-webkit-)?image(?:-set)?\s*\(|expression\s*\(")

Reject = Callable[[Message, int | None], Exception]

# What makes _check_element look at an element: its name, an attribute named on... or attributeName,
# or a value that may hold a URL scheme or CSS (letters may have ignored characters between them).
_WATCHED = ACTIVE_ELEMENTS | {"meta", "link", "style"}
_HINT = re.compile("|".join("[\t\n\r \x7f]*".join(word) for word in ("script:", "data:")) + r"|[(@\\]", re.I)


def active_url(value: str) -> bool:
    """Whether a browser would run `value` as a URL (javascript:, vbscript:, an HTML data: URL)."""
    return bool(_ACTIVE_URL.match(_URL_NOISE.sub("", value)))


def _css_unescaped(css: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        escaped = match.group(2) or ""
        return "" if escaped in "\n\r\f" else escaped  # an escaped line end continues the line
    # Comments stay: they only ever hide a token from a browser, never make one (u/**/rl( is no url(),
    # and /\2a url(...) */ is no comment), so reading through them can only find more.
    return _CSS_NAMESPACE.sub("", _CSS_ESCAPE.sub(one, css).lower())


def css_loads(css: str) -> str | None:
    """What in the CSS text `css` would load from elsewhere or run code ('@import', 'url(...)'), or None."""
    if not _CSS_HINT.search(css):
        return None
    plain = _css_unescaped(css)
    always = _CSS_ALWAYS.search(plain)
    if always:
        return always.group(0).strip()
    for match in _CSS_FUNCTION.finditer(plain):
        url = _URL_NOISE.sub("", next(g for g in match.groups()[1:] if g is not None))
        if (url and not url.startswith(("data:", "#"))) or active_url(url):
            return f"{match.group(1)}({url[:80]})"
    return None


def check(root: etree._Element, reject: Reject) -> None:
    """Raise `reject(message, line)` for the first active or loading content in the document."""
    # A plain loop with string operations: this runs over every element and attribute of the
    # document, and etree.QName or an XPath with translate() took several times as long.
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        watched = tag[tag.rfind("}") + 1:].lower() in _WATCHED
        if not watched:
            for name, value in element.items():
                local = name[name.rfind("}") + 1:].lower()
                if local[:2] == "on" or local == "attributename" or _HINT.search(value):
                    watched = True
                    break
        if watched:
            _check_element(element, reject)


def _check_element(element: etree._Element, reject: Reject) -> None:
    qname = etree.QName(element)
    local = qname.localname.lower()
    where = element.sourceline
    if local in ACTIVE_ELEMENTS:
        raise reject(both("The document contains active content (<%(element)s>, line %(line)s); remove it.",
                          element=local, line=where), where)
    attributes = {etree.QName(name).localname.lower(): value for name, value in element.attrib.items()}
    if qname.namespace in HTML_NAMESPACES:
        _html_element(local, attributes, where, reject)
    if local == "style":
        loads = css_loads("".join(element.itertext()))
        if loads:
            raise _loads(loads, where, reject)
    for attr, value in attributes.items():
        if attr.startswith("on") or active_url(value):
            raise reject(both("The document contains active content (attribute %(attribute)s, line %(line)s); "
                              "remove it.", attribute=attr, line=where), where)
        loads = css_loads(value)
        if loads:
            raise _loads(loads, where, reject)
    animated = attributes.get("attributename")
    if animated is not None:  # SVG <set>/<animate> give another attribute a value
        target = _URL_NOISE.sub("", animated).lower().rpartition(":")[2]
        values = [v for key in ("to", "from", "by") if (v := attributes.get(key))]
        values += attributes.get("values", "").split(";")
        if target.startswith("on") or any(active_url(v) for v in values):
            raise reject(both("The document contains active content (<%(element)s attributeName=\"%(name)s\">, "
                              "line %(line)s); remove it.", element=local, name=animated[:40], line=where), where)


def _html_element(local: str, attributes: dict[str, str], where: int | None, reject: Reject) -> None:
    if local == "meta" and attributes.get("http-equiv", "").strip().lower() == "refresh":
        raise reject(both("The document redirects its reader (<meta http-equiv=\"refresh\">, line %(line)s); "
                          "remove it.", line=where), where)
    if local == "link" and FETCHING_LINKS & set(attributes.get("rel", "").lower().split()):
        raise reject(both("The document loads an external file (<link rel=\"%(rel)s\">, line %(line)s); put the "
                          "styling in the document itself.", rel=attributes["rel"][:40], line=where), where)


def _loads(what: str, where: int | None, reject: Reject) -> Exception:
    return reject(both("The document's styling loads something from outside or runs code (%(what)s, line "
                       "%(line)s); only data: URLs are allowed.", what=what, line=where), where)
