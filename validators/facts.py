"""The facts Arelle read, as the engine, the rules, the signals and the portal's stores see them.

A fact stays a plain dict (the worker sends it as plain data, the report keeps
it for the portal's fact store, and tests build partial ones): `Fact` names
its keys and their types for the type checker.
"""

from __future__ import annotations

from typing import TypedDict


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
