"""Limits that agree: what intake lets through fits in a worker; what would not fit is refused
at intake, cheaply and before Arelle, with IN-SIZE and a plain message."""

from __future__ import annotations

import time

from validators import Engine, Limits
from validators.intake import Rejected, accept, measure

from ..samples import VALID, VALID_INLINE

FACT = b'<edu:BoardName contextRef="D2025" xml:lang="nl">Stichting</edu:BoardName>\n'
CONTEXT = (b'<xbrli:context id="C%d"><xbrli:entity><xbrli:identifier scheme="https://xbrl.onderwijs.example/id/'
           b'bevoegd-gezag">41234</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:instant>2025-12-31'
           b'</xbrli:instant></xbrli:period></xbrli:context>\n')


def _with(extra: bytes) -> bytes:
    return VALID.replace(b"</xbrli:xbrl>", extra + b"</xbrli:xbrl>")


def _refused(data: bytes, engine: Engine) -> str:
    started = time.monotonic()
    report = engine.validate(data, "groot.xbrl", "41234", 2025)
    assert time.monotonic() - started < 15  # intake, not minutes of Arelle
    assert len(data) < Limits().max_upload_bytes
    assert report.status == "rejected" and [f.code for f in report.findings] == ["IN-SIZE"]
    assert "arelle_ms" not in report.timings
    return report.findings[0].message["en"]


def test_a_filing_with_too_many_facts_is_refused_before_arelle(engine: Engine) -> None:
    # A fact weighs 1 + 1/8 (its own element): this many is just over the default limit.
    facts = Limits().max_weight * 8 // 9
    message = _refused(_with(FACT * facts), engine)
    assert f"{facts + 154:,} facts" in message and "too large to be checked" in message


def test_a_filing_with_too_many_contexts_is_refused_before_arelle(engine: Engine) -> None:
    contexts = Limits().max_weight // 2  # a context weighs 2, and its six elements 6/8 more
    message = _refused(_with(b"".join(CONTEXT % i for i in range(contexts))), engine)
    assert f"{contexts + 12:,} contexts" in message


def test_the_limit_is_exact() -> None:
    base, limit = measure(accept(VALID, "a.xbrl")), Limits().max_weight

    def weight(extra: int) -> int:  # each added fact: one fact and one element
        return base.facts + extra + 2 * base.contexts + (base.elements + extra) // 8

    most = max(n for n in range(limit) if weight(n) <= limit)
    assert measure(accept(_with(FACT * most), "a.xbrl")).weight <= limit
    try:
        accept(_with(FACT * (most + 1)), "a.xbrl")
    except Rejected as rejected:
        assert rejected.finding.code == "IN-SIZE"
    else:
        raise AssertionError("one fact over the limit was accepted")


def test_facts_contexts_and_elements_are_counted_as_arelle_sees_them() -> None:
    # po-small: 154 facts (the WNT officials' typed members inside contexts are not facts), 12 contexts.
    xml, inline = measure(accept(VALID, "a.xbrl")), measure(accept(VALID_INLINE, "a.xhtml"))
    assert (xml.facts, xml.contexts) == (154, 12) == (inline.facts, inline.contexts)
    assert inline.elements > 4 * xml.elements  # the markup around every fact
    assert inline.weight == 154 + 2 * 12 + inline.elements // 8
    accept(VALID_INLINE, "a.xhtml", Limits(max_weight=inline.weight))
    try:
        accept(VALID_INLINE, "a.xhtml", Limits(max_weight=inline.weight - 1))
    except Rejected as rejected:
        assert rejected.finding.code == "IN-SIZE" and "XML-elementen" in rejected.finding.message["nl"]
    else:
        raise AssertionError("accepted over the limit")
