"""The filing rules FR-*, each broken on its own in a valid sample, through the real engine."""

from __future__ import annotations

import re

import pytest

from validators import Engine
from validators.rules import REGISTRY, rules_for_year

from ..samples import sample

VALID = sample("2025/valid/po-small.xbrl").decode()


def _first_fact(concept: str) -> re.Match[str]:
    match = re.search(rf"<edu:{concept} contextRef=\"(\w+)\"[^>]*>([^<]*)</edu:{concept}>", VALID)
    assert match, concept
    return match


def _codes(engine: Engine, text: str, board: str = "41234", year: int = 2025) -> list[str]:
    report = engine.validate(text.encode(), "filing.xbrl", board, year)
    return sorted({f.code for f in report.findings})


def test_the_valid_sample_passes_every_rule(engine: Engine) -> None:
    assert _codes(engine, VALID) == []


def test_fr_entity_other_board_in_the_contexts(engine: Engine) -> None:
    # The file is about 41234; submitted for 41235 it is about someone else.
    assert _codes(engine, VALID, board="41235") == ["FR-ENTITY"]


def test_a_file_of_another_board_is_one_finding_that_names_that_board(engine: Engine) -> None:
    report = engine.validate(VALID.encode(), "filing.xbrl", "41235", 2025)
    contexts = len(set(re.findall(r'contextRef="([^"]+)"', VALID)))  # the contexts facts are in
    assert contexts > 1  # one finding for all of them, not one each
    entity = [f for f in report.findings if f.code == "FR-ENTITY"]
    board_number = [f for f in entity if "41234" in f.message["nl"] and "bestuur 41234" not in f.message["nl"]]
    (other_board,) = [f for f in entity if "bestuur 41234" in f.message["nl"]]
    assert f"({contexts} contexten)" in other_board.message["nl"] and "41235" in other_board.message["nl"]
    assert "school board 41234" in other_board.message["en"]
    assert len(entity) == 1 + len(board_number)  # and the BoardNumber fact, which says 41234 too


def test_fr_entity_other_scheme(engine: Engine) -> None:
    text = VALID.replace('scheme="https://xbrl.onderwijs.example/id/bevoegd-gezag">41234</xbrli:identifier>\n'
                         '    </xbrli:entity>\n    <xbrli:period>\n      <xbrli:instant>2025-12-31',
                         'scheme="http://www.kvk.nl/kvk-id">41234</xbrli:identifier>\n    </xbrli:entity>\n'
                         '    <xbrli:period>\n      <xbrli:instant>2025-12-31', 1)
    assert text != VALID
    assert "FR-ENTITY" in _codes(engine, text)


def test_fr_entity_board_number_fact_disagrees(engine: Engine) -> None:
    text = VALID.replace(">41234</edu:BoardNumber>", ">41299</edu:BoardNumber>")
    assert _codes(engine, text) == ["FR-ENTITY"]


def test_fr_period_main_context_is_not_the_reporting_year(engine: Engine) -> None:
    # The first context is the main duration context D2025: start it a month late.
    text = VALID.replace("<xbrli:startDate>2025-01-01</xbrli:startDate>", "<xbrli:startDate>2025-02-01</xbrli:startDate>", 1)
    assert VALID.index('id="D2025"') < VALID.index("<xbrli:startDate>") < VALID.index('id="I2025"')
    assert "FR-PERIOD" in _codes(engine, text)


def test_fr_currency_other_currency(engine: Engine) -> None:
    text = VALID.replace("<xbrli:measure>iso4217:EUR</xbrli:measure>", "<xbrli:measure>iso4217:USD</xbrli:measure>")
    assert _codes(engine, text) == ["FR-CURRENCY"]


def test_fr_currency_negative_decimals(engine: Engine) -> None:
    fact = _first_fact("OtherTangibleFixedAssets")
    text = VALID.replace(fact.group(0), fact.group(0).replace('decimals="0"', 'decimals="-3"'), 1)
    assert "FR-CURRENCY" in _codes(engine, text)


def test_fr_duplicate_with_different_values(engine: Engine) -> None:
    text = VALID.replace("</edu:BoardName>", "</edu:BoardName>\n  <edu:BoardName contextRef=\"D2025\" "
                         "xml:lang=\"nl\">Een andere naam</edu:BoardName>", 1)
    assert _codes(engine, text) == ["FR-DUPLICATE"]


def test_fr_duplicate_with_the_same_value_is_fine(engine: Engine) -> None:
    fact = _first_fact("BoardName")
    text = VALID.replace(fact.group(0), fact.group(0) + "\n  " + fact.group(0), 1)
    assert _codes(engine, text) == []


def test_fr_mandatory(engine: Engine) -> None:
    fact = _first_fact("SupervisoryApprovalDate")
    report = engine.validate(VALID.replace(fact.group(0), "", 1).encode(), "filing.xbrl", "41234", 2025)
    assert [(f.code, f.concept, f.label) for f in report.findings] == [
        ("FR-MANDATORY", "edu:SupervisoryApprovalDate", "Datum goedkeuring intern toezicht")]


def test_fr_lang(engine: Engine) -> None:
    text = VALID.replace('<edu:RisksAndUncertainties contextRef="D2025" xml:lang="nl">',
                         '<edu:RisksAndUncertainties contextRef="D2025" xml:lang="en">')
    assert text != VALID
    assert _codes(engine, text) == ["FR-LANG"]


def test_a_year_can_drop_a_rule() -> None:
    assert {r.code for r in rules_for_year(2025)} == {
        "FR-ENTITY", "FR-PERIOD", "FR-CURRENCY", "FR-DUPLICATE", "FR-MANDATORY", "FR-LANG"}
    lang = REGISTRY["FR-LANG"]
    try:
        REGISTRY["FR-LANG"] = type(lang)(lang.code, lang.function, lang.first_year, last_year=2024)
        assert "FR-LANG" not in {r.code for r in rules_for_year(2025)}
        assert "FR-LANG" in {r.code for r in rules_for_year(2024)}
    finally:
        REGISTRY["FR-LANG"] = lang


@pytest.mark.parametrize("year", [2024, 2025])
def test_every_valid_sample_passes_the_rules(engine: Engine, year: int) -> None:
    for name, board in (("po-small.xbrl", "41234"), ("vo-large.xbrl", "30567"), ("mbo.xbrl", "25123"),
                        ("po-small.xhtml", "41234")):
        report = engine.validate(sample(f"{year}/valid/{name}"), name, board, year)
        assert report.status == "valid", (name, [f.to_dict() for f in report.findings])


def test_a_reporting_year_fact_is_undimensioned_and_ends_on_31_december() -> None:
    from validators.facts import is_reporting_year_fact

    def fact(period: str | None, dimensions: dict[str, str] | None = None) -> dict[str, object]:
        return {"period": period, "dimensions": dimensions or {}}

    assert is_reporting_year_fact(fact("2025-12-31"), 2025)
    assert is_reporting_year_fact(fact("2025-01-01/2025-12-31"), 2025)
    assert not is_reporting_year_fact(fact("2024-12-31"), 2025) and not is_reporting_year_fact(fact(None), 2025)
    assert not is_reporting_year_fact(fact("2025-01-01/2025-06-30"), 2025)
    assert not is_reporting_year_fact(fact("2025-12-31", {"edu:ScenarioAxis": "edu:BudgetMember"}), 2025)
