"""The filing generator: any size, internally consistent, valid against the taxonomy."""

from __future__ import annotations

from pathlib import Path

import pytest

from taxonomies.check import run_arelle
from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_inline, to_xml


@pytest.mark.parametrize("target", [300, 3_000, 10_000])
def test_size_follows_the_target(target: int) -> None:
    filing = generate(2025, "41234", "Stichting Test", "PO", "medium", officials=officials_for_facts(target))
    assert abs(len(filing.facts) - target) <= 0.05 * target


def test_figures_are_consistent() -> None:
    f = generate(2025, "30567", "Stichting Test", "VO", "large", officials=5, excess=1, comparatives=True)

    def v(concept: str, ctx: str) -> int:
        return int(f.find(concept, ctx).value)

    for ctx in ("I2025", "I2024"):
        assert v("Assets", ctx) == v("EquityAndLiabilities", ctx)
    assert v("NetChangeInCash", "D2025") == v("CashAndCashEquivalents", "I2025") - v("CashAndCashEquivalents", "I2024")
    assert v("Equity", "I2025") - v("Equity", "I2024") == v("NetResult", "D2025")
    exceeding = [c for c in f.contexts if c.startswith("D2025-W")
                 and v("WNTTotalRemuneration", c) > v("WNTApplicableMaximum", c)]
    assert len(exceeding) == 1
    assert f.find("WNTExceedanceJustification", exceeding[0]).value.strip()


def test_same_arguments_same_filing() -> None:
    a = generate(2024, "41234", "Stichting Test", "PO", officials=4, seed=7)
    b = generate(2024, "41234", "Stichting Test", "PO", officials=4, seed=7)
    assert to_xml(a) == to_xml(b)


@pytest.mark.parametrize("inline", [False, True], ids=["xbrl", "inline"])
def test_a_large_generated_filing_validates_clean(inline: bool, packages: list[Path], tmp_path: Path) -> None:
    filing = generate(2025, "25123", "Stichting Test", "MBO SO", "large", officials=officials_for_facts(3_000),
                      excess=3, comparatives=True, seed=3)
    path = tmp_path / ("big.xhtml" if inline else "big.xbrl")
    path.write_bytes(to_inline(filing) if inline else to_xml(filing))
    assert run_arelle(path, packages).problems == []


def test_an_excess_without_explanation_is_found_among_many_officials(packages: list[Path], tmp_path: Path) -> None:
    # EDU-WNT-01 looks officials up by context id: make sure it finds the right one.
    filing = generate(2025, "25123", "Stichting Test", "MBO", "large", officials=120, excess=5, seed=4)
    victim = "D2025-W0077"
    maximum = int(filing.find("WNTApplicableMaximum", victim).value)
    filing.find("WNTTotalRemuneration", victim).value = str(maximum + 1)
    filing.find("WNTRemuneration", victim).value = str(maximum + 1 - int(filing.find("WNTDeferredRemuneration", victim).value))
    path = tmp_path / "excess.xbrl"
    path.write_bytes(to_xml(filing))
    problems = run_arelle(path, packages).problems
    assert [m.code for m in problems] == ["message:EDU-WNT-01"]
    assert "W0077" in problems[0].text and str(maximum + 1) in problems[0].text
