"""Long lists as staff read them: a sortable column whose direction a second click reverses, and
pages of a fixed size with "1-50 of 1,512". Plain values (no Flask), so services and views share
them and a list's state lives in its URL's query string (shareable; the back button works)."""

from __future__ import annotations

from dataclasses import dataclass

ASCENDING, DESCENDING = "asc", "desc"
PER_PAGE = 50


def direction(value: str | None) -> str:
    """The sort direction asked for: "desc" only when said, anything else ascending."""
    return DESCENDING if value == DESCENDING else ASCENDING


def next_direction(column: str, sort: str, current: str, first: str = ASCENDING) -> str:
    """The direction a column's heading links to: the reverse when it is the sorted column, else the
    column's `first` direction (ascending, unless a column reads best the other way round)."""
    if column == sort:
        return ASCENDING if current == DESCENDING else DESCENDING
    return first


def aria_sort(column: str, sort: str, current: str) -> str | None:
    """The heading's aria-sort: "ascending" or "descending" on the sorted column, none elsewhere."""
    if column != sort:
        return None
    return "descending" if current == DESCENDING else "ascending"


def page_number(value: str | None) -> int:
    """The page asked for, from 1; anything that is not a positive whole number is page 1
    (a mistyped or hand-made URL shows the list, not an error)."""
    try:
        number = int(value or "1")
    except ValueError:
        return 1
    return max(number, 1)


@dataclass(frozen=True)
class Page:
    """Which slice of `total` rows a page shows; a page past the last shows the last."""

    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        """How many pages there are (at least one, so an empty list has a page 1)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def current(self) -> int:
        """The page shown: the one asked for, at most the last."""
        return min(self.number, self.pages)

    @property
    def offset(self) -> int:
        """How many rows come before this page's first."""
        return (self.current - 1) * self.per_page

    @property
    def first(self) -> int:
        """The first row's position on this page, counted from 1 (0 when there are none)."""
        return self.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        """The last row's position on this page."""
        return min(self.offset + self.per_page, self.total)
