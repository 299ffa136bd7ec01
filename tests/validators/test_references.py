"""The reference policy: whatever a filing names outside itself, the registered package and XBRL's
standard schemas is refused (FR-ENTRYPOINT for the DTS, FR-REFERENCE for the rest) before Arelle
runs, with one finding per reference, and the named file is never opened."""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from collections.abc import Callable
from html import escape
from pathlib import Path

import pytest

from validators import Engine, Registry
from validators.intake import accept
from validators.references import check_references
from validators.urls import inside, target

from ..samples import VALID, VALID_INLINE, sample
from .fifo import make_fifo

PACKAGE = "https://xbrl.onderwijs.example/2025/"
LINKBASE = "http://www.w3.org/1999/xlink/properties/linkbase"
FOOTNOTE = ('<link:footnoteLink xlink:type="extended" xlink:role="http://www.xbrl.org/2003/role/link"{base}>'
            '<link:loc xlink:type="locator" xlink:href="{href}" xlink:label="fact"/>'
            '<link:footnote xlink:type="resource" xlink:label="note" xml:lang="nl" '
            'xlink:role="http://www.xbrl.org/2003/role/footnote">Toelichting</link:footnote>'
            '<link:footnoteArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/fact-footnote" '
            'xlink:from="fact" xlink:to="note"/></link:footnoteLink></xbrli:xbrl>')
CLIMB = "../" * 24


def _footnote(href: str, base: str = "", filing: bytes = VALID) -> bytes:
    """`filing` with a footnote link whose locator points at `href` (and fact f1 to point at)."""
    base_attr = f' xml:base="{escape(base)}"' if base else ""
    filing = filing.replace(b'<edu:WNTPosition contextRef="D2025-W0001"',
                            b'<edu:WNTPosition id="f1" contextRef="D2025-W0001"', 1)
    return filing.replace(b"</xbrli:xbrl>", FOOTNOTE.format(href=escape(href), base=base_attr).encode())


def _after_schema_ref(element: str, filing: bytes = VALID) -> bytes:
    return filing.replace(b"<xbrli:context", element.encode() + b"<xbrli:context", 1)


def _linkbase_ref(href: str) -> bytes:
    return _after_schema_ref(f'<link:linkbaseRef xlink:type="simple" xlink:arcrole="{LINKBASE}" '
                             f'xlink:href="{escape(href)}"/>')


def _hint(location: str) -> bytes:
    return VALID.replace(b"<xbrli:xbrl ", b'<xbrli:xbrl xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                         b'xsi:schemaLocation="urn:x ' + escape(location).encode() + b'" ', 1)


def _root_base(base: str, filing: bytes) -> bytes:
    return filing.replace(b"<xbrli:xbrl ", b'<xbrli:xbrl xml:base="' + escape(base).encode() + b'" ', 1)


def _relative(fifo: str) -> str:
    """`fifo` as a path relative to the worker's folder for the filing (a folder in the temp directory)."""
    return os.path.relpath(fifo, os.path.join(tempfile.gettempdir(), "edu-validate-x"))


def _zip(report: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("jv/reports/jaarverslag.xbrl", report)
    return buffer.getvalue()


Build = Callable[[str], tuple[bytes, str]]
XBRL = "a.xbrl"
CASES: dict[str, tuple[Build, list[str]]] = {
    "footnote locator: absolute path": (lambda f: (_footnote(f"{f}#x"), XBRL), ["FR-REFERENCE"]),
    "footnote locator: file URL": (lambda f: (_footnote(f"file://{f}#x"), XBRL), ["FR-REFERENCE"]),
    "footnote locator: percent-encoded file URL": (lambda f: (_footnote(f"file://%2F{f[1:]}#x"), XBRL),
                                                   ["FR-REFERENCE"]),
    "footnote locator: relative path out of the worker's folder": (lambda f: (_footnote(_relative(f) + "#x"), XBRL),
                                                                   ["FR-REFERENCE"]),
    "footnote locator: /dev/zero": (lambda f: (_footnote("/dev/zero#x"), XBRL), ["FR-REFERENCE"]),
    "footnote locator under an xml:base naming the folder": (
        lambda f: (_footnote("secret_key#x", base=f"file://{os.path.dirname(f)}/"), XBRL),
        ["FR-REFERENCE", "FR-REFERENCE"]),
    "footnote locator in a report package": (lambda f: (_zip(_footnote(f"{f}#x")), "a.zip"), ["FR-REFERENCE"]),
    "linkbaseRef climbing out of the package": (lambda f: (_linkbase_ref(PACKAGE + CLIMB + f[1:]), XBRL),
                                                ["FR-ENTRYPOINT"]),
    "linkbaseRef climbing with percent-encoded dots": (
        lambda f: (_linkbase_ref(PACKAGE + "%2e%2e/%2E%2E/" * 12 + f[1:]), XBRL), ["FR-ENTRYPOINT"]),
    "linkbaseRef climbing with backslashes": (
        lambda f: (_linkbase_ref(PACKAGE + "..\\" * 24 + f[1:].replace("/", "\\")), XBRL), ["FR-ENTRYPOINT"]),
    "linkbaseRef relative to an inherited xml:base": (
        lambda f: (_root_base("http://www.xbrl.org/2003/", _linkbase_ref(CLIMB + f[1:])), XBRL), ["FR-ENTRYPOINT"]),
    "roleRef climbing out of the package": (
        lambda f: (_after_schema_ref(f'<link:roleRef roleURI="urn:x" xlink:type="simple" '
                                     f'xlink:href="{PACKAGE}{CLIMB}{f[1:]}#x"/>'), XBRL), ["FR-ENTRYPOINT"]),
    "arcroleRef to a local file": (
        lambda f: (_after_schema_ref(f'<link:arcroleRef arcroleURI="urn:x" xlink:type="simple" '
                                     f'xlink:href="file://{f}#x"/>'), XBRL), ["FR-ENTRYPOINT"]),
    "schema location hint climbing out of the standard schemas": (lambda f: (_hint("http://www.xbrl.org/" + CLIMB
                                                                                    + f[1:]), XBRL), ["FR-ENTRYPOINT"]),
    "schema location hint with upper-case scheme and host": (
        lambda f: (_hint("HTTP://WWW.XBRL.ORG/" + CLIMB + f[1:]), XBRL), ["FR-ENTRYPOINT"]),
    "schema location hint on a fact": (
        lambda f: (VALID.replace(b'<edu:WNTPosition contextRef="D2025-W0001"',
                                 b'<edu:WNTPosition xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                                 b'xsi:schemaLocation="urn:x ' + f.encode() + b'" contextRef="D2025-W0001"', 1),
                   XBRL), ["FR-ENTRYPOINT"]),
    "relative schema location hint under an xml:base": (  # Arelle also reads it against the file itself
        lambda f: (_root_base("http://www.xbrl.org/" + "a/" * 24, _hint(_relative(f)).replace(
            b'<xbrli:context id="D2025">', b'<x:note xmlns:x="urn:x"/><xbrli:context id="D2025">', 1)), XBRL),
        ["FR-ENTRYPOINT"]),
    "xml:base climbing out of the standard schemas": (
        lambda f: (_root_base("http://www.xbrl.org/" + CLIMB + os.path.dirname(f)[1:] + "/", VALID), XBRL),
        ["FR-REFERENCE"]),
    "xlink:href on a context": (
        lambda f: (VALID.replace(b'<xbrli:context id="D2025">',
                                 b'<xbrli:context id="D2025" xlink:href="' + f.encode() + b'">', 1), XBRL),
        ["FR-REFERENCE"]),
    "inline: linkbaseRef in ix:references climbing out of the package": (
        lambda f: (VALID_INLINE.replace(b"</ix:references>", f'<link:linkbaseRef xlink:type="simple" '
                                        f'xlink:arcrole="{LINKBASE}" xlink:href="{PACKAGE}{CLIMB}{f[1:]}"/>'
                                        "</ix:references>".encode(), 1), "a.xhtml"), ["FR-ENTRYPOINT"]),
    "inline: SVG image with a file URL": (
        lambda f: (VALID_INLINE.replace(b"<body>", b'<body><svg xmlns="http://www.w3.org/2000/svg" width="1" '
                                        b'height="1"><image xlink:href="file://' + f.encode() + b'" width="1" '
                                        b'height="1"/></svg>', 1), "a.xhtml"), ["FR-REFERENCE"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_reference_outside_is_refused_and_never_opened(name: str, engine: Engine, tmp_path: Path) -> None:
    fifo, watch = make_fifo(tmp_path, "secret_key")
    build, codes = CASES[name]
    data, filename = build(str(fifo))
    restarts = engine.pool.restarts
    try:
        hostile, valid = engine.validate_many([(data, filename, "41234", 2025),
                                               (VALID, "po-small.xbrl", "41234", 2025)])
    finally:
        opened = watch.stop()
    assert opened == 0, "the named file was opened"
    assert [f.code for f in hostile.findings] == codes, [f.to_dict() for f in hostile.findings]
    assert all(f.line and f.severity == "error" and f.message["nl"] and f.message["en"] for f in hostile.findings)
    assert hostile.status == "invalid" and "arelle_ms" not in hostile.timings  # Arelle never saw it
    assert valid.status == "valid", [f.to_dict() for f in valid.findings]
    assert engine.pool.restarts == restarts


def test_the_watch_sees_a_reader(tmp_path: Path) -> None:
    """The method above can fail: a reader of the FIFO is seen."""
    fifo, watch = make_fifo(tmp_path, "secret_key")
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        for _ in range(2000):
            if watch.opened:
                break
            time.sleep(0.001)
    finally:
        os.close(fd)
        opened = watch.stop()
    assert opened > 0


def test_messages_never_tell_whether_a_file_exists(registry: Registry) -> None:
    def messages(path: str) -> list[dict[str, str]]:
        document = accept(_footnote(f"{path}#x"), "a.xbrl")
        return [{k: v.replace(path, "P") for k, v in f.message.items()}
                for f in check_references(document, 2025, registry)]

    assert messages("/etc/hostname") == messages("/nonexistent/hostname") != []


def test_references_inside_stay_allowed(engine: Engine) -> None:
    standard = "http://www.xbrl.org/2003/instance http://www.xbrl.org/2003/../2003/xbrl-instance-2003-12-31.xsd"
    for data in (_footnote("#f1"), _hint(standard).replace(b"urn:x ", b"", 1),
                 _root_base("http://www.xbrl.org/2003/", VALID)):
        report = engine.validate(data, "a.xbrl", "41234", 2025)
        assert report.status == "valid", [f.to_dict() for f in report.findings]


@pytest.mark.parametrize("name", ["po-small.xbrl", "vo-large.xbrl", "mbo.xbrl", "po-small.xhtml"])
@pytest.mark.parametrize("year", [2024, 2025])
def test_no_valid_sample_is_refused(registry: Registry, year: int, name: str) -> None:
    assert check_references(accept(sample(f"{year}/valid/{name}"), name), year, registry) == []


@pytest.mark.parametrize(("reference", "base", "inside_package"), [
    (PACKAGE + "x.xml", "", True),
    (PACKAGE + "a/../x.xml", "", True),
    (PACKAGE + "../2025/x.xml", "", False),  # climbs above the prefix, even if it comes back
    (PACKAGE + "%2e%2e/x", "", False),
    (PACKAGE + "%252e%252e/x", "", False),  # encoded twice
    (PACKAGE + "a\\..\\..\\x", "", False),
    (PACKAGE.upper().replace("HTTPS", "https"), "", True),  # the host's case does not matter
    (PACKAGE.replace("https", "HTTPS"), "", False),  # Arelle reads an upper-case scheme as a path
    ("https://xbrl.onderwijs.example@evil.example/2025/x", "", False),
    ("https://xbrl.onderwijs.example/2025x/x", "", False),
    ("x.xml", "", False),  # relative to the filing: a file on this machine
    ("x.xml", "http://www.xbrl.org/2003/", False),
    ("/etc/passwd", "http://www.xbrl.org/2003/", False),  # an absolute path ignores the base
    ("file:///etc/passwd", "", False),
    ("file:\\etc\\passwd", "", False),
])
def test_where_a_reference_leads(reference: str, base: str, inside_package: bool) -> None:
    url = target(reference, base)
    assert (url is not None and inside(url, (PACKAGE,))) == inside_package


def test_a_relative_reference_joins_an_http_base_as_arelle_does() -> None:
    assert target("x.xsd", "http://www.xbrl.org/2003/") == "http://www.xbrl.org/2003/x.xsd"
    assert target("../../x.xsd", "http://www.xbrl.org/2003/a.xsd") == "http://www.xbrl.org/2003/../../x.xsd"
    assert not inside("http://www.xbrl.org/2003/../../x.xsd", ("http://www.xbrl.org/",))
    assert target("x.xsd", "https://www.xbrl.org/2003/") is None  # Arelle joins only an http:// base
