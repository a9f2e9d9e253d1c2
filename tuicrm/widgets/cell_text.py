"""Text of a list cell: safe to paint and cut to a width in display cells (no Textual here).

User text is never parsed as markup: a cell is plain text, and control characters (escape
sequences, bidi overrides, newlines) are replaced before display, so no value can move the
terminal's cursor, recolour it or reorder what follows. Widths are display cells
(``rich.cells``): Chinese text aligns and is cut with an ellipsis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len, split_text

if TYPE_CHECKING:  # the columns module imports peewee: types only
    from ..data.lists.columns import Column, Row

ELLIPSIS = "…"
KEEP_CHARS = 400  # a cell never needs more characters than this (max_width is cells)

# C0/C1 controls (ESC starts terminal escape sequences), zero-width and bidi controls that can
# reorder or hide text on a terminal, BOM, interlinear annotation, lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_AS_SPACE = {"\t", "\n", "\r", "\u2028", "\u2029"}


def clean_text(text: str) -> str:
    """Make a value safe to paint: controls become ``?`` (tabs and line breaks a space).

    Long values are cut to what a cell can show first, so a 10,000-character note costs no
    more than a short one.
    """
    if len(text) > KEEP_CHARS:
        text = text[:KEEP_CHARS] + ELLIPSIS
    if text.isprintable():
        return text
    return _UNSAFE.sub(lambda m: " " if m.group() in _AS_SPACE else "?", text)


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` in exactly ``width`` cells: padded by ``align``, or cut with an ellipsis."""
    if width <= 0:
        return ""
    size = cell_len(text)
    if size > width:
        head, _ = split_text(text, width - 1)  # a split wide character becomes a space
        return head + ELLIPSIS
    gap = width - size
    if not gap:
        return text
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def row_texts(columns: Sequence[Column], row: Row) -> tuple[str, ...]:
    """The display text of each cell of ``row``: formatted by its column, made safe."""
    return tuple(clean_text(c.text(v)) for c, v in zip(columns, row.values, strict=True))


__all__ = ["ELLIPSIS", "clean_text", "fit", "row_texts"]
