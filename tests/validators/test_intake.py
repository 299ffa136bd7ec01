"""Intake says plainly what is wrong: a well-formed file with one huge text is too large (IN-SIZE),
not broken XML, and inline XBRL 1.0 is named as such (IN-TYPE), not as a page without tags."""

from __future__ import annotations

import pytest

from validators import Engine

from ..samples import VALID, VALID_INLINE

HUGE = "x" * (10 * 1000 * 1000 + 1)  # libxml2's limit for one text, without XML_PARSE_HUGE
POSITION = b'<edu:WNTPosition contextRef="D2025-W0001" xml:lang="nl">Voorzitter college van bestuur'
JARGON = ("XML_PARSE_HUGE", "Resource limit", "Buffer size", "libxml")

LIMITS = {
    "one text of more than 10 MB": (VALID.replace(POSITION, POSITION + HUGE.encode()), "IN-SIZE", "tekst", "text"),
    "one CDATA section of more than 10 MB": (VALID.replace(POSITION, POSITION + f"<![CDATA[{HUGE}]]>".encode()),
                                             "IN-SIZE", "CDATA-blok", "CDATA section"),
    "one processing instruction of more than 10 MB": (VALID.replace(POSITION, POSITION + f"<?x {HUGE}?>".encode()),
                                                      "IN-SIZE", "verwerkingsinstructie", "processing instruction"),
    "one comment of more than 10 MB": (VALID.replace(b"<xbrli:context", f"<!--{HUGE}--><xbrli:context".encode(), 1),
                                       "IN-SIZE", "commentaar", "comment"),
    "elements nested more than 256 deep": (VALID.replace(b"</xbrli:xbrl>", b"<a>" * 300 + b"</a>" * 300
                                                         + b"</xbrli:xbrl>"), "IN-XML", "256", "256"),
}


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_a_parser_limit_is_said_in_plain_words(name: str, engine: Engine) -> None:
    data, code, nl, en = LIMITS[name]
    assert len(data) < 25 * 1024 * 1024  # under the upload limit: only the one part is too large
    report = engine.validate(data, "a.xbrl", "41234", 2025)
    assert [f.code for f in report.findings] == [code]
    (item,) = report.findings
    assert nl in item.message["nl"] and en in item.message["en"] and item.line
    assert not any(word in text for word in JARGON for text in item.message.values()), item.message
    assert report.status == "rejected"


def test_inline_xbrl_1_0_is_named_and_1_1_asked_for(engine: Engine) -> None:
    old = VALID_INLINE.replace(b"http://www.xbrl.org/2013/inlineXBRL", b"http://www.xbrl.org/2008/inlineXBRL")
    report = engine.validate(old, "a.xhtml", "41234", 2025)
    assert [f.code for f in report.findings] == ["IN-TYPE"]
    message = report.findings[0].message
    assert "inline XBRL 1.0" in message["nl"] and "inline XBRL 1.1" in message["nl"]
    assert "inline XBRL 1.0" in message["en"] and "inline XBRL 1.1" in message["en"]
    assert "http://www.xbrl.org/2013/inlineXBRL" in message["en"]


def test_a_page_without_inline_tags_is_still_told_so(engine: Engine) -> None:
    report = engine.validate(b"<html xmlns='http://www.w3.org/1999/xhtml'><body/></html>", "a.xhtml", "41234", 2025)
    assert [f.code for f in report.findings] == ["IN-TYPE"]
    assert "no inline XBRL tags" in report.findings[0].message["en"]
