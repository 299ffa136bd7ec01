"""The inspectorate's signalling values (docs/signals.md), from the facts of one filing.

Values are computed from the board's own reported figures for reporting year
T (actual scenario, no dimensions), never typed in. Thresholds and factors come
from data/signals.toml, versioned. A value that cannot be computed (a missing
mandatory input, a zero denominator) is "not computable" with a reason, never
0 and never a breach; optional inputs that are not reported count as 0.
Profitability needs earlier years and is computed with the recipients' figures.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from .report import Signal
from .rules import FilingData

TABLE = Path(__file__).resolve().parent / "data" / "signals.toml"
SECTORS = ("PO", "SO", "VO", "MBO", "HBO", "WO")
# Inputs a board need not report (required=no in the model): absent means 0.
OPTIONAL = {"EarmarkedReservesPrivate", "FinancialIncome", "FinancialExpenses", "DepreciationLandAndBuildings"}


@cache
def versions() -> list[dict[str, Any]]:
    """Every version of the thresholds table, oldest first."""
    with TABLE.open("rb") as f:
        return sorted(tomllib.load(f)["version"], key=lambda v: v["first_year"])


def table_for(year: int) -> dict[str, Any]:
    """The table version in force for reporting `year`."""
    usable = [v for v in versions() if v["first_year"] <= year]
    return usable[-1] if usable else versions()[0]


class _Missing(Exception):
    def __init__(self, concept: str) -> None:
        super().__init__(concept)
        self.concept = concept


def _reader(data: FilingData) -> Any:
    def value(concept: str) -> Decimal:
        facts = [f for f in data.reporting_year_facts(concept) if f["value"] is not None]
        if not facts:
            if concept in OPTIONAL:
                return Decimal(0)
            raise _Missing(concept)
        try:
            return Decimal(facts[0]["value"])
        except InvalidOperation as exc:
            raise _Missing(concept) from exc
    return value


def _sectors(data: FilingData) -> list[str]:
    facts = data.reporting_year_facts("EducationSectors")
    listed = (facts[0]["value"] or "").split() if facts else []
    return [s for s in listed if s in SECTORS]


def _ratio(numerator: Decimal, denominator: Decimal, what: str) -> float:
    if denominator == 0:
        raise ZeroDivisionError(what)
    return round(float(numerator / denominator), 4)


# The concepts each signalling value reads (local names), for a reader who wants to see the rows a
# value was computed from; tests check each formula against this list (it reads each, and no other).
INPUTS: dict[str, tuple[str, ...]] = {
    "solvency2": ("Equity", "Provisions", "EquityAndLiabilities"),
    "current_ratio": ("CurrentAssets", "CurrentLiabilities", "Income"),
    "cash": ("CashAndCashEquivalents", "EducationSectors"),
    "excess_public_equity": ("Equity", "EarmarkedReservesPrivate", "PropertyPlantEquipment", "LandAndBuildings",
                             "AcquisitionCostLandAndBuildings", "Income"),
    "housing_ratio": ("HousingExpenses", "DepreciationLandAndBuildings", "Expenses", "FinancialExpenses",
                      "EducationSectors"),
    "resilience": ("Equity", "Income", "FinancialIncome"),
}


def compute(data: FilingData) -> tuple[dict[str, Signal], str]:
    """Every signalling value of the current and earlier set, and the table version used."""
    table = table_for(data.year)
    v = _reader(data)
    sectors = _sectors(data)
    results: dict[str, Signal] = {}

    def attempt(name: str, formula: Any) -> None:
        try:
            value, threshold, breach = formula()
            results[name] = Signal(value, threshold, bool(breach), True, None)
        except _Missing as missing:
            results[name] = Signal(None, None, False, False, f"missing input: {missing.concept}")
        except ZeroDivisionError as zero:
            results[name] = Signal(None, None, False, False, f"zero denominator: {zero}")
        except LookupError as unknown:
            results[name] = Signal(None, None, False, False, f"no threshold: {unknown}")

    def solvency2() -> tuple[float, float, bool]:
        value = _ratio(v("Equity") + v("Provisions"), v("EquityAndLiabilities"), "EquityAndLiabilities")
        return value, table["solvency2"]["below"], value < table["solvency2"]["below"]

    def current_ratio() -> tuple[float, float, bool]:
        value = _ratio(v("CurrentAssets"), v("CurrentLiabilities"), "CurrentLiabilities")
        income = v("Income")
        low, high = table["size_bounds"]
        size = "small" if income < low else ("large" if income > high else "medium")
        threshold = table["current_ratio"]["below"][size]
        return value, threshold, value < threshold

    def cash() -> tuple[float, float, bool]:
        value = float(v("CashAndCashEquivalents"))
        # A board with several sectors: the strictest threshold, as the share of
        # grants per sector is not in the filing.
        thresholds = [table["cash"]["below"][s] for s in sectors]
        if not thresholds:
            raise LookupError("EducationSectors")
        threshold = max(thresholds)
        return value, threshold, value < threshold

    def excess_public_equity() -> tuple[float, float, bool]:
        f = table["excess_public_equity"]
        actual = v("Equity") - v("EarmarkedReservesPrivate")
        other_assets = v("PropertyPlantEquipment") - v("LandAndBuildings") if f["other_assets_at_book_value"] else 0
        normative = (Decimal(str(f["building_share"])) * Decimal(str(f["building_indexation"]))
                     * v("AcquisitionCostLandAndBuildings") + other_assets
                     + max(Decimal(str(f["income_share"])) * v("Income"), Decimal(f["income_minimum"])))
        value = _ratio(actual, normative, "normative public equity")
        return value, f["above"], value > f["above"]

    def housing_ratio() -> tuple[float, float, bool]:
        value = _ratio(v("HousingExpenses") + v("DepreciationLandAndBuildings"),
                       v("Expenses") + v("FinancialExpenses"), "Expenses + FinancialExpenses")
        thresholds = [table["housing_ratio"]["above"][s] for s in sectors]
        if not thresholds:
            raise LookupError("EducationSectors")
        threshold = min(thresholds)  # the strictest for "above"
        return value, threshold, value > threshold

    def resilience() -> tuple[float, None, bool]:
        return _ratio(v("Equity"), v("Income") + v("FinancialIncome"), "Income + FinancialIncome"), None, False

    for name, formula in (("solvency2", solvency2), ("current_ratio", current_ratio), ("cash", cash),
                          ("excess_public_equity", excess_public_equity), ("housing_ratio", housing_ratio),
                          ("resilience", resilience)):
        attempt(name, formula)
    return results, table["id"]


def profitability(ratios: dict[int, float], year: int) -> dict[str, Signal]:
    """The earlier set's profitability for `year` from the yearly ratios Result / (Income +
    FinancialIncome) of that year and the ones before: 1-, 2- and 3-year averages, each
    "not computable" when a year is missing."""
    limits = table_for(year)["profitability"]
    result = {}
    for span, key in ((1, "below_1y"), (2, "below_2y"), (3, "below_3y")):
        years = [year - k for k in range(span)]
        missing = [y for y in years if y not in ratios]
        name = f"profitability_{span}y"
        if missing:
            result[name] = Signal(None, limits[key], False, False, f"missing year: {', '.join(map(str, missing))}")
        else:
            value = round(sum(ratios[y] for y in years) / span, 4)
            result[name] = Signal(value, limits[key], value < limits[key], True, None)
    return result
