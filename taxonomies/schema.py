"""The concept schema, the entry point schema and the label linkbases of one year."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .model import Year, settings
from .xmlutil import (ARCROLE_CONCEPT_LABEL, ARCROLE_LINKBASE, NS, ROLE_LABEL, ROLE_LINK,
                      SCHEMA_LOCATIONS, XML_LANG, el, nsmap, schema_location)


@dataclass(frozen=True)
class Structural:
    """A concept the build adds for structure: abstract heading, axis, member, table."""

    name: str
    kind: str  # abstract | axis | typed-axis | member | hypercube
    label_nl: str
    label_en: str


def files(year: Year) -> dict[str, str]:
    """Package-relative file names of the year's documents, by purpose."""
    y = year.year
    return {
        "core": f"edu-cor-{y}.xsd",
        "lab-nl": f"edu-lab-nl-{y}.xml",
        "lab-en": f"edu-lab-en-{y}.xml",
        "pre": f"edu-pre-{y}.xml",
        "cal": f"edu-cal-{y}.xml",
        "def": f"edu-def-{y}.xml",
        "for": f"edu-for-{y}.xml",
        "entry": f"entrypoints/edu-rpt-jaarverantwoording-{y}.xsd",
    }


def role_uri(year: Year, role_id: str) -> str:
    """The URI of one of the year's extended link roles."""
    return f"{year.base_url}role/{role_id}"


def roles(year: Year) -> list[tuple[str, str, list[str]]]:
    """(id, definition, usedOn link elements) of every role the year defines."""
    s = settings()
    result = [
        (st["id"], f"{st['order']} - {st['label_nl']} ({st['label_en']})",
         ["link:presentationLink", "link:calculationLink"])
        for st in s["statements"]
    ]
    for dim in s["dimensions"].values():
        result.append((dim["role"], dim["role_label"], ["link:definitionLink"]))
    return result


def structural_concepts() -> list[Structural]:
    """The abstracts, axes, members, hypercubes and line items, with their labels."""
    s = settings()
    labels = s["structural_labels"]
    result = [
        Structural(f"{st['id']}Abstract", "abstract", st["label_nl"], st["label_en"])
        for st in s["statements"]
    ]
    for axis, dim in s["dimensions"].items():
        kind = "axis" if dim["kind"] == "explicit" else "typed-axis"
        result.append(Structural(axis, kind, dim["label_nl"], dim["label_en"]))
        result.append(Structural(dim["hypercube"], "hypercube", *labels[dim["hypercube"]]))
        result.append(Structural(dim["line_items"], "abstract", *labels[dim["line_items"]]))
        for member in dim.get("members", ()):
            result.append(Structural(member, "member", *labels[member]))
    return result


def _xbrli_type(concept_type: str, concept_name: str) -> str:
    if concept_type in ("enum", "enum-list"):
        return "edu:" + settings()["enumerations"][concept_name]["type_name"]
    return settings()["types"][concept_type]


def _enumeration_types(schema: etree._Element) -> None:
    for enum in settings()["enumerations"].values():
        ctype = el(schema, "xs:complexType", {"name": enum["type_name"]})
        restriction = el(el(ctype, "xs:simpleContent"), "xs:restriction", {"base": "xbrli:tokenItemType"})
        if enum.get("list"):
            one = "(" + "|".join(enum["values"]) + ")"
            el(restriction, "xs:pattern", {"value": f"{one}( {one})*"})
        else:
            for value in enum["values"]:
                el(restriction, "xs:enumeration", {"value": value})


def core_schema(year: Year) -> etree._Element:
    """The schema that defines every concept, item type and role of the year."""
    s = settings()
    names = s["names"]
    fr_ns = names["filing_rules_namespace"]
    fr_attr = f"{{{fr_ns}}}required"
    fr_input = f"{{{fr_ns}}}input"
    hints = s.get("input_hints", {})
    root = el(None, "xs:schema", {
        "targetNamespace": year.namespace, "elementFormDefault": "qualified",
        "attributeFormDefault": "unqualified",
    }, nsmap=nsmap("xs", "xbrli", "link", "xlink", "xbrldt",
                   edu=year.namespace, **{names["filing_rules_prefix"]: fr_ns}))
    appinfo = el(el(root, "xs:annotation"), "xs:appinfo")
    for role_id, definition, used_on in roles(year):
        rt = el(appinfo, "link:roleType", {"roleURI": role_uri(year, role_id), "id": f"role_{role_id}"})
        el(rt, "link:definition", text=definition)
        for link in used_on:
            el(rt, "link:usedOn", text=link)
    for prefix in ("xbrli", "xbrldt"):
        el(root, "xs:import", {"namespace": NS[prefix], "schemaLocation": SCHEMA_LOCATIONS[prefix]})
    _enumeration_types(schema=root)

    for concept in year.concepts:
        attrs = {
            "name": concept.name, "id": f"edu_{concept.name}",
            "type": _xbrli_type(concept.type, concept.name), "substitutionGroup": "xbrli:item",
            "nillable": "true", "xbrli:periodType": concept.period,
        }
        if concept.balance:
            attrs["xbrli:balance"] = concept.balance
        node = el(root, "xs:element", attrs)
        # Mandatory-ness travels with the package, so the portal's FR-MANDATORY
        # rule works for any registered year without a list in code.
        node.set(fr_attr, concept.required)
        # What the type cannot say (a long text is a string like a name): the forms read it here.
        if concept.type in hints:
            node.set(fr_input, hints[concept.type])

    for st in structural_concepts():
        attrs = {"name": st.name, "id": f"edu_{st.name}", "abstract": "true",
                 "nillable": "true", "xbrli:periodType": "duration"}
        if st.kind == "axis":
            attrs.update(type="xbrli:stringItemType", substitutionGroup="xbrldt:dimensionItem")
        elif st.kind == "typed-axis":
            dim = settings()["dimensions"][st.name]
            attrs.update(type="xbrli:stringItemType", substitutionGroup="xbrldt:dimensionItem")
            attrs["xbrldt:typedDomainRef"] = f"#edu_{dim['typed_member']}"
        elif st.kind == "hypercube":
            attrs.update(type="xbrli:stringItemType", substitutionGroup="xbrldt:hypercubeItem")
        else:
            attrs.update(type="xbrli:stringItemType", substitutionGroup="xbrli:item")
        el(root, "xs:element", attrs)
    for dim in settings()["dimensions"].values():
        if dim["kind"] == "typed":
            el(root, "xs:element", {"name": dim["typed_member"], "id": f"edu_{dim['typed_member']}",
                                    "type": f"xs:{dim['typed_member_type']}"})
    return root


def entry_point_schema(year: Year) -> etree._Element:
    """The entry point: imports the concepts and references every linkbase."""
    f = files(year)
    root = el(None, "xs:schema", {
        "targetNamespace": f"{year.base_url}entrypoints/edu-rpt-jaarverantwoording",
        "elementFormDefault": "qualified",
    }, nsmap=nsmap("xs", "link", "xlink"))
    appinfo = el(el(root, "xs:annotation"), "xs:appinfo")
    for key, role in (("lab-nl", "label"), ("lab-en", "label"), ("pre", "presentation"),
                      ("cal", "calculation"), ("def", "definition"), ("for", None)):
        attrs = {"xlink:type": "simple", "xlink:href": f"../{f[key]}", "xlink:arcrole": ARCROLE_LINKBASE}
        if role:
            attrs["xlink:role"] = f"http://www.xbrl.org/2003/role/{role}LinkbaseRef"
        el(appinfo, "link:linkbaseRef", attrs)
    el(root, "xs:import", {"namespace": year.namespace, "schemaLocation": f"../{f['core']}"})
    return root


def label_linkbase(year: Year, lang: str) -> etree._Element:
    """The standard labels of every concept in one language ('nl' or 'en')."""
    core = files(year)["core"]
    root = el(None, "link:linkbase", {"xsi:schemaLocation": schema_location("link")},
              nsmap=nsmap("link", "xlink", "xsi"))
    link = el(root, "link:labelLink", {"xlink:type": "extended", "xlink:role": ROLE_LINK})
    entries = [(c.name, c.label_nl if lang == "nl" else c.label_en) for c in year.concepts]
    entries += [(s.name, s.label_nl if lang == "nl" else s.label_en) for s in structural_concepts()]
    for name, text in entries:
        el(link, "link:loc", {"xlink:type": "locator", "xlink:href": f"{core}#edu_{name}",
                              "xlink:label": f"loc_{name}"})
        label = el(link, "link:label", {"xlink:type": "resource", "xlink:label": f"lab_{name}",
                                        "xlink:role": ROLE_LABEL, "id": f"lab_{lang}_{name}"}, text=text)
        label.set(XML_LANG, lang)
        el(link, "link:labelArc", {"xlink:type": "arc", "xlink:arcrole": ARCROLE_CONCEPT_LABEL,
                                   "xlink:from": f"loc_{name}", "xlink:to": f"lab_{name}"})
    return root
