"""The OIM exports (xBRL-JSON and xBRL-CSV) hold exactly the filing's facts: Arelle loads
each back (its loadFromOIM plugin, offline, the same packages) and every fact is there with
its value, context and unit."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from validators import Engine

from ..samples import sample

ROOT = Path(__file__).parents[2]
LOAD_BACK = """
import json, sys
from arelle.api.Session import Session
from arelle.RuntimeOptions import RuntimeOptions
with Session() as session:
    session.run(RuntimeOptions(entrypointFile=sys.argv[2], packages=sys.argv[1].split(","), plugins="loadFromOIM",
                               internetConnectivity="offline", validate=True, logFile="logToBuffer",
                               logPropagate=False, disablePersistentConfig=True, keepOpen=True))
    model = session.get_models()[0]
    facts = [[str(f.qname), f.value, f.context.isInstantPeriod, str(f.context.endDatetime),
              sorted((str(d), str(v.memberQname or v.typedMember.stringValue)) for d, v in f.context.qnameDims.items()),
              str(f.unit.measures[0][0]) if f.unit is not None else None] for f in model.facts]
    problems = [e["code"] for e in json.loads(session.get_logs("json"))["log"] if e["level"] in ("error", "warning")]
print(json.dumps({"facts": facts, "problems": problems}))
"""


def _load_back(packages: list[Path], path: Path) -> dict[str, list[object]]:
    done = subprocess.run([sys.executable, "-c", LOAD_BACK, ",".join(map(str, packages)), str(path)],
                          capture_output=True, text=True, check=True, cwd=ROOT, env=dict(os.environ))
    return json.loads(done.stdout.splitlines()[-1])


def _key(fact: list[object]) -> tuple[object, ...]:
    concept, value, *rest = fact
    try:  # the export writes canonical numbers (1234.0 for 1234): compare numbers by value
        value = Decimal(str(value)).normalize()
    except ArithmeticError:
        pass
    return (concept, str(value), json.dumps(rest))


@pytest.mark.parametrize(("name", "board"), [("2025/valid/vo-large.xbrl", "30567"),
                                             ("2025/valid/po-small.xhtml", "41234"), ("2024/valid/mbo.xbrl", "25123")])
def test_both_exports_load_back_with_every_fact(engine: Engine, packages: list[Path], tmp_path: Path,
                                                name: str, board: str) -> None:
    data = sample(name)
    report = engine.validate(data, Path(name).name, board, int(name[:4]), exports=True)
    assert report.status == "valid"
    assert report.exports is not None and set(report.exports) == {"xbrl-json", "xbrl-csv"}
    original = tmp_path / Path(name).name
    original.write_bytes(data)
    expected = sorted(map(_key, _load_back(packages, original)["facts"]))
    assert len(expected) == len(report.facts or []) > 100

    json_path = tmp_path / "filing.json"
    json_path.write_bytes(report.exports["xbrl-json"])
    assert json.loads(json_path.read_bytes())["documentInfo"]["documentType"] == "https://xbrl.org/2021/xbrl-json"
    from_json = _load_back(packages, json_path)
    assert from_json["problems"] == [] and sorted(map(_key, from_json["facts"])) == expected

    csv_dir = tmp_path / "csv"
    with zipfile.ZipFile(io.BytesIO(report.exports["xbrl-csv"])) as archive:
        assert sorted(archive.namelist()) == ["filing-facts.csv", "filing-metadata.json"]
        archive.extractall(csv_dir)
    from_csv = _load_back(packages, csv_dir / "filing-metadata.json")
    assert from_csv["problems"] == [] and sorted(map(_key, from_csv["facts"])) == expected


def test_exports_only_when_asked_and_only_for_a_filing_that_loaded(engine: Engine) -> None:
    assert engine.validate(sample("2025/valid/po-small.xbrl"), "a.xbrl", "41234", 2025).exports is None
    rejected = engine.validate(b"%PDF-1.7", "a.xbrl", "41234", 2025, exports=True)
    assert rejected.status == "rejected" and rejected.exports is None
    same = [engine.validate(sample("2025/valid/po-small.xbrl"), "a.xbrl", "41234", 2025, exports=True).exports
            for _ in range(2)]
    assert same[0] == same[1]  # the same filing gives the same bytes: stored once by hash
