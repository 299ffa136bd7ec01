"""Limits that agree: how large a filing a worker validates, and what happens at the upload limit.

    .venv/bin/python -m bench.bench_limits                       # the largest of each shape intake accepts
    .venv/bin/python -m bench.bench_limits --facts 30000,60000 [--inline] [--contexts]   # intake's limit lifted

Every filing is generated and valid, and is validated alone in a fresh worker with the production
memory ceiling and time limit (PoolSettings defaults): wall time, the worker's CPU time (what
the machine's load does not change), its peak memory (VmHWM) and the verdict. Three shapes:
xBRL-XML, inline XBRL (markup around every fact), and xBRL-XML with a context per fact
(contexts cost Arelle the most time). Without --facts, each shape at the largest size intake
accepts (weight just under Limits.max_weight); then the largest generated filing under the
upload limit, by an engine with every default setting, as `python -m validators validate` would
run it: it must get a verdict in bounded time (IN-SIZE from intake), never a system failure.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from taxonomies.generator import Context, Filing, generate, officials_for_facts
from taxonomies.instance import to_inline, to_xml
from validators import Engine, EngineSettings, Limits, PoolSettings, Registry
from validators.intake import accept, measure as weigh

UNLIMITED = Limits(max_upload_bytes=512 * 1024 * 1024, max_weight=10**9)
SHAPES = {"xml": (False, False), "inline": (True, False), "xml, a context per fact": (False, True)}


def filing(facts: int, inline: bool = False, own_contexts: bool = False) -> bytes:
    """A generated filing of about `facts` facts (with `own_contexts`, one context per fact)."""
    made = generate(2025, "41234", "Stichting Benchmark", "PO", "large", officials=officials_for_facts(facts))
    if own_contexts:
        made = _own_contexts(made)
    return (to_inline if inline else to_xml)(made)


def _own_contexts(made: Filing) -> Filing:
    contexts: dict[str, Context] = {}
    for number, fact in enumerate(made.facts):
        context = dataclasses.replace(made.contexts[fact.context], id=f"c{number}")
        contexts[context.id] = context
        fact.context = context.id
    made.contexts = contexts
    return made


def _proc(pid: int) -> tuple[float, float]:
    """The process's CPU seconds so far and its peak resident memory in MB."""
    ticks = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(ticks[11]) + int(ticks[12])) / 100  # utime + stime, in clock ticks of 1/100 s
    peak = next(int(line.split()[1]) / 1024 for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                if line.startswith("VmHWM:"))
    return cpu, peak


def weight(data: bytes, inline: bool) -> int:
    """The filing's weight as intake counts it."""
    return weigh(accept(data, "f.xhtml" if inline else "f.xbrl", UNLIMITED)).weight


def largest_accepted(inline: bool, own_contexts: bool) -> tuple[int, bytes]:
    """The generated filing of this shape with the most facts whose weight intake still accepts."""
    limit = Limits().max_weight
    probe = 10_000
    facts = int(probe * limit / weight(filing(probe, inline, own_contexts), inline))
    while True:
        data = filing(facts, inline, own_contexts)
        if weight(data, inline) <= limit:
            return facts, data
        facts = int(facts * 0.99)


def measure(registry: Registry, data: bytes, name: str, formula_timeout: float | None = None) -> dict[str, object]:
    """Validate `data` alone in a fresh worker (production ceiling and time limit); its figures."""
    pool = PoolSettings(workers=1, recycle_mb=10**6)
    if formula_timeout:
        pool = dataclasses.replace(pool, formula_timeout_s=formula_timeout,
                                   wall_timeout_s=max(pool.wall_timeout_s, formula_timeout))
    settings = EngineSettings(limits=UNLIMITED, pool=pool)
    with Engine(settings, registry) as engine:
        (about,) = engine.pool.about()  # started and warm
        pid = about["ready"]
        cpu_before, _ = _proc(pid)
        started = time.perf_counter()
        report = engine.validate(data, name, "41234", 2025)
        wall = time.perf_counter() - started
        alive = pid in engine.pool.worker_pids()
        cpu, peak = _proc(pid) if alive else (float("nan"), float("nan"))
    codes = sorted({f.code for f in report.findings})
    return {"status": report.status, "wall_s": wall, "cpu_s": cpu - cpu_before, "peak_mb": peak, "codes": codes}


def at_upload_limit(inline: bool) -> tuple[int, bytes]:
    """The generated filing with the most facts that is still under the upload limit."""
    limit = Limits().max_upload_bytes
    probe = 10_000
    facts = int(probe * limit / len(filing(probe, inline)))
    while True:
        data = filing(facts, inline)
        if len(data) <= limit:
            return facts, data
        facts = int(facts * 0.99)


def _row(label: str, data: bytes, row: dict[str, object]) -> str:
    return (f"{label:44} {len(data) / 2**20:>6.1f} {row['status']:>10} {row['wall_s']:>8.1f} {row['cpu_s']:>7.1f} "
            f"{row['peak_mb']:>8.0f}  {' '.join(row['codes'][:4])}")  # type: ignore[index]


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facts", help="comma-separated sizes, intake's limit lifted (default: each shape at it)")
    parser.add_argument("--inline", action="store_true", help="with --facts: inline XBRL instead of xBRL-XML")
    parser.add_argument("--contexts", action="store_true", help="with --facts: one context per fact")
    parser.add_argument("--no-upload-limit", action="store_true", help="skip the filing at the upload limit")
    parser.add_argument("--formula-timeout", type=float, help="Arelle's formula time limit and the pool's "
                        "clock limit, in seconds (default as in production): lift them on a shared machine to "
                        "measure the work itself")
    args = parser.parse_args(argv)
    registry = Registry()
    print(f"{'filing':44} {'MB':>6} {'verdict':>10} {'wall s':>8} {'cpu s':>7} {'peak MB':>8}  codes")
    if args.facts:
        shape = "inline" if args.inline else "xml, a context per fact" if args.contexts else "xml"
        for size in (int(s) for s in args.facts.split(",")):
            data = filing(size, args.inline, args.contexts)
            row = measure(registry, data, "f.xhtml" if args.inline else "f.xbrl", args.formula_timeout)
            print(_row(f"{shape}, ~{size:,} facts", data, row), flush=True)
    else:
        for shape, (inline, own_contexts) in SHAPES.items():
            facts, data = largest_accepted(inline, own_contexts)
            row = measure(registry, data, "f.xhtml" if inline else "f.xbrl", args.formula_timeout)
            print(_row(f"{shape}, {facts:,} facts (weight {weight(data, inline):,})", data, row), flush=True)
    if not args.no_upload_limit:
        for inline in (False, True):
            facts, data = at_upload_limit(inline)
            with Engine(EngineSettings(pool=PoolSettings(workers=1)), registry) as engine:  # every default
                started = time.perf_counter()
                report = engine.validate(data, "groot.xhtml" if inline else "groot.xbrl", "41234", 2025)
                wall = time.perf_counter() - started
            print(f"at the upload limit, {'inline' if inline else 'xml'} ({len(data) / 2**20:.1f} MB, ~{facts:,} facts, "
                  f"default settings): {report.status} {' '.join(sorted({f.code for f in report.findings}))} "
                  f"in {wall:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
