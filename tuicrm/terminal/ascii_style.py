"""ASCII-safe drawing (issue 15): for terminals that draw ambiguous-width glyphs two cells wide.

Unicode leaves the width of some characters to the terminal ("East Asian Width: A"): the
ellipsis, box lines, arrows, triangles, blocks, but also ``° × · “ ”`` and Greek and Cyrillic
letters. Many Chinese terminals (PuTTY and SecureCRT with a CJK font, Windows consoles in code
page 936) draw them two cells wide, while Textual counts one: every such glyph pushes the rest
of its line one cell to the right, so columns drift and a border's right edge falls off.

With the ASCII-safe style on (setting ``ui.ascii``, ``TUICRM_ASCII=1`` or ``tuicrm --ascii``)
every such character is replaced, as the screen is written to the terminal, by one ASCII
character of the same width: borders and tree guides become ``+ - | =``, the ellipsis ``~``,
arrows and triangles ``< > ^ v``, scrollbar and block glyphs ``# _ |`` or a space, letters
with accents their base letter (``é`` -> ``e``), other letters and symbols ``?``; marks of
width 0 are dropped. Only what is drawn changes (layout, data and files stay as they are), and
since each replacement takes exactly the cell the original took, nothing moves.
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache
from typing import Any

from rich.cells import cell_len
from textual._compositor import CompositorUpdate

ENVIRONMENT = "TUICRM_ASCII"

# The glyphs tuicrm and Textual draw, and the symbols shop data holds, chosen by hand; the
# rest of the ambiguous characters by their Unicode names (``_by_name``).
CHOSEN = {
    "…": "~", "‥": ":", "·": ".", "•": "*", "※": "*", "×": "x", "÷": "/", "°": "o",
    "±": "+", "‘": "'", "’": "'", "“": '"', "”": '"', "′": "'", "″": '"', "‐": "-",
    "–": "-", "—": "-", "―": "-", "‖": "|", "¡": "!", "¿": "?", "§": "S", "¶": "P",
    "®": "R", "™": "T", "℃": "C", "℉": "F", "№": "#", "€": "E", "¤": "*", "√": "v",
    "∞": "8", "≈": "~", "≠": "#", "≤": "<", "≥": ">", "≦": "<", "≧": ">", "∶": ":",
    "←": "<", "→": ">", "↑": "^", "↓": "v", "↔": "-", "↕": "|", "⇒": ">", "⇔": "=",
    "↖": "\\", "↘": "\\", "↗": "/", "↙": "/",
    # Blocks: Textual's tall borders (▔ ▁ ▊ ▎), toggles (▐ X ▌) and scrollbar ends.
    "█": "#", "▀": "-", "▔": "-", "▁": "_", "▄": "_", "▌": "]", "▐": "[", "▊": "|",
    "▎": "|", "▏": "|", "▕": "|", "░": ":", "▒": "#", "▓": "#",
}


def _by_name(char: str) -> str:
    """An ASCII stand-in for an ambiguous character the table does not name."""
    name = unicodedata.name(char, "")
    if "BOX DRAWINGS" in name:
        horizontal, vertical = "HORIZONTAL" in name, "VERTICAL" in name
        if horizontal and not vertical and "LIGHT" not in name and "DOUBLE" in name:
            return "="
        if horizontal and not vertical:
            return "-"
        if vertical and not horizontal:
            return "|"
        return "+"
    for word, mark in (("UP-POINTING", "^"), ("DOWN-POINTING", "v"), ("RIGHT-POINTING", ">"),
                       ("LEFT-POINTING", "<"), ("CIRCLE", "o"), ("STAR", "*"), ("SQUARE", "#"),
                       ("DIAMOND", "*"), ("BLOCK", " "), ("SHADE", "#")):
        if word in name:
            return mark
    base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return base if len(base) == 1 else "?"


@lru_cache(1)
def table() -> dict[int, str]:
    """``str.translate`` table: every ambiguous-width character to ASCII of the same width."""
    out: dict[int, str] = {}
    for code in range(0xA0, 0x10000):
        char = chr(code)
        if unicodedata.east_asian_width(char) != "A":
            continue
        if cell_len(char) == 0:
            out[code] = ""  # a combining mark or variation selector: no cell of its own
        else:
            out[code] = CHOSEN.get(char) or _by_name(char)
    return out


def ascii_text(text: str) -> str:
    """``text`` with every ambiguous-width character replaced (see the module docstring)."""
    return text if text.isascii() else text.translate(table())


def wanted(flag: bool | None, site_setting: bool) -> bool:
    """Is the style on? ``--ascii`` (``flag``), else ``TUICRM_ASCII`` (1/0, yes/no), else the
    site's ``ui.ascii`` setting."""
    if flag is not None:
        return flag
    value = os.environ.get(ENVIRONMENT, "").strip().lower()
    if value in ("1", "yes", "true", "on"):
        return True
    if value in ("0", "no", "false", "off"):
        return False
    return site_setting


class AsciiUpdate(CompositorUpdate):
    """A Textual compositor update as it goes to the terminal, in ASCII-safe characters."""

    def __init__(self, update: CompositorUpdate) -> None:
        self.update = update

    def render_segments(self, console: Any) -> str:
        return ascii_text(self.update.render_segments(console))

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.segment import Segment

        for segment in console.render(self.update, options):
            yield Segment(ascii_text(segment.text), segment.style, segment.control)
