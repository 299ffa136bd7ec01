"""Validate a filing (or an entry point) with Arelle against the built packages, offline.

    python -m taxonomies.check FILE... [--packages DIR]

For taxonomy authors, the tests and the formula benchmark: one fresh Arelle
Session per file, only the package zips, no network, an empty web cache,
Calculations 1.1 and the formula assertions on. The portal's validation
engine (validators/) runs Arelle its own way, in warm worker processes; this
is the plain reference run.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .build import PACKAGES_DIR

# Message levels that make a filing fail (Arelle's run() returns True even then).
FAILING_LEVELS = ("ERROR", "INCONSISTENCY", "CRITICAL")
_FORMULA_TIME = re.compile(r"formula validation and execution in ([0-9.]+) secs")


@dataclass(frozen=True)
class Message:
    """One message Arelle logged: level, code and text."""

    level: str
    code: str
    text: str


@dataclass(frozen=True)
class Result:
    """What one Arelle run said, and how long it took."""

    messages: tuple[Message, ...]
    seconds: float
    formula_seconds: float | None

    @property
    def problems(self) -> list[Message]:
        """Messages at warning level or worse (what a filer must look at)."""
        return [m for m in self.messages if m.level in ("WARNING",) + FAILING_LEVELS]

    @property
    def codes(self) -> list[str]:
        """The codes of `problems`, in order."""
        return [m.code for m in self.problems]


def run_arelle(target: str | Path, packages: list[Path], cache_dir: Path | None = None) -> Result:
    """Load and validate `target` with Arelle, offline, with only `packages`."""
    from arelle.api.Session import Session
    from arelle.RuntimeOptions import RuntimeOptions

    with tempfile.TemporaryDirectory(prefix="arelle-cache-") as empty_cache:
        options = RuntimeOptions(
            entrypointFile=str(target),
            packages=[str(p) for p in packages],
            internetConnectivity="offline",
            cacheDirectory=str(cache_dir or empty_cache),
            validate=True,
            calcs="c11r",
            formulaAction="run",
            logFile="logToStructuredMessage",
            logPropagate=False,
            disablePersistentConfig=True,
            pluginOptions={},
        )
        started = time.perf_counter()
        with Session() as session:  # a new Session per run: a reused one fails on its second run
            session.run(options)
            raw = session.get_log_messages()
        seconds = time.perf_counter() - started
    messages = tuple(Message(m["levelname"], m["messageCode"], m["msg"]) for m in raw)
    formula = None
    for m in messages:
        match = _FORMULA_TIME.search(m.text)
        if match:
            formula = float(match.group(1))
    return Result(messages, seconds, formula)


def packages_in(directory: Path) -> list[Path]:
    """Every package zip in `directory`, sorted."""
    return sorted(directory.glob("*.zip"))


def main(argv: list[str] | None = None) -> int:
    """Command line: print each file's problems; exit 1 when any file fails."""
    parser = argparse.ArgumentParser(prog="python -m taxonomies.check", description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", help="instances, inline documents or entry point URLs")
    parser.add_argument("--packages", type=Path, default=PACKAGES_DIR, help="directory of package zips")
    args = parser.parse_args(argv)
    packages = packages_in(args.packages)
    if not packages:
        print(f"no packages in {args.packages}: run `make setup` first", file=sys.stderr)
        return 2
    failed = False
    for target in args.files:
        result = run_arelle(target, packages)
        failing = [m for m in result.problems if m.level in FAILING_LEVELS]
        failed = failed or bool(failing)
        print(f"{target}: {'INVALID' if failing else 'valid'} ({result.seconds:.2f} s)")
        for m in result.problems:
            print(f"  {m.level} {m.code}: {m.text}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
