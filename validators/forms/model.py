"""The online forms of a reporting year, made from its registered Taxonomy Package.

One form per statement (a presentation role), its rows in presentation order with
their depth, labels in Dutch and English, the input a concept takes from its type,
and its columns from what the statement shows (the rule below), so a new year's
package brings its forms without code changes:

- a statement showing an explicit axis with a member other than its default (the
  budget scenario): "t" (actual) and "t+1".."t+3" in that member (the forecasts);
- a statement showing a typed axis (the senior official): "t", one block per official;
- a statement with numbers and no axis: "t" and "t-1" (the comparative column);
- otherwise (texts and dates only): "t".
Non-numeric concepts have a cell in column "t" only; headings (abstract rows) none.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..arelle.extract import FILING_RULES_NS
from ..registry import read_package
from .dts import XBRLI, Taxonomy, read
from .layout import Layout, statements_of
from .package import Package, PackageError

NUMERIC = ("monetary", "decimal", "integer")
_XBRLI_KINDS = {
    "monetaryItemType": "monetary", "decimalItemType": "decimal", "floatItemType": "decimal",
    "doubleItemType": "decimal", "pureItemType": "decimal", "integerItemType": "integer",
    "nonNegativeIntegerItemType": "integer", "positiveIntegerItemType": "integer", "longItemType": "integer",
    "intItemType": "integer", "shortItemType": "integer", "byteItemType": "integer",
    "unsignedLongItemType": "integer", "unsignedIntItemType": "integer", "unsignedShortItemType": "integer",
    "unsignedByteItemType": "integer", "dateItemType": "date", "booleanItemType": "enum",
}
_NONNEGATIVE = {"nonNegativeIntegerItemType", "positiveIntegerItemType", "unsignedLongItemType",
                "unsignedIntItemType", "unsignedShortItemType", "unsignedByteItemType"}
# What edu-fr:input may say about a string: "textblock", a long text (a text area).
_INPUT_KINDS = {"textblock": "text"}


@dataclass(frozen=True)
class Concept:
    """A concept as a form asks for it."""

    name: str
    kind: str  # monetary | decimal | integer | date | string | text | enum | enum-list
    period_type: str  # instant | duration
    balance: str | None
    labels: dict[str, str]  # {"nl": ..., "en": ...} standard labels
    required: str  # yes | no | conditional (edu-fr:required)
    options: tuple[str, ...] = ()  # enum / enum-list values
    namespace: str = ""
    nonnegative: bool = False  # the type allows no value below 0 (a count); an addition to the interface

    @property
    def numeric(self) -> bool:
        """Monetary, decimal and integer concepts: a unit and decimals in the instance."""
        return self.kind in NUMERIC

    @property
    def unit(self) -> str | None:
        """The unit a fact of this concept carries: euros for amounts, pure for other numbers."""
        if self.kind == "monetary":
            return "iso4217:EUR"
        return "xbrli:pure" if self.numeric else None


@dataclass(frozen=True)
class Column:
    """One period column of a form (a year, in the actual figures or a scenario member)."""

    key: str  # "t", "t-1", "t+1", "t+2", "t+3"
    year: int
    member: str | None  # None (actual) or the explicit member, e.g. "edu:BudgetMember"
    labels: dict[str, str]

    def period(self, concept: Concept) -> str:
        """The concept's period in this column: 31 December (instant) or the calendar year (duration)."""
        if concept.period_type == "instant":
            return f"{self.year}-12-31"
        return f"{self.year}-01-01/{self.year}-12-31"


@dataclass(frozen=True)
class Row:
    """One line of a form."""

    concept: str
    depth: int  # 0 = directly under the statement's heading
    abstract: bool  # a heading, no input
    total: bool  # a calculation parent (in this statement or another of the package)


@dataclass(frozen=True)
class Statement:
    """One form: a presentation role with its rows and columns."""

    id: str  # the role URI's last path segment
    role: str
    order: int  # the number the role's definition starts with
    labels: dict[str, str]  # from the definition "200 - Balans (Balance sheet)"
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    per_official: bool  # shows the typed axis: one block of cells per official
    axis: str | None  # the axis it shows, e.g. "edu:ScenarioAxis"
    calculations: dict[str, tuple[tuple[str, float], ...]]  # this role's parent -> ((child, weight), ...)


@dataclass(frozen=True)
class Cell:
    """One input: a row in a column, with its period."""

    concept: str
    column: str
    period: str


@dataclass(frozen=True)
class FormSet:
    """Every form of one reporting year."""

    year: int
    entry_point: str
    namespace: str
    prefix: str
    statements: tuple[Statement, ...]
    concepts: dict[str, Concept]
    official_axis: str | None
    scenario_axis: str | None
    typed_member: str | None = None  # the typed axis's member element, "edu:OfficialId" (an addition)

    def statement(self, id: str) -> Statement:
        """The statement `id` (KeyError when unknown)."""
        for statement in self.statements:
            if statement.id == id:
                return statement
        raise KeyError(id)

    def concept(self, name: str) -> Concept:
        """The concept `name`, local name (KeyError when unknown)."""
        return self.concepts[name]

    def cells(self, statement: Statement) -> list[tuple[Row, list[Cell | None]]]:
        """Per row, one entry per column: its Cell, or None where the row takes no input there."""
        result = []
        for row in statement.rows:
            concept = self.concepts[row.concept]
            cells: list[Cell | None] = []
            for column in statement.columns:
                if row.abstract or (not concept.numeric and column.key != "t"):
                    cells.append(None)
                else:
                    cells.append(Cell(row.concept, column.key, column.period(concept)))
            result.append((row, cells))
        return result

    def mandatory(self) -> list[str]:
        """The concepts a filing must report (required == "yes"), in form order."""
        return [name for name, concept in self.concepts.items() if concept.required == "yes"]

    @cached_property
    def slots(self) -> dict[str, dict[tuple[tuple[str, str], ...], set[str]]]:
        """concept -> dimensions -> the periods it has a cell for, over every statement. Dimensions are
        sorted (axis, member) pairs; a per-official statement's pair holds "*" for any official."""
        found: dict[str, dict[tuple[tuple[str, str], ...], set[str]]] = {}
        for statement in self.statements:
            for row, cells in self.cells(statement):
                for column, cell in zip(statement.columns, cells, strict=True):
                    if cell is None:
                        continue
                    if statement.per_official and statement.axis:
                        dims: tuple[tuple[str, str], ...] = ((statement.axis, "*"),)
                    elif column.member and statement.axis:
                        dims = ((statement.axis, column.member),)
                    else:
                        dims = ()
                    found.setdefault(row.concept, {}).setdefault(dims, set()).add(cell.period)
        return found


def _kind(taxonomy: Taxonomy, name: str) -> tuple[str, tuple[str, ...], bool]:
    """(kind, options, nonnegative) of an element, from its type and its edu-fr:input hint."""
    element = taxonomy.elements[name]
    type_name = element.type
    for _ in range(20):  # a chain of restrictions; never a loop
        restriction = taxonomy.types.get(type_name)
        if restriction is None:
            break
        if restriction.enumerations:
            return "enum", restriction.enumerations, False
        if restriction.list_options:
            return "enum-list", restriction.list_options, False
        type_name = restriction.base
    local = type_name[1] if type_name[0] == XBRLI else ""
    if local == "booleanItemType":
        return "enum", ("true", "false"), False
    kind = _XBRLI_KINDS.get(local, "string")
    if kind == "string":
        kind = _INPUT_KINDS.get(element.attributes.get(f"{{{FILING_RULES_NS}}}input", ""), "string")
    return kind, (), local in _NONNEGATIVE


def _concept(taxonomy: Taxonomy, name: str) -> Concept:
    element = taxonomy.elements[name]
    kind, options, nonnegative = _kind(taxonomy, name)
    found = taxonomy.labels.get(name, {})
    labels = {lang: found.get(lang) or found.get("nl") or found.get("en") or name for lang in ("nl", "en")}
    return Concept(name=name, kind=kind, period_type=element.period_type or "duration", balance=element.balance,
                   labels=labels, required=element.attributes.get(f"{{{FILING_RULES_NS}}}required", "no"),
                   options=options, namespace=element.namespace, nonnegative=nonnegative)


def read_forms(package: Path, year: int) -> FormSet:
    """The forms of `year` read from `package` now (forms_for caches them)."""
    taxonomies = [t for t in read_package(package) if t.year == year]
    if not taxonomies:
        raise PackageError(f"{package.name} has no entry point for reporting year {year}")
    entry_point = taxonomies[0].entry_point
    documents = Package(package).documents(entry_point)
    namespace = _concept_namespace(documents.schemas)
    taxonomy = read(documents, namespace)
    layouts: list[Layout] = statements_of(taxonomy)
    concepts = {}
    for layout in layouts:
        for concept, *_ in layout.rows:
            concepts.setdefault(concept, _concept(taxonomy, concept))
    prefix = next(iter(taxonomy.elements.values())).prefix if taxonomy.elements else ""
    statements = tuple(_statement(layout, year, concepts, prefix) for layout in layouts)
    typed = next((layout for layout in layouts if layout.typed_member), None)
    official = f"{prefix}:{typed.axis}" if typed else None
    scenario = next((f"{prefix}:{layout.axis}" for layout in layouts if layout.member), None)
    return FormSet(year=year, entry_point=entry_point, namespace=namespace, prefix=prefix, statements=statements,
                   concepts=concepts, official_axis=official, scenario_axis=scenario,
                   typed_member=f"{prefix}:{typed.typed_member}" if typed else None)


def _concept_namespace(schemas: dict) -> str:
    """The namespace of the concepts: that of the schema defining the most xbrli items."""
    best, count = "", -1
    for schema in schemas.values():
        items = sum(1 for node in schema if str(node.get("substitutionGroup", "")).endswith(":item"))
        if schema.get("targetNamespace") and items > count:
            best, count = schema.get("targetNamespace"), items
    return best


def _statement(layout: Layout, year: int, concepts: dict[str, Concept], prefix: str) -> Statement:
    """A Statement with its columns by the rule of this module's docstring."""
    actual = Column("t", year, None, {"nl": str(year), "en": str(year)})
    per_official = layout.typed_member is not None
    if layout.member:
        member = f"{prefix}:{layout.member}"
        columns = (actual,) + tuple(
            Column(f"t+{k}", year + k, member,
                   {lang: f"{name} {year + k}" for lang, name in layout.member_labels.items()})
            for k in (1, 2, 3))
    elif not per_official and layout.axis is None and any(
            concepts[concept].numeric for concept, _depth, abstract, _total in layout.rows if not abstract):
        columns = (actual, Column("t-1", year - 1, None, {"nl": str(year - 1), "en": str(year - 1)}))
    else:
        columns = (actual,)
    rows = tuple(Row(concept, depth, abstract, total) for concept, depth, abstract, total in layout.rows)
    return Statement(id=layout.role.rstrip("/").rsplit("/", 1)[-1], role=layout.role, order=layout.order,
                     labels=layout.labels, rows=rows, columns=columns, per_official=per_official,
                     axis=f"{prefix}:{layout.axis}" if layout.axis else None, calculations=layout.calculations)


_cache: dict[tuple[str, int], tuple[tuple[int, int], FormSet]] = {}
_lock = threading.Lock()


def forms_for(package: Path, year: int) -> FormSet:
    """The forms of reporting `year` from its package zip (`Registry().for_year(year).package`), read once
    per process and again only when the file changes (its mtime or size). PackageError (a ValueError)
    when the package cannot be read or has no entry point for `year`."""
    path = Path(package).resolve()
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = (str(path), year)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
    forms = read_forms(path, year)  # outside the lock: reading takes a moment, a second reader may race
    with _lock:
        _cache[key] = (stamp, forms)
    return forms


__all__ = ["Cell", "Column", "Concept", "FormSet", "Row", "Statement", "forms_for", "read_forms"]
