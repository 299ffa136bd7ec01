"""A filing's facts read as statements (the taxonomy's presentation), and compared with another
version's or the year before's. Plain data in, plain data out: no Flask, no Arelle."""

from .notation import period_label, shown

__all__ = ["period_label", "shown"]
