"""Numbers, amounts and times as people read them, through Flask-Babel: Dutch notation on Dutch
pages (1.522.407; 0,35; 1 juli), British on English ones (1,522,407; 0.35), and every time in
Dutch time (Europe/Amsterdam), the time the deadline is set in, with summer time.

Machine formats keep plain values: the API, the report and receipt JSON, OCW's CSV, Parquet
and XLSX downloads. Only what a person reads on a page goes through these filters:

    {{ total|amount }}       € 1.522.407          (whole euros)
    {{ value|number(2) }}    0,35
    {{ change|percent }}     +4,2%
    {{ size|filesize }}      21.329 bytes
    {{ at|moment }}          01-07-2027 00:00     (Amsterdam time)
    {{ at|day }}             01-07-2027
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from decimal import Decimal
from typing import Any

from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from flask import Flask
from flask_babel import Babel

from taxonomies.model import concepts

from .i18n import LOCALES, language


TIMEZONE = "Europe/Amsterdam"
# Python's own time zone database, not pytz's: pytz knows no summer time after 2037, so a deadline
# set in a later year would show an hour early.
AMSTERDAM = ZoneInfo(TIMEZONE)
# Day before month in both languages (British English writes 01/07/2027); hours on the 24-hour clock.
MOMENT = {"nl": "dd-MM-yyyy HH:mm", "en": "dd/MM/yyyy HH:mm"}
DAY = {"nl": "dd-MM-yyyy", "en": "dd/MM/yyyy"}

Number = int | float | Decimal


_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")  # a fact value as XBRL writes a number


def _locale() -> str:
    return LOCALES.get(language(), "nl_NL")


# Each filter has a core that takes the language, for what is made outside a page in a chosen
# language (the PDFs, made by workers too): a page and a PDF of the same facts agree to the letter.

def number_in(lang: str, value: Number | str | None, digits: int | None = None) -> str:
    """`number` in `lang`."""
    if value is None or value == "":
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "") if digits is not None else None
    return format_decimal(Decimal(str(value)), format=pattern, locale=LOCALES.get(lang, "nl_NL"))


def amount_in(lang: str, value: Number | str | None) -> str:
    """`amount` in `lang`."""
    if value is None or value == "":
        return ""
    return format_currency(Decimal(str(value)), "EUR", format="¤ #,##0;¤ -#,##0" if lang != "en"
                           else "¤#,##0;-¤#,##0", currency_digits=False, locale=LOCALES.get(lang, "nl_NL"))


def moment_in(lang: str, value: datetime | None, seconds: bool = False) -> str:
    """`moment` in `lang`."""
    if value is None:
        return ""
    pattern = MOMENT.get(lang, MOMENT["nl"]) + (":ss" if seconds else "")
    return format_datetime(value, pattern, tzinfo=AMSTERDAM, locale=LOCALES.get(lang, "nl_NL"))


def day_in(lang: str, value: datetime | date | None) -> str:
    """`day` in `lang`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, DAY.get(lang, DAY["nl"]), tzinfo=AMSTERDAM, locale=LOCALES.get(lang, "nl_NL"))
    return value.strftime("%d/%m/%Y" if lang == "en" else "%d-%m-%Y")


def number(value: Number | str | None, digits: int | None = None) -> str:
    """`value` with the language's separators; `digits` fixes the decimals (None: as many as it has)."""
    return number_in(language(), value, digits)


def amount(value: Number | str | None) -> str:
    """An amount in whole euros with the euro sign: € 1.522.407 (nl), €1,522,407 (en)."""
    return amount_in(language(), value)


def percent(value: Number | None, signed: bool = False) -> str:
    """A share as a percentage with one decimal: 4,2% (a + before a rise when `signed`)."""
    if value is None:
        return ""
    text = format_percent(Decimal(str(value)), format="#,##0.0%", locale=_locale())
    return f"+{text}" if signed and value > 0 else text


def filesize(value: int | None) -> str:
    """A file's size in bytes, with the language's thousands separator: 21.329 bytes."""
    return "" if value is None else f"{number(value)} bytes"


def moment(value: datetime | None, seconds: bool = False) -> str:
    """A moment in Dutch time: 01-07-2027 00:00 (nl), 01/07/2027 00:00 (en)."""
    return moment_in(language(), value, seconds)


@cache
def _numeric_concepts() -> frozenset[str]:
    """The taxonomy's concepts whose facts are numbers (amounts, counts, ratios), by local name."""
    return frozenset(c.name for c in concepts() if c.type in ("monetary", "decimal", "integer"))


def fact_values_in(lang: str, values: list[str], concept: str | None) -> str:
    """A finding's values as the filing reported them, numbers in the language's notation when its
    concept is numeric (1.522.407 in Dutch): a board number, a KvK number or a name stays as written."""
    numeric = (concept or "").rsplit(":", 1)[-1] in _numeric_concepts()
    return ", ".join(number_in(lang, v) if numeric and _PLAIN_NUMBER.fullmatch(v) else v for v in values)


def fact_values(values: list[str], concept: str | None) -> str:
    """`fact_values_in` in the page's language."""
    return fact_values_in(language(), values, concept)


def day(value: datetime | date | None) -> str:
    """A day: 01-07-2027 (nl), 01/07/2027 (en); a moment is first put in Dutch time."""
    return day_in(language(), value)


def init_app(app: Flask) -> None:
    """Flask-Babel with the page's language (portal/i18n.py decides it) and Dutch time, and the filters."""
    Babel(app, locale_selector=_locale, timezone_selector=lambda: TIMEZONE)
    filters: dict[str, Any] = {"number": number, "amount": amount, "percent": percent, "filesize": filesize,
                               "moment": moment, "day": day, "fact_values": fact_values}
    app.jinja_env.filters.update(filters)
