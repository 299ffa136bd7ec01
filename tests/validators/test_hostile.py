"""Every hostile or broken upload gets one clear finding with its IN-* or FR-* code,
Arelle never sees it, and the worker pool is unharmed."""

from __future__ import annotations

import io
import zipfile

import pytest

from validators import Engine

from ..samples import VALID, VALID_INLINE, sample

ENTRY = b"https://xbrl.onderwijs.example/2025/entrypoints/edu-rpt-jaarverantwoording-2025.xsd"

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance">&lol3;</xbrli:xbrl>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance">&xxe;</xbrli:xbrl>"""
XXE_UTF16 = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")


def _zip(entries: dict[str, bytes], encrypt: str | None = None) -> bytes:
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


def _duplicate_zip() -> bytes:
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
    "zip named xbrl": (_zip({"r.xbrl": VALID}), "a.xbrl", "IN-TYPE"),
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
    "zip slip": (_zip({"../../evil.xbrl": VALID}), "a.zip", "IN-ZIP"),
    "zip absolute path": (_zip({"/etc/cron.d/evil.xbrl": VALID}), "a.zip", "IN-ZIP"),
    "zip backslash": (_zip({"pkg\\reports\\a.xbrl": VALID}), "a.zip", "IN-ZIP"),
    "zip duplicate": (_duplicate_zip(), "a.zip", "IN-ZIP"),
    "zip encrypted": (_zip({"pkg/reports/a.xbrl": VALID}, encrypt="yes"), "a.zip", "IN-ZIP"),
    "zip bomb": (_zip({"pkg/reports/a.xbrl": b"<" + b" " * (30 * 1024 * 1024)}), "a.zip", "IN-ZIP"),
    "zip with two reports": (_zip({"p/reports/a.xbrl": VALID, "p/reports/b.xbrl": VALID}), "a.zip", "IN-ZIP"),
    "xbri with xbrl inside": (_zip({"p/reports/a.xbrl": VALID}), "a.xbri", "IN-TYPE"),
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


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_upload_gets_one_clear_finding(name: str, engine: Engine) -> None:
    data, filename, code = HOSTILE[name]
    report = engine.validate(data, filename, "41234", 2025)
    assert [f.code for f in report.findings] == [code]
    (item,) = report.findings
    assert item.severity == "error" and item.message["nl"] and item.message["en"]
    assert report.status == ("rejected" if code.startswith("IN-") else "invalid")
    assert report.signals is None
    assert "arelle_ms" not in report.timings  # Arelle never saw it


def test_the_pool_survives_every_hostile_upload(engine: Engine) -> None:
    before = engine.pool.restarts
    for data, filename, _ in HOSTILE.values():
        engine.validate(data, filename, "41234", 2025)
    assert engine.validate(VALID, "po-small.xbrl", "41234", 2025).status == "valid"
    assert engine.pool.restarts == before


def test_a_valid_report_package_is_unpacked_and_validated(engine: Engine) -> None:
    package = _zip({"jv/META-INF/reportPackage.json": b'{"documentInfo": {"documentType": '
                                                      b'"https://xbrl.org/report-package/2023/xbri"}}',
                    "jv/reports/jaarverslag.xhtml": VALID_INLINE})
    report = engine.validate(package, "jaarverslag.xbri", "41234", 2025)
    assert report.status == "valid", [f.to_dict() for f in report.findings]
