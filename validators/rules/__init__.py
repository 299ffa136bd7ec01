"""The portal's filing rules (FR-*): one function per rule, each yielding findings.

Rules run on the facts Arelle read (plain data, see arelle/runner.py), after
Arelle. A rule is registered with the reporting years it applies to, so a
year can add or drop rules without touching the others. FR-ENTRYPOINT is not
here: it must hold before Arelle opens the file (references.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..report import Finding

ENTITY_SCHEME = "https://xbrl.onderwijs.example/id/bevoegd-gezag"


@dataclass
class FilingData:
    """What the rules see of one filing."""

    board: str
    year: int
    file: str
    facts: list[dict[str, Any]]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # concept -> {"nl", "en"}
    required: dict[str, str] = field(default_factory=dict)  # concept -> yes / no / conditional

    def reporting_year_facts(self, concept_local: str) -> list[dict[str, Any]]:
        """Facts of a concept for the reporting year itself: no dimensions, period ending 31 December."""
        end = f"{self.year}-12-31"
        return [f for f in self.facts if f["local"] == concept_local and not f["dimensions"]
                and f["period"] is not None and f["period"].split("/")[-1] == end]

    def label(self, concept: str, lang: str = "nl") -> str:
        """A concept's label in `lang`, or its name."""
        return self.labels.get(concept, {}).get(lang, concept)


Rule = Callable[[FilingData], Iterator[Finding]]


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
    """Register a rule function under its published code."""
    def register(function: Rule) -> Rule:
        REGISTRY[code] = Registered(code, function, first_year, last_year)
        return function
    return register


def rules_for_year(year: int) -> list[Registered]:
    """The rules in force for reporting `year`, in registration order."""
    return [r for r in REGISTRY.values() if r.applies_to(year)]


def run_rules(data: FilingData) -> list[Finding]:
    """Every finding of every rule in force for the filing's year."""
    return [item for registered in rules_for_year(data.year) for item in registered.function(data)]


from . import filing  # noqa: E402,F401  (registers the rules)
