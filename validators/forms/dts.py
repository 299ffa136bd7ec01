"""What the forms need of a taxonomy, as plain data: its elements with their types and
attributes, the role definitions, the standard labels, and the presentation,
calculation and dimension-default arcs.

Reads the documents `package.Package.documents` found; knows XML Schema, XLink and
the XBRL linkbases, nothing about this project's statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .package import LINK, XLINK, XS, Documents, locate

XBRLI = "http://www.xbrl.org/2003/instance"
XBRLDT = "http://xbrl.org/2005/xbrldt"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ROLE_LABEL = "http://www.xbrl.org/2003/role/label"
PARENT_CHILD = "http://www.xbrl.org/2003/arcrole/parent-child"
SUMMATION = "http://www.xbrl.org/2003/arcrole/summation-item"
DIMENSION_DEFAULT = "http://xbrl.org/int/dim/arcrole/dimension-default"
# A list type written as a pattern: "(A|B|C)( (A|B|C))*", a space-separated list of the alternatives.
_LIST_PATTERN = re.compile(r"\(([^()|]+(?:\|[^()|]+)*)\)\( \(\1\)\)\*")


@dataclass(frozen=True)
class Element:
    """A global xs:element of a taxonomy schema, with what the forms read of it."""

    name: str
    namespace: str
    prefix: str
    type: tuple[str, str]  # (namespace, local name) of its type
    substitution_group: tuple[str, str]
    period_type: str
    balance: str | None
    abstract: bool
    typed_domain: str | None  # the typed dimension's domain element, as "#id" or "file.xsd#id"
    attributes: dict[str, str]  # every attribute by Clark name (edu-fr:required and the like)

    @property
    def is_axis(self) -> bool:
        """A dimension (explicit or typed)."""
        return self.substitution_group == (XBRLDT, "dimensionItem")

    @property
    def is_hypercube(self) -> bool:
        """A table (hypercube)."""
        return self.substitution_group == (XBRLDT, "hypercubeItem")


@dataclass(frozen=True)
class Restriction:
    """A named type of a schema: the type it restricts and its enumerations or list pattern."""

    base: tuple[str, str]
    enumerations: tuple[str, ...]
    list_options: tuple[str, ...]


@dataclass(frozen=True)
class Arc:
    """A parent-child or summation-item relationship in one extended link role."""

    parent: str  # element name
    child: str
    order: float
    weight: float
    position: int  # document order, the tie-breaker for equal orders


@dataclass
class Taxonomy:
    """The parts of a DTS the forms are made of."""

    elements: dict[str, Element] = field(default_factory=dict)  # by local name (one namespace of concepts)
    types: dict[tuple[str, str], Restriction] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)  # role URI -> definition
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> {lang: standard label}
    presentation: dict[str, list[Arc]] = field(default_factory=dict)  # role URI -> arcs
    calculation: dict[str, list[Arc]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)  # axis name -> default member name
    typed_domains: dict[str, str] = field(default_factory=dict)  # typed axis name -> its domain element name


def _qname(node: etree._Element, value: str | None) -> tuple[str, str]:
    """A prefixed name in an attribute, resolved with the namespaces in scope at `node`."""
    if not value:
        return ("", "")
    prefix, _, local = value.rpartition(":")
    return (node.nsmap.get(prefix or None, ""), local)


def read(documents: Documents, namespace: str) -> Taxonomy:
    """The elements of `namespace` (the concepts' namespace) and every role, label and arc the
    documents hold about them."""
    taxonomy = Taxonomy()
    by_id: dict[tuple[str, str], str] = {}
    for url, schema in documents.schemas.items():
        if schema.get("targetNamespace") != namespace:
            continue
        _read_schema(schema, namespace, taxonomy, url, by_id)
    for url, schema in documents.schemas.items():
        for node in schema.iterchildren(f"{{{XS}}}element"):
            ref = node.get(f"{{{XBRLDT}}}typedDomainRef")
            target = locate(url, ref) if ref and node.get("name") in taxonomy.elements else None
            if target in by_id:
                taxonomy.typed_domains[node.get("name")] = by_id[target]
    for schema in documents.schemas.values():
        for role_type in schema.iter(f"{{{LINK}}}roleType"):
            definition = role_type.findtext(f"{{{LINK}}}definition")
            taxonomy.roles[role_type.get("roleURI", "")] = (definition or "").strip()
    for url, linkbase in documents.linkbases.items():
        _read_linkbase(url, linkbase, taxonomy, by_id)
    return taxonomy


def _read_schema(schema: etree._Element, namespace: str, taxonomy: Taxonomy, url: str,
                 by_id: dict[tuple[str, str], str]) -> None:
    prefix = next((p for p, uri in schema.nsmap.items() if uri == namespace and p), "")
    for node in schema.iterchildren(f"{{{XS}}}complexType", f"{{{XS}}}simpleType"):
        restriction = next(node.iter(f"{{{XS}}}restriction"), None)
        if node.get("name") and restriction is not None:
            enumerations = tuple(e.get("value", "") for e in restriction.iterchildren(f"{{{XS}}}enumeration"))
            options: tuple[str, ...] = ()
            for pattern in restriction.iterchildren(f"{{{XS}}}pattern"):
                match = _LIST_PATTERN.fullmatch(pattern.get("value", ""))
                if match:
                    options = tuple(match.group(1).split("|"))
            taxonomy.types[(namespace, node.get("name"))] = Restriction(
                _qname(restriction, restriction.get("base")), enumerations, options)
    for node in schema.iterchildren(f"{{{XS}}}element"):
        name = node.get("name")
        if not name:
            continue
        element = Element(
            name=name, namespace=namespace, prefix=prefix, type=_qname(node, node.get("type")),
            substitution_group=_qname(node, node.get("substitutionGroup")),
            period_type=node.get(f"{{{XBRLI}}}periodType", ""), balance=node.get(f"{{{XBRLI}}}balance"),
            abstract=node.get("abstract") in ("true", "1"), typed_domain=node.get(f"{{{XBRLDT}}}typedDomainRef"),
            attributes={str(k): str(v) for k, v in node.attrib.items()})
        taxonomy.elements[name] = element
        if node.get("id"):
            by_id[(url, node.get("id"))] = name


def _read_linkbase(url: str, root: etree._Element, taxonomy: Taxonomy, by_id: dict[tuple[str, str], str]) -> None:
    position = 0
    for link in root:
        if not isinstance(link.tag, str) or link.get(f"{{{XLINK}}}type") != "extended":
            continue
        role = link.get(f"{{{XLINK}}}role", "")
        locators: dict[str, list[str]] = {}
        resources: dict[str, list[etree._Element]] = {}
        for node in link:
            if not isinstance(node.tag, str):
                continue
            kind, label = node.get(f"{{{XLINK}}}type"), node.get(f"{{{XLINK}}}label", "")
            if kind == "locator":
                target = locate(url, node.get(f"{{{XLINK}}}href", ""))
                if target in by_id:
                    locators.setdefault(label, []).append(by_id[target])
            elif kind == "resource":
                resources.setdefault(label, []).append(node)
        for node in link:
            if (not isinstance(node.tag, str) or node.get(f"{{{XLINK}}}type") != "arc"
                    or node.get("use") == "prohibited"):
                continue  # prohibiting arcs (overrides between linkbases) are not followed: ours need none
            position += 1
            arcrole = node.get(f"{{{XLINK}}}arcrole")
            sources = locators.get(node.get(f"{{{XLINK}}}from", ""), [])
            to = node.get(f"{{{XLINK}}}to", "")
            if node.tag == f"{{{LINK}}}labelArc":
                for name in sources:
                    for label in resources.get(to, []):
                        if label.get(f"{{{XLINK}}}role", ROLE_LABEL) == ROLE_LABEL and label.get(XML_LANG):
                            lang = label.get(XML_LANG, "").split("-")[0].lower()
                            taxonomy.labels.setdefault(name, {}).setdefault(lang, (label.text or "").strip())
                continue
            targets = locators.get(to, [])
            for parent in sources:
                for child in targets:
                    arc = Arc(parent, child, _number(node.get("order"), 1.0), _number(node.get("weight"), 1.0),
                              position)
                    if arcrole == PARENT_CHILD:
                        taxonomy.presentation.setdefault(role, []).append(arc)
                    elif arcrole == SUMMATION:
                        taxonomy.calculation.setdefault(role, []).append(arc)
                    elif arcrole == DIMENSION_DEFAULT:
                        taxonomy.defaults[parent] = child


def _number(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default
