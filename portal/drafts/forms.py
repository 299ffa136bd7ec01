"""The forms of a reporting year, from the taxonomy package the validation engine checks against."""

from __future__ import annotations

from functools import cache

from validators import Registry
from validators.forms import FormSet, forms_for
from validators.registry import RegistryError

from ..errors import not_found
from ..filings.services import FIRST_YEAR, LAST_YEAR


@cache
def _registry() -> Registry:
    # The shipped packages, as the portal's engine registers them; read once per process.
    return Registry()


def has_forms(year: int) -> bool:
    """Whether the portal accepts `year` and has a taxonomy package (so forms) for it."""
    try:
        return FIRST_YEAR <= year <= LAST_YEAR and _registry().for_year(year) is not None
    except (OSError, RegistryError):
        return False


def forms_of(year: int) -> FormSet:
    """The forms of reporting `year`, made from its registered taxonomy package (read once per
    process: validators.forms caches them); NOT-FOUND for a year without a package."""
    if not has_forms(year):
        raise not_found()
    taxonomy = _registry().for_year(year)
    assert taxonomy is not None
    return forms_for(taxonomy.package, year)
