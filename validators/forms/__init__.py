"""The online forms' engine side (no Flask): forms made from a year's Taxonomy Package, the facts
a draft holds and how they are checked, the xBRL-XML instance a draft becomes, and its totals.

- `model.py`: `forms_for(package, year)` -> `FormSet` (statements, rows, columns, concepts, cells);
- `values.py`: `DraftFact`, `Problem`, `FactsInvalid`, `parse_input` (Dutch notation), `check_facts`
  (the drafts API's facts), `field_id` (a cell's HTML id);
- `instance.py`: `write_instance` (deterministic xBRL-XML) and `read_instance` (an instance into a draft);
- `totals.py`: `compute_totals` from the calculation trees.
`package.py`, `dts.py` and `layout.py` read the package zip (hardened, offline) for model.py;
`lexical.py` turns typed and API values into their canonical lexical form.
"""

from __future__ import annotations

from .instance import read_instance, write_instance
from .model import Cell, Column, Concept, FormSet, Row, Statement, forms_for
from .totals import compute_totals
from .values import DraftFact, FactsInvalid, Problem, check_facts, field_id, parse_input

__all__ = ["forms_for", "FormSet", "Statement", "Row", "Column", "Concept", "Cell", "DraftFact", "Problem",
           "FactsInvalid", "parse_input", "check_facts", "field_id", "write_instance", "read_instance",
           "compute_totals"]
