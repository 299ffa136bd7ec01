"""The deadline of a reporting year: 1 July of the next year, midnight in Amsterdam, unless the
DEADLINES setting moves it ("2025=2026-07-15,..."). A submission after it is accepted and marked late."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def deadline(year: int, overrides: str = "") -> datetime:
    """The moment submissions for reporting `year` become late; `overrides` is the DEADLINES setting."""
    moved = dict(item.split("=", 1) for item in overrides.split(",") if "=" in item)
    day = date.fromisoformat(moved[str(year)]) if str(year) in moved else date(year + 1, 7, 1)
    return datetime.combine(day, time(0, 0), tzinfo=AMSTERDAM)
