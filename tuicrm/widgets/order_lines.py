"""The lines of an order on screen, drawn line by line so a scan repaints only what changed.

Over SSH every repainted cell costs bytes (FIELD-NOTES: a scan that scrolls a ``DataTable`` of
lines sent ~23 KB). This widget uses Textual's line API (``render_line``) and refreshes only
the rows a change touched: a repeat scan repaints one row, a new line repaints the new row and
the one the cursor left. When the cursor runs off the bottom the view jumps by half its height
(one full repaint every few new lines instead of a scroll per line).

Rows are plain data (:class:`LineRow`, made from the data layer's ``OrderLineRow``); the screen
hands the whole list to :meth:`OrderLinesView.show_lines`, which repaints only the rows that
differ. Text is cut
by display width (CJK names are double width) and never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from ..data.core.money import fmt_money, fmt_qty
from ..data.core.text import visible
from ..data.sales.rows import OrderLineRow
from ..i18n import N_, _


@dataclass(frozen=True)
class LineRow:
    line_id: int
    code: str
    name: str
    quantity: str
    price: str
    discount: str
    amount: str


def line_row(line: OrderLineRow) -> LineRow:
    """An order line as the view shows it."""
    return LineRow(
        line.id, line.product_code, line.product_name, fmt_qty(line.quantity),
        fmt_money(line.unit_price), fmt_money(line.discount) if line.discount else "",
        fmt_money(line.amount),
    )


# (title, width or 0 for "the rest", right-aligned)
_COLUMNS = (
    (N_("Code"), 13, False),
    (N_("Name"), 0, False),
    (N_("Qty"), 7, True),
    (N_("Price"), 9, True),
    (N_("Disc"), 7, True),
    (N_("Amount"), 10, True),
)
# A handheld (under 60 columns, e.g. 40x16): the name, the quantity and the line's amount
# (issue 16: one character of a name and no amounts at 40 columns before).
_NARROW_COLUMNS = (
    (N_("Name"), 0, False),
    (N_("Qty"), 6, True),
    (N_("Amount"), 10, True),
)
_NARROW_BELOW = 60
_MARK_WIDTH = 1  # ">" beside the line the last scan changed


def _cell(text: str, width: int, right: bool) -> str:
    text = visible(text)  # a control character shows as a mark; a newline as ␤, one row
    if cell_len(text) > width:  # cut with an ellipsis, by display width
        text = set_cell_size(text, max(0, width - 1)) + "…" if width > 1 else set_cell_size(text, width)
    pad = width - cell_len(text)
    return (" " * pad + text) if right else (text + " " * pad)


class OrderLinesView(Widget):
    """A header row and one row per order line; ``cursor`` is the selected row (or -1)."""

    DEFAULT_CSS = """
    OrderLinesView { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[LineRow] = []
        self._index: dict[int, int] = {}  # line id -> row index
        self.cursor = -1
        self.changed_id: int | None = None  # the line the last scan changed (marked ">")
        self.top = 0  # first row shown
        self._made: dict[int, tuple[OrderLineRow, LineRow]] = {}  # line id -> (line, its row)

    # -- data ---------------------------------------------------------------------------------

    def set_rows(self, rows: list[LineRow]) -> None:
        self.rows = list(rows)
        self._index = {r.line_id: i for i, r in enumerate(self.rows)}
        self.cursor = min(max(self.cursor, 0), len(self.rows) - 1) if self.rows else -1
        self.changed_id = None
        self.top = 0
        self._keep_cursor_visible()
        self.refresh()

    def show_lines(self, lines: Sequence[OrderLineRow], cursor_id: int | None,
                   changed_id: int | None) -> None:
        """``show`` order lines (a line object seen before keeps the row made of it)."""
        made: dict[int, tuple[OrderLineRow, LineRow]] = {}
        for line in lines:
            seen = self._made.get(line.id)
            made[line.id] = (line, seen[1] if seen is not None and seen[0] is line
                             else line_row(line))
        self._made = made
        self.show([row for _, row in made.values()], cursor_id, changed_id)

    def show(self, rows: list[LineRow], cursor_id: int | None, changed_id: int | None) -> None:
        """Show ``rows`` (in order), the cursor on ``cursor_id``, ``changed_id`` marked;
        only rows that differ from what is shown repaint (a scan: one or two)."""
        if len(rows) < len(self.rows) or any(
            new.line_id != old.line_id for new, old in zip(rows, self.rows, strict=False)
        ):
            self.set_rows(rows)
            dirty: set[int] = set()
        else:
            dirty = set()
            for index, row in enumerate(rows):
                if index >= len(self.rows):
                    self.rows.append(row)
                    self._index[row.line_id] = index
                    dirty.add(index)
                elif row != self.rows[index]:
                    self.rows[index] = row
                    dirty.add(index)
        old_mark = self._index.get(self.changed_id) if self.changed_id is not None else None
        dirty.add(self.cursor)
        if old_mark is not None:
            dirty.add(old_mark)
        target = self._index.get(cursor_id) if cursor_id is not None else None
        if target is not None:
            self.cursor = target
        elif self.rows:
            self.cursor = min(max(self.cursor, 0), len(self.rows) - 1)
        else:
            self.cursor = -1
        self.changed_id = changed_id
        new_mark = self._index.get(changed_id) if changed_id is not None else None
        dirty.update(i for i in (self.cursor, new_mark) if i is not None)
        if self._keep_cursor_visible():
            self.refresh()
            return
        for index in dirty:
            if index >= 0:
                self._refresh_row(index)

    @property
    def selected(self) -> LineRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def row_for(self, line_id: int) -> LineRow | None:
        index = self._index.get(line_id)
        return self.rows[index] if index is not None else None

    def move_cursor(self, delta: int) -> None:
        if not self.rows:
            return
        old = self.cursor
        self.cursor = min(max(self.cursor + delta, 0), len(self.rows) - 1)
        if self.cursor == old:
            return
        if self._keep_cursor_visible(jump=False):
            self.refresh()
        else:
            self._refresh_row(old)
            self._refresh_row(self.cursor)

    # -- drawing ------------------------------------------------------------------------------

    @property
    def body_height(self) -> int:
        return max(1, self.size.height - 1)

    def _keep_cursor_visible(self, jump: bool = True) -> bool:
        """Scroll so the cursor shows; True when the view moved (a full repaint)."""
        height = self.body_height if self.size.height else 10
        old = self.top
        if self.cursor < 0:
            self.top = 0
        elif self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + height:
            step = max(1, height // 2) if jump else 1
            self.top = max(0, self.cursor - height + step)
        return self.top != old

    def _refresh_row(self, index: int) -> None:
        y = index - self.top + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self) -> None:
        self._keep_cursor_visible(jump=False)
        self.refresh()

    def _columns(self) -> tuple[tuple[str, int, bool], ...]:
        return _NARROW_COLUMNS if self.size.width < _NARROW_BELOW else _COLUMNS

    def _widths(self) -> list[int]:
        columns = self._columns()
        width = self.size.width - _MARK_WIDTH
        fixed = sum(w for _, w, _ in columns) + len(columns) - 1
        rest = max(4, width - fixed)
        return [w or rest for _, w, _ in columns]

    def _line_text(self, cells: list[str]) -> str:
        """``cells`` by title (as in ``_COLUMNS``), those of the columns shown at this width."""
        columns, widths = self._columns(), self._widths()
        by_title = dict(zip((title for title, _, _ in _COLUMNS), cells, strict=True))
        return " ".join(
            _cell(by_title[title], w, right) for (title, _, right), w in zip(columns, widths,
                                                                               strict=True)
        )

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            text = " " + self._line_text([_(title) for title, _width, _right in _COLUMNS])
            return Strip([Segment(_fit(text, width), base + Style(bold=True, underline=True))])
        index = self.top + y - 1
        if index >= len(self.rows):
            return Strip([Segment(" " * width, base)])
        row = self.rows[index]
        mark = ">" if row.line_id == self.changed_id else " "
        text = mark + self._line_text(
            [row.code, row.name, row.quantity, row.price, row.discount, row.amount]
        )
        style = base + Style(reverse=True) if index == self.cursor else base
        if row.line_id == self.changed_id:
            style += Style(bold=True)
        return Strip([Segment(_fit(text, width), style)])


def _fit(text: str, width: int) -> str:
    return set_cell_size(text, width)
