"""Hostile and broken uploads, each with the one IN-* or FR-* code it must get: the engine's tests
and the portal's (through the page and the API) use the same list. Built on import (a few large
files): import it where it is needed."""

from __future__ import annotations

import io
import zipfile

import pytest

from .samples import VALID, VALID_INLINE, sample

ENTRY = b"https://xbrl.onderwijs.example/2025/entrypoints/edu-rpt-jaarverantwoording-2025.xsd"

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance">&lol3;</xbrli:xbrl>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance">&xxe;</xbrli:xbrl>"""
XXE_UTF16 = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")


def zip_of(entries: dict[str, bytes], encrypt: str | None = None) -> bytes:
    """A zip archive of `entries` (name: bytes); with `encrypt`, flagged as encrypted (without being so)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    raw = bytearray(buffer.getvalue())
    if encrypt:  # set the "encrypted" flag of the first entry, in the local and the central header
        raw[6] |= 0x1
        central = raw.find(b"PK\x01\x02")
        raw[central + 8] |= 0x1
    return bytes(raw)


def _duplicatezip_of() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("pkg/reports/a.xbrl", VALID)
        with pytest.warns(UserWarning):
            zf.writestr("pkg/reports/a.xbrl", VALID)
    return buffer.getvalue()


HOSTILE = {
    "empty": (b"", "a.xbrl", "IN-EMPTY"),
    "huge": (b"<" + b" " * (26 * 1024 * 1024), "a.xbrl", "IN-SIZE"),
    "pdf renamed": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "jaarverslag.xbrl", "IN-TYPE"),
    "wrong extension": (VALID, "a.docx", "IN-TYPE"),
    "zip named xbrl": (zip_of({"r.xbrl": VALID}), "a.xbrl", "IN-TYPE"),
    "not xbrl": (b"<?xml version='1.0'?><invoice/>", "a.xml", "IN-TYPE"),
    "xhtml without ix": (b"<html xmlns='http://www.w3.org/1999/xhtml'><body/></html>", "a.xhtml", "IN-TYPE"),
    "binary": (b"\x00\x01\x02\x03garbage", "a.xbrl", "IN-TYPE"),
    "truncated": (VALID[: len(VALID) // 2], "a.xbrl", "IN-XML"),
    "deeply nested": (b"<a>" * 5000 + b"</a>" * 5000, "a.xml", "IN-XML"),
    "xml bomb": (BOMB, "a.xbrl", "IN-DTD"),
    "xxe": (XXE, "a.xbrl", "IN-DTD"),
    "xxe in utf-16": (XXE_UTF16, "a.xbrl", "IN-DTD"),
    "html doctype": (b"<!doctype html>" + VALID_INLINE.split(b"?>", 1)[1], "a.xhtml", "IN-DTD"),
    "script": (VALID_INLINE.replace(b"<body>", b"<body><script>alert(1)</script>"), "a.xhtml", "IN-SCRIPT"),
    "event handler": (VALID_INLINE.replace(b"<body>", b'<body onload="steal()">'), "a.xhtml", "IN-SCRIPT"),
    "javascript url": (VALID_INLINE.replace(b"<body>", b'<body><a href=" JavaScript:x()">x</a>'), "a.xhtml",
                       "IN-SCRIPT"),
    "iframe": (VALID_INLINE.replace(b"<body>", b'<body><iframe src="https://evil.example"/>'), "a.xhtml",
               "IN-SCRIPT"),
    "broken zip": (b"PK\x03\x04" + b"\x00" * 100, "a.zip", "IN-ZIP"),
    "zip slip": (zip_of({"../../evil.xbrl": VALID}), "a.zip", "IN-ZIP"),
    "zip absolute path": (zip_of({"/etc/cron.d/evil.xbrl": VALID}), "a.zip", "IN-ZIP"),
    "zip backslash": (zip_of({"pkg\\reports\\a.xbrl": VALID}), "a.zip", "IN-ZIP"),
    "zip duplicate": (_duplicatezip_of(), "a.zip", "IN-ZIP"),
    "zip encrypted": (zip_of({"pkg/reports/a.xbrl": VALID}, encrypt="yes"), "a.zip", "IN-ZIP"),
    "zip bomb": (zip_of({"pkg/reports/a.xbrl": b"<" + b" " * (30 * 1024 * 1024)}), "a.zip", "IN-ZIP"),
    "zip with two reports": (zip_of({"p/reports/a.xbrl": VALID, "p/reports/b.xbrl": VALID}), "a.zip", "IN-ZIP"),
    "xbri with xbrl inside": (zip_of({"p/reports/a.xbrl": VALID}), "a.xbri", "IN-TYPE"),
    "remote schemaRef": (VALID.replace(ENTRY, b"https://evil.example/x.xsd"), "a.xbrl", "FR-ENTRYPOINT"),
    "local schemaRef": (VALID.replace(ENTRY, b"file:///etc/passwd"), "a.xbrl", "FR-ENTRYPOINT"),
    "relative schemaRef": (VALID.replace(ENTRY, b"../../../../etc/passwd"), "a.xbrl", "FR-ENTRYPOINT"),
    "second schemaRef": (VALID.replace(b"<xbrli:context", b'<link:schemaRef xlink:type="simple" xlink:href="'
                                       + ENTRY + b'"/><xbrli:context', 1), "a.xbrl", "FR-ENTRYPOINT"),
    "local linkbaseRef": (VALID.replace(b"<xbrli:context", b'<link:linkbaseRef xlink:type="simple" '
                                        b'xlink:arcrole="http://www.w3.org/1999/xlink/properties/linkbase" '
                                        b'xlink:href="/etc/passwd"/><xbrli:context', 1), "a.xbrl", "FR-ENTRYPOINT"),
    "schemaLocation hint": (VALID.replace(b"<xbrli:xbrl ", b'<xbrli:xbrl xmlns:xsi="http://www.w3.org/2001/'
                                          b'XMLSchema-instance" xsi:schemaLocation="urn:x file:///etc/passwd" ', 1),
                            "a.xbrl", "FR-ENTRYPOINT"),
    "wrong year": (sample("2025/broken/FR-ENTRYPOINT-2024.xbrl"), "a.xbrl", "FR-ENTRYPOINT"),
}
