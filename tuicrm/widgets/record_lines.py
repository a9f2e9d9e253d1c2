"""RecordLines: how a list looks (the header, one line per row, ``...`` where rows are on
their way), painted with Textual's Line API from a ``PageWindow`` and a ``ColumnLayout``.

``RecordTable`` (the list every list screen uses) adds the keys, the messages and the reads;
this base class only paints, so how a line is drawn reads in one place. Only the lines on
screen are painted, from text made safe when the rows arrived (``cell_text``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, cast

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from ..data.lists.columns import Column
from ..data.lists.deferred import DeferredPager
from ..data.lists.paging import PagedQuery
from .cell_text import clean_text, fit
from .page_window import PageWindow
from .table_layout import MARK, ColumnLayout

LOADING = "..."  # a line whose row is on its way


class RecordLines(Widget):
    """Paints the rows a ``PageWindow`` holds (see the module docstring)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--cursor",
        "record-table--marked",
        "record-table--empty",
    }

    DEFAULT_CSS = """
    RecordLines {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .record-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .record-table--header {
            background: ansi_blue;
            color: ansi_bright_white;
        }
        & > .record-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .record-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        /* 16 colours and NO_COLOR: the terminal's own colours in reverse video (reverse on
           top of the cursor colours came out as plain text: black on white, reversed). */
        &:ansi > .record-table--cursor {
            background: ansi_default;
            color: ansi_default;
            text-style: underline;
        }
        &:ansi:focus > .record-table--cursor {
            text-style: reverse;
        }
        & > .record-table--marked {
            color: $accent;
            text-style: bold;
        }
        & > .record-table--empty {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    def __init__(self, window: PageWindow, layout: ColumnLayout, empty_text: str,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._window = window
        self._layout = layout
        self.empty_text = empty_text
        self._measured_gen = -1
        self._measured_names: tuple[str, ...] | None = None  # the columns the widths are for
        self._line_styles: dict[tuple[str, ...], Style] = {}
        self._painted: dict[int, tuple[str, tuple[str, ...]]] = {}  # y -> what was painted

    @property
    def show_marks(self) -> bool:
        """Whether the mark column (for multi-select with Space) is shown."""
        return self._layout.show_marks

    @show_marks.setter
    def show_marks(self, value: bool) -> None:
        self._layout.show_marks = bool(value)
        self.refresh()

    @property
    def _visible(self) -> list[str] | None:
        """The chosen columns (None: all), as a screen may set them before ``set_query``."""
        return self._layout.visible

    @_visible.setter
    def _visible(self, names: Sequence[str] | None) -> None:
        self._layout.visible = None if names is None else list(names)

    @property
    def paged_query(self) -> PagedQuery | DeferredPager | None:
        """The list asked for last (its rows may still be on their way); once its rows came,
        the pager they came from (a deferred one built)."""
        return cast("PagedQuery | DeferredPager | None", self._window.pager)

    @property
    def sort(self) -> tuple[str, bool] | None:
        """The first sort column and whether it is descending."""
        pq = self.paged_query
        if pq is None or not pq.sort_columns:
            return None
        return pq.sort_columns[0]

    def _look(self) -> tuple[object, ...]:
        """What the lines on screen depend on, but for the cursor and the marks."""
        window = self._window
        top = window.view()[1]
        # A list on its way shows only where no rows are: repainting the old rows for it
        # would keep the UI thread (and the GIL) from the thread that reads the new ones.
        return (window.gen, top, max(window.first, top), min(window.end, top + window.page_rows),
                window.at_start, window.at_end, not window.items and window.waiting_for_list,
                window.pager is None, self._measured_names)

    def _measure(self) -> None:
        """A new list arrived: other columns than before are measured on its first rows."""
        window = self._window
        self._measured_gen = window.gen
        columns = self._shown_columns
        names = tuple(c.name for c in columns)
        if names != self._measured_names:
            self._layout.reset()
            self._measured_names = names
        self._layout.measure(columns, [item.texts for item in window.items])

    @property
    def _shown_columns(self) -> tuple[Column, ...]:
        """The columns of the rows on screen (a new list's may still be on their way)."""
        pager = self._window.rows_pager or self._window.pager
        return () if pager is None else pager.columns

    def _refresh_line(self, y: int) -> None:
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_focus(self) -> None:
        self._line_styles.clear()
        self._refresh_cursor_line()

    def on_blur(self) -> None:
        self._line_styles.clear()
        self._refresh_cursor_line()

    def _refresh_cursor_line(self) -> None:
        cursor, top = self._window.view()
        self._refresh_line(cursor - top + 1)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if hasattr(self, "_line_styles"):  # also called while Widget.__init__ runs
            self._line_styles.clear()

    def _line_style(self, *components: str) -> Style:
        """The widget's style plus these component classes' (cached until styles change:
        computing ``rich_style`` walks the ancestors and costs more than painting a line)."""
        style = self._line_styles.get(components)
        if style is None:
            style = self.rich_style
            for name in components:
                style = style + self.get_component_rich_style(name)
            self._line_styles[components] = style
        return style

    def _line(self, y: int) -> tuple[str, tuple[str, ...]]:
        """Line ``y`` as its text and component classes ('' and () for a blank line)."""
        width = self.size.width
        window = self._window
        columns = self._shown_columns
        if y == 0:
            if tuple(c.name for c in columns) != self._measured_names:
                return "", ("record-table--header",)  # the widths come with the first rows
            return self._layout.header(columns, self.sort, width), ("record-table--header",)
        cursor, top = window.view()
        coordinate = top + y - 1
        item = window.item_at(coordinate)
        if item is None:
            if window.missing(coordinate):
                on_cursor = coordinate == cursor and window.items
                look = "record-table--cursor" if on_cursor else "record-table--empty"
                return fit(" " + LOADING, width), (look,)
            if y == 1 and not window.items and window.pager is not None:
                return fit(" " + clean_text(self.empty_text), width), ("record-table--empty",)
            return "", ()
        marked = item.row.id in window.marks
        parts: tuple[str, ...] = ("record-table--marked",) if marked else ()
        if coordinate == cursor:
            parts = (*parts, "record-table--cursor")
        return self._layout.line(columns, item.texts, MARK if marked else " ", width), parts

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        text, parts = line = self._line(y)
        self._painted[y] = line
        style = self._line_style(*parts)
        if not text:
            return Strip.blank(width, style)
        return Strip([Segment(text, style)], width)

    def refresh_changed(self) -> None:
        """Repaint only the lines whose text or look changed since they were painted: a new
        search's rows share the header and often many rows with the old ones (a typed
        character at 80x24: 2.4 KB over the link when every line was sent again)."""
        height, painted = self.size.height, self._painted
        if not painted:
            self.refresh()
            return
        for y in range(height):
            if painted.get(y) != self._line(y):
                self._refresh_line_at(y)

    def _refresh_line_at(self, y: int) -> None:
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))


__all__ = ["LOADING", "RecordLines"]
