"""What the pool hands the engine: one Arelle run, typed.

A worker answers with plain data only (dicts, lists, strings, numbers): the
pool unpickles it with every class refused, so a worker that read a hostile
file cannot make the engine's process run anything. Allowing a dataclass
through the unpickler would mean trusting the worker to name only that
class; instead the types are built here, in the engine's process, from the
plain data, at the one place it arrives (`WorkerPool.run`). An answer that
does not have the expected shape raises ValueError: the pool then treats the
worker as crashed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from ..facts import Fact, Label
from ..report import Finding
from .guard import Refusal

_T = TypeVar("_T")


def _typed(value: Any, kind: type[_T], what: str) -> _T:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):  # True is an int to Python
        raise ValueError(f"a worker's answer: {what} is not a {kind.__name__}")
    return value


def _optional(value: Any, kind: type[_T], what: str) -> _T | None:
    return None if value is None else _typed(value, kind, what)


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"a worker's answer: {what} is not a number")
    return float(value)


@dataclass(frozen=True)
class Timings:
    """Where one run's time went, in milliseconds."""

    arelle_ms: float  # Arelle loading and validating the filing
    extract_ms: float  # reading the model into plain data
    warm: bool = False  # the filing went through the worker's warm taxonomy model
    viewer_ms: float | None = None  # preparing an inline filing for the ixbrl-viewer, when asked

    @classmethod
    def from_plain(cls, data: Any) -> Timings:
        """Read the timings of a worker's answer."""
        data = _typed(data, dict, "timings")
        viewer = data.get("viewer_ms")
        return cls(_number(data["arelle_ms"], "arelle_ms"), _number(data["extract_ms"], "extract_ms"),
                   _typed(data.get("warm", False), bool, "warm"),
                   None if viewer is None else _number(viewer, "viewer_ms"))


@dataclass
class ArelleResult:
    """One filing through Arelle: its findings, facts, the mandatory concepts, and what the guard refused."""

    findings: list[Finding]
    facts: list[Fact]
    labels: dict[str, Label]  # concept -> labels and statement, for every concept with a mandatory flag
    required: dict[str, str]  # concept -> "yes", "no" or "conditional"
    namespaces: list[str]
    loaded: bool  # False when Arelle could not load the filing (its findings say why)
    timings: Timings
    pid: int  # the worker process that ran it
    refused: list[Refusal] = field(default_factory=list)  # the guard's refusals during this run
    refused_total: int = 0  # the worker's refusals since its guard was installed, between jobs too
    viewer: bytes | None = None  # the inline filing prepared for the ixbrl-viewer (runner.with_viewer)
    viewer_error: str | None = None  # why it could not be prepared, for the log

    @classmethod
    def from_plain(cls, data: Any) -> ArelleResult:
        """Build the result from a worker's plain answer; ValueError when it has another shape."""
        data = _typed(data, dict, "the result")
        try:
            facts = _typed(data["facts"], list, "facts")
            for fact in facts:
                _typed(fact, dict, "a fact")
            return cls(
                findings=[Finding.from_dict(_typed(f, dict, "a finding"))
                          for f in _typed(data["findings"], list, "findings")],
                facts=cast(list[Fact], facts),
                labels=cast(dict[str, Label], _typed(data["labels"], dict, "labels")),
                required=_typed(data["required"], dict, "required"),
                namespaces=_typed(data["namespaces"], list, "namespaces"),
                loaded=_typed(data["loaded"], bool, "loaded"),
                timings=Timings.from_plain(data["timings"]),
                pid=_typed(data["pid"], int, "pid"),
                refused=[Refusal.from_dict(_typed(r, dict, "a refusal"))
                         for r in _typed(data.get("refused", []), list, "refused")],
                refused_total=_typed(data.get("refused_total", 0), int, "refused_total"),
                viewer=_optional(data.get("viewer"), bytes, "viewer"),
                viewer_error=_optional(data.get("viewer_error"), str, "viewer_error"),
            )
        except (KeyError, TypeError) as exc:  # a missing key, a message that is not a dict ...
            raise ValueError(f"a worker's answer is not a result: {exc!r}") from exc
