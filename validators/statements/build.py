"""A filing's facts laid out as its statements: the taxonomy's presentation (rows in order, depth,
totals, labels) and a column per period and scenario or official that the facts hold.

The columns come from the facts, never from what a form would ask: a reader sees what the file
says. A fact belongs to a statement when its concept is a row there and its dimensions are on the
statement's own axis (none for the balance sheet; the budget scenario in the continuity section;
the official in the WNT table). A fact no statement shows (a concept outside the presentation, or
dimensions no statement has) is listed under "other facts", so every fact of the file is shown
somewhere and nothing is shown that is not in it.

Calendar periods share one column per year: the instant at 31 December and the year's duration
(the balance sheet date and the year it closes), so a statement mixing both reads as one column
"2025"; any other period is a column of its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..forms import FormSet
from ..forms.model import Statement
from .notation import period_label

OTHER = "other"  # the id of the section with the facts no statement shows
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Column:
    """One column: a period (a calendar year, or a period of its own) with dimensions."""

    key: str  # the period ("2025" for a calendar year) and the dimensions, as one stable string
    period: str  # the year's duration for a calendar year, otherwise the period as filed
    instant: str | None  # the instant the column also holds (31 December of a calendar year)
    dimensions: dict[str, str]
    labels: dict[str, str]  # {"nl", "en"}: "2025", "Begroting 2026", "TF1 2025"


@dataclass
class Line:
    """One row of a statement: a concept, with its value (as filed) per column."""

    concept: str  # local name
    labels: dict[str, str]
    depth: int
    abstract: bool  # a heading
    total: bool  # a calculation parent
    kind: str  # validators.forms Concept.kind ("heading" for an abstract row)
    values: list[str | None] = field(default_factory=list)
    filed: list[bool] = field(default_factory=list)  # per column: a fact is there (a nil fact's value is None)

    @property
    def empty(self) -> bool:
        """No fact in any column."""
        return not any(self.filed)


@dataclass
class Sheet:
    """One statement as the filing fills it."""

    id: str  # the role's last path segment, or OTHER
    role: str
    labels: dict[str, str]
    columns: list[Column]
    lines: list[Line]

    def shown(self, empty: bool = False) -> list[Line]:
        """The lines a reader sees: those with a value, and the headings above them (`empty`: all)."""
        if empty:
            return list(self.lines)
        keep = [not line.empty for line in self.lines]
        for index in range(len(self.lines) - 1, -1, -1):  # a heading stays when a line below it stays
            line = self.lines[index]
            if line.abstract and not keep[index]:
                below = self.lines[index + 1:]
                for offset, child in enumerate(below):
                    if child.depth <= line.depth:
                        break
                    if keep[index + 1 + offset]:
                        keep[index] = True
                        break
        return [line for line, kept in zip(self.lines, keep, strict=True) if kept]


def _local(qname: str) -> str:
    return qname.rsplit(":", 1)[-1]


def _calendar_year(period: str) -> int | None:
    """The year of a period that is an instant at 31 December or a calendar year's duration."""
    if "/" in period:
        start, end = period.split("/", 1)
        if start[4:] == "-01-01" and end[4:] == "-12-31" and start[:4] == end[:4] and start[:4].isdigit():
            return int(start[:4])
        return None
    return int(period[:4]) if period[4:] == "-12-31" and period[:4].isdigit() else None


def _natural(text: str) -> tuple[Any, ...]:
    """Sort key that puts TF2 before TF10."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text))


class _Columns:
    """The columns of one sheet, made as facts arrive and ordered at the end."""

    def __init__(self, year: int, member_labels: dict[str, dict[str, str]]) -> None:
        self.year = year
        self.member_labels = member_labels
        self.found: dict[str, Column] = {}
        self._seen: dict[tuple[str, tuple[tuple[str, str], ...]], Column] = {}  # a period and dimensions met before

    def column_for(self, period: str, dimensions: dict[str, str]) -> Column:
        """The column a fact of `period` with `dimensions` goes in (made on first use)."""
        seen = (period, tuple(sorted(dimensions.items())))
        column = self._seen.get(seen)
        if column is None:
            column = self._seen[seen] = self._make(period, dimensions)
        return column

    def _make(self, period: str, dimensions: dict[str, str]) -> Column:
        calendar = _calendar_year(period)
        dims = json.dumps(dimensions, sort_keys=True, ensure_ascii=False)
        key = f"{calendar if calendar is not None else period}|{dims}"
        column = self.found.get(key)
        if column is None:
            column = Column(key=key, period=f"{calendar}-01-01/{calendar}-12-31" if calendar is not None else period,
                            instant=f"{calendar}-12-31" if calendar is not None else None,
                            dimensions=dict(sorted(dimensions.items())),
                            labels={lang: self._label(period, calendar, dimensions, lang) for lang in ("nl", "en")})
            self.found[key] = column
        return column

    def _label(self, period: str, calendar: int | None, dimensions: dict[str, str], lang: str) -> str:
        when = str(calendar) if calendar is not None else period_label(period, lang)
        parts = []
        for axis, member in sorted(dimensions.items()):
            labels = self.member_labels.get(member)
            parts.append(labels[lang] if labels else member.rsplit(":", 1)[-1] if ":" in member else member)
        return " ".join(parts + [when])

    def ordered(self) -> list[Column]:
        """Without dimensions first, then by member; within each, the reporting year, the years
        before it (latest first), then the years after it (the forecasts, earliest first)."""
        def when(column: Column) -> tuple[int, float]:
            end = column.instant or column.period.split("/")[-1]
            year = int(end[:4]) if end[:4].isdigit() else self.year
            if year <= self.year:
                return 0, -year + (0 if column.instant else 0.5)
            return 1, year

        return sorted(self.found.values(),
                      key=lambda c: (bool(c.dimensions), [_natural(m) for _, m in sorted(c.dimensions.items())],
                                     when(c), c.period))


def _member_labels(forms: FormSet) -> dict[str, dict[str, str]]:
    """The scenario members' labels, from the forms' columns ("Begroting 2026" -> "Begroting")."""
    found: dict[str, dict[str, str]] = {}
    for statement in forms.statements:
        for column in statement.columns:
            if column.member:
                found[column.member] = {lang: text[:-len(str(column.year))].strip() if text.endswith(str(column.year))
                                        else text for lang, text in column.labels.items()}
    return found


def _fits(statement: Statement, dimensions: dict[str, str]) -> bool:
    """Whether a fact with `dimensions` is shown in `statement`: none, or only the statement's axis."""
    if not dimensions:
        return True
    axis = _local(statement.axis) if statement.axis else None
    return axis is not None and all(_local(name) == axis for name in dimensions)


def _pick(current: tuple[str | None, bool] | None, fact: dict[str, Any], lang: str | None) -> bool:
    """Whether `fact` replaces what a cell holds: the first fact wins, except a text in the reader's
    language over one in another."""
    return current is None or (lang is not None and fact.get("lang") == lang and not current[1])


def read_statements(forms: FormSet, facts: list[dict[str, Any]], lang: str | None = None) -> list[Sheet]:
    """The statements of a filing whose kept facts are `facts` (validators.facts.kept), laid out by
    the taxonomy of `forms`; then "other facts" when some fit no statement. `lang` picks a text
    filed in several languages."""
    by_concept: dict[str, list[int]] = {}
    for index, fact in enumerate(facts):
        by_concept.setdefault(fact["local"], []).append(index)
    members = _member_labels(forms)
    placed: set[int] = set()
    sheets = []
    for statement in forms.statements:
        columns = _Columns(forms.year, members)
        cells: dict[tuple[str, str], tuple[str | None, bool]] = {}
        for row in statement.rows:
            for index in by_concept.get(row.concept, ()):
                fact = facts[index]
                if row.abstract or not fact.get("period") or not _fits(statement, fact["dimensions"]):
                    continue
                placed.add(index)
                column = columns.column_for(fact["period"], fact["dimensions"])
                current = cells.get((row.concept, column.key))
                if _pick(current, fact, lang):
                    cells[(row.concept, column.key)] = (fact["value"], fact.get("lang") == lang)
        ordered = columns.ordered()
        lines = []
        for row in statement.rows:
            concept = forms.concepts[row.concept]
            found = [cells.get((row.concept, column.key)) for column in ordered]
            lines.append(Line(concept=row.concept, labels=dict(concept.labels), depth=row.depth,
                              abstract=row.abstract, total=row.total,
                              kind="heading" if row.abstract else concept.kind,
                              values=[cell[0] if cell else None for cell in found],
                              filed=[cell is not None for cell in found]))
        sheets.append(Sheet(id=statement.id, role=statement.role, labels=dict(statement.labels),
                            columns=ordered, lines=lines))
    rest = [index for index in range(len(facts)) if index not in placed]
    if rest:
        sheets.append(_other(forms, facts, rest, members))
    return sheets


def _other(forms: FormSet, facts: list[dict[str, Any]], indexes: list[int],
           members: dict[str, dict[str, str]]) -> Sheet:
    """The facts no statement shows, one line per concept, a column per period and dimensions."""
    columns = _Columns(forms.year, members)
    cells: dict[tuple[str, str], str | None] = {}
    concepts: list[str] = []
    for index in indexes:
        fact = facts[index]
        column = columns.column_for(fact.get("period") or "forever", fact["dimensions"])
        if fact["local"] not in concepts:
            concepts.append(fact["local"])
        cells.setdefault((fact["local"], column.key), fact["value"])
    ordered = columns.ordered()
    lines = []
    for name in sorted(concepts):
        concept = forms.concepts.get(name)
        lines.append(Line(concept=name, labels=dict(concept.labels) if concept else {"nl": name, "en": name},
                          depth=0, abstract=False, total=False, kind=concept.kind if concept else "string",
                          values=[cells.get((name, column.key)) for column in ordered],
                          filed=[(name, column.key) in cells for column in ordered]))
    return Sheet(id=OTHER, role="", labels={"nl": "Overige gegevens", "en": "Other facts"}, columns=ordered,
                 lines=lines)


def beside(sheets: list[Sheet], earlier: list[Sheet], year: int, labels: dict[str, str]) -> None:
    """Put the figures of `year` as another filing reported them (`earlier`: the board's submitted
    filing of that year, read with its own year's taxonomy) beside `sheets`' columns, matched by
    statement and concept local name: a column right after this filing's own columns of `year`
    without dimensions (a restated comparative figure then shows next to what was filed)."""
    by_id = {sheet.id: sheet for sheet in earlier}
    for sheet in sheets:
        other = by_id.get(sheet.id)
        if other is None or sheet.id == OTHER:
            continue
        source = next((index for index, column in enumerate(other.columns)
                       if not column.dimensions and column.instant == f"{year}-12-31"), None)
        if source is None:
            continue
        values = {line.concept: (line.values[source], line.filed[source]) for line in other.lines}
        column = Column(key=f"filed|{other.columns[source].key}", period=other.columns[source].period,
                        instant=other.columns[source].instant, dimensions={}, labels=dict(labels))
        at = next((index + 1 for index in range(len(sheet.columns) - 1, -1, -1)
                   if not sheet.columns[index].dimensions and sheet.columns[index].instant == f"{year}-12-31"),
                  next((index for index, c in enumerate(sheet.columns) if c.dimensions), len(sheet.columns)))
        sheet.columns.insert(at, column)
        for line in sheet.lines:
            value, filed = values.get(line.concept, (None, False))
            line.values.insert(at, value)
            line.filed.insert(at, filed)
