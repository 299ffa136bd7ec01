"""The filing rules' registry: what a rule sees (FilingData), what it yields (Problem), and `rule`.

Rules run on the facts Arelle read (plain data, see arelle/extract.py), after
Arelle. A rule is registered under its code (listed in codes.py) with the
reporting years it applies to, so a year can add or drop rules without
touching the others. The registry stamps the rule's code on every problem it
yields: a rule's body never writes its code. FR-ENTRYPOINT and FR-REFERENCE
are not here: they must hold before Arelle opens the file (references.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..codes import FILING_RULES
from ..facts import Fact, Label, is_reporting_year_fact
from ..report import Finding, finding

ENTITY_SCHEME = "https://xbrl.onderwijs.example/id/bevoegd-gezag"


@dataclass
class FilingData:
    """What the rules see of one filing."""

    board: str
    year: int
    file: str
    facts: list[Fact]
    labels: dict[str, Label] = field(default_factory=dict)  # concept -> {"nl", "en", "statement"}
    required: dict[str, str] = field(default_factory=dict)  # concept -> yes / no / conditional

    def reporting_year_facts(self, concept_local: str) -> list[Fact]:
        """Facts of a concept for the reporting year itself (see `is_reporting_year_fact`)."""
        return [f for f in self.facts if f["local"] == concept_local and is_reporting_year_fact(f, self.year)]

    def label(self, concept: str, lang: str = "nl") -> str:
        """A concept's label in `lang`, or its name."""
        label = self.labels.get(concept)
        return str(label.get(lang, concept)) if label is not None else concept


@dataclass
class Problem:
    """What a rule found: a finding without its code, which the registry adds (`run_rules`)."""

    message: dict[str, str]  # {"nl": ..., "en": ...}, made with i18n.both
    severity: str = "error"
    where: dict[str, Any] = field(default_factory=dict)  # the finding's concept, label, context, period ...

    def finding(self, code: str) -> Finding:
        """The finding for the rule registered under `code`."""
        return finding(code, self.severity, self.message, **self.where)


def problem(message: dict[str, str], severity: str = "error", **where: Any) -> Problem:
    """A problem with its message in both languages (`i18n.both`), pointing where `where` says (Finding's
    fields)."""
    return Problem(message, severity, where)


Rule = Callable[[FilingData], Iterator[Problem]]


@dataclass(frozen=True)
class Registered:
    """A rule with its code and the reporting years it applies to."""

    code: str
    function: Rule
    first_year: int
    last_year: int | None

    def applies_to(self, year: int) -> bool:
        """True when the rule is in force for reporting `year`."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


REGISTRY: dict[str, Registered] = {}


def rule(code: str, first_year: int = 2024, last_year: int | None = None) -> Callable[[Rule], Rule]:
    """Register a rule function under its published code (one of codes.FILING_RULES, once)."""
    if code not in FILING_RULES:
        raise ValueError(f"{code} is not a filing rule's code: list it in validators/codes.py first")
    if code in REGISTRY:
        raise ValueError(f"{code} is registered already, by {REGISTRY[code].function.__name__}")

    def register(function: Rule) -> Rule:
        REGISTRY[code] = Registered(code, function, first_year, last_year)
        return function
    return register


def rules_for_year(year: int) -> list[Registered]:
    """The rules in force for reporting `year`, in registration order."""
    return [r for r in REGISTRY.values() if r.applies_to(year)]


def run_rules(data: FilingData) -> list[Finding]:
    """Every finding of every rule in force for the filing's year, each with its rule's code."""
    return [item.finding(registered.code) for registered in rules_for_year(data.year)
            for item in registered.function(data)]
