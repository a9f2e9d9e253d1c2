"""Send only the rows that changed when Textual repaints the whole screen.

Opening a screen, Textual paints the whole screen three or four times (the push, the
compose, the focus, the resume each mark the full screen dirty in a different frame): order
entry wrote 15.2 KB at 80x24 for a screen of 1,920 cells, 8,043 characters of text. Over a
64 kbit/s link that is 2 s per screen.

:class:`ShownRows` remembers, per terminal row, the text last sent for it. A full repaint
(Textual's ``LayoutUpdate``) then goes out as the rows that differ, nothing else; a partial
update (``ChopsUpdate``: the changed parts of a few rows) goes out as it is and makes those
rows unknown, so the next full repaint sends them whole. A change of size forgets everything.
What the terminal shows is exactly what Textual meant; only repeats are left out.

The rows it sends are also written more tightly than Textual writes them: Textual closes every
segment with a reset and opens the next with its full style, even when both have the same
style (588 style sequences in that first paint); here a style is written only when it changes
(``ESC [ 0 ; codes m``, the reset folded in).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Size


class RowsUpdate(CompositorUpdate):
    """Whole rows of the screen, each already rendered to terminal text."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: Any) -> Any:
        for y, text in self.rows:  # for a Rich console (tests); the app uses render_segments
            yield Segment(f"\x1b[{y + 1};1H{text}")

    def render_segments(self, console: Console) -> str:
        return "".join(f"\x1b[{y + 1};1H{text}" for y, text in self.rows)


@lru_cache(4096)
def _sgr(style: Style, color_system: ColorSystem) -> str:
    """The SGR parameters of ``style`` (empty: plain)."""
    return style._make_ansi_codes(color_system)


def row_text(line: Iterable[Any], color_system: ColorSystem) -> str | None:
    """One row's strips as terminal text, a style written only where it changes; None if the
    row holds something this cannot write (a control code, a hyperlink)."""
    out: list[str] = []
    current = ""  # Textual's output and every row end with the attributes reset
    for strip in line:
        for text, style, control in strip:
            if control or (style is not None and style.link):
                return None
            codes = "" if style is None else _sgr(style, color_system)
            if codes != current:
                out.append(f"\x1b[0;{codes}m" if codes else "\x1b[0m")
                current = codes
            out.append(text)
    if current:
        out.append("\x1b[0m")
    return "".join(out)


class ShownRows:
    """What the terminal shows, row by row, as far as this process knows."""

    def __init__(self) -> None:
        self._rows: dict[int, str] = {}
        self._size: Size | None = None
        self.rows_skipped = 0  # for the bench and the tests

    def forget(self) -> None:
        """The terminal may show anything (a resize, a redraw asked for): send it all again."""
        self._rows.clear()

    def lean(self, update: object, console: Console, size: Size) -> object:
        """``update`` as it should be sent: a full repaint cut down to the changed rows."""
        if size != self._size:
            self._size = size
            self.forget()
        if isinstance(update, LayoutUpdate):
            region = update.region
            if region.x != 0 or region.width != size.width:
                self._forget_rows(range(region.y, region.y + region.height))
                return update
            changed: list[tuple[int, str]] = []
            color_system = console._color_system or ColorSystem.TRUECOLOR
            for y, line in enumerate(update.strips, region.y):
                lean = row_text(line, color_system)
                text = lean if lean is not None else "".join(
                    strip.render(console) for strip in line)
                if self._rows.get(y) == text:
                    self.rows_skipped += 1
                    continue
                self._rows[y] = text
                changed.append((y, text))
            return RowsUpdate(changed)
        if isinstance(update, ChopsUpdate):
            self._forget_rows(y for y, _x1, _x2 in update.spans)
        elif update is not None:
            self.forget()
        return update

    def _forget_rows(self, rows: Any) -> None:
        for y in rows:
            self._rows.pop(y, None)
