"""A filing's facts read as statements: every fact of every sample at its row and column, with its
label, and nothing in a cell that is not in the file; the layout (order, depth, totals, columns)
as the taxonomy says; last year's figures beside; Dutch notation."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from taxonomies.samples import SAMPLES_DIR
from validators import Engine, Registry
from validators.facts import KEPT, kept
from validators.forms import FormSet, forms_for
from validators.signals import INPUTS, OPTIONAL, compute
from validators.rules.registry import FilingData
from validators.statements import period_label, shown
from validators.statements.build import OTHER, Sheet, beside, read_statements

SAMPLES = sorted(f"{p.parent.parent.name}/valid/{p.name}" for p in SAMPLES_DIR.glob("*/valid/*"))


def _forms(registry: Registry, year: int) -> FormSet:
    taxonomy = registry.for_year(year)
    assert taxonomy is not None
    return forms_for(taxonomy.package, year)


@pytest.fixture(scope="module")
def validated(engine: Engine) -> dict[str, Any]:
    """Every valid sample of both years, validated once: its report (with the facts Arelle read)."""
    reports = {}
    for name, data in zip(SAMPLES, engine.validate_many(
            [((SAMPLES_DIR / name).read_bytes(), name.rsplit("/", 1)[-1], "41234", int(name[:4]))
             for name in SAMPLES]), strict=True):
        reports[name] = data
    return reports


def _cells(sheets: list[Sheet]) -> list[tuple[str, str, str, dict[str, str], str | None]]:
    """Every filed cell: (sheet, concept, column period, dimensions, value)."""
    found = []
    for sheet in sheets:
        for line in sheet.lines:
            for column, value, filed in zip(sheet.columns, line.values, line.filed, strict=True):
                if filed:
                    found.append((sheet.id, line.concept, column.key, column.dimensions, value))
    return found


def _holds(column_period: str, column_instant: str | None, fact_period: str) -> bool:
    return fact_period in (column_period, column_instant) or (column_period == "forever" and not fact_period)


def test_the_samples_cover_both_years_and_both_formats() -> None:
    assert {name[:4] for name in SAMPLES} == {"2024", "2025"}
    assert {name.rsplit(".", 1)[-1] for name in SAMPLES} == {"xbrl", "xhtml"}


@pytest.mark.parametrize("name", SAMPLES)
def test_every_fact_of_the_file_is_in_its_statements_and_nothing_else(
        name: str, validated: dict[str, Any], registry: Registry) -> None:
    report = validated[name]
    facts = kept(report.facts)
    assert facts and all(set(fact) == set(KEPT) for fact in facts)
    forms = _forms(registry, int(name[:4]))
    sheets = read_statements(forms, facts)
    by_id = {sheet.id: sheet for sheet in sheets}
    for fact in facts:  # each fact: a cell of its concept whose column holds its period and dimensions
        places = [(sheet, line, index) for sheet in sheets for line in sheet.lines if line.concept == fact["local"]
                  for index, column in enumerate(sheet.columns)
                  if line.filed[index] and column.dimensions == fact["dimensions"]
                  and _holds(column.period, column.instant, fact["period"])]
        assert places, f"{fact['local']} {fact['period']} {fact['dimensions']} is shown nowhere"
        for sheet, line, index in places:
            assert line.values[index] == fact["value"]
            label = forms.concepts[fact["local"]].labels if fact["local"] in forms.concepts else None
            assert label is None or line.labels == label
    for sheet_id, concept, _key, dims, value in _cells(sheets):  # each cell: a fact of the file
        sheet = by_id[sheet_id]
        assert any(f["local"] == concept and f["dimensions"] == dims and f["value"] == value for f in facts), \
            f"{sheet_id}/{concept} shows {value!r}, which the file does not hold"
    assert OTHER not in by_id  # the samples use the taxonomy's statements only


def test_the_layout_is_the_taxonomys(validated: dict[str, Any], registry: Registry) -> None:
    forms = _forms(registry, 2025)
    sheets = read_statements(forms, kept(validated["2025/valid/vo-large.xbrl"].facts))
    assert [s.id for s in sheets] == [s.id for s in forms.statements]
    balance = sheets[1]
    assert balance.labels == {"nl": "Balans", "en": "Balance sheet"}
    assert [c.labels["nl"] for c in balance.columns] == ["2025", "2024"]  # the year first, then the comparative
    assets = next(line for line in balance.lines if line.concept == "Assets")
    fixed = next(line for line in balance.lines if line.concept == "NoncurrentAssets")
    assert assets.total and fixed.total and fixed.depth == assets.depth + 1
    assert [line.concept for line in balance.lines] == [row.concept for row in forms.statements[1].rows]
    continuity = next(s for s in sheets if s.id == "ContinuitySection")
    assert [c.labels["nl"] for c in continuity.columns][-3:] == ["Begroting 2026", "Begroting 2027", "Begroting 2028"]
    assert [c.labels["en"] for c in continuity.columns][-1] == "Budget 2028"
    wnt = next(s for s in sheets if s.id == "WNTDisclosure")
    assert len(wnt.columns) == 14 and all(c.dimensions for c in wnt.columns)
    assert [c.labels["nl"] for c in wnt.columns[:2]] == ["W0001 2025", "W0002 2025"]  # official by official


def test_empty_rows_fold_but_their_headings_stay_while_a_line_below_has_a_value(
        validated: dict[str, Any], registry: Registry) -> None:
    forms = _forms(registry, 2025)
    facts = [f for f in kept(validated["2025/valid/vo-large.xbrl"].facts) if f["local"] != "CurrentInvestments"]
    balance = read_statements(forms, facts)[1]
    assert "CurrentInvestments" in [line.concept for line in balance.shown(empty=True)]
    assert "CurrentInvestments" not in [line.concept for line in balance.shown()]
    assert "CurrentAssets" in [line.concept for line in balance.shown()]
    nothing = read_statements(forms, [])
    assert all(sheet.shown() == [] for sheet in nothing)  # no heading without anything under it


def test_a_fact_no_statement_shows_is_listed_under_other_facts(
        validated: dict[str, Any], registry: Registry) -> None:
    forms = _forms(registry, 2025)
    facts = kept(validated["2025/valid/po-small.xbrl"].facts)
    stray = copy.deepcopy(next(f for f in facts if f["local"] == "Assets"))
    stray["dimensions"] = {"edu:ScenarioAxis": "edu:BudgetMember"}  # the balance sheet has no scenario
    sheets = read_statements(forms, facts + [stray])
    other = sheets[-1]
    assert other.id == OTHER and other.labels["en"] == "Other facts"
    assert [line.concept for line in other.lines] == ["Assets"] and other.lines[0].values == [stray["value"]]


def test_a_text_in_several_languages_shows_the_readers(registry: Registry) -> None:
    forms = _forms(registry, 2025)
    base = {"concept": "edu:RisksAndUncertainties", "local": "RisksAndUncertainties", "namespace": "", "period": "2025-01-01/2025-12-31",
            "dimensions": {}, "unit": None, "decimals": None}
    facts = [dict(base, value="Risico's", lang="nl"), dict(base, value="Risks", lang="en")]
    assert "RisksAndUncertainties" in forms.concepts
    line = next(line for sheet in read_statements(forms, facts, "en") for line in sheet.lines
                if line.concept == "RisksAndUncertainties" and any(line.filed))
    assert "Risks" in line.values
    line = next(line for sheet in read_statements(forms, facts, "nl") for line in sheet.lines
                if line.concept == "RisksAndUncertainties" and any(line.filed))
    assert "Risico's" in line.values


def test_last_years_submitted_figures_go_beside_this_years(validated: dict[str, Any], registry: Registry) -> None:
    this = read_statements(_forms(registry, 2025), kept(validated["2025/valid/vo-large.xbrl"].facts))
    earlier = read_statements(_forms(registry, 2024), kept(validated["2024/valid/vo-large.xbrl"].facts))
    beside(this, earlier, 2024, {"nl": "2024 (jaarverslag 2024)", "en": "2024 (annual report 2024)"})
    balance = this[1]
    assert [c.labels["nl"] for c in balance.columns] == ["2025", "2024", "2024 (jaarverslag 2024)"]
    assets = next(line for line in balance.lines if line.concept == "Assets")
    filed_2024 = next(f for f in kept(validated["2024/valid/vo-large.xbrl"].facts)
                      if f["local"] == "Assets" and f["period"] == "2024-12-31" and not f["dimensions"])
    assert assets.values[2] == filed_2024["value"]
    wnt = next(s for s in this if s.id == "WNTDisclosure")
    assert all(c.dimensions for c in wnt.columns)  # nothing put beside a statement per official


def test_values_and_periods_in_dutch_and_english_notation() -> None:
    assert shown("monetary", "-1234567") == "-1.234.567"
    assert shown("monetary", "1234567", "en") == "1,234,567"
    assert shown("decimal", "219.04") == "219,04" and shown("decimal", "0.25", "en") == "0.25"
    assert shown("integer", "2755") == "2.755"
    assert shown("date", "2026-06-12") == "12-06-2026" and shown("date", "2026-06-12", "en") == "12/06/2026"
    assert shown("enum", "true") == "ja" and shown("enum", "false", "en") == "no"
    assert shown("monetary", "not a number") == "not a number"  # as filed when it is not what its type says
    assert shown("string", "1234") == "1234" and shown("monetary", None) == ""
    assert period_label("2025-01-01/2025-12-31") == "2025" and period_label("2025-12-31") == "31-12-2025"
    assert period_label("2025-03-01/2025-12-31", "en") == "01/03/2025 – 31/12/2025"


def test_each_signal_reads_exactly_its_listed_inputs(validated: dict[str, Any]) -> None:
    """INPUTS is what a reader is shown as a signal's rows: removing a listed concept changes the
    signal (unless it is optional and zero), and removing every other concept changes none."""
    facts = validated["2025/valid/vo-large.xbrl"].facts

    def signals(kept_facts: list[Any]) -> dict[str, Any]:
        return compute(FilingData(board="30567", year=2025, file="f", facts=kept_facts, labels={}, required={}))[0]

    before = signals(facts)
    listed = {concept for concepts in INPUTS.values() for concept in concepts}
    only_inputs = signals([f for f in facts if f["local"] in listed])
    assert {k: v.to_dict() for k, v in only_inputs.items()} == {k: v.to_dict() for k, v in before.items()}
    for name, concepts in INPUTS.items():
        for concept in concepts:
            values = [f["value"] for f in facts if f["local"] == concept and not f["dimensions"]]
            after = signals([f for f in facts if f["local"] != concept])[name]
            if concept in OPTIONAL and all(Decimal(v or 0) == 0 for v in values):
                continue
            assert after.to_dict() != before[name].to_dict(), f"{name} does not read {concept}"
