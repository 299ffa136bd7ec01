"""What changed: a version against another version of the same board and year, or against the board's
filing of the year before (its periods moved on a year), from the facts each validation kept.

Both versions are read through `get_filing`, so whoever compares sees exactly what they may see of
each (a recipient only submitted versions); a pair that cannot be compared is COMPARE-MISMATCH, a
version whose facts were not kept COMPARE-NO-FACTS. The earlier of the two is always the old side:
the year before, or the lower version number, whichever of the two the request names first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from validators.forms import FormSet
from validators.statements.compare import Change, FindingsDiff, Summary, compare_facts, compare_findings, summarise

from ..access import allowed, check_access
from ..drafts.forms import forms_of, has_forms
from ..errors import ServiceError
from ..filings.models import Filing, Receipt
from ..filings.services import get_filing
from ..users.models import User
from . import statements


@dataclass(frozen=True)
class Comparison:
    """Two versions compared: `old` the earlier (the year before, or the lower version), `new` the
    later; `shift` 1 when `old` is the year before's. The changes are in the statements' order."""

    old: Filing
    new: Filing
    shift: int
    changes: list[Change]
    findings: FindingsDiff
    forms: FormSet | None  # the newer year's statements, for labels and order; None without a package

    @property
    def summary(self) -> Summary:
        """The changes counted by kind."""
        return summarise(self.changes)

    def as_dict(self) -> dict[str, Any]:
        """As the API answers it: the changes (concept, period, dimensions, old, new), and beside them
        which versions were compared and the findings new and resolved."""
        return {"changes": [c.as_dict() for c in self.changes],
                "old": {"id": self.old.id, "year": self.old.year, "version": self.old.version},
                "new": {"id": self.new.id, "year": self.new.year, "version": self.new.version},
                "findings": {"new": self.findings.new, "resolved": self.findings.resolved}}


def _chronological(a: Filing, b: Filing) -> tuple[Filing, Filing]:
    key = (lambda f: (f.year, f.version or 0, f.id))
    return (a, b) if key(a) <= key(b) else (b, a)


def kept_facts(db: Session, filing: Filing) -> list[dict[str, Any]]:
    """The facts the version's validation kept; COMPARE-NO-FACTS when it kept none (not validated
    yet, refused at intake, or validated before the portal kept them)."""
    facts = statements.kept_facts(db, filing)
    if facts is None:
        if filing.version is None:
            raise ServiceError("COMPARE-NO-FACTS", "This file was refused at intake: it has no figures to compare.",
                               409)
        raise ServiceError("COMPARE-NO-FACTS", "The figures of version %(version)s cannot be compared: it has not "
                           "been checked yet, or it was checked before the portal kept its figures.", 409,
                           version=filing.version)
    return facts


def _forms(year: int) -> FormSet | None:
    return forms_of(year) if has_forms(year) else None


def compare(db: Session, user: User, filing_id: int, other_id: int) -> Comparison:
    """`filing_id` compared with `other_id`: another version of the same board and year, or one of the
    year before (or after: the earlier is always the old side). NOT-FOUND for a version the user may
    not see; COMPARE-MISMATCH for another board or a year further off; COMPARE-NO-FACTS for a version
    without kept facts."""
    filing = get_filing(db, user, filing_id)
    other = get_filing(db, user, other_id)
    if other.board_id != filing.board_id:
        raise ServiceError("COMPARE-MISMATCH", "Only versions of the same school board can be compared.", 422)
    if abs(other.year - filing.year) > 1:
        raise ServiceError("COMPARE-MISMATCH", "A version can be compared with another version of the same year or "
                           "with the filing of the year before, not with %(year)s.", 422, year=other.year)
    return _compared(db, *_chronological(filing, other))


def _compared(db: Session, old: Filing, new: Filing) -> Comparison:
    shift = new.year - old.year
    forms = _forms(new.year)
    changes = compare_facts(kept_facts(db, old), kept_facts(db, new), shift=shift, forms=forms)
    findings = compare_findings((old.report or {}).get("findings", []), (new.report or {}).get("findings", []),
                                shift=shift)
    return Comparison(old=old, new=new, shift=shift, changes=changes, findings=findings, forms=forms)


def _visible(db: Session, user: User, filings: list[Filing]) -> list[Filing]:
    return [f for f in filings if allowed("filing.read", db, user, filing=f)]


def previous_submitted(db: Session, user: User, filing: Filing) -> Filing | None:
    """The version submitted last before this one, of its board and year: for a submitted version the
    one it replaced, for any other the one that counts now; None when there is none (or the user may
    not see it)."""
    query = select(Receipt).where(Receipt.board_id == filing.board_id, Receipt.year == filing.year,
                                  Receipt.filing_id != filing.id)
    own = db.scalar(select(Receipt.sequence).where(Receipt.filing_id == filing.id))
    if own is not None:
        query = query.where(Receipt.sequence < own)
    receipt = db.scalar(query.order_by(Receipt.sequence.desc()).limit(1))
    return next(iter(_visible(db, user, [receipt.filing])), None) if receipt else None


def submitted_year_before(db: Session, user: User, filing: Filing) -> Filing | None:
    """The board's version that counts for the year before (its last submitted); None when there is none
    the user may see."""
    earlier = statements.submitted_version(db, filing.board_id, filing.year - 1)
    return next(iter(_visible(db, user, [earlier])), None) if earlier else None


def other_versions(db: Session, user: User, filing: Filing) -> list[Filing]:
    """The year's other versions (newest first) the user may see: what this one can be compared with."""
    found = db.scalars(select(Filing).where(Filing.board_id == filing.board_id, Filing.year == filing.year,
                                            Filing.id != filing.id, Filing.version.is_not(None))
                       .order_by(Filing.version.desc()))
    return _visible(db, user, list(found))


def since_submitted(db: Session, user: User, filing: Filing) -> Comparison | None:
    """What changed from the version submitted before this one (`previous_submitted`) to this one, for
    the submit box and a correction's readers (NOT-FOUND for a version the user may not see); None
    when there is none, or either kept no facts (nothing to say there)."""
    check_access("filing.read", db, user, filing=filing)
    previous = previous_submitted(db, user, filing)
    if previous is None:
        return None
    try:  # from the one submitted before to this one, whichever has the higher number
        return _compared(db, previous, filing)
    except ServiceError as exc:
        if exc.code != "COMPARE-NO-FACTS":
            raise
        return None


__all__ = ["Comparison", "compare", "kept_facts", "other_versions", "previous_submitted", "since_submitted",
           "submitted_year_before"]
