"""Plain Dutch and English for Arelle's own message codes.

Arelle speaks English, in the language of the XBRL specifications. A school's
financial officer needs to know what to fix: the codes filers meet most get
a plain explanation in both languages; any other code keeps Arelle's text,
introduced in Dutch, so nothing is hidden.
"""

from __future__ import annotations

import re
from typing import Any

# Arelle names schema particles with its internal object number ("ModelSequence[755, file line 761]"):
# meaningless to a reader, and different from one run to the next.
_OBJECT_NUMBER = re.compile(r"\b(Model\w+)\[\d+, ")

# code (or code prefix ending in ":") -> (Dutch, English); {label} {value} {context} and Arelle's args may be used.
PLAIN: dict[str, tuple[str, str]] = {
    "calc11e:inconsistentCalculationUsingRounding": (
        "De optelling klopt niet: {label} ({value}) is niet gelijk aan de som van de onderliggende posten "
        "(berekend: {computedSum}) in context {contextID}. Controleer het totaal en de posten eronder.",
        "The sum does not add up: {label} ({value}) differs from the sum of its items "
        "(computed: {computedSum}) in context {contextID}. Check the total and the items under it."),
    "xbrl:schemaImportMissing": (
        "Het bestand gebruikt begrippen die niet in de taxonomie van het gekozen verslagjaar staan. "
        "Gebruik het entrypoint van dat jaar.",
        "The file uses concepts that are not in the chosen reporting year's taxonomy. "
        "Use that year's entry point."),
    "xmlSchema:elementUnexpected": (
        "Het bestand bevat een element dat hier niet mag staan, bijvoorbeeld een begrip dat niet in de "
        "taxonomie van het verslagjaar voorkomt of een element op de verkeerde plaats.",
        "The file has an element that is not allowed here, for example a concept that is not in the "
        "reporting year's taxonomy, or an element in the wrong place."),
    "xmlSchema:valueError": (
        "Een waarde heeft niet de juiste vorm voor {label}: {value}. Controleer bijvoorbeeld bedragen, datums "
        "en keuzelijsten.",
        "A value has the wrong form for {label}: {value}. Check amounts, dates and choice lists, for example."),
    "xbrldie:": (
        "De dimensies van een context passen niet bij {label} (bijvoorbeeld een scenario of topfunctionaris "
        "waar dat niet mag, of ontbrekend).",
        "A context's dimensions do not fit {label} (for example a scenario or senior official where none is "
        "allowed, or a missing one)."),
    "formula:maxRunTime": (
        "De controle van de bedrijfsregels duurde te lang en is afgebroken.",
        "Checking the business rules took too long and was stopped."),
    "formula:varSetTimeout": (
        "De controle van een bedrijfsregel duurde te lang en is afgebroken.",
        "Checking a business rule took too long and was stopped."),
    "ix11.": (
        "Het inline XBRL-document volgt de Inline XBRL 1.1-regels niet.",
        "The inline XBRL document does not follow the Inline XBRL 1.1 rules."),
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def plain(code: str, arelle_text: str, args: dict[str, Any], value: str | None,
          labels: tuple[str, str] | None) -> dict[str, str]:
    """The {"nl", "en"} message for an Arelle code; the technical text is kept after the explanation."""
    template = PLAIN.get(code) or next((t for prefix, t in PLAIN.items()
                                        if prefix.endswith((":", ".")) and code.startswith(prefix)), None)
    technical = _OBJECT_NUMBER.sub(r"\1[", arelle_text.strip())
    if template is None:
        return {"nl": f"XBRL-controle ({code}): {technical}", "en": technical}
    fill = _Blank({k: str(v) for k, v in args.items()})
    fill.update(label=labels[0] if labels else "een gegeven", value=value if value is not None else "?")
    nl = template[0].format_map(fill)
    fill["label"] = labels[1] if labels else "a fact"
    en = template[1].format_map(fill)
    return {"nl": f"{nl} [{technical}]", "en": f"{en} [{technical}]"}


def split_assertion_message(text: str) -> dict[str, str]:
    """The taxonomy's assertion messages hold both languages: '[nl] ... [en] ...'."""
    body = text.strip()
    if body.startswith("[nl] ") and " [en] " in body:
        nl, en = body[5:].split(" [en] ", 1)
        return {"nl": nl.strip(), "en": en.strip()}
    return {"nl": body, "en": body}
