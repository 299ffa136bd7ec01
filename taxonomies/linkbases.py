"""The presentation, calculation and definition linkbases of one year."""

from __future__ import annotations

from lxml import etree

from .model import Concept, Year, settings
from .schema import files, role_uri
from .xmlutil import (ARCROLE_PARENT_CHILD, ARCROLE_SUMMATION, NS, XDT, el, nsmap,
                      schema_location)


class _Link:
    """One extended link under construction: locators are written once per concept."""

    def __init__(self, root: etree._Element, tag: str, role: str, core: str) -> None:
        self.node = el(root, tag, {"xlink:type": "extended", "xlink:role": role})
        self.core = core
        self.located: set[str] = set()
        self.arc_tag = tag.replace("Link", "Arc")

    def loc(self, name: str, alias: str = "") -> str:
        # XLink forbids two arcs between the same pair of labels, whatever their
        # arcroles: an alias gives the same concept a second locator.
        label = f"loc_{name}{alias}"
        if label not in self.located:
            el(self.node, "link:loc", {"xlink:type": "locator",
                                       "xlink:href": f"{self.core}#edu_{name}", "xlink:label": label})
            self.located.add(label)
        return label

    def arc(self, arcrole: str, parent: str, child: str, order: int, alias: str = "", **attrs: str) -> None:
        attributes = {"xlink:type": "arc", "xlink:arcrole": arcrole, "xlink:from": self.loc(parent),
                      "xlink:to": self.loc(child, alias), "order": str(order)}
        attributes.update(attrs)
        el(self.node, self.arc_tag, attributes)


def _linkbase(year: Year, role_ids: list[str], arcroles: list[str] = ()) -> etree._Element:
    root = el(None, "link:linkbase", {"xsi:schemaLocation": schema_location("link", "xbrldt")},
              nsmap=nsmap("link", "xlink", "xsi", "xbrldt"))
    core = files(year)["core"]
    for role_id in role_ids:
        el(root, "link:roleRef", {"roleURI": role_uri(year, role_id), "xlink:type": "simple",
                                  "xlink:href": f"{core}#role_{role_id}"})
    for arcrole in arcroles:
        el(root, "link:arcroleRef", {"arcroleURI": XDT + arcrole, "xlink:type": "simple",
                                     "xlink:href": f"http://www.xbrl.org/2005/xbrldt-2005.xsd#{arcrole}"})
    return root


def _statement_concepts(year: Year, sections: list[str]) -> list[Concept]:
    return [c for c in year.concepts if c.section in sections]


def _children(concepts: list[Concept], parent: str | None) -> list[Concept]:
    """Concepts whose calculation parent is `parent`; None gives the statement's top level."""
    names = {c.name for c in concepts}
    if parent is None:
        return [c for c in concepts if c.calc_parent is None or c.calc_parent not in names]
    return [c for c in concepts if c.calc_parent == parent]


def presentation(year: Year) -> etree._Element:
    """One presentation role per statement: a heading, the axis if any, then the
    line items nested as in the calculation tree, in the order of concepts.csv."""
    statements = settings()["statements"]
    root = _linkbase(year, [st["id"] for st in statements])
    core = files(year)["core"]
    for st in statements:
        link = _Link(root, "link:presentationLink", role_uri(year, st["id"]), core)
        heading = f"{st['id']}Abstract"
        concepts = _statement_concepts(year, st["sections"])
        order = 0
        if "axis" in st:
            order += 1
            link.arc(ARCROLE_PARENT_CHILD, heading, st["axis"], order)
            for i, member in enumerate(settings()["dimensions"][st["axis"]].get("members", ()), 1):
                link.arc(ARCROLE_PARENT_CHILD, st["axis"], member, i)
        _walk(link, concepts, heading, _top_level(year, st, concepts), order + 1)
    return root


def _top_level(year: Year, statement: dict, concepts: list[Concept]) -> list[Concept]:
    """The statement's top-level items: its sections' calculation roots, with the concepts of
    other sections it also shows (`also`, flat, after `also_after`) that the year has."""
    items = _children(concepts, None)
    also = [year.concept(name) for name in statement.get("also", ()) if year.has(name)]
    if not also:
        return items
    after = statement.get("also_after")
    names = [c.name for c in items]
    at = names.index(after) + 1 if after in names else len(items)
    return items[:at] + also + items[at:]


def _walk(link: _Link, concepts: list[Concept], parent: str, items: list[Concept], start: int) -> None:
    """Parent-child arcs from `parent` to `items`, and below each item its calculation children."""
    for i, concept in enumerate(items, start):
        link.arc(ARCROLE_PARENT_CHILD, parent, concept.name, i)
        _walk(link, concepts, concept.name, _children(concepts, concept.name), 1)


def calculation(year: Year) -> etree._Element:
    """Summation-item arcs from concepts.csv (calc_parent, weight), per statement."""
    statements = settings()["statements"]
    root = _linkbase(year, [st["id"] for st in statements])
    core = files(year)["core"]
    for st in statements:
        concepts = _statement_concepts(year, st["sections"])
        names = {c.name for c in concepts}
        summed = [c for c in concepts if c.calc_parent in names]
        if not summed:
            continue
        link = _Link(root, "link:calculationLink", role_uri(year, st["id"]), core)
        for i, concept in enumerate(summed, 1):
            link.arc(ARCROLE_SUMMATION, concept.calc_parent or "", concept.name, i,
                     weight=f"{concept.weight}.0")
    return root


def definition(year: Year) -> etree._Element:
    """The two hypercubes: scenario (explicit, default actual) for the statements and
    the continuity section, senior official (typed) for the WNT disclosure."""
    dims = settings()["dimensions"]
    root = _linkbase(year, [d["role"] for d in dims.values()],
                     ["all", "hypercube-dimension", "dimension-domain", "domain-member", "dimension-default"])
    core = files(year)["core"]
    for axis, dim in dims.items():
        link = _Link(root, "link:definitionLink", role_uri(year, dim["role"]), core)
        line_items = dim["line_items"]
        link.arc(XDT + "all", line_items, dim["hypercube"], 1,
                 **{f"{{{NS['xbrldt']}}}contextElement": "scenario", f"{{{NS['xbrldt']}}}closed": "true"})
        link.arc(XDT + "hypercube-dimension", dim["hypercube"], axis, 1)
        if dim["kind"] == "explicit":
            head, *others = dim["members"]
            link.arc(XDT + "dimension-domain", axis, head, 1)
            for i, member in enumerate(others, 1):
                link.arc(XDT + "domain-member", head, member, i)
            link.arc(XDT + "dimension-default", axis, dim["default"], 1, alias="_default")
        for i, concept in enumerate(_statement_concepts(year, dim["sections"]), 2):
            link.arc(XDT + "domain-member", line_items, concept.name, i)
    return root
