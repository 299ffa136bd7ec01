"""The formula linkbase of one year: value assertions from assertions.toml."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from .model import Assertion, GeneralVariable, Variable, Year, assertions
from .xmlutil import NS, XML_LANG, el, nsmap, schema_location

ARC = {
    "variable-set": "http://xbrl.org/arcrole/2008/variable-set",
    "variable-filter": "http://xbrl.org/arcrole/2008/variable-filter",
    "message": "http://xbrl.org/arcrole/2010/assertion-unsatisfied-message",
    "severity": "http://xbrl.org/arcrole/2022/assertion-unsatisfied-severity",
}
ARCROLE_REFS = {
    ARC["variable-set"]: "http://www.xbrl.org/2008/variable.xsd#variable-set",
    ARC["variable-filter"]: "http://www.xbrl.org/2008/variable.xsd#variable-filter",
    ARC["message"]: "http://www.xbrl.org/2010/validation-message.xsd#assertion-unsatisfied-message",
    ARC["severity"]: "http://www.xbrl.org/2022/assertion-severity.xsd#assertion-unsatisfied-severity",
}
ROLE_GENERIC = "http://www.xbrl.org/2008/role/link"
ROLE_MESSAGE = "http://www.xbrl.org/2010/role/message"
SEVERITIES = {"error": "ERROR", "warning": "WARNING"}


def message_text(assertion: Assertion, year: Year) -> str:
    """The assertion's one message: Dutch first, then English, each marked, so that
    readers of Arelle's output and the portal (which splits it) get both."""
    return _fill(f"[nl] {assertion.message_nl} [en] {assertion.message_en}", year)


# The concept of a fact variable. node-name() is not enough: for an inline XBRL
# fact Arelle answers the element's own name (ix:nonFraction), so read @name there.
_CONCEPT_OF = "(if (exists({v}/@name)) then resolve-QName(string({v}/@name), {v}) else node-name({v}))"
# A senior official's id: the text of the fact's typed WNTOfficialAxis member.
_OFFICIAL_OF = "string(xfi:fact-typed-dimension-value({v}, QName('{ns}', 'edu:WNTOfficialAxis')))"


def _fill(text: str, year: Year) -> str:
    """Expand the model's placeholders: {wnt_max}, @concept($v), @official($v), @ns."""
    text = re.sub(r"@concept\((\$\w+)\)", lambda m: _CONCEPT_OF.format(v=m.group(1)), text)
    text = re.sub(r"@official\((\$\w+)\)", lambda m: _OFFICIAL_OF.format(v=m.group(1), ns=year.namespace), text)
    text = text.replace("@ns", f"'{year.namespace}'")
    return text.replace("{wnt_max}", str(year.wnt_general_maximum))


class _Writer:
    """Writes the resources and arcs of one generic link."""

    def __init__(self, link: etree._Element, year: Year) -> None:
        self.link = link
        self.year = year

    def resource(self, tag: str, label: str, attrs: dict[str, str] | None = None,
                 text: str | None = None) -> etree._Element:
        attributes = {"xlink:type": "resource", "xlink:label": label}
        attributes.update(attrs or {})
        return el(self.link, tag, attributes, text=text)

    def arc(self, tag: str, arcrole: str, source: str, target: str, **attrs: str) -> None:
        attributes = {"xlink:type": "arc", "xlink:arcrole": arcrole, "xlink:from": source, "xlink:to": target}
        attributes.update(attrs)
        el(self.link, tag, attributes)

    def filter(self, var_label: str, node: etree._Element, order: int) -> None:
        self.arc("variable:variableFilterArc", ARC["variable-filter"], var_label,
                 node.get(f"{{{NS['xlink']}}}label") or "", complement="false", cover="true", order=str(order))

    def variable(self, assertion: Assertion, var: Variable | GeneralVariable, order: int) -> None:
        label = f"{assertion.id}_{var.name}"
        if isinstance(var, GeneralVariable):
            self.resource("variable:generalVariable", label,
                          {"bindAsSequence": "true", "select": _fill(var.select, self.year)})
        else:
            attrs = {"bindAsSequence": "true" if var.sequence else "false"}
            if var.sequence:
                # Without @matches Arelle regroups the sequence into aspect-match
                # classes, comparing every fact with every other: quadratic.
                attrs["matches"] = "true"
            if var.fallback is not None:
                attrs["fallbackValue"] = var.fallback
            self.resource("variable:factVariable", label, attrs)
            self.filters(label, var)
        # The arc order is the binding order (see assertions.toml).
        self.arc("variable:variableArc", ARC["variable-set"], assertion.id, label, name=var.name,
                 order=str(order))

    def filters(self, label: str, var: Variable) -> None:
        """The variable's filters, cheapest and most selective first: Arelle applies
        them in arc order, and the concept filter is answered from an index."""
        present = [c for c in var.concepts if self.year.has(c)]
        cf = self.resource("cf:conceptName", f"{label}_concept")
        for name in present:
            el(el(cf, "cf:concept"), "cf:qname", text=f"edu:{name}")
        self.filter(label, cf, 1)
        if var.period:
            boundary, other = var.period.split(":")
            pf = self.resource("pf:instantDuration", f"{label}_period",
                               {"variable": other, "boundary": {"end-of": "end", "start-of": "start"}[boundary]})
            self.filter(label, pf, 2)
        if var.member:
            axis, member = var.member.split("=")
            df = self.resource("df:explicitDimension", f"{label}_member")
            el(el(df, "df:dimension"), "df:qname", text=f"edu:{axis}")
            el(el(df, "df:member"), "df:qname", text=f"edu:{member}")
            self.filter(label, df, 3)
        if var.cover:
            acf = self.resource("acf:aspectCover", f"{label}_cover")
            for aspect in var.cover:
                el(acf, "acf:aspect", text=aspect)
            self.filter(label, acf, 4)

    def assertion(self, assertion: Assertion) -> None:
        self.resource("va:valueAssertion", assertion.id, {
            "id": assertion.id, "aspectModel": "dimensional", "implicitFiltering": "true",
            "test": _fill(assertion.test, self.year)})
        for order, var in enumerate(assertion.variables, 1):
            self.variable(assertion, var, order)
        message = self.resource("msg:message", f"{assertion.id}_message",
                                {"xlink:role": ROLE_MESSAGE}, text=message_text(assertion, self.year))
        message.set(XML_LANG, "nl")
        self.arc("generic:arc", ARC["message"], assertion.id, f"{assertion.id}_message")
        self.arc("generic:arc", ARC["severity"], assertion.id, f"severity_{assertion.severity}")


def formula_linkbase(year: Year, assertion_list: Iterable[Assertion] | None = None) -> etree._Element:
    """Every assertion of the model (or of `assertion_list`), for one year; concepts
    the year lacks are left out."""
    prefixes = ("link", "xlink", "xsi", "generic", "variable", "va", "cf", "pf", "df", "acf",
                "msg", "sev", "xfi", "xs", "xbrli")
    root = el(None, "link:linkbase", {
        "xsi:schemaLocation": schema_location("link", "generic", "variable", "va", "cf", "pf", "df",
                                              "acf", "msg", "sev")},
        nsmap=nsmap(*prefixes, edu=year.namespace))
    el(root, "link:roleRef", {"roleURI": ROLE_GENERIC, "xlink:type": "simple",
                              "xlink:href": "http://www.xbrl.org/2008/generic-link.xsd#standard-link-role"})
    el(root, "link:roleRef", {"roleURI": ROLE_MESSAGE, "xlink:type": "simple",
                              "xlink:href": "http://www.xbrl.org/2010/generic-message.xsd#standard-message"})
    for arcrole, href in ARCROLE_REFS.items():
        el(root, "link:arcroleRef", {"arcroleURI": arcrole, "xlink:type": "simple", "xlink:href": href})
    link = el(root, "generic:link", {"xlink:type": "extended", "xlink:role": ROLE_GENERIC})
    writer = _Writer(link, year)
    for severity, anchor in SEVERITIES.items():
        el(link, "link:loc", {"xlink:type": "locator", "xlink:label": f"severity_{severity}",
                              "xlink:href": f"http://www.xbrl.org/2022/severities.xml#{anchor}"})
    for assertion in assertions() if assertion_list is None else assertion_list:
        writer.assertion(assertion)
    return root
