"""The reference policy: FR-ENTRYPOINT and FR-REFERENCE, on the parsed document before Arelle opens anything.

Arelle opens whatever a filing names: schemaRef, linkbaseRef, roleRef,
arcroleRef, schema location hints, and any other `xlink:href` it comes
across, such as a footnote link's locator (a local file is parsed, and its
error message would tell whether the file exists). So every reference in the
document is checked here, resolved the way Arelle will resolve it
(`urls.py`), and refused unless it stays inside what is allowed:

- the one schemaRef: exactly the reporting year's registered entry point;
- linkbaseRef, roleRef, arcroleRef: inside that year's package;
- schema location hints: absolute URLs inside that package or XBRL's
  standard schemas; these four are the DTS and refused as FR-ENTRYPOINT;
- a locator: only into this document (`#id`);
- any other `xlink:href` and every `xml:base`: this document, the package or
  the standard schemas; refused as FR-REFERENCE.

Nothing is looked up on disk: a message never tells whether a named file exists.
"""

from __future__ import annotations

from lxml import etree

from .codes import FR_ENTRYPOINT, FR_REFERENCE
from .i18n import Message, both, both_p
from .intake import Document
from .registry import Registry, Taxonomy
from .report import Finding, finding
from .urls import XML_BASE, effective_base, inside, target

LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK}}}href"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{{{XSI}}}schemaLocation"
NO_NAMESPACE_LOCATION = f"{{{XSI}}}noNamespaceSchemaLocation"
DTS_REFS = {f"{{{LINK}}}{name}": name for name in ("linkbaseRef", "roleRef", "arcroleRef")}
# Standard schemas that ship inside Arelle: hints to them are harmless.
STANDARD_PREFIXES = ("http://www.xbrl.org/", "http://xbrl.org/", "http://www.w3.org/")
_REFERENCE_ATTRIBUTES = frozenset({XLINK_HREF, SCHEMA_LOCATION, NO_NAMESPACE_LOCATION, XML_BASE})


def _error(code: str, message: Message, doc: Document, element: etree._Element | None = None) -> Finding:
    return finding(code, "error", message, file=doc.name, line=element.sourceline if element is not None else None)


def _allowed(reference: str, base: str, prefixes: tuple[str, ...], href: bool) -> bool:
    """Whether Arelle, following `reference` under xml:base `base`, stays under `prefixes`."""
    if href:  # Arelle splits an xlink:href at its first '#'; the rest names a place in the document
        reference = reference.split("#", 1)[0]
    url = target(reference, base)
    return url is not None and inside(url, prefixes)


def check_references(doc: Document, year: int, registry: Registry) -> list[Finding]:
    """FR-ENTRYPOINT and FR-REFERENCE findings for `doc` filed for reporting `year` (empty when all is well),
    one per offending reference, with its line."""
    taxonomy = registry.for_year(year)
    if taxonomy is None:
        known = ", ".join(str(t.year) for t in registry.all()) or both_p("no taxonomies", "none")
        return [_error(FR_ENTRYPOINT, both("No taxonomy is registered for reporting year %(year)s (registered: "
                                           "%(known)s).", year=year, known=known), doc)]
    findings = _schema_ref(doc, year, taxonomy, registry)
    package = taxonomy.base_urls
    anywhere = package + STANDARD_PREFIXES
    # A plain loop over the names of attributes: four times as fast as the same search in XPath.
    with_references = [e for e in doc.root.iter() if not _REFERENCE_ATTRIBUTES.isdisjoint(e.keys())]
    any_base = any(XML_BASE in e.attrib for e in with_references)
    for element in with_references:
        base = effective_base(element) if any_base else ""
        if element.get(XML_BASE) and not inside(base, anywhere):
            findings.append(_error(
                FR_REFERENCE, both("The xml:base '%(base)s' points outside the registered taxonomy; leave xml:base "
                                   "out.", base=base[:200]), doc, element))
        href = element.get(XLINK_HREF)
        if href:
            findings.extend(_href(doc, element, href, base, package, anywhere))
        for attribute in (SCHEMA_LOCATION, NO_NAMESPACE_LOCATION):
            tokens = (element.get(attribute) or "").split()
            # schemaLocation is namespace/location pairs; the locations are every second token. Arelle
            # reads a relative hint against xml:base in one place and against the file in another:
            # only an absolute URL is the same for both.
            for location in tokens[1::2] if attribute == SCHEMA_LOCATION else tokens:
                if not _allowed(location, "", anywhere, href=False):
                    findings.append(_error(
                        FR_ENTRYPOINT, both("The schemaLocation '%(location)s' points outside the registered "
                                            "taxonomy.", location=location[:200]), doc, element))
    return findings


def _schema_ref(doc: Document, year: int, taxonomy: Taxonomy, registry: Registry) -> list[Finding]:
    """Exactly one schemaRef, naming the reporting year's entry point exactly."""
    schema_refs = list(doc.root.iter(f"{{{LINK}}}schemaRef"))
    if len(schema_refs) != 1:
        return [_error(FR_ENTRYPOINT, both("The file must have exactly one schemaRef (to %(entry_point)s); found "
                                           "%(count)s.", entry_point=taxonomy.entry_point, count=len(schema_refs)),
                       doc, schema_refs[1] if len(schema_refs) > 1 else None)]
    href = schema_refs[0].get(XLINK_HREF) or ""
    if href == taxonomy.entry_point:
        return []
    other = next((t for t in registry.all() if t.entry_point == href.strip()), None)
    if other is not None:
        return [_error(FR_ENTRYPOINT, both("This file points at the %(other)s taxonomy; for reporting year %(year)s "
                                           "use the entry point %(entry_point)s.", other=other.year, year=year,
                                           entry_point=taxonomy.entry_point), doc, schema_refs[0])]
    return [_error(FR_ENTRYPOINT, both("The schemaRef '%(href)s' is not the entry point of reporting year %(year)s "
                                       "(%(entry_point)s); extension taxonomies are not allowed.", href=href[:200],
                                       year=year, entry_point=taxonomy.entry_point), doc, schema_refs[0])]


def _href(doc: Document, element: etree._Element, href: str, base: str, package: tuple[str, ...],
          anywhere: tuple[str, ...]) -> list[Finding]:
    """The finding for one xlink:href, if it leads anywhere it may not."""
    tag = element.tag
    if tag == f"{{{LINK}}}schemaRef":
        return []  # compared with the entry point, exactly, in _schema_ref
    if tag in DTS_REFS:
        if _allowed(href, base, package, href=True):
            return []
        name = DTS_REFS[tag]
        return [_error(FR_ENTRYPOINT, both("The %(name)s '%(href)s' points outside the registered taxonomy.",
                                           name=name, href=href[:200]), doc, element)]
    if tag == f"{{{LINK}}}loc" or element.get(f"{{{XLINK}}}type") == "locator":
        if href.startswith("#"):
            return []
        return [_error(FR_REFERENCE, both("The locator '%(href)s' may only point at a fact in this document "
                                          "(xlink:href=\"#id\"); it is not followed.", href=href[:200]), doc, element)]
    if href.startswith("#") or _allowed(href, base, anywhere, href=True):
        return []
    local = etree.QName(element).localname
    return [_error(FR_REFERENCE, both("The reference '%(href)s' in <%(element)s> points outside this document and "
                                      "the registered taxonomy; it is not followed.", href=href[:200], element=local),
                   doc, element)]
