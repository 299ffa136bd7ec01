"""The signalling values: definitions, thresholds by size and sector, not computable, the table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from taxonomies.generator import generate
from validators.rules import FilingData
from validators.signals import compute, table_for, versions


def _data(sectors: str = "PO", size: str = "small", **changes: str | None) -> FilingData:
    """A generated filing as the rules see it; `changes` set (or with None remove) 2025 facts."""
    filing = generate(2025, "41234", "Stichting Test", sectors, size, officials=2, seed=11)
    facts = []
    for f in filing.facts:
        ctx = filing.contexts[f.context]
        period = ctx.end.isoformat() if ctx.start is None else f"{ctx.start.isoformat()}/{ctx.end.isoformat()}"
        dims = {"edu:ScenarioAxis": f"edu:{ctx.member}"} if ctx.member else (
            {"edu:WNTOfficialAxis": ctx.official} if ctx.official else {})
        facts.append({"concept": f"edu:{f.concept}", "local": f.concept, "value": f.value, "period": period,
                      "dimensions": dims, "context": f.context})
    for concept, value in changes.items():
        targets = [f for f in facts if f["local"] == concept and not f["dimensions"]
                   and f["period"].endswith("2025-12-31")]
        assert targets, concept
        for target in targets:
            if value is None:
                facts.remove(target)
            else:
                target["value"] = value
    return FilingData("41234", 2025, "f.xbrl", facts)


def _v(data: FilingData, concept: str) -> Decimal:
    return Decimal(data.reporting_year_facts(concept)[0]["value"])


def test_values_follow_the_definitions() -> None:
    data = _data()
    signals, version = compute(data)
    assert version == "2024.1"
    v = lambda c: _v(data, c)  # noqa: E731
    assert signals["solvency2"].value == round(float((v("Equity") + v("Provisions")) / v("EquityAndLiabilities")), 4)
    assert signals["current_ratio"].value == round(float(v("CurrentAssets") / v("CurrentLiabilities")), 4)
    assert signals["cash"].value == float(v("CashAndCashEquivalents"))
    normative = (Decimal("0.5") * Decimal("1.27") * v("AcquisitionCostLandAndBuildings")
                 + v("PropertyPlantEquipment") - v("LandAndBuildings") + max(Decimal("0.05") * v("Income"), 250_000))
    assert signals["excess_public_equity"].value == round(float((v("Equity") - v("EarmarkedReservesPrivate")) / normative), 4)
    assert signals["housing_ratio"].value == round(float(
        (v("HousingExpenses") + v("DepreciationLandAndBuildings")) / (v("Expenses") + v("FinancialExpenses"))), 4)
    assert signals["resilience"].value == round(float(v("Equity") / (v("Income") + v("FinancialIncome"))), 4)
    assert signals["resilience"].threshold is None and signals["resilience"].breach is False
    assert all(s.computable for s in signals.values())


@pytest.mark.parametrize("income,threshold", [("2999999", 1.5), ("3000000", 1.0), ("12000000", 1.0), ("12000001", 0.75)])
def test_current_ratio_threshold_depends_on_size(income: str, threshold: float) -> None:
    signals, _ = compute(_data(Income=income))
    assert signals["current_ratio"].threshold == threshold


@pytest.mark.parametrize("sectors,cash_threshold,housing_threshold",
                         [("PO", 100_000, 0.10), ("MBO", 2_000_000, 0.15), ("PO MBO", 2_000_000, 0.10)])
def test_sector_thresholds_and_the_strictest_for_several_sectors(sectors: str, cash_threshold: int,
                                                                 housing_threshold: float) -> None:
    signals, _ = compute(_data(sectors))
    assert signals["cash"].threshold == cash_threshold
    assert signals["housing_ratio"].threshold == housing_threshold


def test_breach() -> None:
    signals, _ = compute(_data(CashAndCashEquivalents="99999"))
    assert signals["cash"].breach is True and signals["cash"].value == 99999.0
    signals, _ = compute(_data(CashAndCashEquivalents="100000"))
    assert signals["cash"].breach is False


def test_not_computable_is_never_zero_nor_a_breach() -> None:
    signals, _ = compute(_data(CurrentLiabilities="0", AcquisitionCostLandAndBuildings=None))
    ratio = signals["current_ratio"]
    assert (ratio.value, ratio.computable, ratio.breach) == (None, False, False)
    assert "zero denominator" in ratio.reason
    excess = signals["excess_public_equity"]
    assert (excess.value, excess.computable, excess.breach) == (None, False, False)
    assert excess.reason == "missing input: AcquisitionCostLandAndBuildings"


def test_optional_inputs_count_as_zero() -> None:
    with_private = compute(_data(EarmarkedReservesPrivate="0"))[0]["excess_public_equity"].value
    without = compute(_data(EarmarkedReservesPrivate=None))[0]["excess_public_equity"].value
    assert with_private == without


def test_the_table_is_versioned_by_year() -> None:
    assert table_for(2025)["id"] == versions()[-1]["id"]
    assert table_for(2024)["first_year"] <= 2024


def test_profitability_over_one_two_and_three_years() -> None:
    from validators.signals import profitability

    result = profitability({2023: -0.02, 2024: -0.06, 2025: -0.05}, 2025)
    assert (result["profitability_1y"].value, result["profitability_1y"].breach) == (-0.05, False)
    assert (result["profitability_2y"].value, result["profitability_2y"].breach) == (-0.055, True)
    assert (result["profitability_3y"].value, result["profitability_3y"].breach) == (-0.0433, True)
    partial = profitability({2025: 0.01}, 2025)
    assert partial["profitability_2y"].computable is False and partial["profitability_2y"].reason == "missing year: 2024"
    assert partial["profitability_2y"].breach is False
