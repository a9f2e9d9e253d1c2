"""Colour optional: what ``NO_COLOR`` draws.

Textual's answer to ``NO_COLOR`` turns every colour into a grey; a 16-colour terminal (the
Linux console, an old PuTTY) rounds those greys to black, and every character came out black
on black. Dropping the colours instead (Textual's other filter) is legible, but loses every
highlight Textual draws by swapping foreground and background - the cursor of an option list,
the focused button, a key in the footer - so the cursor vanishes.

:class:`ContrastFilter` keeps what colour meant, without colour: a cell drawn darker on
lighter (a highlight, a cursor, a selected key) becomes reverse video, everything else the
terminal's own foreground on its own background. Bold, underline and the marks the screens
put in front of rows (``!``, ``*``, ``<``) carry the rest.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter, Monochrome, NoColor

if TYPE_CHECKING:
    from textual.app import App

_DEFAULT = Style.from_color(RichColor.default(), RichColor.default())
_LIGHTER_BY = 0.15  # a background must be this much lighter than its text to be a highlight


def _brightness(colour: RichColor | None, default: float) -> float:
    if colour is None or colour.is_default:
        return default
    red, green, blue = colour.get_truecolor()  # ANSI colours by the usual palette
    return Color(red, green, blue).brightness


@lru_cache(1024)
def contrast_style(style: Style) -> Style:
    """``style`` without colours, reversed when it drew dark text on a light background."""
    # Unset colours are the terminal's: assume light text on a dark screen.
    text, ground = _brightness(style.color, 1.0), _brightness(style.bgcolor, 0.0)
    if style.reverse:
        text, ground = ground, text
    highlight = ground > text + _LIGHTER_BY
    return style + _DEFAULT + Style(reverse=highlight)


class ContrastFilter(LineFilter):
    """Every colour dropped; a dark-on-light cell in reverse video."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, None if style is None else contrast_style(style), control)
            for text, style, control in segments
        ]


def use_contrast_filter(app: App[Any]) -> bool:
    """Put :class:`ContrastFilter` in place of the filter Textual chose for NO_COLOR. Textual
    keeps its filters in a private list; if that changes, the app keeps Textual's own."""
    filters = getattr(app, "_filters", None)
    if not isinstance(filters, list):
        return False
    for index, existing in enumerate(filters):
        if isinstance(existing, Monochrome | NoColor):
            filters[index] = ContrastFilter()
            return True
    return False
