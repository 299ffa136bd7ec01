"""Realistic, internally consistent filings of any size, for samples, tests and benchmarks.

A filing is data (contexts and facts); `taxonomies.instance` writes it as
xBRL-XML or inline XBRL. Every generated filing validates clean against its
year's taxonomy: the balance sheet balances at both dates, the cash flow
explains the change in cash, the change in equity equals the net result, the
calculation trees add up, the continuity forecasts are there and every senior
official's pay is within the rules. Size grows with the number of WNT
officials (ten facts each): `officials_for_facts` picks the number for a
target size.

    python -m taxonomies.generator --year 2025 --facts 3000 > big.xbrl
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from datetime import date

from .model import Year, year as model_year

SIZES = {  # total income range per size class, euros
    "small": (1_200_000, 2_800_000),
    "medium": (4_000_000, 11_000_000),
    "large": (14_000_000, 60_000_000),
}
FACTS_PER_OFFICIAL = 10
BASE_FACTS = 124  # a board without officials or prior-year comparatives
WNT_CLASSES = (152_000, 169_000, 189_000, 209_000, 233_000)


@dataclass
class Context:
    """An XBRL context: the board, a period, and at most one dimension."""

    id: str
    start: date | None  # None for an instant
    end: date
    member: str | None = None  # explicit ScenarioAxis member, e.g. "BudgetMember"
    official: str | None = None  # typed WNTOfficialAxis value


@dataclass
class Fact:
    """One fact: concept local name, context id, lexical value and, if numeric, unit and decimals."""

    concept: str
    context: str
    value: str
    unit: str | None = None  # "EUR" or "pure"
    decimals: str | None = None


@dataclass
class Filing:
    """A complete annual report in data form."""

    year: Year
    board: str
    contexts: dict[str, Context] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    entry_point: str = ""

    def add_context(self, context: Context) -> str:
        """Add `context` (once) and return its id."""
        self.contexts.setdefault(context.id, context)
        return context.id

    def put(self, concept: str, context: str, value: object, unit: str | None = None,
            decimals: str | None = None) -> None:
        """Add a fact; concepts the year lacks are skipped, so one generator serves every year."""
        if not self.year.has(concept):
            return
        self.facts.append(Fact(concept, context, str(value), unit, decimals))

    def money(self, concept: str, context: str, amount: int) -> None:
        """Add a monetary fact in whole euros."""
        self.put(concept, context, amount, "EUR", "0")

    def find(self, concept: str, context: str) -> Fact:
        """The fact of `concept` in `context` (KeyError when absent)."""
        for fact in self.facts:
            if fact.concept == concept and fact.context == context:
                return fact
        raise KeyError((concept, context))

    def remove(self, concept: str, context: str) -> None:
        """Drop the fact of `concept` in `context`."""
        self.facts.remove(self.find(concept, context))

    def adjust(self, concept: str, context: str, delta: int) -> None:
        """Add `delta` to a whole-number fact."""
        fact = self.find(concept, context)
        fact.value = str(int(fact.value) + delta)


def officials_for_facts(facts: int) -> int:
    """How many WNT officials make a filing of about `facts` facts."""
    return max(0, round((facts - BASE_FACTS) / FACTS_PER_OFFICIAL))


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole parts proportional to `weights` that add up exactly."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(r) for r in raw]
    parts[0] += total - sum(parts)
    return parts


def _sum_into(filing: Filing, parent: str, children: list[tuple[str, int]], ctx: str, sign: dict[str, int] | None = None) -> int:
    total = 0
    for name, amount in children:
        if filing.year.has(name):
            filing.money(name, ctx, amount)
            total += amount * (sign or {}).get(name, 1)
    filing.money(parent, ctx, total)
    return total


def _balance_sheet(f: Filing, rng: random.Random, income: int, ctx: str, equity_parts: dict[str, int],
                   cash: int) -> None:
    scale = income / 10
    ppe = [("LandAndBuildings", int(scale * rng.uniform(1.5, 4))),
           ("FixturesAndEquipment", int(scale * rng.uniform(0.4, 1))),
           ("LearningMaterials", int(scale * rng.uniform(0.1, 0.3))),
           ("OtherTangibleFixedAssets", int(scale * rng.uniform(0, 0.2))),
           ("AssetsUnderConstruction", int(scale * rng.uniform(0, 0.3)))]
    ppe_total = _sum_into(f, "PropertyPlantEquipment", ppe, ctx)
    f.money("IntangibleAssets", ctx, int(scale * rng.uniform(0, 0.05)))
    f.money("FinancialFixedAssets", ctx, int(scale * rng.uniform(0, 0.2)))
    noncurrent = ppe_total + int(f.find("IntangibleAssets", ctx).value) + int(f.find("FinancialFixedAssets", ctx).value)
    f.money("NoncurrentAssets", ctx, noncurrent)
    equity = sum(equity_parts.values())
    provisions = [("PersonnelProvisions", int(scale * rng.uniform(0.05, 0.2))),
                  ("MaintenanceProvision", int(scale * rng.uniform(0.2, 0.8))),
                  ("OtherProvisions", int(scale * rng.uniform(0, 0.05)))]
    long_term = int(scale * rng.uniform(0, 0.5))
    current_liabilities = int(scale * rng.uniform(0.8, 1.5))
    # Receivables close the balance, so assets equal equity and liabilities exactly.
    liabilities_side = equity + sum(a for _, a in provisions) + long_term + current_liabilities
    inventories, investments = int(scale * rng.uniform(0, 0.02)), 0
    receivables = liabilities_side - noncurrent - cash - inventories - investments
    if receivables < 0:  # more assets than liabilities: the extra goes to long-term debt
        long_term -= receivables - int(scale * 0.1)
        receivables = int(scale * 0.1)
    current = _sum_into(f, "CurrentAssets", [("Inventories", inventories), ("Receivables", receivables),
                                             ("CurrentInvestments", investments), ("CashAndCashEquivalents", cash)], ctx)
    f.money("Assets", ctx, noncurrent + current)
    _sum_into(f, "Equity", list(equity_parts.items()), ctx)
    prov_total = _sum_into(f, "Provisions", provisions, ctx)
    f.money("LongTermLiabilities", ctx, long_term)
    f.money("CurrentLiabilities", ctx, current_liabilities)
    f.money("EquityAndLiabilities", ctx, equity + prov_total + long_term + current_liabilities)
    f.money("AcquisitionCostLandAndBuildings", ctx, int(int(f.find("LandAndBuildings", ctx).value) * 1.6))


def _income_statement(f: Filing, rng: random.Random, income: int, ctx: str) -> int:
    grants = int(income * rng.uniform(0.86, 0.94))
    rest = _split(rng, income - grants, [0.4, 0.1, 0.2, 0.3])
    _sum_into(f, "Income", [("GovernmentGrantsOCW", grants), ("OtherGovernmentGrants", rest[0]), ("TuitionFees", rest[1]),
                            ("ContractWorkIncome", rest[2]), ("OtherIncome", rest[3])], ctx)
    expenses = int(income * rng.uniform(0.97, 1.025))
    personnel, depreciation, housing, other = _split(rng, expenses, [0.78, 0.05, 0.07, 0.10])
    benefits = int(personnel * 0.01)
    wages, social, pension, other_pers = _split(rng, personnel + benefits, [0.7, 0.12, 0.13, 0.05])
    _sum_into(f, "PersonnelExpenses", [("WagesAndSalaries", wages), ("SocialSecurityCharges", social),
                                       ("PensionCharges", pension), ("OtherPersonnelExpenses", other_pers),
                                       ("PersonnelExpenseBenefitsReceived", benefits)], ctx,
              sign={"PersonnelExpenseBenefitsReceived": -1})
    for name, amount in (("DepreciationAndAmortisation", depreciation), ("HousingExpenses", housing), ("OtherExpenses", other)):
        f.money(name, ctx, amount)
    f.money("Expenses", ctx, expenses)
    f.money("DepreciationLandAndBuildings", ctx, int(depreciation * 0.4))
    operating = income - expenses
    f.money("OperatingBalance", ctx, operating)
    fin_income, fin_expenses = int(income * 0.001), int(income * 0.0015)
    f.money("FinancialIncome", ctx, fin_income)
    f.money("FinancialExpenses", ctx, fin_expenses)
    f.money("FinancialResult", ctx, fin_income - fin_expenses)
    result = operating + fin_income - fin_expenses
    f.money("Result", ctx, result)
    f.money("NetResult", ctx, result)
    return result


def _continuity(f: Filing, rng: random.Random, income: int, expenses_ratio: float) -> None:
    t = f.year.year
    students = max(80, int(income / rng.uniform(7_500, 9_500)))
    for k in range(0, 4):
        member = None if k == 0 else "BudgetMember"
        suffix = "" if k == 0 else "B"
        inst = f.add_context(Context(f"I{t + k}{suffix}", None, date(t + k, 12, 31), member))
        count = int(students * (1 + rng.uniform(-0.03, 0.02)) ** k)
        f.put("StudentCount", inst, count, "pure", "0")
        fte = [round(count / d, 2) for d in (400, 17, 55)]
        for name, value in zip(("FTEManagement", "FTETeachingStaff", "FTESupportStaff"), fte, strict=True):
            f.put(name, inst, f"{value:.2f}", "pure", "2")
        f.put("FTETotal", inst, f"{sum(fte):.2f}", "pure", "2")
        if k:
            dur = f.add_context(Context(f"D{t + k}{suffix}", date(t + k, 1, 1), date(t + k, 12, 31), member))
            budget_income = int(income * (1.02 ** k))
            budget_expenses = int(budget_income * expenses_ratio)
            f.money("Income", dur, budget_income)
            f.money("Expenses", dur, budget_expenses)
            f.money("Result", dur, budget_income - budget_expenses)


def _officials(f: Filing, rng: random.Random, count: int, excess: int) -> None:
    t = f.year.year
    given = ("Anna", "Bram", "Carla", "Daan", "Eva", "Frank", "Greet", "Hans", "Ilse", "Joost", "Karin", "Luuk")
    family = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos")
    maximum_class = [c for c in WNT_CLASSES if c <= f.year.wnt_general_maximum]
    for i in range(1, count + 1):
        ctx = f.add_context(Context(f"D{t}-W{i:04d}", date(t, 1, 1), date(t, 12, 31), official=f"W{i:04d}"))
        executive = i <= max(1, count // 5)
        maximum = rng.choice(maximum_class[-3:]) if executive else int(rng.choice(maximum_class) * 0.15)
        ptf = rng.choice(("1.00", "0.90", "0.80")) if executive else "0.10"
        total = int(maximum * rng.uniform(0.7, 0.95))
        if i <= excess:  # over the maximum, with the explanation the rules require
            total = maximum + 12_345
        deferred = int(total * 0.13) if executive else 0
        pay = total - deferred
        f.put("WNTOfficialName", ctx, f"{rng.choice(given)} {rng.choice(family)}")
        f.put("WNTPosition", ctx, "Voorzitter college van bestuur" if i == 1 else ("Lid college van bestuur" if executive else "Lid raad van toezicht"))
        f.put("WNTEmploymentStart", ctx, f"{t}-01-01")
        f.put("WNTEmploymentEnd", ctx, f"{t}-12-31")
        f.put("WNTPartTimeFactor", ctx, ptf, "pure", "2")
        f.money("WNTRemuneration", ctx, pay)
        f.money("WNTDeferredRemuneration", ctx, deferred)
        f.money("WNTTotalRemuneration", ctx, pay + deferred)
        f.money("WNTApplicableMaximum", ctx, maximum)
        f.money("WNTUndueAmount", ctx, max(0, pay + deferred - maximum))
        if pay + deferred > maximum:
            f.put("WNTExceedanceJustification", ctx, "De overschrijding berust op een overgangsregeling (artikel 7.3 WNT) voor een dienstverband van voor 2013.")


def generate(year: int, board: str, name: str, sectors: str, size: str = "small", officials: int = 3,
             excess: int = 0, comparatives: bool = False, seed: int = 1) -> Filing:
    """A complete, valid filing for reporting `year` of school board `board`."""
    rng = random.Random(f"{seed}-{board}-{year}")
    y = model_year(year)
    t = y.year
    f = Filing(y, board, entry_point=y.entry_point)
    d_t = f.add_context(Context(f"D{t}", date(t, 1, 1), date(t, 12, 31)))
    i_t = f.add_context(Context(f"I{t}", None, date(t, 12, 31)))
    i_prev = f.add_context(Context(f"I{t - 1}", None, date(t - 1, 12, 31)))

    general = {"BoardName": name, "BoardNumber": board, "ChamberOfCommerceNumber": f"{int(board) * 997 % 10**8:08d}",
               "EducationSectors": sectors, "AdoptionDate": f"{t + 1}-06-12", "SupervisoryApprovalDate": f"{t + 1}-06-10",
               "AuditorFirmName": "Accountants Noord B.V.", "AuditorName": "drs. M. de Wit RA",
               "AuditOpinionType": "goedkeurend", "AuditOpinionDate": f"{t + 1}-06-14"}
    for concept, value in general.items():
        f.put(concept, d_t, value)

    income = int(rng.uniform(*SIZES[size]))
    result = _income_statement(f, rng, income, d_t)
    if comparatives:
        _income_statement(f, rng, int(income * 0.97), f.add_context(Context(f"D{t - 1}", date(t - 1, 1, 1), date(t - 1, 12, 31))))
    equity_prev = {"GeneralReserve": int(income * rng.uniform(0.15, 0.3)), "EarmarkedReservesPublic": int(income * 0.03),
                   "EarmarkedReservesPrivate": int(income * 0.01), "RevaluationReserve": 0}
    equity_now = dict(equity_prev, GeneralReserve=equity_prev["GeneralReserve"] + result)
    cash_prev = int(income * rng.uniform(0.1, 0.25))
    flows = [int(income * rng.uniform(0.01, 0.06)), -int(income * rng.uniform(0.01, 0.05)), -int(income * rng.uniform(0, 0.01))]
    _balance_sheet(f, rng, income, i_prev, equity_prev, cash_prev)
    _balance_sheet(f, rng, income, i_t, equity_now, cash_prev + sum(flows))
    _sum_into(f, "NetChangeInCash", list(zip(("CashFlowOperatingActivities", "CashFlowInvestingActivities",
                                              "CashFlowFinancingActivities"), flows, strict=True)), d_t)
    _continuity(f, rng, income, 1.0)
    f.put("RisksAndUncertainties", d_t, "Dalend leerlingenaantal in de regio en krapte op de arbeidsmarkt voor leraren.")
    f.put("SupervisoryBoardReport", d_t, "De raad van toezicht heeft in het verslagjaar zes keer vergaderd en de jaarrekening goedgekeurd.")
    _officials(f, rng, officials, excess)
    return f


def main(argv: list[str] | None = None) -> int:
    """Command line: write a generated filing to standard output."""
    from .instance import to_inline, to_xml

    parser = argparse.ArgumentParser(prog="python -m taxonomies.generator", description=__doc__.split("\n")[0])
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--board", default="41234")
    parser.add_argument("--facts", type=int, default=300, help="approximate number of facts")
    parser.add_argument("--inline", action="store_true", help="inline XBRL instead of xBRL-XML")
    args = parser.parse_args(argv)
    filing = generate(args.year, args.board, "Stichting Voorbeeldscholen", "PO", size="medium",
                      officials=officials_for_facts(args.facts))
    sys.stdout.buffer.write(to_inline(filing) if args.inline else to_xml(filing))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
