"""Send only the rows that changed when Textual repaints the whole screen.

Opening a screen, Textual paints the whole screen three or four times (the push, the
compose, the focus, the resume each mark the full screen dirty in a different frame): order
entry wrote 15.2 KB at 80x24 for a screen of 1,920 cells, 8,043 characters of text. Over a
64 kbit/s link that is 2 s per screen.

:class:`ShownRows` remembers, per terminal row, the text last sent for each piece of it. A
full repaint (Textual's ``LayoutUpdate``) then goes out as the rows that differ, nothing else.
A piece written over another makes that one unknown; a change of size forgets everything.
Partial updates (``ChopsUpdate``: the changed pieces of a few rows) are treated the same way
piece by piece: a list whose rows did not change under a new search sends nothing for them.
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
    """Pieces of rows of the screen, ``(y, x, text)``, the text already rendered."""

    def __init__(self, rows: list[tuple[int, int, str]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: Any) -> Any:
        for y, x, text in self.rows:  # for a Rich console (tests); the app uses render_segments
            yield Segment(f"\x1b[{y + 1};{x + 1}H{text}")

    def render_segments(self, console: Console) -> str:
        """The pieces, each after a cursor move. A piece's style is carried over to the next
        one instead of being reset and written again (a terminal keeps it across cursor
        moves): the rows of a list share one style, 28 bytes a row over the link."""
        out: list[str] = []
        carried = ""  # the style left active by the piece before (its final reset dropped)
        for y, x, text in self.rows:
            out.append(f"\x1b[{y + 1};{x + 1}H")
            active = ""  # the style in effect where this piece's text begins
            if carried:
                if text.startswith(f"\x1b[0;{carried}m"):
                    text = text[len(carried) + 5:]
                    active = carried
                elif not text.startswith("\x1b[0"):
                    out.append("\x1b[0m")  # plain text after a styled piece
            carried = ""
            if text.endswith("\x1b[0m"):
                body = text[:-4]
                start = body.rfind("\x1b[")
                if start < 0:
                    carried = active
                elif body.startswith("\x1b[0;", start) and "\x1b" not in body[start + 1:]:
                    carried = body[start + 4:body.index("m", start)]
                if carried:
                    text = body
            out.append(text)
        if carried:
            out.append("\x1b[0m")  # what Textual writes next assumes no style
        return "".join(out)


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
    """What the terminal shows, piece by piece of each row, as far as this process knows."""

    def __init__(self) -> None:
        # row -> {(x, end): text last sent there}; pieces never overlap
        self._rows: dict[int, dict[tuple[int, int], str]] = {}
        self._size: Size | None = None
        self.pieces_skipped = 0  # for the bench and the tests

    def forget(self) -> None:
        """The terminal may show anything (a resize, a redraw asked for): send it all again."""
        self._rows.clear()

    def lean(self, update: object, console: Console, size: Size) -> object:
        """``update`` as it should be sent: without the pieces the terminal already shows."""
        if size != self._size:
            self._size = size
            self.forget()
        color_system = console._color_system or ColorSystem.TRUECOLOR
        sent: list[tuple[int, int, str]] = []
        if isinstance(update, LayoutUpdate):
            region = update.region
            if region.x != 0 or region.width != size.width:
                for y in range(region.y, region.y + region.height):
                    self._rows.pop(y, None)
                return update
            for y, line in enumerate(update.strips, region.y):
                self._send(sent, y, 0, size.width, list(line), console, color_system)
            return RowsUpdate(sent)
        if isinstance(update, ChopsUpdate):
            for y, x1, x2 in update.spans:
                for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(),
                                           strict=False):
                    if strip is None or x > x2 or end <= x1:
                        continue
                    if not (x2 > x >= x1 and end <= x2):  # as Textual crops it
                        strip = strip.crop(0, min(end, x2) - x)
                        end = min(end, x2)
                    self._send(sent, y, x, end, [strip], console, color_system)
            return RowsUpdate(sent)
        if update is not None:
            self.forget()
        return update

    def _send(self, sent: list[tuple[int, int, str]], y: int, x: int, end: int,
              strips: list[Any], console: Console, color_system: ColorSystem) -> None:
        lean = row_text(strips, color_system)
        text = lean if lean is not None else "".join(s.render(console) for s in strips)
        known = self._rows.setdefault(y, {})
        if known.get((x, end)) == text:
            self.pieces_skipped += 1
            return
        for piece in [p for p in known if p[0] < end and p[1] > x]:
            del known[piece]  # overwritten now
        known[(x, end)] = text
        sent.append((y, x, text))
