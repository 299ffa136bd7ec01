"""The compare page: what changed between two versions of a board's year, or against the year before
(routes on reading.blueprint.bp), thin over reading/compare.py; and the lines the page, the submit
box and DUO's overview show of a comparison, in the reader's language and Dutch notation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, request
from flask_login import current_user, login_required

from validators.forms import FormSet
from validators.statements import period_label, shown
from validators.statements.compare import Change

from ..db import get_db
from ..errors import ServiceError
from ..filings.models import Filing
from ..filings.services import get_filing
from ..i18n import language, text_in
from . import compare as comparing
from .blueprint import bp

NUMERIC = ("monetary", "decimal", "integer")


@dataclass(frozen=True)
class Line:
    """One change as a row of the page: its label, where (an official, a forecast), period and values
    in the reader's notation, and what happened in words."""

    concept: str
    label: str
    where: str
    period: str
    old: str
    new: str
    difference: str
    kind: str  # added | removed | changed
    numeric: bool


@dataclass(frozen=True)
class Group:
    """The changes of one statement (id None: facts no statement of the year shows)."""

    id: str
    title: str
    lines: list[Line]


def _kind(forms: FormSet | None, change: Change) -> str:
    concept = forms.concepts.get(change.concept) if forms else None
    if concept is not None:
        return concept.kind
    if change.numeric:
        return "monetary" if (change.unit or "").startswith("iso4217:") else "decimal"
    return "string"


def _where(forms: FormSet | None, change: Change, lang: str) -> str:
    """An official's id, or the forecast column's name (Begroting 2026), for a fact with dimensions."""
    if not change.dimensions:
        return ""
    statement = forms.statement(change.statement) if forms and change.statement else None
    end_year = (change.period or "").split("/")[-1][:4]
    parts = []
    for axis, member in change.dimensions.items():
        if statement is not None and statement.per_official:
            parts.append(text_in(lang, "official %(id)s", id=member))
            continue
        local = member.rsplit(":", 1)[-1]
        column = next((c for c in (statement.columns if statement else ()) if c.member
                       and c.member.rsplit(":", 1)[-1] == local and str(c.year) == end_year), None)
        parts.append(column.labels[lang] if column else local)
    return ", ".join(parts)


def _difference(change: Change, kind: str, lang: str) -> str:
    difference = change.difference
    if difference is None:
        return ""
    return ("+" if difference > 0 else "") + shown(kind, f"{difference:f}", lang)


def lines(comparison: comparing.Comparison, lang: str) -> list[Group]:
    """The comparison's changes grouped by statement, in order, as the page shows them."""
    forms = comparison.forms
    groups: dict[str | None, list[Line]] = {}
    # Worked out once per official or forecast column and per period, not once per row.
    wheres: dict[tuple[str | None, str | None, tuple[tuple[str, str], ...]], str] = {}
    periods: dict[str, str] = {}
    for change in comparison.changes:
        kind = _kind(forms, change)
        concept = forms.concepts.get(change.concept) if forms else None
        label = concept.labels.get(lang, change.concept) if concept else change.concept
        place = (change.statement, change.period, tuple(change.dimensions.items()))
        if place not in wheres:
            wheres[place] = _where(forms, change, lang)
        if change.period and change.period not in periods:
            periods[change.period] = period_label(change.period, lang)
        groups.setdefault(change.statement, []).append(Line(
            concept=change.concept, label=label, where=wheres[place],
            period=periods[change.period] if change.period else "",
            old=shown(kind, change.old, lang), new=shown(kind, change.new, lang),
            difference=_difference(change, kind, lang), kind=change.kind, numeric=kind in NUMERIC))
    result = []
    for statement, found in groups.items():
        title = forms.statement(statement).labels.get(lang, statement) if forms and statement \
            else text_in(lang, "Other facts")
        result.append(Group(id=statement or "other", title=title, lines=found))
    return result


def side(filing: Filing, comparison: comparing.Comparison, lang: str) -> str:
    """How a column names one of the two versions: "version 2", or "2024 (version 1)" across years."""
    if comparison.shift:
        return text_in(lang, "%(year)s (version %(version)s)", year=filing.year, version=filing.version)
    return text_in(lang, "Version %(version)s", version=filing.version)


@bp.get("/filings/<int:filing_id>/compare")
@login_required
def compare_page(filing_id: int) -> Any:
    """What changed between the version and ?with= (another version of its year, or the year before's
    submitted filing), with links to what else it can be compared with."""
    db = get_db()
    filing = get_filing(db, current_user, filing_id)
    other_id = request.args.get("with", type=int)
    comparison, error, status = None, None, 200
    if other_id is not None:
        try:
            comparison = comparing.compare(db, current_user, filing_id, other_id)
        except ServiceError as exc:
            if exc.status == 404 or not exc.code.startswith("COMPARE-"):
                raise
            error, status = exc, exc.status
    lang = language()
    return render_template(
        "reading/compare.html", filing=filing, comparison=comparison, error=error, other_id=other_id,
        groups=lines(comparison, lang) if comparison else [],
        old_side=side(comparison.old, comparison, lang) if comparison else "",
        new_side=side(comparison.new, comparison, lang) if comparison else "",
        period=lambda value: period_label(value, lang) if value else "",
        versions=comparing.other_versions(db, current_user, filing),
        year_before=comparing.submitted_year_before(db, current_user, filing)), status
