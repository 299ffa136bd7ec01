"""A draft as an xBRL-XML instance, and an instance's facts as a draft.

`write_instance` writes what an upload would hold, in the layout of the taxonomy's
sample filings: the schemaRef to the year's entry point, one context per period and
dimensions about the board (the portal's entity scheme), units EUR and pure, and
every fact in form order. The same facts in any order give the same bytes, so the
same draft is the same version (by sha256).

`read_instance` reads an uploaded or submitted instance back into a draft's facts,
with a parser that opens nothing the file names.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from lxml import etree

from ..rules.registry import ENTITY_SCHEME
from .lexical import decimals
from .model import FormSet
from .values import DraftFact, check_fact

XBRLI = "http://www.xbrl.org/2003/instance"
LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
XBRLDI = "http://xbrl.org/2006/xbrldi"
ISO4217 = "http://www.xbrl.org/2003/iso4217"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
UNITS = {"iso4217:EUR": ("EUR", ISO4217, "EUR"), "xbrli:pure": ("pure", XBRLI, "pure")}
_BOARD = re.compile(r"[A-Za-z0-9._-]{1,40}")


def _context_id(period: str, dims: dict[str, str], forms: FormSet) -> str:
    """A readable id as in the samples: D2025 (a calendar year), I2024 (31 December), I2026B (a member's
    initial), D2025-TF1 (an official); other periods with their dates."""
    start, _, end = period.rpartition("/")
    if start:
        whole_year = start[:4] == end[:4] and start[5:] == "01-01" and end[5:] == "12-31"
        text = "D" + (end[:4] if whole_year else f"{start}_{end}".replace("-", ""))
    else:
        text = "I" + (end[:4] if end[5:] == "12-31" else end.replace("-", ""))
    for axis, member in sorted(dims.items()):
        if axis == forms.official_axis:
            text += "-" + member
        else:
            text += member.rpartition(":")[2][:1]
    return text


def _context_order(period: str, dims: dict[str, str], forms: FormSet) -> tuple[Any, ...]:
    """Actual figures first, then other members, then each official; a year's durations before its instants."""
    kind = 2 if forms.official_axis in dims else (1 if dims else 0)
    start, _, end = period.rpartition("/")
    return (kind, json_key(dims), end, start == "", start)


def json_key(dims: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Dimensions as a sortable key."""
    return tuple(sorted(dims.items()))


def _qname_element(parent: etree._Element, forms: FormSet, qname: str) -> etree._Element:
    prefix, _, local = qname.rpartition(":")
    namespace = forms.namespace if prefix in ("", forms.prefix) else parent.nsmap.get(prefix, forms.namespace)
    return etree.SubElement(parent, f"{{{namespace}}}{local}")


def write_instance(forms: FormSet, board_number: str, facts: list[DraftFact]) -> bytes:
    """A complete xBRL-XML instance of `facts` for the board: deterministic, in form order. ValueError for a
    fact the forms do not know, two facts with one key, or a board number that is no identifier."""
    if not _BOARD.fullmatch(board_number or ""):
        raise ValueError(f"not a board number: {board_number!r}")
    order = {}
    for s, statement in enumerate(forms.statements):
        for r, row in enumerate(statement.rows):
            order.setdefault(row.concept, (s, r))
    keys = set()
    for fact in facts:
        if fact.concept not in order:
            raise ValueError(f"{fact.concept} is not in the forms of {forms.year}")
        if fact.key in keys:
            raise ValueError(f"two facts for {fact.key}")
        keys.add(fact.key)
    nsmap = {"xbrli": XBRLI, "link": LINK, "xlink": XLINK, "xbrldi": XBRLDI, "iso4217": ISO4217,
             forms.prefix: forms.namespace}
    root = etree.Element(f"{{{XBRLI}}}xbrl", nsmap=nsmap)
    etree.SubElement(root, f"{{{LINK}}}schemaRef", {f"{{{XLINK}}}type": "simple",
                                                     f"{{{XLINK}}}href": forms.entry_point})
    contexts: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
    used_ids: set[str] = set()
    for fact in sorted(facts, key=lambda f: _context_order(f.period, f.dimensions, forms)):
        ctx_key = (fact.period, json_key(fact.dimensions))
        if ctx_key in contexts:
            continue
        ctx_id = base = _context_id(fact.period, fact.dimensions, forms)
        n = 1
        while ctx_id in used_ids:  # two keys with one readable id (members with one initial): number them
            n += 1
            ctx_id = f"{base}_{n}"
        used_ids.add(ctx_id)
        contexts[ctx_key] = ctx_id
        _write_context(root, forms, ctx_id, board_number, fact.period, fact.dimensions)
    for unit in sorted({f.unit for f in facts if f.unit}):
        unit_id, namespace, local = UNITS[unit]
        node = etree.SubElement(root, f"{{{XBRLI}}}unit", {"id": unit_id})
        etree.SubElement(node, f"{{{XBRLI}}}measure").text = f"{_prefix(nsmap, namespace)}:{local}"
    context_rank = {key: i for i, key in enumerate(contexts)}
    for fact in sorted(facts, key=lambda f: (order[f.concept][0], f.dimensions.get(forms.official_axis or "", ""),
                                             order[f.concept][1], context_rank[(f.period, json_key(f.dimensions))])):
        node = etree.SubElement(root, f"{{{forms.namespace}}}{fact.concept}",
                                {"contextRef": contexts[(fact.period, json_key(fact.dimensions))]})
        if fact.unit:
            node.set("unitRef", UNITS[fact.unit][0])
            node.set("decimals", decimals(fact.value))
        else:
            node.set(XML_LANG, "nl")
        node.text = fact.value
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _prefix(nsmap: dict[str, str], namespace: str) -> str:
    return next(p for p, uri in nsmap.items() if uri == namespace)


def _write_context(root: etree._Element, forms: FormSet, ctx_id: str, board: str, period: str,
                   dims: dict[str, str]) -> None:
    node = etree.SubElement(root, f"{{{XBRLI}}}context", {"id": ctx_id})
    entity = etree.SubElement(node, f"{{{XBRLI}}}entity")
    etree.SubElement(entity, f"{{{XBRLI}}}identifier", {"scheme": ENTITY_SCHEME}).text = board
    when = etree.SubElement(node, f"{{{XBRLI}}}period")
    start, _, end = period.rpartition("/")
    if start:
        etree.SubElement(when, f"{{{XBRLI}}}startDate").text = start
        etree.SubElement(when, f"{{{XBRLI}}}endDate").text = end
    else:
        etree.SubElement(when, f"{{{XBRLI}}}instant").text = end
    if not dims:
        return
    scenario = etree.SubElement(node, f"{{{XBRLI}}}scenario")
    for axis, member in sorted(dims.items()):
        if axis == forms.official_axis:
            if not forms.typed_member:
                raise ValueError(f"the forms of {forms.year} name no member element for {axis}")
            typed = etree.SubElement(scenario, f"{{{XBRLDI}}}typedMember", {"dimension": axis})
            _qname_element(typed, forms, forms.typed_member).text = member
        else:
            etree.SubElement(scenario, f"{{{XBRLDI}}}explicitMember", {"dimension": axis}).text = member


def _parser() -> etree.XMLParser:
    """Opens nothing the file names: no network, no DTD, no entities (XInclude is never processed)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def read_instance(forms: FormSet, data: bytes) -> list[DraftFact]:
    """The facts of an xBRL-XML instance that the forms have a cell for, as a draft holds them (others, nil
    facts and later duplicates are skipped). ValueError for inline XBRL (not read here), a DOCTYPE, XML that
    is not well-formed, or a document that is no xBRL-XML instance."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML: {exc.msg}") from exc
    if root.getroottree().docinfo.doctype:
        raise ValueError("the document has a DOCTYPE, which is not allowed")
    qname = etree.QName(root)
    if qname.localname == "html":
        raise ValueError("inline XBRL is not read into a draft: upload it as a version instead")
    if (qname.namespace, qname.localname) != (XBRLI, "xbrl"):
        raise ValueError(f"<{qname.localname}> is not an xBRL-XML instance")
    contexts = {node.get("id"): _context(node, forms) for node in root.iterchildren(f"{{{XBRLI}}}context")}
    units = {node.get("id"): _unit(node) for node in root.iterchildren(f"{{{XBRLI}}}unit")}
    facts: list[DraftFact] = []
    seen: set[tuple[str, str, str]] = set()
    for node in root.iterchildren():
        if not isinstance(node.tag, str) or etree.QName(node).namespace != forms.namespace:
            continue
        context = contexts.get(node.get("contextRef"))
        if context is None or node.get(f"{{{XSI}}}nil") in ("true", "1"):
            continue
        raw: dict[str, Any] = {"concept": etree.QName(node).localname, "period": context[0],
                               "dimensions": context[1], "value": "".join(node.itertext())}
        if node.get("unitRef") is not None:
            raw["unit"] = units.get(node.get("unitRef")) or ""
        fact = check_fact(forms, raw)
        if isinstance(fact, DraftFact) and fact.key not in seen:
            seen.add(fact.key)
            facts.append(fact)
    return facts


def _unit(node: etree._Element) -> str | None:
    """"iso4217:EUR" or "xbrli:pure" for a unit of that one measure, else None."""
    measures = list(node.iterchildren(f"{{{XBRLI}}}measure"))
    if len(measures) != 1:
        return None
    prefix, _, local = (measures[0].text or "").strip().rpartition(":")
    namespace = measures[0].nsmap.get(prefix or None)
    return next((unit for unit, (_id, ns, name) in UNITS.items() if (ns, name) == (namespace, local)), None)


_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2}))?")


def _day(text: str | None, end: bool) -> str | None:
    """A period's date as a day: an end at T00:00:00 is the day before, at T24:00:00 that day."""
    match = _DAY.fullmatch((text or "").strip())
    if not match:
        return None
    day, time = match.groups()
    if time is None or (time == "00:00:00" and not end) or (time == "24:00:00" and end):
        return day
    if time == "00:00:00":
        return (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    return None


def _context(node: etree._Element, forms: FormSet) -> tuple[str, dict[str, str]] | None:
    """(period, dimensions) of a context as the drafts key them; None for one the forms cannot hold
    (a segment, a period that is not whole days, a member of another taxonomy)."""
    entity = node.find(f"{{{XBRLI}}}entity")
    if entity is None or entity.find(f"{{{XBRLI}}}segment") is not None:
        return None
    when = node.find(f"{{{XBRLI}}}period")
    if when is None:
        return None
    if when.find(f"{{{XBRLI}}}instant") is not None:
        period = _day(when.findtext(f"{{{XBRLI}}}instant"), end=True)
    else:
        start = _day(when.findtext(f"{{{XBRLI}}}startDate"), end=False)
        end = _day(when.findtext(f"{{{XBRLI}}}endDate"), end=True)
        period = f"{start}/{end}" if start and end else None
    if period is None:
        return None
    dims: dict[str, str] = {}
    scenario = node.find(f"{{{XBRLI}}}scenario")
    for child in scenario if scenario is not None else ():
        if not isinstance(child.tag, str):
            continue
        axis = _ours(child, child.get("dimension"), forms)
        if child.tag == f"{{{XBRLDI}}}explicitMember":
            member = _ours(child, child.text, forms)
        elif child.tag == f"{{{XBRLDI}}}typedMember" and len(child) == 1:
            member = "".join(child[0].itertext()).strip()
        else:
            return None
        if axis is None or member is None:
            return None
        dims[axis] = member
    return period, dims


def _ours(node: etree._Element, value: str | None, forms: FormSet) -> str | None:
    """A QName in an attribute or text as the forms write it ("edu:ScenarioAxis"); None outside the forms'
    namespace."""
    prefix, _, local = (value or "").strip().rpartition(":")
    if node.nsmap.get(prefix or None) != forms.namespace or not local:
        return None
    return f"{forms.prefix}:{local}"
