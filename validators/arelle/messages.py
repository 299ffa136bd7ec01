"""Plain Dutch and English for Arelle's own message codes.

Arelle speaks English, in the language of the XBRL specifications. A school's
financial officer needs to know what to fix: the codes filers meet most get
a plain explanation in both languages; any other code keeps Arelle's text,
introduced in Dutch, so nothing is hidden.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from ..i18n import both, mark, say

# Arelle names schema particles with its internal object number ("ModelSequence[755, file line 761]"):
# meaningless to a reader, and different from one run to the next.
_OBJECT_NUMBER = re.compile(r"\b(Model\w+)\[\d+, ")

# code (or code prefix ending in ":" or ".") -> the plain text; %(label)s and %(value)s are the first fact's,
# %(computedSum)s and %(contextID)s Arelle's arguments of the same names ("?" when Arelle gives none).
PLAIN: dict[str, str] = {
    "calc11e:inconsistentCalculationUsingRounding": mark(
        "The sum does not add up: %(label)s (%(value)s) differs from the sum of its items "
        "(computed: %(computedSum)s) in context %(contextID)s. Check the total and the items under it."),
    "xbrl:schemaImportMissing": mark(
        "The file uses concepts that are not in the chosen reporting year's taxonomy. "
        "Use that year's entry point."),
    "xmlSchema:elementUnexpected": mark(
        "The file has an element that is not allowed here, for example a concept that is not in the "
        "reporting year's taxonomy, or an element in the wrong place."),
    "xmlSchema:valueError": mark(
        "A value has the wrong form for %(label)s: %(value)s. Check amounts, dates and choice lists, for example."),
    "xbrldie:": mark(
        "A context's dimensions do not fit %(label)s (for example a scenario or senior official where none is "
        "allowed, or a missing one)."),
    "formula:maxRunTime": mark("Checking the business rules took too long and was stopped."),
    "formula:varSetTimeout": mark("Checking a business rule took too long and was stopped."),
    "ix11.": mark("The inline XBRL document does not follow the Inline XBRL 1.1 rules."),
}
_ARGS = ("computedSum", "contextID")  # the Arelle arguments the texts above use


def plain(code: str, arelle_text: str, args: dict[str, Any], value: str | None,
          labels: tuple[str, str] | None) -> dict[str, str]:
    """The {"nl", "en"} message for an Arelle code; the technical text is kept after the explanation."""
    template = PLAIN.get(code) or next((t for prefix, t in PLAIN.items()
                                        if prefix.endswith((":", ".")) and code.startswith(prefix)), None)
    technical = _OBJECT_NUMBER.sub(r"\1[", arelle_text.strip())
    if template is None:  # Arelle's own (English) text, introduced in Dutch
        return {"nl": say("nl", "XBRL check (%(code)s)", code=code) + ": " + technical, "en": technical}
    label = {"nl": labels[0], "en": labels[1]} if labels else both("a fact")
    message = both(template, label=label, value=value if value is not None else "?",
                   **{name: str(args[name]) if name in args else "?" for name in _ARGS})
    return {lang: f"{text} [{technical}]" for lang, text in message.items()}


# A number on its own in an assertion's message: not part of a date ("2025-12-31"), a name or a code.
_NUMBER = re.compile(r"(?<![\w.,/-])-?\d+(?:\.\d+)?(?![\w/-]|[.,]\d)")
_LOCALE = {"nl": "nl_NL", "en": "en_GB"}


def _readable(text: str, lang: str, values: frozenset[str]) -> str:
    """The numbers in an assertion's message in the language's notation: 1.522.407 and 0,8 in Dutch,
    1,522,407 and 0.8 in English (XPath puts them in plain digits). A year stays a year: a number
    from 1900 to 2100 is left alone unless it is one of the facts the assertion is about."""
    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        number = Decimal(token)
        if "." not in token and 1900 <= number <= 2100 and token not in values:
            return token
        return format_decimal(number, format="#,##0.######", locale=_LOCALE[lang])
    return _NUMBER.sub(one, text)


def split_assertion_message(text: str, values: list[str] | None = None) -> dict[str, str]:
    """The taxonomy's assertion messages hold both languages: '[nl] ... [en] ...'; their numbers are
    put in each language's notation (`values`: the facts the assertion is about, as reported)."""
    body = text.strip()
    nl, en = body, body
    if body.startswith("[nl] ") and " [en] " in body:
        nl, en = (part.strip() for part in body[5:].split(" [en] ", 1))
    shown = frozenset(values or ())
    return {"nl": _readable(nl, "nl", shown), "en": _readable(en, "en", shown)}
