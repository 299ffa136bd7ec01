"""FR-ENTRYPOINT, checked on the parsed document before Arelle opens anything.

Arelle opens any local path or URL an instance names (ARELLE.md), so every
reference is checked here first: exactly one schemaRef, the reporting year's
registered entry point; no linkbaseRef, roleRef or arcroleRef outside that
year's package; schema location hints only for the package or the XBRL
standard schemas Arelle carries.
"""

from __future__ import annotations

from lxml import etree

from .intake import Document
from .registry import Registry
from .report import Finding, finding

LINK = "http://www.xbrl.org/2003/linkbase"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Standard schemas that ship inside Arelle: hints to them are harmless.
STANDARD_PREFIXES = ("http://www.xbrl.org/", "http://xbrl.org/", "http://www.w3.org/")


def _error(nl: str, en: str, doc: Document, element: etree._Element | None = None) -> Finding:
    return finding("FR-ENTRYPOINT", "error", nl, en, file=doc.name,
                   line=element.sourceline if element is not None else None)


def check_references(doc: Document, year: int, registry: Registry) -> list[Finding]:
    """FR-ENTRYPOINT findings for `doc` filed for reporting `year` (empty when all is well)."""
    taxonomy = registry.for_year(year)
    if taxonomy is None:
        known = ", ".join(str(t.year) for t in registry.all()) or "geen / none"
        return [_error(f"Er is geen taxonomie geregistreerd voor verslagjaar {year} (wel voor: {known}).",
                       f"No taxonomy is registered for reporting year {year} (registered: {known}).", doc)]
    schema_refs = list(doc.root.iter(f"{{{LINK}}}schemaRef"))
    if len(schema_refs) != 1:
        return [_error(f"Het bestand moet precies één schemaRef hebben (naar {taxonomy.entry_point}); "
                       f"gevonden: {len(schema_refs)}.",
                       f"The file must have exactly one schemaRef (to {taxonomy.entry_point}); "
                       f"found {len(schema_refs)}.", doc, schema_refs[1] if len(schema_refs) > 1 else None)]
    href = (schema_refs[0].get(XLINK_HREF) or "").strip()
    if href != taxonomy.entry_point:
        other = next((t for t in registry.all() if t.entry_point == href), None)
        if other is not None:
            return [_error(f"Dit bestand verwijst naar de taxonomie van {other.year}; gebruik voor verslagjaar "
                           f"{year} het entrypoint {taxonomy.entry_point}.",
                           f"This file points at the {other.year} taxonomy; for reporting year {year} use the "
                           f"entry point {taxonomy.entry_point}.", doc, schema_refs[0])]
        return [_error(f"De schemaRef '{href[:200]}' is niet het entrypoint van verslagjaar {year} "
                       f"({taxonomy.entry_point}); extensietaxonomieën zijn niet toegestaan.",
                       f"The schemaRef '{href[:200]}' is not the entry point of reporting year {year} "
                       f"({taxonomy.entry_point}); extension taxonomies are not allowed.", doc, schema_refs[0])]
    findings = []
    for tag in ("linkbaseRef", "roleRef", "arcroleRef"):
        for element in doc.root.iter(f"{{{LINK}}}{tag}"):
            target = (element.get(XLINK_HREF) or "").strip()
            if not target.startswith(taxonomy.base_urls):
                findings.append(_error(
                    f"De {tag} '{target[:200]}' verwijst buiten de geregistreerde taxonomie.",
                    f"The {tag} '{target[:200]}' points outside the registered taxonomy.", doc, element))
    allowed = taxonomy.base_urls + STANDARD_PREFIXES
    for element in doc.root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in (f"{{{XSI}}}schemaLocation", f"{{{XSI}}}noNamespaceSchemaLocation"):
            value = element.get(attribute)
            if value is None:
                continue
            tokens = value.split()
            # schemaLocation is namespace/location pairs; the locations are every second token.
            locations = tokens[1::2] if attribute.endswith("}schemaLocation") else tokens
            for location in locations:
                if not location.startswith(allowed):
                    findings.append(_error(
                        f"De schemaLocation '{location[:200]}' verwijst buiten de geregistreerde taxonomie.",
                        f"The schemaLocation '{location[:200]}' points outside the registered taxonomy.",
                        doc, element))
    return findings
