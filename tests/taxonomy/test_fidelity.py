"""What Arelle reads from the packages is exactly the standard: every concept of the
CSV with its type, period, balance, labels and calculation, the fixed names and
URLs, the dimensions and the statements in the model formats' order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from taxonomies.model import Year, concepts, settings, years

YEARS = {y.year: y for y in years()}
ITEM_TYPES = {  # docs/taxonomy.md, "Types and units"
    "monetary": "monetaryItemType", "string": "stringItemType", "textblock": "stringItemType",
    "date": "dateItemType", "integer": "nonNegativeIntegerItemType", "decimal": "decimalItemType",
}
ROLE_LABEL = "http://www.xbrl.org/2003/role/label"
SUMMATION = "http://www.xbrl.org/2003/arcrole/summation-item"
PARENT_CHILD = "http://www.xbrl.org/2003/arcrole/parent-child"


@pytest.fixture(scope="module", params=sorted(YEARS))
def dts(request: pytest.FixtureRequest, packages: list[Path]) -> Iterator[tuple[Year, Any]]:
    """The year's taxonomy as Arelle models it."""
    from arelle.api.Session import Session
    from arelle.RuntimeOptions import RuntimeOptions

    year = YEARS[request.param]
    session = Session()
    session.run(RuntimeOptions(entrypointFile=year.entry_point, packages=[str(p) for p in packages],
                               internetConnectivity="offline", keepOpen=True, logFile="logToStructuredMessage",
                               logPropagate=False, disablePersistentConfig=True, pluginOptions={}))
    (model,) = session.get_models()
    yield year, model
    session.close()


def _concept(model: Any, year: Year, name: str) -> Any:
    from arelle.ModelValue import qname

    return model.qnameConcepts.get(qname(year.namespace, name))


def test_fixed_names(dts: tuple[Year, Any]) -> None:
    year, model = dts
    assert year.namespace == f"https://xbrl.onderwijs.example/{year.year}/edu"
    assert year.entry_point == (f"https://xbrl.onderwijs.example/{year.year}/entrypoints/"
                                f"edu-rpt-jaarverantwoording-{year.year}.xsd")
    assert settings()["names"]["entity_scheme"] == "https://xbrl.onderwijs.example/id/bevoegd-gezag"
    assert model.modelDocument.uri == year.entry_point


def test_every_concept_of_the_csv_with_its_properties(dts: tuple[Year, Any]) -> None:
    year, model = dts
    for c in concepts():
        concept = _concept(model, year, c.name)
        if c.name in year.omit_concepts:
            assert concept is None, f"{c.name} must not be in {year.year}"
            continue
        assert concept is not None, c.name
        assert concept.isItem and not concept.isAbstract
        assert concept.periodType == c.period
        assert concept.balance == c.balance
        if c.type in ITEM_TYPES:
            assert concept.typeQname.localName == ITEM_TYPES[c.type], c.name
        else:  # enum and enum-list: token types restricted to the listed values
            assert concept.type.qnameDerivedFrom.localName == "tokenItemType", c.name
        assert concept.label(ROLE_LABEL, lang="nl", fallbackToQname=False) == c.label_nl
        assert concept.label(ROLE_LABEL, lang="en", fallbackToQname=False) == c.label_en


def test_2024_lacks_learning_materials_and_2025_has_it() -> None:
    assert YEARS[2024].omit_concepts == ("LearningMaterials",)
    assert YEARS[2025].has("LearningMaterials") and not YEARS[2024].has("LearningMaterials")


def test_long_texts_carry_the_input_hint_the_forms_read(dts: tuple[Year, Any]) -> None:
    # A textblock's type is xbrli:stringItemType like a name's; only edu-fr:input tells a form it is long.
    year, model = dts
    attribute = "{https://xbrl.onderwijs.example/filing-rules}input"
    hints = {c.name: _concept(model, year, c.name).get(attribute) for c in year.concepts}
    assert {name for name, hint in hints.items() if hint} == {"RisksAndUncertainties", "SupervisoryBoardReport"}
    assert {hint for hint in hints.values() if hint} == {"textblock"}


def test_enumerations(dts: tuple[Year, Any]) -> None:
    year, model = dts
    facets = _concept(model, year, "AuditOpinionType").type.facets
    assert set(facets["enumeration"]) == {"goedkeurend", "met-beperking", "oordeelonthouding", "afkeurend"}
    pattern = re.compile(_concept(model, year, "EducationSectors").type.facets["pattern"].pattern)
    assert pattern.fullmatch("PO SO") and pattern.fullmatch("MBO")
    assert not pattern.fullmatch("PO,SO") and not pattern.fullmatch("XX")


def test_calculation_weights_are_the_csv_weights(dts: tuple[Year, Any]) -> None:
    year, model = dts
    arcs = {(r.fromModelObject.name, r.toModelObject.name): r.weight
            for r in model.relationshipSet(SUMMATION).modelRelationships}
    expected = {(c.calc_parent, c.name): float(c.weight) for c in year.concepts if c.calc_parent}
    assert arcs == expected


def test_presentation_has_the_statements_in_model_format_order(dts: tuple[Year, Any]) -> None:
    year, model = dts
    definitions = [model.roleTypes[uri][0].definition for uri in model.roleTypes
                   if uri.startswith(year.base_url + "role/") and model.relationshipSet(PARENT_CHILD, uri)]
    assert [d.split(" - ")[1].split(" (")[0] for d in sorted(definitions)] == [
        "Algemene informatie", "Balans", "Staat van baten en lasten", "Kasstroomoverzicht",
        "Continuïteitsparagraaf", "WNT-verantwoording"]
    presented = {r.toModelObject.name for r in model.relationshipSet(PARENT_CHILD).modelRelationships}
    assert {c.name for c in year.concepts} <= presented  # every concept has its place


def test_a_concept_shown_in_two_statements_belongs_to_the_first_by_role_order(dts: tuple[Year, Any]) -> None:
    # The continuity section shows the budget Income, Expenses and Result too (EDU-CP-01 needs them,
    # the online form collects them there); a finding about Income still names the income statement.
    from validators.arelle.extract import _statement

    year, model = dts
    continuity = model.relationshipSet(PARENT_CHILD, f"{year.base_url}role/ContinuitySection")
    shown = {r.toModelObject.name for r in continuity.modelRelationships}
    assert {"Income", "Expenses", "Result", "StudentCount"} <= shown
    assert _statement(_concept(model, year, "Income")) == (
        "300 - Staat van baten en lasten (Statement of income and expenses)")
    assert _statement(_concept(model, year, "Result")).startswith("300 - ")
    assert _statement(_concept(model, year, "StudentCount")).startswith("500 - ")


def test_balance_sheet_presentation_follows_the_csv_order(dts: tuple[Year, Any]) -> None:
    year, model = dts
    rels = model.relationshipSet(PARENT_CHILD, f"{year.base_url}role/BalanceSheet")
    assets = _concept(model, year, "Assets")
    children = [r.toModelObject.name for r in rels.fromModelObject(assets)]
    assert children == ["NoncurrentAssets", "CurrentAssets"]
    ppe = _concept(model, year, "PropertyPlantEquipment")
    expected = [c.name for c in year.concepts if c.calc_parent == "PropertyPlantEquipment"]
    assert [r.toModelObject.name for r in rels.fromModelObject(ppe)] == expected


def test_dimensions(dts: tuple[Year, Any]) -> None:
    year, model = dts
    axis = _concept(model, year, "ScenarioAxis")
    assert axis.isExplicitDimension
    defaults = model.relationshipSet("http://xbrl.org/int/dim/arcrole/dimension-default").fromModelObject(axis)
    assert [r.toModelObject.name for r in defaults] == ["ActualMember"]
    official = _concept(model, year, "WNTOfficialAxis")
    assert official.isTypedDimension and official.typedDomainElement.name == "OfficialId"
    assert official.typedDomainElement.typeQname.localName == "token"
    all_arcs = model.relationshipSet("http://xbrl.org/int/dim/arcrole/all").modelRelationships
    assert {(r.contextElement, r.closed) for r in all_arcs} == {("scenario", "true")}
    # Every WNT concept is in the official's hypercube, every other in the scenario one.
    members = {r.toModelObject.name: r.fromModelObject.name
               for r in model.relationshipSet("http://xbrl.org/int/dim/arcrole/domain-member").modelRelationships
               if r.fromModelObject.name in ("ReportLineItems", "WNTLineItems")}
    for c in year.concepts:
        assert members[c.name] == ("WNTLineItems" if c.section == "wnt" else "ReportLineItems"), c.name


def test_mandatory_flag_travels_with_the_package(dts: tuple[Year, Any]) -> None:
    year, model = dts
    attr = "{https://xbrl.onderwijs.example/filing-rules}required"
    for c in year.concepts:
        assert _concept(model, year, c.name).get(attr) == c.required
