"""What changed between two filings (validators/statements/compare.py), on the facts the engine keeps
of the committed samples and of variants made by editing their XML: exactly the one amount changed,
a text changed, a WNT official added and one removed, numbers equal by value, the year before lined
up with this year, findings new and resolved, and the changes in the statements' order."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from taxonomies.samples import SAMPLES_DIR
from validators import Engine, Registry
from validators.facts import kept
from validators.forms import FormSet, forms_for
from validators.statements.compare import (ADDED, CHANGED, REMOVED, Change, compare_facts, compare_findings,
                                           shift_period, summarise)

PO_2025 = (SAMPLES_DIR / "2025/valid/po-small.xbrl").read_text(encoding="utf-8")
PO_2024 = (SAMPLES_DIR / "2024/valid/po-small.xbrl").read_text(encoding="utf-8")
OFFICIAL = "edu:WNTOfficialAxis"


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


Validated = dict[str, Any]


@pytest.fixture(scope="module")
def validated(engine: Engine) -> Callable[[str, int], Validated]:
    """validated(xml, year): the kept facts and the findings of a filing, each text validated once."""
    done: dict[tuple[str, int], Validated] = {}

    def run(text: str, year: int = 2025) -> Validated:
        if (text, year) not in done:
            report = engine.validate(text.encode(), "jv.xbrl", "41234", year)
            assert report.facts, report.findings
            done[text, year] = {"facts": kept(report.facts), "findings": report.to_dict()["findings"]}
        return done[text, year]
    return run


@pytest.fixture(scope="module")
def forms(registry: Registry) -> FormSet:
    return forms_for(registry.for_year(2025).package, 2025)


def _value(facts: list[dict[str, Any]], local: str, period: str, dimensions: dict[str, str] | None = None) -> str:
    found = [f["value"] for f in facts if f["local"] == local and f["period"] == period
             and f["dimensions"] == (dimensions or {})]
    assert len(found) == 1, (local, period, found)
    return found[0]


def test_the_same_filing_has_no_changes_and_inline_says_the_same_as_xml(
        validated: Callable[..., Validated], forms: FormSet) -> None:
    xml = validated(PO_2025)["facts"]
    inline = validated((SAMPLES_DIR / "2025/valid/po-small.xhtml").read_text(encoding="utf-8"))["facts"]
    assert len(xml) > 100
    assert compare_facts(xml, xml, forms=forms) == []
    # The inline version inherits xml:lang on its numbers and writes its amounts its own way: still no change.
    assert compare_facts(xml, inline, forms=forms) == [] and compare_facts(inline, xml, forms=forms) == []


def test_one_amount_changed_is_exactly_one_change_with_old_and_new(
        validated: Callable[..., Validated], forms: FormSet) -> None:
    old = validated(PO_2025)
    new = validated(_edit(PO_2025, 'contextRef="D2025" unitRef="EUR" decimals="0">54956<',
                          'contextRef="D2025" unitRef="EUR" decimals="0">55956<'))
    changes = compare_facts(old["facts"], new["facts"], forms=forms)
    assert changes == [Change(concept="OtherIncome", period="2025-01-01/2025-12-31", dimensions={}, lang=None,
                              kind=CHANGED, old="54956", new="55956", numeric=True, unit="iso4217:EUR",
                              statement="IncomeStatement")]
    assert changes[0].difference == Decimal(1000)
    assert changes[0].as_dict() == {"concept": "OtherIncome", "period": "2025-01-01/2025-12-31", "dimensions": {},
                                    "old": "54956", "new": "55956"}
    assert summarise(changes).amounts == 1 and summarise(changes).total == 1
    # The income no longer adds up: a finding the older version did not have, resolved by going back.
    findings = compare_findings(old["findings"], new["findings"])
    assert findings.new and not findings.resolved
    assert {f["concept"] for f in findings.new} >= {"edu:Income"}
    back = compare_findings(new["findings"], old["findings"])
    assert back.resolved == findings.new and back.new == []


def test_numbers_compare_by_value(validated: Callable[..., Validated], forms: FormSet) -> None:
    old = validated(PO_2025)
    new = validated(_edit(PO_2025, 'unitRef="EUR" decimals="0">1765731<', 'unitRef="EUR" decimals="2">1765731.00<'))
    assert _value(new["facts"], "GovernmentGrantsOCW", "2025-01-01/2025-12-31") == "1765731.00"
    assert compare_facts(old["facts"], new["facts"], forms=forms) == []


def test_a_text_change(validated: Callable[..., Validated], forms: FormSet) -> None:
    old = validated(PO_2025)
    new = validated(_edit(PO_2025, "zes keer vergaderd", "zeven keer vergaderd"))
    [change] = compare_facts(old["facts"], new["facts"], forms=forms)
    assert (change.concept, change.kind, change.lang, change.numeric) == ("SupervisoryBoardReport", CHANGED, "nl",
                                                                          False)
    assert "zes keer" in change.old and "zeven keer" in change.new and change.difference is None
    assert summarise([change]).texts == 1


def _with_fourth_official(text: str) -> str:
    """The 2025 sample with a fourth senior official (a new typed member) and without the third's
    part-time factor."""
    context = re.search(r'  <xbrli:context id="D2025-W0003">.*?</xbrli:context>\n', text, re.S).group(0)
    text = _edit(text, context, context + context.replace("W0003", "W0004"))
    facts = re.findall(r'  <edu:WNT\w+ contextRef="D2025-W0003".*\n', text)
    text = _edit(text, "</xbrli:xbrl>", "".join(f.replace("W0003", "W0004") for f in facts) + "</xbrli:xbrl>")
    return _edit(text, '<edu:WNTPartTimeFactor contextRef="D2025-W0003" unitRef="pure" decimals="2">0.10'
                       '</edu:WNTPartTimeFactor>\n', "")


def test_an_official_added_and_a_fact_removed(validated: Callable[..., Validated], forms: FormSet) -> None:
    old = validated(PO_2025)
    new = validated(_with_fourth_official(PO_2025))
    changes = compare_facts(old["facts"], new["facts"], forms=forms)
    added = [c for c in changes if c.kind == ADDED]
    removed = [c for c in changes if c.kind == REMOVED]
    assert len(changes) == len(added) + len(removed)
    assert len(added) == 10 and {c.dimensions[OFFICIAL] for c in added} == {"W0004"}
    assert all(c.old is None and c.new is not None and c.statement == "WNTDisclosure" for c in added)
    assert [(c.concept, c.dimensions, c.old, c.new) for c in removed] == [
        ("WNTPartTimeFactor", {OFFICIAL: "W0003"}, "0.10", None)]
    assert {c.concept: c.new for c in added}["WNTOfficialName"] == "Frank Bakker"
    # Official by official, in the rows' order: the third's removed fact before the fourth's block.
    order = [(c.dimensions[OFFICIAL], c.concept) for c in changes]
    assert order == sorted(order, key=lambda k: k[0]) and order[0] == ("W0003", "WNTPartTimeFactor")
    rows = [row.concept for row in forms.statement("WNTDisclosure").rows]
    assert [c.concept for c in added] == [r for r in rows if r in {c.concept for c in added}]
    summary = summarise(changes)
    assert (summary.added, summary.removed, summary.amounts, summary.texts) == (10, 1, 0, 0)


def test_last_year_lines_up_with_this_year(validated: Callable[..., Validated], forms: FormSet) -> None:
    last, this = validated(PO_2024, 2024), validated(PO_2025)
    assert _value(last["facts"], "Assets", "2024-12-31") != _value(this["facts"], "Assets", "2025-12-31")
    changes = compare_facts(last["facts"], this["facts"], shift=1, forms=forms)
    by_key = {(c.concept, c.period, tuple(sorted(c.dimensions.items()))): c for c in changes}
    # Last year's balance sheet date against this year's, last year's year against this year's.
    assets = by_key["Assets", "2025-12-31", ()]
    assert (assets.old, assets.new) == (_value(last["facts"], "Assets", "2024-12-31"),
                                        _value(this["facts"], "Assets", "2025-12-31"))
    income = by_key["Income", "2025-01-01/2025-12-31", ()]
    assert income.old == _value(last["facts"], "Income", "2024-01-01/2024-12-31")
    budget = {"edu:ScenarioAxis": "edu:BudgetMember"}
    students = by_key["StudentCount", "2026-12-31", tuple(budget.items())]
    assert students.old == _value(last["facts"], "StudentCount", "2025-12-31", budget)
    # The same official (typed member kept as it is), a year on.
    name = by_key["WNTOfficialName", "2025-01-01/2025-12-31", ((OFFICIAL, "W0001"),)]
    assert name.old == _value(last["facts"], "WNTOfficialName", "2024-01-01/2024-12-31", {OFFICIAL: "W0001"})
    # Every period of a change is one of this year's filing (or last year's moved on), none of 2023.
    assert all("2023" not in (c.period or "") for c in changes)
    # A concept new in this year's taxonomy is added; nothing matched by namespace.
    assert {c.concept for c in changes if c.kind == ADDED} == {"LearningMaterials"}
    assert not [c for c in changes if c.kind == REMOVED]
    # Without the shift, last year's facts would line up with nothing of this year's at the same date.
    unshifted = compare_facts(last["facts"], this["facts"], forms=forms)
    assert len([c for c in unshifted if c.kind == REMOVED]) > 50


def test_findings_of_last_year_line_up_too() -> None:
    last = [{"code": "EDU-EQ-01", "concept": "edu:Equity", "period": "2024-12-31", "dimensions": {}},
            {"code": "EDU-WNT-01", "concept": "edu:WNTRemuneration", "period": "2024-01-01/2024-12-31",
             "dimensions": {"edu:WNTOfficialAxis": "W0001"}}]
    this = [{"code": "EDU-EQ-01", "concept": "edu:Equity", "period": "2025-12-31", "dimensions": {}},
            {"code": "EDU-CF-01", "concept": None, "period": None, "dimensions": {}}]
    diff = compare_findings(last, this, shift=1)
    assert [f["code"] for f in diff.new] == ["EDU-CF-01"] and [f["code"] for f in diff.resolved] == ["EDU-WNT-01"]
    assert compare_findings(last, this).resolved == last  # not shifted: nothing lines up
    twice = compare_findings(this[:1], this[:1] * 2)  # the same finding twice where it was once: one new
    assert len(twice.new) == 1 and twice.resolved == []


@pytest.mark.parametrize("period, years, expected", [
    ("2024-12-31", 1, "2025-12-31"), ("2024-01-01/2024-12-31", 1, "2025-01-01/2025-12-31"),
    ("2024-02-29", 1, "2025-02-28"), ("2023-07-01/2024-06-30", 1, "2024-07-01/2025-06-30"),
    ("forever", 1, "forever"), (None, 1, None), ("2025-12-31", 0, "2025-12-31")])
def test_periods_move_on(period: str | None, years: int, expected: str | None) -> None:
    assert shift_period(period, years) == expected


def test_dimensions_match_by_local_name_and_a_text_by_language() -> None:
    def fact(value: str, dims: dict[str, str], lang: str | None = "nl", unit: str | None = None,
             ns: str = "2025") -> dict[str, Any]:
        return {"concept": "edu:X", "local": "X", "namespace": ns, "period": "2025-12-31", "dimensions": dims,
                "unit": unit, "decimals": None, "value": value, "lang": lang}
    old = [fact("a", {"old:ScenarioAxis": "old:BudgetMember"}, ns="2024"), fact("10", {}, None, "iso4217:EUR")]
    new = [fact("a", {"edu:ScenarioAxis": "edu:BudgetMember"}), fact("10.0", {}, "nl", "iso4217:EUR")]
    assert compare_facts(old, new) == []
    # A text in another language beside it is added; a text without a language matches the one with.
    assert [c.kind for c in compare_facts([fact("a", {})], [fact("a", {}), fact("b", {}, "en")])] == [ADDED]
    assert compare_facts([fact("a", {}, None)], [fact("a", {}, "nl")]) == []
    [change] = compare_facts([fact("a", {}, None)], [fact("b", {}, "nl")])
    assert (change.kind, change.old, change.new) == (CHANGED, "a", "b")
    # A changed unit is a change, even for the same number.
    assert [c.kind for c in compare_facts([fact("10", {}, None, "iso4217:EUR")],
                                          [fact("10", {}, None, "xbrli:pure")])] == [CHANGED]
