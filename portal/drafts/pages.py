"""What a statement's form page shows, built from the forms model and the draft: rows with their
cells (an input each, its value in Dutch notation, what the last check found there and what the
total adds up to), blocks per senior official, and the calculation tree the page's script uses
to add totals up while the user types. No Flask request state here: views pass what they read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from validators.forms import Concept, DraftFact, FormSet, Row, Statement, compute_totals, field_id

OFFICIAL_PREFIX = "TF"  # the ids the forms give new senior officials: TF1, TF2, ...


@dataclass
class CellView:
    """One input: its id and name (the same), the text it holds, and what to say next to it."""

    id: str
    concept: Concept
    period: str
    dimensions: dict[str, str]
    text: str = ""
    error: str | None = None  # the input could not be read (the save was refused)
    findings: list[dict[str, Any]] = field(default_factory=list)  # of the last check, at this cell
    computed: str | None = None  # a total: what its parts add up to (Dutch notation)
    differs: bool = False  # a total whose entered value is not what its parts add up to
    newer: str | None = None  # after a refused stale save: the value of the newer revision, if different

    @property
    def key(self) -> tuple[str, str, str]:
        """The key of the fact this input holds (DraftFact.key)."""
        return self.concept.name, self.period, json.dumps(self.dimensions, sort_keys=True)


@dataclass
class RowView:
    """A row: the concept's label at its depth, and one cell (or None) per column."""

    concept: Concept
    row: Row
    cells: list[CellView | None]


@dataclass
class OfficialView:
    """One senior official's block of fields (the typed dimension's member is `id`)."""

    id: str
    name: str
    rows: list[RowView]


def dutch(concept: Concept, value: str) -> str:
    """A canonical value as the form shows it: amounts and numbers in Dutch notation (1.234.567 and
    0,90), dates as 12-06-2026, everything else as stored."""
    if concept.kind == "date" and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}-{value[5:7]}-{value[0:4]}"
    if not concept.numeric:
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    sign, digits = ("-", -number) if number < 0 else ("", number)
    whole, _, fraction = f"{digits:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def plain(number: Decimal) -> str:
    """A computed number as a fact's lexical value: 4000, not 4000.0 or 4E+3."""
    return "0" if number == 0 else format(number.normalize(), "f")


def officials_in(forms: FormSet, statement: Statement, facts: list[DraftFact]) -> list[str]:
    """The officials the draft holds facts of, in the order of their ids (TF2 before TF10)."""
    axis = forms.official_axis or ""
    concepts = {r.concept for r in statement.rows}
    ids = {f.dimensions[axis] for f in facts if axis in f.dimensions and f.concept in concepts}
    return sorted(ids, key=lambda i: (len(i), i))


def next_official(existing: list[str]) -> str:
    """A new official's id: one more than the highest TFn so far."""
    numbers = [int(i[len(OFFICIAL_PREFIX):]) for i in existing
               if i.startswith(OFFICIAL_PREFIX) and i[len(OFFICIAL_PREFIX):].isdigit()]
    return f"{OFFICIAL_PREFIX}{max(numbers, default=0) + 1}"


def _column_dimensions(forms: FormSet, statement: Statement) -> dict[str, dict[str, str]]:
    """Per column key, the dimensions its facts carry (a forecast column: the scenario member)."""
    axis = forms.scenario_axis or ""
    return {c.key: ({axis: c.member} if c.member else {}) for c in statement.columns}


def rows_for(forms: FormSet, statement: Statement, official: str | None = None) -> list[RowView]:
    """The statement's rows with an empty CellView per input (an official's block: `official`)."""
    per_column = _column_dimensions(forms, statement)
    views = []
    for row, cells in forms.cells(statement):
        shown: list[CellView | None] = []
        for column, cell in zip(statement.columns, cells, strict=True):
            if cell is None:
                shown.append(None)
                continue
            dims = dict(per_column[column.key])
            if official is not None and forms.official_axis:
                dims[forms.official_axis] = official
            shown.append(CellView(field_id(row.concept, cell.period, dims), forms.concept(row.concept),
                                  cell.period, dims))
        views.append(RowView(forms.concept(row.concept), row, shown))
    return views


def every_cell(rows: list[RowView]) -> list[CellView]:
    """The inputs of some rows, top to bottom, left to right."""
    return [c for r in rows for c in r.cells if c is not None]


def fill(cells: list[CellView], facts: list[DraftFact], entered: dict[str, str] | None = None) -> None:
    """Put the draft's values into the cells, or what the user entered (a refused save shows it again)."""
    values = {f.key: f.value for f in facts}
    for cell in cells:
        if entered is not None and cell.id in entered:
            cell.text = entered[cell.id]
        else:
            stored = values.get(cell.key)
            cell.text = dutch(cell.concept, stored) if stored is not None else ""


def mark_newer(cells: list[CellView], facts: list[DraftFact], entered: dict[str, str]) -> None:
    """After a stale save: next to every cell whose newer saved value is not what the user typed, that value."""
    values = {f.key: f.value for f in facts}
    for cell in cells:
        stored = values.get(cell.key)
        saved = dutch(cell.concept, stored) if stored is not None else ""
        if saved != entered.get(cell.id, "").strip():
            cell.newer = saved


def attach_findings(cells: list[CellView], findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hang each finding of a check on the cell it names (concept, period, dimensions); returns the
    findings that name no cell of these (shown at the top of the page)."""
    by_id = {c.id: c for c in cells}
    loose = []
    for finding in findings:
        concept, period = finding.get("concept"), finding.get("period")
        cell = by_id.get(field_id(concept.rpartition(":")[2], period, finding.get("dimensions") or {})) \
            if concept and period else None
        if cell is None:
            loose.append(finding)
        else:
            cell.findings.append(finding)
    return loose


def show_totals(forms: FormSet, statement: Statement, cells: list[CellView], facts: list[DraftFact]) -> None:
    """Next to each total: what its parts add up to, and whether the entered total differs."""
    totals = compute_totals(forms, facts)
    values = {f.key: f.value for f in facts}
    for cell in cells:
        key = cell.key
        if cell.concept.name not in statement.calculations or key not in totals:
            continue
        cell.computed = dutch(cell.concept, plain(totals[key]))
        try:
            cell.differs = key in values and Decimal(values[key]) != totals[key]
        except InvalidOperation:
            cell.differs = True


def calc_tree(statement: Statement, cells: list[CellView]) -> str:
    """The statement's calculation tree over these inputs, as JSON for the page's script:
    {total's input id: [[part's input id, weight], ...]}, per column and official."""
    by_place: dict[tuple[str, str, str], str] = {}
    for cell in cells:
        by_place[cell.key] = cell.id
    tree: dict[str, list[list[Any]]] = {}
    for cell in cells:
        parts = statement.calculations.get(cell.concept.name)
        if not parts:
            continue
        place = (cell.period, json.dumps(cell.dimensions, sort_keys=True))
        found = [[by_place[(child, *place)], weight] for child, weight in parts if (child, *place) in by_place]
        if found:
            tree[cell.id] = found
    return json.dumps(tree, sort_keys=True)


def statement_of(forms: FormSet, finding: dict[str, Any]) -> str:
    """The statement whose form has the field a finding names (the first, when two show the concept),
    or "" when none has it (a finding about the file, or a fact the forms do not hold)."""
    concept, period = (finding.get("concept") or "").rpartition(":")[2], finding.get("period") or ""
    dimensions = finding.get("dimensions") or {}
    if not concept or not period:
        return ""
    wanted = field_id(concept, period, dimensions)
    official = dimensions.get(forms.official_axis or "")
    for statement in forms.statements:
        if statement.per_official:
            if official is not None and any(r.concept == concept for r in statement.rows):
                return statement.id
            continue
        columns = _column_dimensions(forms, statement)
        for row, cells in forms.cells(statement):
            for column, cell in zip(statement.columns, cells, strict=True):
                if cell is not None and row.concept == concept and \
                        field_id(concept, cell.period, columns[column.key]) == wanted:
                    return statement.id
    return ""
