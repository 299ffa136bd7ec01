"""The committed sample filings the tests upload and validate, read once, in one place."""

from __future__ import annotations

from taxonomies.samples import SAMPLES_DIR


def sample(relative: str) -> bytes:
    """A committed sample filing's bytes, e.g. sample('2025/valid/po-small.xbrl')."""
    return (SAMPLES_DIR / relative).read_bytes()


VALID = sample("2025/valid/po-small.xbrl")  # board 41234, valid
VALID_INLINE = sample("2025/valid/po-small.xhtml")  # the same figures as inline XBRL: another version
BROKEN = sample("2025/broken/EDU-BAL-01.xbrl")  # invalid: the balance sheet does not balance
WARNING = sample("2025/broken/EDU-EQ-01.xbrl")  # the equity movement does not add up
