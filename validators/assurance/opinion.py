"""The opinion a filing itself reports (edu:AuditOpinionType), for checking it against a signed statement."""

from __future__ import annotations

from lxml import etree

from ..intake import IX, XBRLI, Rejected, accept

_LOCAL_NAME = "AuditOpinionType"


def audit_opinion_of(filing: bytes) -> str | None:
    """The value of the filing's edu:AuditOpinionType fact; None when absent, ambiguous or unreadable.

    The filing is read by intake, exactly as an upload is: lxml without entity
    resolution, network or DTD loading, any DOCTYPE refused, within the upload
    limits, and a report package (.zip) unpacked in memory. When facts in
    several contexts differ, the one of the latest period counts; facts of that
    period that disagree give None.
    """
    if not isinstance(filing, bytes) or not filing:
        return None
    # intake chooses by extension; the bytes tell which one applies.
    name = "filing.zip" if filing.startswith(b"PK\x03\x04") else "filing.xml"
    try:
        document = accept(filing, name)
    except Rejected:
        return None
    if document.kind == "xbrl":
        facts = [e for e in document.root.iter() if isinstance(e.tag, str) and _is_opinion(etree.QName(e))]
        values = [(e.get("contextRef"), (e.text or "").strip()) for e in facts]
    else:
        facts = [e for e in document.root.iter(f"{{{IX}}}nonNumeric") if _names_opinion(e)]
        values = [(e.get("contextRef"), _inline_text(e)) for e in facts]
    if not values:
        return None
    ends = _period_ends(document.root)
    latest = max(ends.get(context or "", "") for context, _ in values)
    chosen = {value for context, value in values if ends.get(context or "", "") == latest}
    return chosen.pop() if len(chosen) == 1 else None


def _is_opinion(name: etree.QName) -> bool:
    return name.localname == _LOCAL_NAME and (name.namespace or "").endswith("/edu")


def _names_opinion(element: etree._Element) -> bool:
    """An inline fact's name="prefix:AuditOpinionType", its prefix resolved through the element's namespaces."""
    prefix, _, local = (element.get("name") or "").strip().rpartition(":")
    if local != _LOCAL_NAME or not prefix:
        return False
    return (element.nsmap.get(prefix) or "").endswith("/edu")


def _inline_text(element: etree._Element) -> str:
    """An ix:nonNumeric's value: its text, without what ix:exclude leaves out."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if not (isinstance(child.tag, str) and child.tag == f"{{{IX}}}exclude"):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts).strip()


def _period_ends(root: etree._Element) -> dict[str, str]:
    """Each context's id and the (ISO) end of its period, so the latest reporting period can be chosen."""
    ends: dict[str, str] = {}
    for context in root.iter(f"{{{XBRLI}}}context"):
        end = context.find(f"{{{XBRLI}}}period/{{{XBRLI}}}endDate")
        if end is None:
            end = context.find(f"{{{XBRLI}}}period/{{{XBRLI}}}instant")
        ends[context.get("id") or ""] = (end.text or "").strip() if end is not None else ""
    return ends
