"""The portal's filing rules (FR-*), run on the facts Arelle read, after Arelle.

- `registry.py`: what a rule sees (`FilingData`), what it yields (`Problem`: a finding
  without its code), `rule` to register one under its code and years, and `run_rules`;
- `filing.py`: the rules themselves, one function each.

Importing this package registers every rule.
"""

from __future__ import annotations

from . import filing
from .registry import (ENTITY_SCHEME, REGISTRY, FilingData, Problem, Registered, Rule, problem, rule, rules_for_year,
                       run_rules)

__all__ = ["ENTITY_SCHEME", "REGISTRY", "FilingData", "Problem", "Registered", "Rule", "filing", "problem", "rule",
           "rules_for_year", "run_rules"]
