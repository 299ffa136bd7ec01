"""Findings and the validation report, serialised as its published JSON (docs/report-format.md).

The JSON keys here are a contract with software vendors, accountants' tools
and the recipients: keys may be added, none may change. `Report.from_dict`
reads back what `to_dict` writes (lossless).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .facts import Fact

# Most serious first: the order in which every reader of a report lists them.
SEVERITIES = ("error", "inconsistency", "warning", "info")
# The statuses of a report that may be submitted: no errors, warnings allowed.
SUBMITTABLE = ("valid", "valid-with-warnings")


@dataclass
class Finding:
    """One problem (or note) about a filing, with where it points."""

    code: str
    severity: str
    message: dict[str, str]  # {"nl": ..., "en": ...}
    concept: str | None = None  # prefixed QName, e.g. "edu:Assets"
    label: str | None = None  # the concept's Dutch label
    context: str | None = None
    period: str | None = None  # "2025-12-31" or "2025-01-01/2025-12-31"
    dimensions: dict[str, str] = field(default_factory=dict)
    values: list[str] = field(default_factory=list)
    file: str | None = None
    line: int | None = None
    statement: str | None = None  # the presentation role the concept is shown in (an added key)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        """The finding as the report's JSON shows it."""
        return {
            "code": self.code, "severity": self.severity, "message": dict(self.message),
            "concept": self.concept, "label": self.label, "context": self.context, "period": self.period,
            "dimensions": dict(self.dimensions), "values": list(self.values), "file": self.file, "line": self.line,
            "statement": self.statement,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """Read a finding written by `to_dict`."""
        return cls(code=data["code"], severity=data["severity"], message=dict(data["message"]),
                   concept=data.get("concept"), label=data.get("label"), context=data.get("context"),
                   period=data.get("period"), dimensions=dict(data.get("dimensions") or {}),
                   values=list(data.get("values") or []), file=data.get("file"), line=data.get("line"),
                   statement=data.get("statement"))


def finding(code: str, severity: str, message: dict[str, str], **where: Any) -> Finding:
    """Shorthand for a finding with its message in both languages (`i18n.both`)."""
    return Finding(code=code, severity=severity, message=dict(message), **where)


@dataclass
class Signal:
    """One of the inspectorate's signalling values."""

    value: float | None
    threshold: float | None
    breach: bool
    computable: bool
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As the report's JSON shows it."""
        return {"value": self.value, "threshold": self.threshold, "breach": self.breach,
                "computable": self.computable, "reason": self.reason}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Signal:
        """Read a signal written by `to_dict`."""
        return cls(data["value"], data["threshold"], data["breach"], data["computable"], data.get("reason"))


@dataclass
class Report:
    """The one result of validating one file."""

    board: str
    year: int
    file_name: str
    file_size: int
    file_sha256: str
    findings: list[Finding] = field(default_factory=list)
    taxonomy: dict[str, Any] | None = None  # {"year", "entry_point", "package_sha256"}
    signals: dict[str, Signal] | None = None
    timings: dict[str, float] = field(default_factory=dict)
    signals_version: str | None = None
    # Every fact Arelle read (plain dicts), for callers that store figures; not part of the JSON.
    facts: list[Fact] | None = field(default=None, repr=False, compare=False)
    # Only when asked for (Engine.validate(..., exports=True)) and the filing loaded:
    # "xbrl-json" (the xBRL-JSON document) and "xbrl-csv" (a zip of the xBRL-CSV files).
    exports: dict[str, bytes] | None = field(default=None, repr=False, compare=False)
    # An inline XBRL filing that loaded, prepared for Arelle's ixbrl-viewer (one XHTML document with
    # the viewer's data and script tag); not part of the JSON.
    viewer: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def status(self) -> str:
        """error (the engine could not finish: an ENGINE-* finding says why), rejected (stopped at
        intake), invalid, valid-with-warnings or valid."""
        if any(f.code.startswith("ENGINE-") for f in self.findings):
            return "error"
        if any(f.code.startswith("IN-") for f in self.findings):
            return "rejected"
        if any(f.severity in ("error", "inconsistency") for f in self.findings):
            return "invalid"
        if any(f.severity == "warning" for f in self.findings):
            return "valid-with-warnings"
        return "valid"

    @property
    def ok(self) -> bool:
        """True when the filing may be submitted (valid, warnings allowed)."""
        return self.status in SUBMITTABLE

    def to_dict(self) -> dict[str, Any]:
        """The report as its published JSON (docs/report-format.md)."""
        return {
            "status": self.status,
            "board": self.board,
            "year": self.year,
            "file": {"name": self.file_name, "size": self.file_size, "sha256": self.file_sha256},
            "taxonomy": dict(self.taxonomy) if self.taxonomy else None,
            "findings": [f.to_dict() for f in self.findings],
            "signals": None if self.signals is None else {k: s.to_dict() for k, s in self.signals.items()},
            "signals_version": self.signals_version,
            "timings": {k: round(v, 1) for k, v in self.timings.items()},
        }

    def to_json(self, indent: int | None = None) -> str:
        """JSON text of `to_dict` (UTF-8 safe, non-ASCII kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Read a report written by `to_dict`; the status is derived, and checked."""
        report = cls(
            board=data["board"], year=int(data["year"]), file_name=data["file"]["name"],
            file_size=int(data["file"]["size"]), file_sha256=data["file"]["sha256"],
            findings=[Finding.from_dict(f) for f in data["findings"]],
            taxonomy=dict(data["taxonomy"]) if data.get("taxonomy") else None,
            signals=None if data.get("signals") is None else {
                k: Signal.from_dict(v) for k, v in data["signals"].items()},
            timings=dict(data.get("timings") or {}),
            signals_version=data.get("signals_version"),
        )
        if report.status != data["status"]:
            raise ValueError(f"status {data['status']!r} does not follow from the findings ({report.status!r})")
        return report

    @classmethod
    def from_json(cls, text: str) -> Report:
        """Read a report from its JSON text."""
        return cls.from_dict(json.loads(text))
