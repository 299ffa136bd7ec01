"""Command line for accountants and administrators, offline.

    python -m validators validate FILE... --board NUMBER [--year YEAR] [--format text|json] [--lang nl|en] [--timeout S]
    python -m validators taxonomies [--format json]
    python -m validators keygen --out PRIVATE.pem [--passphrase-file F]
    python -m validators prove-key --key PRIVATE.pem --nonce NONCE [--passphrase-file F]
    python -m validators sign-assurance FILE --pdf PDF --board N --year Y --opinion O --date D
        --accountant EMAIL --firm NAME --key KEY [...]
    python -m validators verify-assurance FILE ASSURANCE.json [--pdf PDF] [--public-key KEY.pem] [...]

The digital assurance commands (keygen, prove-key, sign-assurance, verify-assurance) live in
assurance/cli.py, which says their options and exit codes.

validate: exit 0 when every file is valid (warnings allowed), 1 when any is
invalid or rejected, 2 for a usage error, 3 when the engine could not finish
any file (its report says `error`, with ENGINE-MEMORY, ENGINE-TIMEOUT or
ENGINE-CRASH). Every file's report is printed, whatever happened to the others.
The JSON format is the report of docs/report-format.md, one per line; several files share
the warm worker pool.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from babel.numbers import format_currency, format_decimal

from .assurance import cli as assurance_cli
from .engine import BOARD_NUMBER, Engine, EngineSettings
from .i18n import CatalogueMissing, mark, require, say, say_p
from .arelle.pool import EngineError, PoolSettings
from .registry import Registry, RegistryError
from .report import SEVERITIES, Report

# What a verdict, a severity and a signalling value are called on the command line, marked for translation.
VERDICTS = {"valid": mark("VALID"), "valid-with-warnings": mark("VALID WITH WARNINGS"), "invalid": mark("INVALID"),
            "rejected": mark("REJECTED"), "error": mark("NOT COMPLETED")}  # "error": the engine could not finish
SEVERITY_HEADINGS = {"error": mark("Errors"), "warning": mark("Warnings"), "inconsistency": mark("Inconsistencies"),
                     "info": mark("Notes")}
SIGNAL_NAMES = {"solvency2": mark("Solvency 2"), "current_ratio": mark("Current ratio"), "cash": mark("Cash (euro)"),
                "excess_public_equity": mark("Possibly excess public equity"), "housing_ratio": mark("Housing ratio"),
                "resilience": mark("Resilience")}


def _number(value: float | None, name: str, lang: str) -> str:
    """A signalling value in the language's notation: cash as whole euros (EUR 403.305 in Dutch),
    a ratio with its decimals (0,35 in Dutch)."""
    if value is None:
        return "-"
    locale = "nl_NL" if lang == "nl" else "en_GB"
    if name == "cash":
        pattern = "¤ #,##0;¤ -#,##0" if lang == "nl" else "¤#,##0;-¤#,##0"  # as the portal's pages show it
        return format_currency(value, "EUR", format=pattern, locale=locale, currency_digits=False)
    return format_decimal(value, format="#,##0.00##", locale=locale)


def format_text(report: Report, lang: str) -> str:
    """What a person wants to read: a summary line, then findings grouped by severity."""
    lines = [say(lang, "%(name)s: %(verdict)s - school board %(board)s, year %(year)s, %(count)s finding(s) "
                       "(%(ms).0f ms)", name=report.file_name, verdict=say(lang, VERDICTS[report.status]),
                 board=report.board, year=report.year, count=len(report.findings),
                 ms=report.timings.get("total_ms", 0))]
    for severity in SEVERITIES:
        group = [f for f in report.findings if f.severity == severity]
        if not group:
            continue
        heading = say(lang, SEVERITY_HEADINGS[severity])
        lines.append(f"  {heading} ({len(group)}):")
        for f in group:
            where = ", ".join(p for p in (
                f.label or f.concept, f.period, " ".join(f"{k}={v}" for k, v in f.dimensions.items()),
                f"= {', '.join(f.values[:4])}" if f.values else None,
                say(lang, "line %(line)s", line=f.line) if f.line else None) if p)
            lines.append(f"    {f.code}: {f.message[lang]}")
            if where:
                lines.append(f"      [{where}]")
    if report.signals:
        lines.append("  " + say(lang, "Signalling values") + ":")
        for name, s in report.signals.items():
            if not s.computable:
                shown = say(lang, "not computable (%(reason)s)", reason=s.reason)
            else:
                threshold = "" if s.threshold is None else " " + say(lang, "(threshold %(threshold)s)",
                                                                     threshold=_number(s.threshold, name, lang))
                breach = "  " + say(lang, "SIGNAL") if s.breach else ""
                shown = f"{_number(s.value, name, lang)}{threshold}{breach}"
            called = say(lang, SIGNAL_NAMES[name]) if name in SIGNAL_NAMES else name
            lines.append(f"    {called}: {shown}")
    return "\n".join(lines)


def _registry(package_dirs: list[Path] | None) -> Registry:
    return Registry(package_dirs) if package_dirs else Registry()


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m validators", description="Validate annual accounts filings.")
    commands = parser.add_subparsers(dest="command", required=True)
    v = commands.add_parser("validate", help="validate one or more files")
    v.add_argument("files", nargs="+", type=Path)
    v.add_argument("--board", required=True, help="the 5-digit school board number")
    v.add_argument("--year", type=int, help="reporting year (default: the latest registered)")
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument("--lang", choices=("nl", "en"), default="nl")
    v.add_argument("--packages", type=Path, action="append", help="directory of taxonomy packages (repeatable)")
    v.add_argument("--workers", type=int, help="worker processes (default: the number of cores)")
    v.add_argument("--timeout", type=float, help="seconds of computing time per file before it is stopped with "
                                                 f"ENGINE-TIMEOUT (default {PoolSettings().timeout_s:.0f})")
    t = commands.add_parser("taxonomies", help="list the registered taxonomies")
    t.add_argument("--format", choices=("text", "json"), default="text")
    t.add_argument("--packages", type=Path, action="append")
    assurance_cli.add_commands(commands)
    args = parser.parse_args(argv)
    try:
        require()
    except CatalogueMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command in assurance_cli.COMMANDS:  # no taxonomies needed: a signature is over bytes
        return assurance_cli.run(args)
    lang = getattr(args, "lang", "nl")

    def error(text: str) -> None:
        print(say_p(lang, "command line", "error") + ": " + text, file=sys.stderr)

    try:
        registry = _registry(args.packages)
    except RegistryError as exc:  # the reason names the package, in English
        error(say(lang, "the taxonomy packages cannot be read: %(reason)s", reason=exc))
        return 2
    if args.command == "taxonomies":
        for taxonomy in registry.all():
            if args.format == "json":
                print(json.dumps(taxonomy.to_dict()))
            else:
                print(f"{taxonomy.year}  {taxonomy.entry_point}  {taxonomy.package}")
        return 0

    if not registry.all():
        error(say(lang, "no taxonomy packages registered (run `make setup`, or pass --packages)"))
        return 2
    year = args.year or registry.all()[-1].year
    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        error(say(lang, "no such file: %(files)s", files=", ".join(missing)))
        return 2
    if not BOARD_NUMBER.fullmatch(args.board):
        error(say(lang, "a school board number has 5 digits, not %(board)r", board=args.board))
        return 2
    if not 1900 < year < 2200:
        error(say(lang, "not a reporting year: %(year)s", year=year))
        return 2
    workers = max(1, min(args.workers or len(args.files), PoolSettings().workers))
    if args.timeout is not None and args.timeout <= 0:
        error(say(lang, "--timeout must be positive"))
        return 2
    pool = PoolSettings(workers=workers)
    # The command line writes reports only: no document for the ixbrl-viewer (it costs time per inline file).
    settings = EngineSettings(pool=PoolSettings(workers=workers, timeout_s=args.timeout or pool.timeout_s),
                              viewer_script=None)
    try:
        with Engine(settings, registry) as engine:
            uploads = [(p.read_bytes(), p.name, args.board, year) for p in args.files]
            reports = engine.validate_many(uploads)
    except ValueError as exc:  # the engine's own check of the arguments (checked above, in words of the --lang)
        error(str(exc))
        return 2
    except EngineError as exc:
        error(say(lang, "the validation engine failed: %(reason)s", reason=exc))
        return 3
    for report in reports:
        print(report.to_json() if args.format == "json" else format_text(report, args.lang))
    if any(r.status == "error" for r in reports):
        return 3
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    raise SystemExit(main())
