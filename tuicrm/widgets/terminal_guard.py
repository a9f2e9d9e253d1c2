"""The last line of defence: no control character in user text reaches the terminal raw.

User text is cleaned at the door and shown with visible marks (``core/text.visible``) where
screens build their rows; this catches whatever still slips through (a row written by an
older version or by hand, a message from a library). Every strip Textual sends to the
terminal passes here: control characters, DEL and direction overrides inside the text of a
segment are dropped. Dropped, not marked: Rich measured them as zero cells wide, so a mark
would push the line one cell past the width the layout gave it. Textual's own escape
sequences are made from segment styles after this, so they are untouched.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.segment import Segment
from textual.strip import Strip

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_ORIGINAL_RENDER = Strip.render


def _render(self: Strip, console: Console) -> str:
    if self._render_cache is None:
        segments = self._segments
        if any(_UNSAFE.search(seg.text) for seg in segments):
            self._segments = [Segment(_UNSAFE.sub("", s.text), s.style, s.control)
                              for s in segments]
    return _ORIGINAL_RENDER(self, console)


def install() -> None:
    """Guard every strip rendered in this process (once)."""
    if Strip.render is not _render:
        Strip.render = _render  # type: ignore[method-assign]
