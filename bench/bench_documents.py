"""What issue 14 added to a request, side by side with what a request already did, in one run.

    .venv/bin/python -m bench.bench_documents [--rounds N]

- intake at upload (a refused file gets no version number, so the web process now reads every
  upload's first bytes before numbering it) against the whole validation of the same 300-fact filing
  in the engine's warm pool;
- the validation report as PDF in the embedded Unicode font (DejaVu, subset per document), for a
  valid filing and for one with 400 findings, against the same validation.
Medians of N rounds, in milliseconds, and each as a share of the validation.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml
from validators import Engine, EngineSettings, PoolSettings, Registry
from validators.engine import refusal


def median_ms(work: Callable[[], Any], rounds: int) -> float:
    """The median of `rounds` runs of `work`, in milliseconds (the benches share it)."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def print_ratios(rows: list[tuple[str, float]], against: str, width: int = 62) -> None:
    """One line per (name, ms), each also as a multiple of the first row's time (the page it is
    measured beside, named `against`)."""
    base = rows[0][1]
    for name, ms in rows:
        print(f"  {name:<{width}} {ms:8.1f} ms  {ms / base:5.2f}x {against}")


def _many_findings(report: dict[str, Any], count: int) -> dict[str, Any]:
    finding = {"code": "EDU-BAL-01", "severity": "error", "concept": "edu:Assets", "label": "Totaal activa",
               "context": "c1", "period": "2025-12-31", "dimensions": {}, "values": ["1522407", "1527407"],
               "file": "jv.xbrl", "line": 221, "statement": "200 - Balans (Balance sheet)",
               "message": {"nl": "Totaal activa (1.522.407) is niet gelijk aan totaal passiva (1.527.407).",
                           "en": "Total assets (1,522,407) do not equal total equity and liabilities (1,527,407)."}}
    return {**report, "status": "invalid", "findings": [dict(finding, line=i) for i in range(count)]}


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    from portal.filings import report_pdf  # the portal's module, no app needed: fonts and catalogue only

    data = to_xml(generate(2025, "41234", "Stichting Benchmark", "PO", "medium", officials=officials_for_facts(300)))
    with Engine(EngineSettings(pool=PoolSettings(workers=1)), Registry()) as engine:
        engine.validate(data, "warm.xbrl", "41234", 2025)  # the taxonomy loaded once, as in a running portal
        report = engine.validate(data, "jv.xbrl", "41234", 2025).to_dict()
        validation = median_ms(lambda: engine.validate(data, "jv.xbrl", "41234", 2025), args.rounds)
    assert refusal(data, "jv.xbrl", "41234", 2025) is None
    long_report = _many_findings(report, 400)
    rows = [("validation in the warm pool (300 facts)", validation),
            ("intake at upload (web process)", median_ms(lambda: refusal(data, "jv.xbrl", "41234", 2025),
                                                          args.rounds)),
            ("report PDF, valid filing", median_ms(lambda: report_pdf.render(report, "Stichting Benchmark", 1, "nl"),
                                                    args.rounds)),
            ("report PDF, 400 findings", median_ms(lambda: report_pdf.render(long_report, "Stichting Benchmark", 1,
                                                                              "nl"), max(3, args.rounds // 5)))]
    for name, ms in rows:
        print(f"{name:45} {ms:9.1f} ms  {ms / validation:6.2f}x the validation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
