"""The warm taxonomy model (warm_dts.py) changes nothing but the speed.

Each check runs in a fresh interpreter: Arelle's state is per process, and the
point is what one process carries from one filing to the next.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from taxonomies.samples import SAMPLES_DIR

ROOT = Path(__file__).parents[2]
ENTRY = "https://xbrl.onderwijs.example/{year}/entrypoints/edu-rpt-jaarverantwoording-{year}.xsd"

SCRIPT = """
import json, os, sys
from validators.arelle.runner import ArelleRunner
runner = ArelleRunner()
packages = sys.argv[1].split(",")
out = []
for item in sys.argv[2:]:
    path, entry = item.split("|")
    result = runner.run(path, os.path.basename(path), packages, 60.0, entry)
    out.append({"file": path, "warm": result["timings"].get("warm", False), "loaded": result["loaded"],
                "findings": result["findings"], "facts": result["facts"], "labels": result["labels"],
                "required": result["required"]})
print(json.dumps(out))
"""


def _files() -> list[Path]:
    """Every sample that reaches Arelle (a wrong-year entry point never does: FR-ENTRYPOINT stops it),
    2024 and 2025 interleaved so that both warm models serve filings in turn, valid after broken."""
    by_year = []
    for year in ("2024", "2025"):
        by_year.append([p for p in sorted((SAMPLES_DIR / year).glob("*/*")) if "FR-ENTRYPOINT" not in p.name])
    mixed = [p for pair in zip(*by_year) for p in pair]
    return mixed + mixed[::-1]  # and back again: every file after a different predecessor


def _run(packages: list[Path], files: list[Path], warm: bool, script: str = SCRIPT) -> list[dict[str, object]]:
    env = dict(os.environ, VALIDATORS_WARM_DTS="1" if warm else "0")
    # The sample folders are named by year; anything else here is a 2025 filing.
    items = [f"{p}|{ENTRY.format(year=p.parent.parent.name if p.is_relative_to(SAMPLES_DIR) else 2025)}"
             for p in files]
    done = subprocess.run([sys.executable, "-c", script, ",".join(map(str, packages)), *items],
                          capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    return json.loads(done.stdout.splitlines()[-1])


def test_findings_and_facts_equal_a_fresh_session_for_every_sample(packages: list[Path]) -> None:
    files = _files()
    warm, fresh = _run(packages, files, warm=True), _run(packages, files, warm=False)
    assert all(r["warm"] for r in warm) and not any(r["warm"] for r in fresh)
    assert [r["file"] for r in warm] == [str(p) for p in files]
    for w, f in zip(warm, fresh):
        assert w == {**f, "warm": True}, w["file"]
    broken = [r for r in warm if "/broken/" in str(r["file"])]
    assert broken and all(r["findings"] for r in broken)  # the comparison is not between empty results
    assert all(r["facts"] for r in warm)


FOOTNOTE = """<link:footnoteLink xlink:type="extended" xlink:role="http://www.xbrl.org/2003/role/link">
  <link:loc xlink:type="locator" xlink:href="#{fact_id}" xlink:label="fact"/>
  <link:footnote xlink:type="resource" xlink:label="note" xlink:role="http://www.xbrl.org/2003/role/footnote"
      xml:lang="nl">Toelichting bij dit bedrag.</link:footnote>
  <link:footnoteArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/fact-footnote"
      xlink:from="fact" xlink:to="note"/>
</link:footnoteLink>
</xbrli:xbrl>"""


def test_what_one_filing_adds_to_the_model_is_gone_for_the_next(packages: list[Path], tmp_path: Path) -> None:
    """A filing with its own footnote links, extra contexts and an unknown element, between two valid ones."""
    valid = SAMPLES_DIR / "2025" / "valid" / "po-small.xbrl"
    text = valid.read_text(encoding="utf-8")
    first_fact = text.index('contextRef="')  # give the first fact an id the footnote can point at
    tag_start = text.rindex("<", 0, first_fact)
    text = text[:tag_start] + text[tag_start:first_fact].replace(" ", ' id="f1" ', 1) + text[first_fact:]
    extra_context = ('<xbrli:context id="EXTRA"><xbrli:entity><xbrli:identifier '
                     'scheme="https://xbrl.onderwijs.example/id/bevoegd-gezag">41234</xbrli:identifier>'
                     '</xbrli:entity><xbrli:period><xbrli:instant>2019-12-31</xbrli:instant></xbrli:period>'
                     '</xbrli:context><edu:Unknown xmlns:edu="https://xbrl.onderwijs.example/2025/edu" '
                     'contextRef="EXTRA">x</edu:Unknown>')
    odd = tmp_path / "odd.xbrl"
    odd.write_text(text.replace("</xbrli:xbrl>", extra_context + FOOTNOTE.format(fact_id="f1")), encoding="utf-8")
    files = [valid, odd, valid]
    warm = _run(packages, files, warm=True)
    fresh = _run(packages, files, warm=False)
    assert all(r["warm"] for r in warm), [(r["file"], r["warm"]) for r in warm]
    assert warm[1]["findings"] == fresh[1]["findings"] and warm[1]["findings"]  # the odd one is judged alike
    assert warm[2] == warm[0]  # and leaves nothing behind
    assert warm[2]["findings"] == []


FAULT = SCRIPT.replace("out = []", """out = []
from arelle import Validate
real, failed = Validate.validate, []
def failing_once(model):
    if model.modelDocument.basename == "EDU-BAL-01.xbrl" and not failed:
        failed.append(model)
        raise RuntimeError("injected")
    return real(model)
Validate.validate = failing_once
""").replace('"required": result["required"]}', '"required": result["required"],'
             ' "models": sorted(w.model.uuid for w in runner.warm.values())}')


def test_a_warm_model_that_raised_is_thrown_away(packages: list[Path]) -> None:
    """Arelle raising half-way leaves a model in an unknown state: that file goes the fresh way
    (same result), and the next one gets a newly loaded model."""
    valid = SAMPLES_DIR / "2025" / "valid" / "po-small.xbrl"
    broken = SAMPLES_DIR / "2025" / "broken" / "EDU-BAL-01.xbrl"
    first, failed, after = _run(packages, [valid, broken, broken], warm=True, script=FAULT)
    assert first["warm"] and not failed["warm"] and after["warm"]
    assert failed["findings"] == after["findings"] and [f["code"] for f in after["findings"]] == ["EDU-BAL-01"]
    assert not set(after["models"]) & set(first["models"])
