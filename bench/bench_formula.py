"""Formula evaluation time for generated filings of 300, 3,000 and 10,000 facts.

    make bench            (or: .venv/bin/python -m bench.bench_formula [--repeat N])

Side by side in one run, on the same files: the taxonomy as shipped, and the
same taxonomy with EDU-WNT-01 written the obvious way (three fact variables
matched implicitly), which Arelle evaluates in time quadratic in the number of
senior officials. Times are Arelle's own "formula validation and execution"
figure (the formula phase only) and the whole run, medians of --repeat runs of
a fresh Arelle Session per file. Target: under 1 s of formula time at 3,000 facts.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path

from taxonomies.build import build_package
from taxonomies.check import run_arelle
from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml
from taxonomies.model import GeneralVariable, Variable, assertions, year as model_year

SIZES = (300, 3_000, 10_000)
YEAR = 2025


def naive_assertions() -> list:
    """The model's assertions with EDU-WNT-01 as three implicitly matched fact variables."""
    result = []
    for a in assertions():
        if a.id == "EDU-WNT-01":
            a = replace(a, test="not($total gt $maximum) or normalize-space($justification) ne ''",
                        variables=(Variable("total", ("WNTTotalRemuneration",)),
                                   Variable("maximum", ("WNTApplicableMaximum",)),
                                   Variable("justification", ("WNTExceedanceJustification",), fallback="''")),
                        message_nl=a.message_nl.replace("$officialMaximum", "$maximum"),
                        message_en=a.message_en.replace("$officialMaximum", "$maximum"))
        result.append(a)
    assert not any(isinstance(v, GeneralVariable) for a in result if a.id == "EDU-WNT-01" for v in a.variables)
    return result


def measure(path: Path, packages: list[Path], repeat: int) -> tuple[float, float, int]:
    """Median formula seconds, median total seconds, number of problems (must be 0)."""
    runs = [run_arelle(path, packages) for _ in range(repeat)]
    return (statistics.median(r.formula_seconds or 0.0 for r in runs),
            statistics.median(r.seconds for r in runs), len(runs[0].problems))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per file and design (median)")
    args = parser.parse_args(argv)
    y = model_year(YEAR)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shipped = [build_package(y, work / "shipped")]
        naive = [build_package(y, work / "naive", naive_assertions())]
        print(f"{'facts':>7} {'officials':>9} | {'formula s':>9} {'total s':>8} | "
              f"{'naive formula s':>15} | {'naive/shipped':>13} | {'shipped s per 1k facts':>22}")
        for size in SIZES:
            officials = officials_for_facts(size)
            filing = generate(YEAR, "41234", "Stichting Benchmark", "PO", "medium", officials=officials)
            path = work / f"filing-{size}.xbrl"
            path.write_bytes(to_xml(filing))
            formula, total, problems = measure(path, shipped, args.repeat)
            naive_formula, _, naive_problems = measure(path, naive, 1 if size > 3_000 else args.repeat)
            assert problems == naive_problems == 0, "generated filings must validate clean"
            print(f"{len(filing.facts):>7} {officials:>9} | {formula:>9.2f} {total:>8.2f} | "
                  f"{naive_formula:>15.2f} | {naive_formula / formula:>12.1f}x | "
                  f"{formula / len(filing.facts) * 1000:>22.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
