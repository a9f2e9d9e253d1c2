"""The rows of a list at hand, the cursor and the top of the screen (no Textual, no SQL).

Rows are placed on a number line ("coordinates") that stays fixed while the window holds the
same list: rows added before the first get smaller numbers, rows dropped at either end leave
the others where they are. So the cursor, the top of the screen and the row-number offset
never shift when a page arrives; only a new list (or a jump to an end) starts a new line,
counted by ``gen``. ``PageWindow`` adds what to read and the keys waiting for rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .page_reads import Item

if TYPE_CHECKING:  # the columns module imports peewee: types only
    from ..data.lists.columns import Row


class RowWindow:
    """A run of consecutive rows of one list, and where the cursor and the screen are."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.first = 0  # coordinate of items[0]
        self.at_start = self.at_end = True  # items[0] is the list's first row / [-1] its last
        self.cursor = 0  # coordinate of the cursor row (always a row at hand)
        self.top = 0  # coordinate of the first row on screen
        self.base: int | None = 0  # row index (0-based) of coordinate 0, when known
        self.total: int | None = None  # rows in the list, when counted
        self.page_rows = 1  # rows on screen
        self.gen = 0  # bumped when the rows are replaced (a new number line)
        self.marks: dict[Any, None] = {}  # marked ids, in the order marked
        self.marks_version = 0  # bumped on every change of the marks

    @property
    def end(self) -> int:
        """Coordinate just after the last row at hand."""
        return self.first + len(self.items)

    def item_at(self, coordinate: int) -> Item | None:
        i = coordinate - self.first
        return self.items[i] if 0 <= i < len(self.items) else None

    @property
    def cursor_row(self) -> Row | None:
        item = self.item_at(self.cursor)
        return None if item is None else item.row

    @property
    def row_number(self) -> int | None:
        """1-based number of the cursor row, when known."""
        if not self.items or self.base is None:
            return None
        return self.base + self.cursor + 1

    def beyond(self, coordinate: int) -> bool:
        """Whether the list may hold a row at ``coordinate`` that is not at hand."""
        return bool(self.items) and (
            (coordinate >= self.end and not self.at_end)
            or (coordinate < self.first and not self.at_start))

    def moved(self, cursor: int, top: int, delta: int, scroll: bool) -> tuple[int, int]:
        """(cursor, top) after moving ``delta`` rows from there, stopped only by the list's
        known ends (``scroll``: the screen moves along, as PgDn)."""
        target = cursor + delta
        if self.at_end:
            target = min(target, self.end - 1)
        if self.at_start:
            target = max(target, self.first)
        if scroll:
            top += target - cursor
        return target, min(target, max(top, target - self.page_rows + 1))

    def reaches(self, delta: int) -> bool:
        """Whether a move of ``delta`` from the cursor needs no row that is not at hand."""
        target = self.cursor + delta
        return not self.items or not self.beyond(target)

    def settle(self) -> None:
        """Keep the cursor on a row and on screen, the screen full where the list is, and the
        row numbers known where an end of the list is at hand."""
        if not self.items:
            self.cursor = self.top = self.first
            return
        page = self.page_rows
        self.cursor = max(self.first, min(self.cursor, self.end - 1))
        self.top = min(self.cursor, max(self.top, self.cursor - page + 1))
        if self.at_end and self.top + page > self.end:
            self.top = self.end - page  # no blank lines below the last row
        if self.at_start and self.top < self.first:
            self.top = self.first
        if self.at_start:
            self.base = -self.first
        elif self.at_end and self.total is not None:
            self.base = self.total - self.end

    def extend(self, items: list[Item], at_end: bool) -> None:
        self.items.extend(items)
        self.at_end = at_end

    def prepend(self, items: list[Item], at_start: bool) -> None:
        self.items[:0] = items
        self.first -= len(items)
        self.at_start = at_start

    def replace(self, items: list[Item], at_start: bool, at_end: bool, cursor: int,
                screen_y: int) -> None:
        """A new run of rows (a new number line): the cursor on ``items[cursor]``, shown on
        screen line ``screen_y``."""
        self.items = list(items)
        self.first, self.gen = 0, self.gen + 1
        self.at_start, self.at_end = at_start, at_end
        self.cursor = cursor
        self.top = cursor - screen_y
        self.base = None

    def trim(self, cap: int, low: int, high: int) -> None:
        """Keep at most ``cap`` rows, always those from ``low`` to ``high`` (what the screen
        shows or will): drop first from the side with more rows beyond the screen (the side
        the list came from)."""
        over = len(self.items) - cap
        if over <= 0:
            return
        above, below = max(0, low - self.first), max(0, self.end - high)
        drop_above = min(over, above) if above >= below else min(above, max(0, over - below))
        drop_below = min(over - drop_above, below)
        if drop_above > 0:
            del self.items[:drop_above]
            self.first += drop_above
            self.at_start = False
        if drop_below > 0:
            del self.items[len(self.items) - drop_below:]
            self.at_end = False

    def flip_mark(self) -> None:
        """Mark the cursor row, or unmark it."""
        row = self.cursor_row
        if row is None:
            return
        if row.id in self.marks:
            del self.marks[row.id]
        else:
            self.marks[row.id] = None
        self.marks_version += 1

    def drop_marks(self, gone: set[Any]) -> None:
        if gone & self.marks.keys():
            self.marks = {i: None for i in self.marks if i not in gone}
            self.marks_version += 1


__all__ = ["RowWindow"]
