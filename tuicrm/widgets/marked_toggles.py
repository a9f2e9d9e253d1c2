"""Check boxes that show their state by a mark, not by colour only.

Textual draws a ticked and an unticked box with the same ``X`` in two colours: on a 16-colour
terminal, with NO_COLOR or for a colour-blind clerk the two look alike (issue 17). These draw
``X`` when ticked and a blank when not, keeping Textual's colours on top.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList

TICK = "X"
NO_TICK = " "


class MarkedCheckbox(Checkbox):
    """A ``Checkbox`` whose box holds ``X`` when ticked and a blank when not."""

    @property
    def _button(self) -> Content:
        button = super()._button
        mark = TICK if self.value else NO_TICK
        return Content.assemble(*[
            (mark if text == self.BUTTON_INNER else text, style)
            for text, style in _spans(button)
        ])


def _spans(content: Content) -> list[tuple[str, Any]]:
    """(text, style) of each piece of a Content built by ``Content.assemble``."""
    plain = content.plain
    pieces: list[tuple[str, Any]] = []
    covered = 0
    for span in sorted(content.spans, key=lambda s: s.start):
        if span.start > covered:
            pieces.append((plain[covered:span.start], ""))
        pieces.append((plain[span.start:span.end], span.style))
        covered = max(covered, span.end)
    if covered < len(plain):
        pieces.append((plain[covered:], ""))
    return pieces


class MarkedSelectionList(SelectionList[Any]):
    """A ``SelectionList`` whose boxes hold ``X`` for the selected values, blank otherwise."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 4:
            return strip
        _, scroll_y = self.scroll_offset
        try:
            option = self.get_option_at_index(scroll_y + y)
        except Exception:  # noqa: BLE001 - no option on this line: as Textual drew it
            return strip
        text, style, control = segments[1]
        mark = TICK if option.value in self._selected else NO_TICK
        segments[1] = Segment(mark, style, control)
        return Strip(segments, strip.cell_length)
