"""The validation engine against arelleCmdLine started per file, side by side in one run.

    .venv/bin/python -m bench.bench_engine [--files N]

On the same generated filings: this engine's warm pool (2 workers) and
`arelleCmdLine` started once per file (what an accountant would otherwise
run), one at a time and two at a time. Also: a 3,000-fact filing, the share
of a validation that does not depend on the filing (a filing with one fact),
the same pool reading the taxonomy per filing and without the XPath cache,
what the worker's guard costs (workers with and without it, in turns),
worker memory, and the time to reject each
hostile upload of the test suite. Targets (2-core machine): 300 facts median
<= 150 ms, >= 12 validations/s with 2 workers and >= 8x arelleCmdLine,
3,000 facts <= 2 s, worker memory < 300 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_inline, to_xml
from validators import Engine, EngineSettings, PoolSettings, Registry
from validators.arelle.pool import _rss_mb, _usage

VENV_BIN = Path(__file__).resolve().parent.parent / ".venv" / "bin"


def _filing(facts: int) -> bytes:
    return to_xml(generate(2025, "41234", "Stichting Benchmark", "PO", "medium", officials=officials_for_facts(facts)))


def _minimal() -> bytes:
    """A filing with a single fact: what remains is the cost of the taxonomy itself."""
    filing = generate(2025, "41234", "Stichting Benchmark", "PO", "small", officials=0)
    filing.facts = [f for f in filing.facts if f.concept == "BoardNumber"]
    return to_xml(filing)


def _engine(registry: Registry, workers: int) -> Engine:
    engine = Engine(EngineSettings(pool=PoolSettings(workers=workers)), registry)
    engine.validate(_minimal(), "warm.xbrl", "41234", 2025)
    for _ in range(workers * 2):  # every worker has run once
        engine.validate_many([(_minimal(), "warm.xbrl", "41234", 2025)] * workers)
    return engine


def _latency(engine: Engine, data: bytes, runs: int, status: str = "valid") -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        report = engine.validate(data, "f.xbrl", "41234", 2025)
        times.append(time.perf_counter() - started)
        assert report.status == status, [f.code for f in report.findings]
    return statistics.median(times)


def _throughput(engine: Engine, data: bytes, count: int) -> float:
    started = time.perf_counter()
    reports = engine.validate_many([(data, "f.xbrl", "41234", 2025)] * count)
    assert all(r.status == "valid" for r in reports)
    return count / (time.perf_counter() - started)


def _cmdline(path: Path, packages: list[Path], home: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(VENV_BIN / "arelleCmdLine"), "--file", str(path), "--packages", "|".join(map(str, packages)),
                    "--internetConnectivity", "offline", "--validate", "--calc", "c11r", "--formula", "run",
                    "--logFile", os.devnull], check=True, capture_output=True, env=dict(os.environ, XDG_CONFIG_HOME=home))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=40, help="validations per throughput measurement")
    args = parser.parse_args(argv)
    registry = Registry()
    typical, large = _filing(300), _filing(3_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "typical.xbrl"
        path.write_bytes(typical)
        engine = _engine(registry, workers=2)
        try:
            median_300 = _latency(engine, typical, 15)
            median_1 = _latency(engine, _minimal(), 15, status="invalid")  # mandatory items missing, as intended
            median_3000 = _latency(engine, large, 5)
            per_second = _throughput(engine, typical, args.files)
            memory = max(_rss_mb(pid) for pid in engine.pool.worker_pids())
            from tests.validators.test_hostile import HOSTILE
            hostile = max(_timed(engine, data, name) for data, name, _ in HOSTILE.values())
        finally:
            engine.close()
        guard_on, guard_off = _guard_cost(registry, typical)
        inline = to_inline(generate(2025, "41234", "Stichting Benchmark", "PO", "medium", officials=officials_for_facts(300)))
        inline_on, inline_off = _guard_cost(registry, inline, "f.xhtml")
        median_cold = _latency_without(registry, typical, "VALIDATORS_WARM_DTS")
        median_uncached = _latency_without(registry, typical, "VALIDATORS_XPATH_CACHE")
        packages = registry.packages
        cmd_runs = [_cmdline(path, packages, tmp) for _ in range(5)]
        cmd_median = statistics.median(cmd_runs)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda _: _cmdline(path, packages, tmp), range(10)))
        cmd_per_second = 10 / (time.perf_counter() - started)
    print(f"{'measure':58} {'engine':>10} {'arelleCmdLine':>14} {'ratio':>7}")
    print(f"{'300-fact filing, median latency (ms)':58} {median_300 * 1000:>10.0f} {cmd_median * 1000:>14.0f} "
          f"{cmd_median / median_300:>6.1f}x")
    print(f"{'300-fact filings per second, 2 workers / 2 processes':58} {per_second:>10.1f} {cmd_per_second:>14.1f} "
          f"{per_second / cmd_per_second:>6.1f}x")
    print(f"{'300-fact filings per second, 2 workers / one file after another':58} {per_second:>10.1f} "
          f"{1 / cmd_median:>14.1f} {per_second * cmd_median:>6.1f}x")
    print(f"{'3,000-fact filing, median latency (ms)':58} {median_3000 * 1000:>10.0f}")
    print(f"{'1-fact filing (fixed cost per filing), median latency (ms)':58} {median_1 * 1000:>10.0f}"
          f"   ({median_1 / median_300:.0%} of the 300-fact time)")
    print(f"{'300-fact filing, taxonomy read per filing, median (ms)':58} {median_cold * 1000:>10.0f}"
          f"   (warm taxonomy saves {1 - median_300 / median_cold:.0%})")
    print(f"{'300-fact filing without the XPath cache, median (ms)':58} {median_uncached * 1000:>10.0f}"
          f"   (cache saves {1 - median_300 / median_uncached:.0%})")
    print(f"{'300-fact filing, worker CPU with / without the guard (ms)':58} {guard_on * 1000:>10.1f}"
          f"   / {guard_off * 1000:.1f} (the guard: {(guard_on - guard_off) * 1000:+.1f} ms)")
    print(f"{'300-fact inline filing, worker CPU with / without guard (ms)':58} {inline_on * 1000:>10.1f}"
          f"   / {inline_off * 1000:.1f} (the guard: {(inline_on - inline_off) * 1000:+.1f} ms)")
    print(f"{'largest worker memory (MB)':58} {memory:>10.0f}")
    print(f"{'slowest hostile upload rejected (ms)':58} {hostile * 1000:>10.1f}")
    return 0


def _latency_without(registry: Registry, data: bytes, switch: str) -> float:
    """The median latency of a pool whose workers run with one speed-up switched off."""
    os.environ[switch] = "0"  # spawned workers inherit it
    engine = _engine(registry, workers=2)
    try:
        return _latency(engine, data, 10)
    finally:
        engine.close()
        del os.environ[switch]


def _guard_cost(registry: Registry, data: bytes, name: str = "f.xbrl", rounds: int = 25) -> tuple[float, float]:
    """Median CPU time of the worker per validation with and without its guard: one worker each,
    validations taken in turns. CPU time, because on a shared machine the clock mostly measures
    the neighbours; the worker stays the same process, as the recycling limit is lifted here."""
    engines = [Engine(EngineSettings(pool=PoolSettings(workers=1, guard=guard, recycle_mb=10**6)), registry)
               for guard in (True, False)]
    times: list[list[float]] = [[], []]
    try:
        for engine in engines:
            for _ in range(3):
                engine.validate(data, name, "41234", 2025)
        pids = [engine.pool.worker_pids()[0] for engine in engines]
        for _ in range(rounds):
            for engine, pid, found in zip(engines, pids, times):
                before = _usage(pid)[0]
                report = engine.validate(data, name, "41234", 2025)
                found.append(_usage(pid)[0] - before)
                assert report.status == "valid", [f.code for f in report.findings]
    finally:
        for engine in engines:
            engine.close()
    return statistics.mean(times[0]), statistics.mean(times[1])


def _timed(engine: Engine, data: bytes, name: str) -> float:
    started = time.perf_counter()
    engine.validate(data, name, "41234", 2025)
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
