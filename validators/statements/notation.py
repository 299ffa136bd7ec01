"""A fact's value as a reader of the statements sees it: Dutch notation (or English), never changed
in what it says. Amounts and counts get thousands separators, decimals the language's decimal sign,
dates the day first; texts and codes stay as filed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

NUMERIC = ("monetary", "decimal", "integer")
_BOOLEANS = {"nl": {"true": "ja", "false": "nee"}, "en": {"true": "yes", "false": "no"}}


def _number(value: str, lang: str) -> str:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    sign, digits = ("-", -number) if number < 0 else ("", number)
    whole, _, fraction = f"{digits:f}".partition(".")
    group, point = (".", ",") if lang != "en" else (",", ".")
    grouped = f"{int(whole):,}".replace(",", group)
    return sign + grouped + (point + fraction if fraction else "")


def _date(value: str, lang: str) -> str:
    text = value.strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}" if lang == "en" else f"{text[8:10]}-{text[5:7]}-{text[0:4]}"
    return value


def shown(kind: str, value: str | None, lang: str = "nl") -> str:
    """`value` (as filed) of a concept of `kind` (validators.forms Concept.kind) in `lang`'s
    notation: 1.234.567 and 0,25 in Dutch, 1,234,567 and 0.25 in English, dates 31-12-2025 (nl) or
    31/12/2025 (en), true/false as ja/nee; a value that is not what its kind says stays as filed.
    None (a nil fact) is the empty string."""
    if value is None:
        return ""
    if kind in NUMERIC:
        return _number(value, lang)
    if kind == "date":
        return _date(value, lang)
    if kind == "enum" and value.strip() in ("true", "false"):
        return _BOOLEANS.get(lang, _BOOLEANS["nl"])[value.strip()]
    return value


def period_label(period: str, lang: str = "nl") -> str:
    """A period as a column heads it: an instant as its day (31-12-2025), a calendar year as the year
    (2025), any other duration as its first and last day."""
    if "/" not in period:
        return _date(period, lang)
    start, end = period.split("/", 1)
    if start[4:] == "-01-01" and end[4:] == "-12-31" and start[:4] == end[:4]:
        return start[:4]
    return f"{_date(start, lang)} – {_date(end, lang)}"
