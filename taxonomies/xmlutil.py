"""Namespaces and small lxml helpers shared by the taxonomy build and the sample writer."""

from __future__ import annotations

from lxml import etree

NS = {
    "xs": "http://www.w3.org/2001/XMLSchema",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xbrli": "http://www.xbrl.org/2003/instance",
    "link": "http://www.xbrl.org/2003/linkbase",
    "xlink": "http://www.w3.org/1999/xlink",
    "xbrldt": "http://xbrl.org/2005/xbrldt",
    "xbrldi": "http://xbrl.org/2006/xbrldi",
    "iso4217": "http://www.xbrl.org/2003/iso4217",
    "generic": "http://xbrl.org/2008/generic",
    "variable": "http://xbrl.org/2008/variable",
    "va": "http://xbrl.org/2008/assertion/value",
    "cf": "http://xbrl.org/2008/filter/concept",
    "pf": "http://xbrl.org/2008/filter/period",
    "df": "http://xbrl.org/2008/filter/dimension",
    "acf": "http://xbrl.org/2010/filter/aspect-cover",
    "msg": "http://xbrl.org/2010/message",
    "sev": "http://xbrl.org/2022/assertion-severity",
    "xfi": "http://www.xbrl.org/2008/function/instance",
    "tp": "http://xbrl.org/2016/taxonomy-package",
    "cat": "urn:oasis:names:tc:entity:xmlns:xml:catalog",
    "ix": "http://www.xbrl.org/2013/inlineXBRL",
    "ixt": "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12",
    "xhtml": "http://www.w3.org/1999/xhtml",
}

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Standard roles and arcroles used by the linkbases.
ROLE_LINK = "http://www.xbrl.org/2003/role/link"
ROLE_LABEL = "http://www.xbrl.org/2003/role/label"
ARCROLE_CONCEPT_LABEL = "http://www.xbrl.org/2003/arcrole/concept-label"
ARCROLE_PARENT_CHILD = "http://www.xbrl.org/2003/arcrole/parent-child"
ARCROLE_SUMMATION = "http://www.xbrl.org/2003/arcrole/summation-item"
ARCROLE_LINKBASE = "http://www.w3.org/1999/xlink/properties/linkbase"
XDT = "http://xbrl.org/int/dim/arcrole/"

# Where the standard schemas live (Arelle ships them; the catalog needs none).
SCHEMA_LOCATIONS = {
    "xbrli": "http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd",
    "link": "http://www.xbrl.org/2003/xbrl-linkbase-2003-12-31.xsd",
    "xbrldt": "http://www.xbrl.org/2005/xbrldt-2005.xsd",
    "xbrldi": "http://www.xbrl.org/2006/xbrldi-2006.xsd",
    "generic": "http://www.xbrl.org/2008/generic-link.xsd",
    "variable": "http://www.xbrl.org/2008/variable.xsd",
    "va": "http://www.xbrl.org/2008/value-assertion.xsd",
    "cf": "http://www.xbrl.org/2008/concept-filter.xsd",
    "pf": "http://www.xbrl.org/2008/period-filter.xsd",
    "df": "http://www.xbrl.org/2008/dimension-filter.xsd",
    "acf": "http://www.xbrl.org/2010/aspect-cover-filter.xsd",
    "msg": "http://www.xbrl.org/2010/generic-message.xsd",
    "sev": "http://www.xbrl.org/2022/assertion-severity.xsd",
}


def q(name: str) -> str:
    """Clark notation for a prefixed name: q('xs:element') -> '{http://...}element'."""
    prefix, local = name.split(":", 1)
    return f"{{{NS[prefix]}}}{local}"


def el(parent: etree._Element | None, name: str, attrib: dict[str, str] | None = None,
       text: str | None = None, nsmap: dict[str | None, str] | None = None) -> etree._Element:
    """Create element `name` (prefixed) under `parent`; attribute names may be prefixed too."""
    attrs = {(q(k) if ":" in k and not k.startswith("{") else k): v for k, v in (attrib or {}).items()}
    if parent is None:
        node = etree.Element(q(name), attrs, nsmap=nsmap)
    else:
        node = etree.SubElement(parent, q(name), attrs, nsmap=nsmap)
    if text is not None:
        node.text = text
    return node


def nsmap(*prefixes: str, **extra: str) -> dict[str | None, str]:
    """A namespace map of the given standard prefixes plus extra prefix=URI pairs."""
    result: dict[str | None, str] = {p: NS[p] for p in prefixes}
    result.update(extra)
    return result


def schema_location(*prefixes: str) -> str:
    """An xsi:schemaLocation value for the given standard prefixes."""
    return " ".join(f"{NS[p]} {SCHEMA_LOCATIONS[p]}" for p in prefixes)


def to_bytes(root: etree._Element) -> bytes:
    """Serialise a document: UTF-8, XML declaration, indented, deterministic."""
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
