"""The online forms' engine side: forms made from each year's package, Dutch input, the drafts API's
checks, field ids, the instance a draft becomes (validated by a plain arelleCmdLine run) and the totals."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from taxonomies.build import build_package
from taxonomies.model import year as model_year, years
from taxonomies.samples import SAMPLES_DIR
from validators import Registry
import validators.forms
from validators.forms import (Cell, Column, Concept, DraftFact, FactsInvalid, FormSet, Problem, Row, check_facts,
                              compute_totals, field_id, forms_for, parse_input, read_instance, write_instance)
from validators.forms.totals import differences, trees

YEARS = [y.year for y in years()]
SAMPLES = sorted(p for p in SAMPLES_DIR.glob("*/valid/*") if p.suffix == ".xbrl")
BUDGET = {"edu:ScenarioAxis": "edu:BudgetMember"}


def _forms(registry: Registry, year: int) -> FormSet:
    return forms_for(registry.for_year(year).package, year)


def _board(data: bytes) -> str:
    return re.search(rb"<xbrli:identifier[^>]*>([^<]+)<", data).group(1).decode()


def _keys(forms: FormSet, officials: tuple[str, ...] = ("TF1",)) -> set[tuple[str, str, tuple]]:
    """Every (concept, period, dimensions) a form has a cell for; the per-official ones once per official."""
    found = set()
    for statement in forms.statements:
        for row, cells in forms.cells(statement):
            for column, cell in zip(statement.columns, cells, strict=True):
                if cell is None:
                    continue
                if statement.per_official:
                    found |= {(cell.concept, cell.period, ((statement.axis, o),)) for o in officials}
                else:
                    dims = ((statement.axis, column.member),) if column.member else ()
                    found.add((cell.concept, cell.period, dims))
    return found


def test_the_package_exports_the_agreed_names() -> None:
    assert sorted(validators.forms.__all__) == sorted([
        "forms_for", "FormSet", "Statement", "Row", "Column", "Concept", "Cell", "DraftFact", "Problem",
        "FactsInvalid", "parse_input", "check_facts", "field_id", "write_instance", "read_instance", "compute_totals"])
    assert all(hasattr(validators.forms, name) for name in validators.forms.__all__)


# --- the forms of each year -----------------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_every_mandatory_concept_of_the_year_has_a_field(registry: Registry, year: int) -> None:
    forms = _forms(registry, year)
    expected = {c.name for c in model_year(year).concepts if c.required == "yes"}
    assert set(forms.mandatory()) == expected and len(expected) > 40  # read from the package's edu-fr:required
    with_cells = {concept for concept, _period, _dims in _keys(forms)}
    assert expected - with_cells == set()


def test_learning_materials_is_in_the_2025_balance_sheet_only(registry: Registry) -> None:
    def balance_sheet(year: int) -> list[str]:
        forms = _forms(registry, year)
        return [row.concept for row, cells in forms.cells(forms.statement("BalanceSheet")) if any(cells)]

    assert "LearningMaterials" in balance_sheet(2025) and "FixturesAndEquipment" in balance_sheet(2025)
    assert "LearningMaterials" not in balance_sheet(2024) and "FixturesAndEquipment" in balance_sheet(2024)
    assert "LearningMaterials" not in _forms(registry, 2024).concepts


@pytest.mark.parametrize("year", YEARS)
def test_statements_and_their_columns_follow_the_rule(registry: Registry, year: int) -> None:
    forms = _forms(registry, year)
    assert [(s.id, s.order) for s in forms.statements] == [
        ("GeneralInformation", 100), ("BalanceSheet", 200), ("IncomeStatement", 300), ("CashFlowStatement", 400),
        ("ContinuitySection", 500), ("WNTDisclosure", 600)]
    columns = {s.id: [c.key for c in s.columns] for s in forms.statements}
    assert columns == {"GeneralInformation": ["t"], "BalanceSheet": ["t", "t-1"], "IncomeStatement": ["t", "t-1"],
                       "CashFlowStatement": ["t", "t-1"], "ContinuitySection": ["t", "t+1", "t+2", "t+3"],
                       "WNTDisclosure": ["t"]}
    assert [s.id for s in forms.statements if s.per_official] == ["WNTDisclosure"]
    continuity = forms.statement("ContinuitySection")
    assert continuity.axis == forms.scenario_axis == "edu:ScenarioAxis"
    assert forms.statement("WNTDisclosure").axis == forms.official_axis == "edu:WNTOfficialAxis"
    assert forms.typed_member == "edu:OfficialId"
    assert continuity.columns[0] == Column("t", year, None, {"nl": str(year), "en": str(year)})
    assert continuity.columns[1] == Column("t+1", year + 1, "edu:BudgetMember",
                                           {"nl": f"Begroting {year + 1}", "en": f"Budget {year + 1}"})
    assert forms.statement("BalanceSheet").columns[1].period(forms.concept("Assets")) == f"{year - 1}-12-31"
    assert forms.statement("BalanceSheet").labels == {"nl": "Balans", "en": "Balance sheet"}
    assert forms.statement("WNTDisclosure").labels["en"] == "WNT disclosure (senior officials' pay)"
    assert forms.entry_point == model_year(year).entry_point and forms.namespace == model_year(year).namespace


@pytest.mark.parametrize("year", YEARS)
def test_the_continuity_form_collects_every_forecast_the_assertion_requires(registry: Registry, year: int) -> None:
    forms = _forms(registry, year)
    keys = _keys(forms)
    for concept in ("StudentCount", "FTETotal", "Income", "Expenses", "Result"):  # EDU-CP-01
        for k in (1, 2, 3):
            instant = forms.concept(concept).period_type == "instant"
            period = f"{year + k}-12-31" if instant else f"{year + k}-01-01/{year + k}-12-31"
            assert (concept, period, (("edu:ScenarioAxis", "edu:BudgetMember"),)) in keys, (concept, k)
    rows = {row.concept: cells for row, cells in forms.cells(forms.statement("ContinuitySection"))}
    # A text only in the actual column; the Income shown here is the income statement's fact for t.
    assert rows["RisksAndUncertainties"] == [Cell("RisksAndUncertainties", "t", f"{year}-01-01/{year}-12-31"),
                                             None, None, None]
    income = {row.concept: cells for row, cells in forms.cells(forms.statement("IncomeStatement"))}["Income"]
    assert rows["Income"][0] == income[0]


def test_rows_labels_and_kinds_come_from_the_package(registry: Registry) -> None:
    forms = _forms(registry, 2025)
    balance = forms.statement("BalanceSheet").rows
    assert balance[:3] == (Row("Assets", 0, False, True), Row("NoncurrentAssets", 1, False, True),
                           Row("IntangibleAssets", 2, False, False))
    assert forms.statement("BalanceSheet").calculations["Assets"] == (("NoncurrentAssets", 1.0), ("CurrentAssets", 1.0))
    assert ("PersonnelExpenseBenefitsReceived", -1.0) in forms.statement("IncomeStatement").calculations[
        "PersonnelExpenses"]
    assert forms.concept("Assets") == Concept("Assets", "monetary", "instant", "debit",
                                              {"nl": "Totaal activa", "en": "Total assets"}, "yes", (),
                                              forms.namespace)
    kinds = {name: forms.concept(name).kind for name in ("BoardName", "RisksAndUncertainties", "AdoptionDate",
                                                          "StudentCount", "FTETotal", "AuditOpinionType",
                                                          "EducationSectors", "WNTRemuneration")}
    assert kinds == {"BoardName": "string", "RisksAndUncertainties": "text", "AdoptionDate": "date",
                     "StudentCount": "integer", "FTETotal": "decimal", "AuditOpinionType": "enum",
                     "EducationSectors": "enum-list", "WNTRemuneration": "monetary"}
    assert forms.concept("EducationSectors").options == ("PO", "SO", "VO", "MBO", "HBO", "WO")
    assert forms.concept("AuditOpinionType").options[0] == "goedkeurend"
    assert forms.concept("WNTOfficialName").required == "conditional"
    assert forms.concept("FTETotal").unit == "xbrli:pure" and forms.concept("BoardName").unit is None
    with pytest.raises(KeyError):
        forms.statement("Nothing")


def test_a_new_years_package_brings_its_forms_and_reading_is_cached(tmp_path: Path) -> None:
    build_package(replace(model_year(2025), year=2026), tmp_path)
    package = tmp_path / "edu-rpt-jaarverantwoording-2026.zip"
    forms = forms_for(package, 2026)
    assert forms.namespace == "https://xbrl.onderwijs.example/2026/edu"
    assert [c.year for c in forms.statement("ContinuitySection").columns] == [2026, 2027, 2028, 2029]
    assert forms_for(package, 2026) is forms  # read once per process
    os.utime(package, ns=(0, 0))
    assert forms_for(package, 2026) is not forms  # a changed file is read again
    with pytest.raises(ValueError, match="2025"):
        forms_for(package, 2025)


def test_a_document_with_a_doctype_in_the_package_is_refused(tmp_path: Path, packages_dir: Path) -> None:
    source = packages_dir / "edu-rpt-jaarverantwoording-2025.zip"
    target = tmp_path / source.name
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("edu-lab-nl-2025.xml"):
                data = data.replace(b"?>", f'?><!DOCTYPE l [<!ENTITY x SYSTEM "file://{secret}">]>'.encode(), 1)
                data = data.replace(b">Totaal activa<", b">&x;<")
            zout.writestr(info, data)
    with pytest.raises(ValueError, match="DOCTYPE"):
        forms_for(target, 2025)


# --- what a user types, what the API sends --------------------------------------------------------------------

@pytest.mark.parametrize(("concept", "text", "expected"), [
    ("Assets", "1.234.567", "1234567"), ("Result", "-41.902", "-41902"), ("Assets", "1234567", "1234567"),
    ("Assets", "€ 1.234.567", "1234567"), ("Assets", "1.234.567,50", "1234567.50"),
    ("Result", "\u22121.000", "-1000"),
    ("Assets", " 12 ", "12"), ("Assets", "-0", "0"), ("StudentCount", "1.234", "1234"), ("FTETotal", "0,90", "0.90"),
    ("FTETotal", "0.9", "0.9"), ("FTETotal", "1.234,5", "1234.5"), ("FTETotal", "0.900", "0.900"),
    ("AdoptionDate", "12-06-2026", "2026-06-12"), ("AdoptionDate", "2026-06-12", "2026-06-12"),
    ("AdoptionDate", "1-6-2026", "2026-06-01"), ("AuditOpinionType", "Goedkeurend", "goedkeurend"),
    ("EducationSectors", "vo, po", "PO VO"), ("EducationSectors", "MBO", "MBO"),
    ("BoardName", "  De Linde ", "De Linde"),
])
def test_form_input_in_dutch_notation(registry: Registry, concept: str, text: str, expected: str) -> None:
    assert parse_input(_forms(registry, 2025).concept(concept), text) == expected


@pytest.mark.parametrize(("concept", "text", "reason"), [
    ("Assets", "", "empty"), ("Assets", "abc", "Enter an amount"), ("Assets", "1,234.56", "Dutch notation"),
    ("Assets", "12.34.5", "Dutch notation"), ("Assets", "1.234,567", "two decimals"),
    ("StudentCount", "-5", "negative"), ("StudentCount", "1,5", "whole number"),
    ("AdoptionDate", "31-02-2026", "not a date in the calendar"), ("AdoptionDate", "juni 2026", "dd-mm-yyyy"),
    ("AuditOpinionType", "goed", "not one of"), ("AuditOpinionType", "goedkeurend afkeurend", "Choose one"),
    ("EducationSectors", "PO XX", "not one of"), ("BoardName", "a\x00b", "control character"),
])
def test_form_input_that_does_not_fit_says_why_in_both_languages(registry: Registry, concept: str, text: str,
                                                                 reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as caught:
        parse_input(_forms(registry, 2025).concept(concept), text)
    assert caught.value.message["nl"] and caught.value.message["nl"] != caught.value.message["en"]


def test_the_apis_facts_are_checked_all_at_once_with_codes(registry: Registry) -> None:
    forms = _forms(registry, 2025)
    year = "2025-01-01/2025-12-31"
    raw = [
        {"concept": "Assets", "period": "2025-12-31", "dimensions": {}, "value": "+01522407", "unit": "iso4217:EUR"},
        {"concept": "Nope", "period": "2025-12-31", "value": "1"},
        {"concept": "Assets", "period": year, "value": "1"},
        {"concept": "Assets", "period": "2025-12-31", "dimensions": BUDGET, "value": "1"},
        {"concept": "Income", "period": year, "value": "1.234.567"},
        {"concept": "Assets", "period": "2025-12-31", "value": "5"},
        ["not", "an", "object"],
        {"concept": "WNTRemuneration", "period": year, "dimensions": {"edu:WNTOfficialAxis": "a b"}, "value": "1"},
        {"concept": "Expenses", "period": year, "value": "5", "unit": "xbrli:pure"},
        {"concept": "BoardName", "period": year, "value": "  "},
        {"concept": "WNTRemuneration", "period": year, "value": "1"},
        {"concept": "Result", "period": year, "value": 5},
    ]
    with pytest.raises(FactsInvalid) as caught:
        check_facts(forms, raw)
    problems = caught.value.problems
    assert [(p.index, p.code) for p in problems] == [
        (1, "DRAFT-CONCEPT"), (2, "DRAFT-PERIOD"), (3, "DRAFT-DIMENSIONS"), (4, "DRAFT-VALUE"), (5, "DRAFT-DUPLICATE"),
        (6, "DRAFT-SHAPE"), (7, "DRAFT-DIMENSIONS"), (8, "DRAFT-VALUE"), (9, "DRAFT-VALUE"), (10, "DRAFT-DIMENSIONS"),
        (11, "DRAFT-SHAPE")]
    assert all(set(p.message) == {"nl", "en"} and p.message["nl"] != p.message["en"] for p in problems)
    assert "Totaal activa" in problems[1].message["nl"] and "Total assets" in problems[1].message["en"]
    assert problems[0].to_dict() == {"index": 1, "concept": "Nope", "period": "2025-12-31", "dimensions": {},
                                     "code": "DRAFT-CONCEPT", "message": problems[0].message}
    assert isinstance(problems[0], Problem)
    good = check_facts(forms, [raw[0], {"concept": "Income", "period": "2026-01-01/2026-12-31", "dimensions": BUDGET,
                                        "value": "1987896"},
                               {"concept": "WNTPartTimeFactor", "period": year, "value": "0.90",
                                "dimensions": {"edu:WNTOfficialAxis": "TF-1.a_b"}}])
    assert [f.to_dict() for f in good] == [
        {"concept": "Assets", "period": "2025-12-31", "dimensions": {}, "value": "1522407", "unit": "iso4217:EUR"},
        {"concept": "Income", "period": "2026-01-01/2026-12-31", "dimensions": BUDGET, "value": "1987896",
         "unit": "iso4217:EUR"},
        {"concept": "WNTPartTimeFactor", "period": year, "dimensions": {"edu:WNTOfficialAxis": "TF-1.a_b"},
         "value": "0.90", "unit": "xbrli:pure"}]
    assert good[1].key == ("Income", "2026-01-01/2026-12-31", '{"edu:ScenarioAxis": "edu:BudgetMember"}')
    with pytest.raises(FactsInvalid):
        check_facts(forms, {"facts": []})  # type: ignore[arg-type]


def test_field_ids_are_stable_distinct_and_safe(registry: Registry) -> None:
    assert field_id("edu:Assets", "2025-12-31", {}) == field_id("Assets", "2025-12-31", {}) == "f-Assets-2025-12-31"
    assert field_id("WNTRemuneration", "2025-01-01/2025-12-31", {"edu:WNTOfficialAxis": "TF1"}) == (
        "f-WNTRemuneration-2025-TF1")
    assert field_id("Income", "2026-01-01/2026-12-31", BUDGET) == "f-Income-2026-mBudgetMember"
    officials = ("TF1", "TF2", "1", "m1", "mBudgetMember", "a.b", "a_2e_b", "a-b", "a_b", "2025", "_")
    ids: dict[str, tuple] = {}
    for year in YEARS:
        for concept, period, dims in _keys(_forms(registry, year), officials):
            made = field_id(concept, period, dict(dims))
            assert re.fullmatch(r"[A-Za-z0-9_-]+", made), made
            assert ids.setdefault(made, (concept, period, dims)) == (concept, period, dims), made
    assert len(ids) > 400  # both years: 2024 and its comparatives, 2025 and its budget, 11 officials each
    odd = [("A", "2025-01-01/2025-06-30", {}), ("A", "2025-01-01", {"x:Y": "06-30"}), ("A", "forever", {}),
           ("A", "2025", {}), ("A_2d_B", "2025-12-31", {}), ("A-B", "2025-12-31", {})]
    assert len({field_id(*key) for key in odd}) == len(odd)


# --- the instance a draft becomes, and an instance read into a draft ------------------------------------------

def _sample_facts(registry: Registry, path: Path) -> tuple[FormSet, list[DraftFact]]:
    forms = _forms(registry, int(path.parts[-3]))
    return forms, read_instance(forms, path.read_bytes())


def _arelle(files: list[Path], packages: list[Path], tmp_path: Path) -> list[str]:
    """The warning-or-worse lines a plain arelleCmdLine run logs for `files`: one process for all of them,
    offline, only the packages, Calculations 1.1 and the formula assertions on (as taxonomies/check.py)."""
    log = tmp_path / "arelle.log"
    command = [str(Path(sys.executable).parent / "arelleCmdLine"), "--file", "|".join(map(str, files)),
               "--packages", "|".join(map(str, packages)), "--internetConnectivity", "offline", "--validate",
               "--calc", "c11r", "--formula", "run", "--logFile", str(log),
               "--logFormat", "[%(levelname)s] [%(messageCode)s] %(message)s - %(file)s"]
    subprocess.run(command, check=True, capture_output=True, timeout=600,
                   env=dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config")))
    entries: list[str] = []  # a message may run over several lines: an entry starts with its level
    for line in log.read_text(encoding="utf-8").splitlines():
        if re.match(r"\[[A-Z]+\] ", line) or not entries:
            entries.append(line)
        else:
            entries[-1] += "\n" + line
    assert sum("formula validation and execution" in entry for entry in entries) == len(files)  # every file ran
    return [entry for entry in entries if re.match(r"\[(WARNING|ERROR|INCONSISTENCY|CRITICAL)\]", entry)]


def test_every_xbrl_sample_read_and_written_again_validates_clean_with_the_same_facts(
        registry: Registry, packages: list[Path], tmp_path: Path) -> None:
    assert len(SAMPLES) == 6 and {p.parts[-3] for p in SAMPLES} == {str(y) for y in YEARS}
    written = []
    for path in SAMPLES:
        forms, facts = _sample_facts(registry, path)
        data = path.read_bytes()
        assert len(facts) == data.count(b"contextRef=") > 100  # nothing of a sample is skipped
        out = write_instance(forms, _board(data), facts)
        shuffled = facts[:]
        random.Random(len(facts)).shuffle(shuffled)
        assert write_instance(forms, _board(data), shuffled) == out  # deterministic: same facts, same bytes
        again = read_instance(forms, out)
        assert sorted((f.key, f.value, f.unit) for f in again) == sorted((f.key, f.value, f.unit) for f in facts)
        target = tmp_path / f"{path.parts[-3]}-{path.name}"
        target.write_bytes(out)
        written.append(target)
    # The control: the same run must see a broken total in a written instance, or a clean run proves nothing.
    forms, facts = _sample_facts(registry, SAMPLES[-1])
    broken = [replace(f, value=str(int(f.value) + 1000)) if f.concept == "Assets" else f for f in facts]
    control = tmp_path / "control.xbrl"
    control.write_bytes(write_instance(forms, _board(SAMPLES[-1].read_bytes()), broken))
    problems = _arelle(written + [control], packages, tmp_path)
    assert problems and all(f" - {control.name} " in entry for entry in problems), problems
    assert any("EDU-BAL-01" in line for line in problems)


def test_the_written_instance_looks_like_the_samples(registry: Registry) -> None:
    forms = _forms(registry, 2025)
    year = "2025-01-01/2025-12-31"
    facts = check_facts(forms, [
        {"concept": "WNTPartTimeFactor", "period": year, "dimensions": {"edu:WNTOfficialAxis": "TF1"}, "value": "0.9"},
        {"concept": "Income", "period": "2026-01-01/2026-12-31", "dimensions": BUDGET, "value": "1987896"},
        {"concept": "Assets", "period": "2025-12-31", "value": "1234.50"},
        {"concept": "BoardName", "period": year, "value": "De Linde & Co <x>"}])
    text = write_instance(forms, "41234", facts).decode()
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<xbrli:xbrl ")
    assert f'<link:schemaRef xlink:type="simple" xlink:href="{forms.entry_point}"/>' in text
    assert ('<xbrli:identifier scheme="https://xbrl.onderwijs.example/id/bevoegd-gezag">41234</xbrli:identifier>'
            in text)
    assert '<xbrldi:explicitMember dimension="edu:ScenarioAxis">edu:BudgetMember</xbrldi:explicitMember>' in text
    assert re.search(r'<xbrldi:typedMember dimension="edu:WNTOfficialAxis">\s*<edu:OfficialId>TF1</edu:OfficialId>',
                     text)
    assert '<edu:Assets contextRef="I2025" unitRef="EUR" decimals="2">1234.50</edu:Assets>' in text
    assert '<edu:Income contextRef="D2026B" unitRef="EUR" decimals="0">1987896</edu:Income>' in text
    assert ('<edu:WNTPartTimeFactor contextRef="D2025-TF1" unitRef="pure" decimals="1">0.9</edu:WNTPartTimeFactor>'
            in text)
    assert '<edu:BoardName contextRef="D2025" xml:lang="nl">De Linde &amp; Co &lt;x&gt;</edu:BoardName>' in text
    with pytest.raises(ValueError):
        write_instance(forms, "41234", facts + facts[:1])  # one key twice
    with pytest.raises(ValueError):
        write_instance(forms, "41 234", facts)


def test_reading_an_instance_skips_what_the_forms_do_not_hold_and_opens_nothing(
        registry: Registry, tmp_path: Path) -> None:
    forms = _forms(registry, 2025)
    data = (SAMPLES_DIR / "2025/valid/po-small.xbrl").read_bytes()
    nil = (b'</xbrli:unit><edu:Inventories xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" contextRef="I2025"'
           b' unitRef="EUR" decimals="0" xsi:nil="true"/>')
    extra = (b'<edu:Unknown contextRef="D2025" xml:lang="nl">x</edu:Unknown>'
             b'<other:Assets xmlns:other="urn:other" contextRef="I2025" unitRef="EUR" decimals="0">1</other:Assets>'
             b'<edu:Assets contextRef="I2025" unitRef="EUR" decimals="0">7</edu:Assets>'
             b'<edu:Income contextRef="I2025" unitRef="EUR" decimals="0">7</edu:Income></xbrli:xbrl>')
    last_unit = data.rindex(b"</xbrli:unit>")
    changed = data[:last_unit] + nil + data[last_unit + len(b"</xbrli:unit>"):]
    facts = read_instance(forms, changed.replace(b"</xbrli:xbrl>", extra))
    by_key = {f.key: f.value for f in facts}
    assert len(facts) == data.count(b"contextRef=")  # the sample's facts, nothing of what was added
    assert by_key[("Assets", "2025-12-31", "{}")] == "1522407"  # the first of two facts for one key
    assert by_key[("Inventories", "2025-12-31", "{}")] == "1932"  # the nil one before it is no value
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    hostile = data.replace(b"?>", f'?>\n<!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>'.encode(), 1)
    with pytest.raises(ValueError, match="DOCTYPE"):
        read_instance(forms, hostile.replace(b">Stichting Openbaar", b">&s;Stichting Openbaar"))
    with pytest.raises(ValueError, match="inline XBRL"):
        read_instance(forms, (SAMPLES_DIR / "2025/valid/po-small.xhtml").read_bytes())
    with pytest.raises(ValueError):
        read_instance(forms, b"<notxml")


# --- totals ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: "/".join(p.parts[-3:]))
def test_totals_computed_from_the_items_are_the_samples_totals(registry: Registry, path: Path) -> None:
    forms, facts = _sample_facts(registry, path)
    filed = {f.key: Decimal(f.value) for f in facts if f.unit}
    tree = trees(forms)
    totals = compute_totals(forms, facts)
    assert totals and all(key[0] in tree for key in totals)
    filed_totals = {key for key in filed if key[0] in tree}
    assert len(filed_totals) > 20 and {key: totals[key] for key in filed_totals} == {
        key: filed[key] for key in filed_totals}

    # Leave out every total with an item of its tree given in its context: computed again from the items alone,
    # each is what was filed (the budget's Income, Expenses and Result have no items: they stay as filed).
    def leaves(concept: str) -> set[str]:
        return {concept} if concept not in tree else set().union(*(leaves(child) for child, _w in tree[concept]))

    items_only = [f for f in facts if f.concept not in tree or not any(
        (leaf, f.period, f.key[2]) in filed for leaf in leaves(f.concept))]
    assert len(facts) - len(items_only) > 15
    recomputed = compute_totals(forms, items_only)
    assert {key: recomputed[key] for key in filed_totals} == {key: filed[key] for key in filed_totals}
    assert differences(forms, facts) == []
    wrong = [replace(f, value=str(int(f.value) + 5)) if f.key == ("Assets", f"{path.parts[-3]}-12-31", "{}") else f
             for f in facts]
    (difference,) = differences(forms, wrong)
    assert difference.key[0] == "Assets" and difference.difference == 5
