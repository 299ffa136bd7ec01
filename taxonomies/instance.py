"""Write a generated Filing as an xBRL-XML instance or an inline XBRL 1.1 document."""

from __future__ import annotations

from lxml import etree

from .generator import Context, Filing
from .model import settings
from .xmlutil import NS, XML_LANG, el, nsmap, to_bytes

UNITS = {"EUR": "iso4217:EUR", "pure": "xbrli:pure"}


def _context(parent: etree._Element, filing: Filing, ctx: Context) -> None:
    node = el(parent, "xbrli:context", {"id": ctx.id})
    entity = el(node, "xbrli:entity")
    el(entity, "xbrli:identifier", {"scheme": settings()["names"]["entity_scheme"]}, text=filing.board)
    period = el(node, "xbrli:period")
    if ctx.start is None:
        el(period, "xbrli:instant", text=ctx.end.isoformat())
    else:
        el(period, "xbrli:startDate", text=ctx.start.isoformat())
        el(period, "xbrli:endDate", text=ctx.end.isoformat())
    if ctx.member or ctx.official:
        scenario = el(node, "xbrli:scenario")
        if ctx.member:
            el(scenario, "xbrldi:explicitMember", {"dimension": "edu:ScenarioAxis"}, text=f"edu:{ctx.member}")
        if ctx.official:
            typed = el(scenario, "xbrldi:typedMember", {"dimension": "edu:WNTOfficialAxis"})
            etree.SubElement(typed, f"{{{filing.year.namespace}}}OfficialId").text = ctx.official


def _units(parent: etree._Element, filing: Filing) -> None:
    for unit_id in sorted({f.unit for f in filing.facts if f.unit}):
        el(el(parent, "xbrli:unit", {"id": unit_id}), "xbrli:measure", text=UNITS[unit_id])


def to_xml(filing: Filing) -> bytes:
    """The filing as an xBRL-XML instance document."""
    root = el(None, "xbrli:xbrl", nsmap=nsmap("xbrli", "link", "xlink", "xbrldi", "iso4217",
                                               edu=filing.year.namespace))
    el(root, "link:schemaRef", {"xlink:type": "simple", "xlink:href": filing.entry_point})
    for ctx in filing.contexts.values():
        _context(root, filing, ctx)
    _units(root, filing)
    for fact in filing.facts:
        node = etree.SubElement(root, f"{{{filing.year.namespace}}}{fact.concept}", {"contextRef": fact.context})
        if fact.unit:
            node.set("unitRef", fact.unit)
            node.set("decimals", fact.decimals or "0")
        else:
            node.set(XML_LANG, "nl")
        node.text = fact.value
    return to_bytes(root)


def _display(fact_value: str) -> tuple[str, bool]:
    """Human formatting for ixt:num-dot-decimal ('1,234,567.50') and whether it is negative."""
    negative = fact_value.startswith("-")
    number = fact_value.lstrip("-")
    whole, _, fraction = number.partition(".")
    shown = f"{int(whole):,}"
    if fraction:
        shown += "." + fraction
    return shown, negative


STYLE = """
body { font-family: "Segoe UI", Arial, sans-serif; margin: 2em auto; max-width: 60em; color: #1a1a1a; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 2px solid #154273; }
p.sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; } th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #ddd; }
th { text-align: left; background: #f1f4f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
"""


def _period_text(ctx: Context) -> str:
    if ctx.start is None:
        return ctx.end.strftime("%d-%m-%Y")
    if (ctx.start.month, ctx.start.day, ctx.end.month, ctx.end.day) == (1, 1, 12, 31) and ctx.start.year == ctx.end.year:
        return str(ctx.end.year)
    return f"{ctx.start.strftime('%d-%m-%Y')} t/m {ctx.end.strftime('%d-%m-%Y')}"


def to_inline(filing: Filing) -> bytes:
    """The filing as an inline XBRL 1.1 document: a readable table per statement in
    the order of the model formats, every fact tagged in place, contexts and units
    in a hidden ix:header."""
    y = filing.year
    statements = settings()["statements"]
    labels = {c.name: c.label_nl for c in y.concepts}
    html = el(None, "xhtml:html", nsmap={None: NS["xhtml"], "ix": NS["ix"], "ixt": NS["ixt"],
                                        "xbrli": NS["xbrli"], "link": NS["link"], "xlink": NS["xlink"],
                                        "xbrldi": NS["xbrldi"], "iso4217": NS["iso4217"], "edu": y.namespace})
    html.set(XML_LANG, "nl")
    head = el(html, "xhtml:head")
    el(head, "xhtml:meta", {"http-equiv": "Content-Type", "content": "text/html; charset=utf-8"})
    el(head, "xhtml:title", text=f"Jaarverantwoording {y.year} - bevoegd gezag {filing.board}")
    el(head, "xhtml:style", {"type": "text/css"}, text=STYLE)
    body = el(html, "xhtml:body")
    header = el(el(body, "xhtml:div", {"style": "display:none"}), "ix:header")
    el(el(header, "ix:references"), "link:schemaRef", {"xlink:type": "simple", "xlink:href": filing.entry_point})
    resources = el(header, "ix:resources")
    for ctx in filing.contexts.values():
        _context(resources, filing, ctx)
    _units(resources, filing)

    el(body, "xhtml:h1", text=f"Jaarverantwoording {y.year}")
    el(body, "xhtml:p", {"class": "sub"}, text=f"Bevoegd gezag {filing.board}")
    # Facts by statement; forecasts (budget scenario) belong to the continuity section.
    section_of = {section: st["id"] for st in statements for section in st["sections"]}
    by_statement: dict[str, list] = {st["id"]: [] for st in statements}
    for fact in filing.facts:
        ctx = filing.contexts[fact.context]
        statement = "ContinuitySection" if ctx.member else section_of[y.concept(fact.concept).section]
        by_statement[statement].append(fact)
    for st in statements:
        facts = by_statement[st["id"]]
        if not facts:
            continue
        el(body, "xhtml:h2", text=st["label_nl"])
        table = el(body, "xhtml:table")
        row = el(table, "xhtml:tr")
        for heading in ("Post", "Topfunctionaris" if st["id"] == "WNTDisclosure" else "Scenario", "Periode", "Waarde"):
            el(row, "xhtml:th", text=heading)
        for fact in facts:
            ctx = filing.contexts[fact.context]
            row = el(table, "xhtml:tr")
            el(row, "xhtml:td", text=labels[fact.concept])
            el(row, "xhtml:td", text=ctx.official or ("Begroting" if ctx.member else "Realisatie"))
            el(row, "xhtml:td", text=_period_text(ctx))
            if fact.unit:
                shown, negative = _display(fact.value)
                attrs = {"name": f"edu:{fact.concept}", "contextRef": fact.context, "unitRef": fact.unit,
                         "decimals": fact.decimals or "0", "format": "ixt:num-dot-decimal", "scale": "0"}
                if negative:
                    attrs["sign"] = "-"
                cell = el(row, "xhtml:td", {"class": "num"})
                if negative:
                    cell.text = "-"
                el(cell, "ix:nonFraction", attrs, text=shown)
            else:
                el(el(row, "xhtml:td"), "ix:nonNumeric", {"name": f"edu:{fact.concept}", "contextRef": fact.context},
                   text=fact.value)
    return to_bytes(html)
