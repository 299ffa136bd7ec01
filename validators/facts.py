"""The facts Arelle read, as the engine, the rules, the signals and the portal's stores see them.

A fact stays a plain dict (the worker sends it as plain data, the report keeps
it for the portal's fact store, and tests build partial ones): `Fact` names
its keys and their types for the type checker. "A fact of the reporting year"
is decided here, once (`is_reporting_year_fact`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict


class Fact(TypedDict):
    """One fact of a filing."""

    concept: str  # prefixed QName, e.g. "edu:Assets"
    local: str  # the local name, the same in every year's namespace
    namespace: str
    label: str  # Dutch label
    label_en: str
    monetary: bool
    text: bool  # a string item (xml:lang matters)
    context: str
    period: str | None  # "2025-12-31", "2025-01-01/2025-12-31" or "forever"
    period_type: str  # "instant" or "duration"
    dimensions: dict[str, str]  # axis QName -> member QName, or the typed member's value
    entity: list[str] | None  # [scheme, identifier]
    unit: str | None  # e.g. "iso4217:EUR"
    unit_id: str | None
    decimals: str | None
    value: str | None  # as filed; None when nil
    lang: str | None
    numeric: bool
    line: int | None


class Label(TypedDict):
    """A mandatory-flagged concept's labels and the statement that shows it."""

    nl: str
    en: str
    statement: str | None


# What the portal keeps of each fact to show a filing's statements and compare versions without
# reading the file again: what identifies it and what it says, not Arelle's bookkeeping.
KEPT = ("concept", "local", "namespace", "period", "dimensions", "unit", "decimals", "value", "lang")


def kept(facts: list[Fact]) -> list[dict[str, Any]]:
    """The facts as the portal stores them per version (keys `KEPT`), in the file's order."""
    return [{key: fact.get(key) for key in KEPT} for fact in facts]


def year_end(year: int) -> str:
    """The last day of reporting `year`, as the periods of its facts end: "2025-12-31"."""
    return f"{year}-12-31"


def year_duration(year: int) -> str:
    """Reporting `year` as a duration period: "2025-01-01/2025-12-31"."""
    return f"{year}-01-01/{year_end(year)}"


def ends_in(period: str | None, year: int) -> bool:
    """Whether a period ("2025-12-31" or "2025-01-01/2025-12-31") ends on the last day of `year`."""
    return period is not None and period.split("/")[-1] == year_end(year)


def is_reporting_year_fact(fact: Mapping[str, Any], year: int) -> bool:
    """A fact about reporting `year` itself: no dimensions (so the actual figures, not a forecast or
    one senior official's), and a period that ends on 31 December of that year (an instant at the
    balance sheet date, or the year's duration)."""
    return not fact["dimensions"] and ends_in(fact["period"], year)
