"""Arelle reads the document intake parsed, written out again as UTF-8 with one declaration,
never the upload's bytes; findings still name the upload's lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from arelle import XmlUtil
from lxml import etree

from validators import Engine
from validators.intake import accept
from validators.reserialise import DECLARATION, ArelleInput

from ..samples import BROKEN, VALID, VALID_INLINE
from .fifo import make_fifo

DECLARED = b"<?xml version='1.0' encoding='UTF-8'?>"
# The first line Arelle's encoding pattern reads as encoding="unicode_escape", and libxml2 as a comment.
ESCAPED = b'<?xml version="1.0"?><!-- encoding="unicode_escape" ?> -->'
LINKBASE = "http://www.w3.org/1999/xlink/properties/linkbase"


def _hidden(markup: str) -> bytes:
    """`markup` inside a comment, written so that only a unicode_escape decoder sees it as markup."""
    escaped = markup.replace("<", "\\x3c").replace(">", "\\x3e")
    return f"<!-- \\x2d\\x2d\\x3e{escaped}\\x3c!\\x2d\\x2d -->".encode()


def _escaped_filing(hidden_before_root: str = "", hidden_in_root: str = "") -> bytes:
    filing = VALID.replace(DECLARED, ESCAPED + (_hidden(hidden_before_root) if hidden_before_root else b""), 1)
    return filing.replace(b"<xbrli:context", _hidden(hidden_in_root) + b"<xbrli:context", 1)


def test_arelle_would_decode_the_upload_its_own_way_but_reads_utf8() -> None:
    upload = _escaped_filing(hidden_in_root="<x/>")
    assert XmlUtil.encoding(upload) == "unicode_escape"  # the differential this guards against
    data = ArelleInput(accept(upload, "a.xbrl")).data
    assert data.startswith(DECLARATION) and data.count(b"<?xml ") == 1
    assert XmlUtil.encoding(data) == "UTF-8"
    assert b"\\x3cx/\\x3e" in data  # still the characters intake read


def test_a_hidden_linkbase_ref_is_never_followed(engine: Engine, tmp_path: Path) -> None:
    fifo, watch = make_fifo(tmp_path, "secret_key")
    hostile = _escaped_filing(hidden_in_root=f'<link:linkbaseRef xlink:type="simple" xlink:arcrole="{LINKBASE}" '
                                             f'xlink:href="{fifo}"/>')
    try:
        report, valid = engine.validate_many([(hostile, "a.xbrl", "41234", 2025),
                                              (VALID, "po-small.xbrl", "41234", 2025)])
    finally:
        opened = watch.stop()
    assert opened == 0, "the hidden linkbaseRef was followed"
    assert report.status == "valid", [f.to_dict() for f in report.findings]  # only a comment, as intake read it
    assert valid.status == "valid"


def test_a_hidden_doctype_and_fact_never_reach_arelle(engine: Engine) -> None:
    """The worker reads what intake read: no DOCTYPE, no entity, no extra fact."""
    doctype = '<!DOCTYPE xbrli:xbrl [<!ENTITY amount "999">]>'
    fact = '<edu:WNTUndueAmount contextRef="D2025-W0001" unitRef="EUR" decimals="0">&amount;</edu:WNTUndueAmount>'
    hostile = _escaped_filing(hidden_before_root=doctype, hidden_in_root=fact)
    report = engine.validate(hostile, "a.xbrl", "41234", 2025)
    clean = engine.validate(VALID, "a.xbrl", "41234", 2025)
    assert report.status == "valid", [f.to_dict() for f in report.findings]
    assert report.facts == clean.facts


def _variants() -> dict[str, bytes]:
    body = VALID.split(b"\n", 1)[1]
    return {
        "as uploaded": VALID,
        "no declaration": body,
        "declaration and root on one line": DECLARED + body,
        "root start tag over several lines": VALID.replace(b" xmlns:", b"\n    xmlns:"),
        "fact tags over several lines, a newline as a character reference": VALID.replace(
            b' contextRef="D2025-W0001"', b'\n      contextRef="D2025-W0001"').replace(
            b">Voorzitter college", b">Voorzitter&#10;college"),
        "end tags over several lines": VALID.replace(b"</xbrli:context>", b"</xbrli:context\n  >"),
        "comments and a processing instruction before the root": VALID.replace(
            DECLARED, DECLARED + b"\n<!-- a\ncomment -->\n\n<?keep this?>\n", 1),
        "CRLF line ends": VALID.replace(b"\n", b"\r\n"),
        "ISO-8859-1": VALID.replace(b"UTF-8", b"ISO-8859-1", 1),
        "UTF-16": VALID.replace(b"UTF-8", b"UTF-16", 1).decode().encode("utf-16"),
        "inline": VALID_INLINE.replace(b' xmlns:', b'\n  xmlns:'),
    }


@pytest.mark.parametrize("name", sorted(_variants()))
def test_every_element_maps_back_to_its_line_in_the_upload(name: str) -> None:
    upload = _variants()[name]
    document = accept(upload, "a.xhtml" if name == "inline" else "a.xbrl")
    written = ArelleInput(document)
    assert written.data.split(b"\n", 1)[0] + b"\n" == DECLARATION
    read_back = etree.fromstring(written.data)
    assert etree.tostring(read_back) == etree.tostring(document.root)  # the same document
    pairs = [(o.sourceline, w.sourceline) for o, w in zip(document.root.iter(), read_back.iter())
             if isinstance(o.tag, str)]
    assert [written.original_line(w) for _, w in pairs] == [o for o, _ in pairs]


def test_findings_and_facts_name_the_upload_lines(engine: Engine) -> None:
    # Every fact's start tag now takes two lines, the second ending it (the line lxml and Arelle give).
    spread = BROKEN.replace(b" contextRef=", b"\n      contextRef=")
    report = engine.validate(spread, "a.xbrl", "41234", 2025)
    lines = spread.decode().split("\n")

    def line_of(concept: str | None, context: str | None) -> int:
        return next(i + 1 for i, text in enumerate(lines) if f'contextRef="{context}"' in text
                    and lines[i - 1].strip() == f"<{concept}")

    assert [f.code for f in report.findings] == ["EDU-BAL-01"]
    assert [f.line for f in report.findings] == [line_of(f.concept, f.context) for f in report.findings]
    assert report.facts and [f["line"] for f in report.facts] == [line_of(f["concept"], f["context"])
                                                                   for f in report.facts]
