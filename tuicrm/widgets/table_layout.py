"""Where a list's columns go on a line, and the text of each line (no Textual here).

Columns keep the width they are first given (their own ``width``, or what the title and the
first rows shown need, between ``min_width`` and ``max_width``), so the list does not jump
sideways while scrolling. The first ``fixed`` visible columns stay put while Left/Right
scroll the others. A line is one string of exactly the screen's width in display cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len

from ..i18n import _
from .cell_text import clean_text, fit

if TYPE_CHECKING:  # the columns module imports peewee: types only
    from ..data.lists.columns import Column

MARK = "*"
SORT_ASC = "▲"
SORT_DESC = "▼"
CELL_GAP = 1  # cells between columns
MIN_SHOWN = 6  # a column with less room than this (or its width) is left for Right to show
DEFAULT_MIN = 3  # ``Column.min_width`` when a column does not say

Slot = tuple[int, int, int]  # (column index, x, width)
# Columns that take the room a wide terminal leaves at the right (a 200-column terminal
# showed a 28-cell name ending in "..." beside 100 empty columns).
GROWING_SUFFIXES = ("name", "title", "subject", "customer", "supplier", "party", "product")


def grows(name: str) -> bool:
    """Does the column ``name`` take spare width (names, titles, subjects)?"""
    return name.endswith(GROWING_SUFFIXES)


class ColumnLayout:
    """Column widths, the column scroll and the visible columns of one list."""

    def __init__(self, visible: Sequence[str] | None = None, fixed: int = 0,
                 show_marks: bool = True) -> None:
        self.visible: list[str] | None = list(visible) if visible else None
        self.fixed = max(0, fixed)
        self.show_marks = show_marks
        self.hscroll = 0
        self.widths: dict[str, int] = {}
        self._memo: tuple[tuple[object, ...], list[Slot]] | None = None

    def reset(self) -> None:
        """Other columns: measure again, scroll back to the first."""
        self.widths.clear()
        self.hscroll = 0
        self._memo = None

    def names(self, columns: Sequence[Column]) -> list[str]:
        """The visible columns' names, in order (all columns unless chosen)."""
        names = [c.name for c in columns]
        if self.visible is None:
            return names
        return [n for n in self.visible if n in names]

    def measure(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """Fix each auto-width column's width from its title and ``rows`` (cell texts)."""
        self._memo = None
        for index, col in enumerate(columns):
            if col.name in self.widths:
                continue
            if col.width is not None:
                self.widths[col.name] = max(1, col.width)
                continue
            widest = max((cell_len(texts[index]) for texts in rows), default=0)
            title = cell_len(_(col.title) if col.title else "") + (2 if col.sortable else 0)  # for " ▲"
            self.widths[col.name] = max(col.min_width, min(col.max_width, max(widest, title)))

    @property
    def _lead(self) -> int:
        return len(MARK) + CELL_GAP if self.show_marks else 0

    def slots(self, columns: Sequence[Column], width: int) -> list[Slot]:
        """(column index, x, width) of each column on screen (kept while nothing changes)."""
        names = self.names(columns)
        memo_key = (tuple(names), width, self.hscroll, self.show_marks, len(self.widths))
        if self._memo is not None and self._memo[0] == memo_key:
            return self._memo[1]
        index = {c.name: i for i, c in enumerate(columns)}
        shown = names[: self.fixed] + names[self.fixed:][self.hscroll:]
        widths = self._shrunk(columns, index, shown, width)
        extra = self._spare_width([n for n in shown if n in widths], width)
        x = self._lead
        out: list[Slot] = []
        for name in shown:
            if x >= width or name not in widths:
                break
            w = min(widths[name] + extra.get(name, 0), width - x)
            if out and w < min(widths[name], MIN_SHOWN):
                break  # not a sliver such as "a…": Right scrolls to it
            out.append((index[name], x, w))
            x += w + CELL_GAP
        self._memo = (memo_key, out)
        return out

    def _spare_width(self, shown: list[str], width: int) -> dict[str, int]:
        """The room left at the right of the line, shared by the growing columns."""
        used = self._lead + sum((self.widths.get(n) or 1) + CELL_GAP for n in shown) - CELL_GAP
        growing = [n for n in shown if grows(n)]
        if used >= width or not growing:
            return {}
        share, rest = divmod(width - used, len(growing))
        return {n: share + (1 if i < rest else 0) for i, n in enumerate(growing)}

    def _shrunk(self, columns: Sequence[Column], index: dict[str, int], shown: list[str],
                width: int) -> dict[str, int]:
        """The widths to draw with: when the columns do not all fit, the widest columns that
        may be narrower (down to their ``min_width``; text shortens with an ellipsis) give up
        cells first, so a wide name column does not push the totals off the screen."""
        widths = {n: self.widths.get(n) or 1 for n in shown}
        # Only a column that says how narrow it may be (a ``min_width`` above the default)
        # gives up cells; the others keep what they measured.
        floor = {n: min(widths[n], columns[index[n]].min_width)
                 if columns[index[n]].width is None and columns[index[n]].min_width > DEFAULT_MIN
                 else widths[n] for n in shown}
        # Columns that would not fit even with every column at its narrowest are left for
        # Right to show: they must not make the ones before them narrower (on a 40-column
        # handheld a count's blank "extra" column cut every product code).
        room = width - self._lead
        for n in shown:
            room -= floor[n] + CELL_GAP
            if room < -CELL_GAP and n != shown[0]:
                widths.pop(n)
        excess = self._lead + sum(w + CELL_GAP for w in widths.values()) - CELL_GAP - width
        while excess > 0:
            movable = [n for n in widths if widths[n] > floor[n]]
            if not movable:
                break
            name = max(movable, key=lambda n: widths[n])
            widths[name] -= 1
            excess -= 1
        return widths

    def scroll(self, columns: Sequence[Column], delta: int, width: int) -> bool:
        """Scroll the columns by ``delta``; False if nothing moved."""
        names = self.names(columns)
        scrollable = len(names) - min(self.fixed, len(names))
        new = max(0, min(self.hscroll + delta, max(0, scrollable - 1)))
        if delta > 0 and self._all_fit(columns, names, width):
            return False
        if new == self.hscroll:
            return False
        self.hscroll = new
        return True

    def _all_fit(self, columns: Sequence[Column], names: list[str], width: int) -> bool:
        shown = names[: self.fixed] + names[self.fixed:][self.hscroll:]
        index = {c.name: i for i, c in enumerate(columns)}
        widths = self._shrunk(columns, index, shown, width)
        if len(widths) < len(shown):
            return False
        used = self._lead + sum(widths[n] + CELL_GAP for n in shown)
        return used - CELL_GAP <= width

    def column_at(self, columns: Sequence[Column], x: int, width: int) -> str | None:
        for index, cx, w in self.slots(columns, width):
            if cx <= x < cx + w:
                return columns[index].name
        return None

    def line(self, columns: Sequence[Column], texts: Sequence[str], mark: str,
             width: int) -> str:
        """One line of cells, exactly ``width`` cells wide."""
        parts: list[str] = []
        x = 0
        if self.show_marks:
            parts.append(fit(mark, len(MARK)) + " " * CELL_GAP)
            x = self._lead
        for index, cx, w in self.slots(columns, width):
            if cx > x:
                parts.append(" " * (cx - x))
            parts.append(fit(texts[index], w, columns[index].align or "left"))
            x = cx + w
        if x < width:
            parts.append(" " * (width - x))
        return "".join(parts)

    def header(self, columns: Sequence[Column], sort: tuple[str, bool] | None,
               width: int) -> str:
        """The titles line, with an arrow on the sort column."""
        titles = []
        for col in columns:
            title = clean_text(_(col.title) if col.title else "")
            if sort and sort[0] == col.name:
                arrow = SORT_DESC if sort[1] else SORT_ASC
                room = max(0, (self.widths.get(col.name) or 1) - 2)
                title = (fit(title, room).rstrip() + " " + arrow) if room else arrow
            titles.append(title)
        return self.line(columns, titles, " ", width)


__all__ = ["CELL_GAP", "MARK", "SORT_ASC", "SORT_DESC", "ColumnLayout"]
