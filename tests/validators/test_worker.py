"""The per-process XPath cache changes nothing but the speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from taxonomies.samples import SAMPLES_DIR

SCRIPT = """
import json, sys
from validators.arelle.runner import ArelleRunner
runner = ArelleRunner()
packages = sys.argv[1].split(",")
out = []
for path in sys.argv[2:]:
    for _ in range(2):  # the second run is the one served from the cache
        result = runner.run(path, "f", packages)
    out.append({"findings": result["findings"], "facts": result["facts"]})
print(json.dumps(out))
"""


def _run(packages: list[Path], files: list[Path], cache: bool) -> list[object]:
    env = dict(os.environ, VALIDATORS_XPATH_CACHE="1" if cache else "0")
    done = subprocess.run([sys.executable, "-c", SCRIPT, ",".join(map(str, packages)), *map(str, files)],
                          capture_output=True, text=True, env=env, check=True, cwd=Path(__file__).parents[2])
    return json.loads(done.stdout)


def test_results_are_identical_with_and_without_the_cache(packages: list[Path]) -> None:
    files = sorted((SAMPLES_DIR / "2025").glob("*/*"))
    assert _run(packages, files, cache=True) == _run(packages, files, cache=False)


def test_a_worker_run_opens_no_connection(packages: list[Path], no_network: list[object]) -> None:
    from validators.arelle.runner import ArelleRunner

    runner = ArelleRunner()
    entry = "https://xbrl.onderwijs.example/2025/entrypoints/edu-rpt-jaarverantwoording-2025.xsd"
    for path in sorted((SAMPLES_DIR / "2025").glob("*/*"))[:6]:
        for entry_point in (None, entry):  # a fresh session, and the warm taxonomy (loaded here, offline too)
            result = runner.run(str(path), path.name, [str(p) for p in packages], 30.0, entry_point)
            assert result["loaded"] and result["timings"].get("warm", False) == (entry_point is not None)
    runner.drop_warm()
    assert no_network == []
