"""The sample filings kept with the taxonomy: valid ones per sector, and one per
assertion that breaks that assertion and nothing else.

    taxonomies/samples/YEAR/valid/NAME.xbrl|.xhtml
    taxonomies/samples/YEAR/broken/CODE.xbrl      (CODE: the one code it must raise)

They are generated (by `python -m taxonomies.build`) and committed, so a person
can open them; a test fails when the committed files drift from the generator.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .generator import Filing, generate
from .instance import to_inline, to_xml
from .model import Year, year as model_year, years

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"

# Valid filings: (file stem, board number, board name, sectors, size, officials, excess, comparatives)
VALID = (
    ("po-small", "41234", "Stichting Openbaar Primair Onderwijs De Linde", "PO", "small", 3, 0, False),
    ("vo-large", "30567", "Stichting Voortgezet Onderwijs Rijnmond", "VO", "large", 14, 1, True),
    ("mbo", "25123", "Stichting ROC Midden-Nederland", "MBO", "large", 9, 0, True),
)
INLINE = ("po-small",)  # also written as inline XBRL 1.1


def base_filing(year: int) -> Filing:
    """The small primary-school board's valid filing that the broken samples start from."""
    stem, board, name, sectors, size, officials, excess, comparatives = VALID[0]
    return generate(year, board, name, sectors, size, officials, excess, comparatives)


def _official_context(f: Filing) -> str:
    return f"D{f.year.year}-W0001"


def _break_balance(f: Filing) -> None:
    # Both sides of the calculation move, so only the balance check fails.
    f.adjust("CurrentLiabilities", f"I{f.year.year}", 5_000)
    f.adjust("EquityAndLiabilities", f"I{f.year.year}", 5_000)


def _break_cash_flow(f: Filing) -> None:
    f.adjust("CashFlowOperatingActivities", f"D{f.year.year}", 1_000)
    f.adjust("NetChangeInCash", f"D{f.year.year}", 1_000)


def _break_equity(f: Filing) -> None:
    # Opening equity 5% of income lower, financed by debt: still balanced.
    t = f.year.year
    amount = int(int(f.find("Income", f"D{t}").value) * 0.05)
    f.adjust("GeneralReserve", f"I{t - 1}", -amount)
    f.adjust("Equity", f"I{t - 1}", -amount)
    f.adjust("LongTermLiabilities", f"I{t - 1}", amount)


def _break_wnt_excess(f: Filing) -> None:
    ctx = _official_context(f)
    maximum = int(f.find("WNTApplicableMaximum", ctx).value)
    deferred = int(f.find("WNTDeferredRemuneration", ctx).value)
    f.find("WNTRemuneration", ctx).value = str(maximum + 10_000 - deferred)
    f.find("WNTTotalRemuneration", ctx).value = str(maximum + 10_000)
    f.find("WNTUndueAmount", ctx).value = "10000"


def _break_wnt_maximum(f: Filing) -> None:
    f.find("WNTApplicableMaximum", _official_context(f)).value = str(f.year.wnt_general_maximum + 1_000)


def _break_part_time(f: Filing) -> None:
    f.find("WNTPartTimeFactor", _official_context(f)).value = "1.20"


def _break_continuity(f: Filing) -> None:
    f.remove("StudentCount", f"I{f.year.year + 2}B")


def _break_negative(f: Filing) -> None:
    ctx = f"I{f.year.year}"
    inventories = int(f.find("Inventories", ctx).value)
    f.find("Inventories", ctx).value = "-500"
    f.adjust("Receivables", ctx, inventories + 500)  # current assets unchanged


def _break_audit(f: Filing) -> None:
    f.find("AuditOpinionDate", f"D{f.year.year}").value = f"{f.year.year}-12-15"


BROKEN: dict[str, Callable[[Filing], None]] = {
    "EDU-BAL-01": _break_balance,
    "EDU-CF-01": _break_cash_flow,
    "EDU-EQ-01": _break_equity,
    "EDU-WNT-01": _break_wnt_excess,
    "EDU-WNT-02": _break_wnt_maximum,
    "EDU-WNT-03": _break_part_time,
    "EDU-CP-01": _break_continuity,
    "EDU-NEG-01": _break_negative,
    "EDU-AUD-01": _break_audit,
}


def _other_year(y: Year) -> Year | None:
    others = [o for o in years() if o.year != y.year]
    return min(others, key=lambda o: abs(o.year - y.year)) if others else None


def samples() -> dict[Path, bytes]:
    """Every sample file, by path, as the generator makes it now."""
    result: dict[Path, bytes] = {}
    for y in years():
        folder = SAMPLES_DIR / str(y.year)
        for stem, board, name, sectors, size, officials, excess, comparatives in VALID:
            filing = generate(y.year, board, name, sectors, size, officials, excess, comparatives)
            result[folder / "valid" / f"{stem}.xbrl"] = to_xml(filing)
            if stem in INLINE:
                result[folder / "valid" / f"{stem}.xhtml"] = to_inline(filing)
        for code, mutate in BROKEN.items():
            filing = base_filing(y.year)
            mutate(filing)
            result[folder / "broken" / f"{code}.xbrl"] = to_xml(filing)
        other = _other_year(y)
        if other is not None:
            # This year's facts, pointing at another year's entry point: the
            # namespaces differ, so nothing may load silently.
            filing = base_filing(y.year)
            filing.entry_point = model_year(other.year).entry_point
            result[folder / "broken" / f"FR-ENTRYPOINT-{other.year}.xbrl"] = to_xml(filing)
    return result


def _on_disk() -> set[Path]:
    return {p for p in SAMPLES_DIR.glob("*/*/*") if p.is_file()} if SAMPLES_DIR.exists() else set()


def stale_samples() -> list[Path]:
    """Sample files that differ from the generator, are missing, or should not exist."""
    wanted = samples()
    stale = [p for p, data in wanted.items() if not p.exists() or p.read_bytes() != data]
    stale += sorted(_on_disk() - set(wanted))
    return stale


def write_samples() -> int:
    """Write every sample (only files whose bytes changed) and remove obsolete ones."""
    wanted = samples()
    for path, data in wanted.items():
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    for path in _on_disk() - set(wanted):
        path.unlink()
    return len(wanted)
