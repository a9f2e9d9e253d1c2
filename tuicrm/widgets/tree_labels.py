"""Tree labels that fit their tree: a long name ends in an ellipsis, its count stays.

Textual's Tree crops a label at the tree's edge without a mark (``五金工具 Hardwa``), and the
count after the name is what goes first. The trees of tuicrm are narrow columns of a known
width, so each label is made to fit when it is made (issue 17).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from ..reports.text import cut

SCROLLBAR = 2  # room kept for the tree's vertical scrollbar
EXPANDER = 2  # "▼ " before a node that has children


def label_room(tree_width: int, guide_depth: int, depth: int, has_children: bool) -> int:
    """The cells a label has on a line: ``tree_width`` (inside the tree's border) less the
    scrollbar, the guides of ``depth`` (top-level nodes are depth 1) and the expander."""
    return tree_width - SCROLLBAR - guide_depth * depth - (EXPANDER if has_children else 0)


def fitted_label(name: str, count: str, room: int, count_style: str = "") -> Text:
    """``name count`` in ``room`` cells: the name shortened with an ellipsis, the count kept."""
    tail = f" {count}" if count else ""
    label = Text(cut(name, max(1, room - cell_len(tail))))
    if tail:
        label.append(tail, style=count_style)
    return label
