"""A value as a form user types it (Dutch notation) or as the API sends it (XML Schema's
lexical form), to the one canonical lexical form a draft stores and an instance carries.

Canonical: numbers without "+", leading zeros or thousands separators and with a dot
for the decimals, the decimals as written (0.90 stays 0.90: they say how precise the
figure is, the instance's `decimals`); dates as yyyy-mm-dd; an enumeration list in
the order of its options; texts without leading or trailing white space.

Every refusal is an InputError: a ValueError carrying its reason in Dutch and English.
"""

from __future__ import annotations

import re
from datetime import date

from ..i18n import Message, both
from .model import Concept

MAX_STRING = 10_000  # characters of a one-line text (a name, a function, an explanation)
MAX_TEXT = 100_000  # characters of a long text (a textblock)
MAX_DIGITS = 18  # digits before the decimal point: more is no amount a school board files
MAX_DECIMALS = {"monetary": 2, "decimal": 10, "integer": 0}
_LEXICAL_NUMBER = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
# Characters XML 1.0 cannot carry (control characters other than tab, newline and carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")


class InputError(ValueError):
    """A value that does not fit its concept: `message` says why in both languages, str() in English."""

    def __init__(self, message: Message) -> None:
        super().__init__(message["en"])
        self.message = message


def _number(sign: str, whole: str, fraction: str, concept: Concept) -> str:
    """The canonical form of a number split into its parts, within the concept's limits."""
    whole = whole.lstrip("0") or "0"
    if len(whole) > MAX_DIGITS:
        raise InputError(both("The number has more than %(count)s digits before the decimal point.",
                              count=MAX_DIGITS))
    if concept.kind == "integer" and fraction.strip("0"):
        raise InputError(both("Enter a whole number, e.g. 1.234."))
    if concept.kind == "integer":
        fraction = ""
    if len(fraction) > MAX_DECIMALS.get(concept.kind, 10):
        if concept.kind == "monetary":
            raise InputError(both("An amount has at most two decimals (cents)."))
        raise InputError(both("The number has more than %(count)s decimals.", count=MAX_DECIMALS["decimal"]))
    zero = not whole.strip("0") and not fraction.strip("0")
    if sign == "-" and not zero and concept.nonnegative:
        raise InputError(both("The number cannot be negative."))
    text = ("-" if sign == "-" and not zero else "") + whole
    return f"{text}.{fraction}" if fraction else text


def _date(year: str, month: str, day: str, shown: str) -> str:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise InputError(both("%(date)s is not a date in the calendar.", date=shown)) from None


def _options(concept: Concept, tokens: list[str], typed: bool) -> str:
    """The canonical value of an enumeration: the option itself (in a list, in the options' order).
    A form user may type an option in other capitals (`typed`); the API must send it exactly."""
    chosen = []
    for token in tokens:
        match = next((o for o in concept.options if o == token or (typed and o.lower() == token.lower())), None)
        if match is None:
            options = ", ".join(concept.options)
            if concept.kind == "enum":
                raise InputError(both("%(value)s is not one of: %(options)s.", value=token, options=options))
            raise InputError(both("%(value)s is not one of: %(options)s (separate several with spaces).",
                                  value=token, options=options))
        chosen.append(match)
    if not chosen:
        raise InputError(both("Choose one of: %(options)s.", options=", ".join(concept.options)))
    if concept.kind == "enum" and len(chosen) > 1:
        raise InputError(both("Choose one of: %(options)s.", options=", ".join(concept.options)))
    return " ".join(o for o in concept.options if o in chosen)


def _text(concept: Concept, value: str) -> str:
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InputError(both("The value is empty: leave the fact out instead."))
    if _NOT_XML.search(text):
        raise InputError(both("The text contains a control character, which cannot be filed."))
    limit = MAX_TEXT if concept.kind == "text" else MAX_STRING
    if len(text) > limit:
        raise InputError(both("The text is longer than %(count)s characters.", count=limit))
    return text


def canonical(concept: Concept, value: str) -> str:
    """An XML Schema lexical value (as the API and an instance carry it) in canonical form."""
    if concept.numeric:
        match = _LEXICAL_NUMBER.fullmatch(value.strip())
        if not match or not (match.group(2) or match.group(3)):
            if concept.kind == "monetary":
                raise InputError(both("%(value)s is not an amount as the API writes it (e.g. 1234567 or -41902.50).",
                                      value=value[:40]))
            if concept.kind == "integer":
                raise InputError(both("%(value)s is not a whole number as the API writes it (e.g. 1234).",
                                      value=value[:40]))
            raise InputError(both("%(value)s is not a number as the API writes it (e.g. 0.90).", value=value[:40]))
        return _number(match.group(1), match.group(2), match.group(3) or "", concept)
    if concept.kind == "date":
        match = _ISO_DATE.fullmatch(value.strip())
        if not match:
            raise InputError(both("%(value)s is not a date as the API writes it (yyyy-mm-dd).", value=value[:40]))
        return _date(*match.groups(), shown=value.strip())
    if concept.kind in ("enum", "enum-list"):
        return _options(concept, value.split(), typed=False)
    return _text(concept, value)


def _dutch_number(concept: Concept, text: str) -> str:
    """Dutch notation: a dot between thousands, a comma before the decimals; also a lone dot
    for the decimals where it cannot be a thousands separator (0.9, 1234.5)."""
    body = _SPACES.sub("", text.replace("€", "")).replace("\u2212", "-")  # also a typographic minus
    if concept.kind == "monetary":
        body = re.sub(r"(?i)eur", "", body)
    sign = ""
    if body[:1] in "+-" and body:
        sign, body = body[0], body[1:]
    if not body or not re.fullmatch(r"[\d.,]+", body) or body.count(",") > 1 or not re.search(r"\d", body):
        if concept.kind == "monetary":
            raise InputError(both("Enter an amount, e.g. 1.234.567 or -41.902."))
        if concept.kind == "integer":
            raise InputError(both("Enter a whole number, e.g. 1.234."))
        raise InputError(both("Enter a number, e.g. 0,90."))
    whole, _, fraction = body.partition(",")
    if "," in body and "." in fraction:
        raise InputError(both("Write the number in Dutch notation: a dot between thousands, a comma before "
                              "the decimals (1.234.567,50)."))
    if "." in whole:
        if _THOUSANDS.fullmatch(whole):
            whole = whole.replace(".", "")
        elif "," not in body and concept.kind != "integer" and _decimal_point(whole):
            whole, fraction = whole.split(".")
        else:
            raise InputError(both("Write the number in Dutch notation: a dot between thousands, a comma before "
                                  "the decimals (1.234.567,50)."))
    return _number(sign, whole, fraction, concept)


def _decimal_point(number: str) -> bool:
    """Whether the one dot in `number` can only be a decimal point: 0.9 or 1234.50 (not three digits
    after it, which would be a thousand), or 0.900 (no thousands start with a zero)."""
    whole, dot, fraction = number.partition(".")
    if not dot or "." in fraction or not fraction.isdigit() or (whole and not whole.isdigit()):
        return False
    return len(fraction) != 3 or whole in ("", "0")


def dutch(concept: Concept, text: str) -> str:
    """What a form user typed (Dutch notation, dd-mm-jjjj dates) in canonical form."""
    value = text.strip()
    if not value:
        raise InputError(both("The field is empty."))
    if concept.numeric:
        return _dutch_number(concept, value)
    if concept.kind == "date":
        match = _DUTCH_DATE.fullmatch(value)
        if match:
            day, month, year = match.groups()
            return _date(year, month, day, value)
        match = _ISO_DATE.fullmatch(value)
        if match:
            return _date(*match.groups(), shown=value)
        raise InputError(both("Enter a date as dd-mm-yyyy, e.g. 12-06-2026."))
    if concept.kind in ("enum", "enum-list"):
        return _options(concept, [t for t in re.split(r"[\s,;]+", value) if t], typed=True)
    return _text(concept, value)


def decimals(value: str) -> str:
    """The `decimals` of a canonical number: how many digits it has after the point."""
    return str(len(value.partition(".")[2]))
