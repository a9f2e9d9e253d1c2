"""What a screen at 80x24 must not do: cut a line without an ellipsis, or show a footer key
without its label (issue 17). Used by ``test_screens_at_80x24``."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.widgets import Label, Static, Tree

ELLIPSIS = "…"


def _plain(widget: Static) -> str:
    visual = widget.render()
    plain = getattr(visual, "plain", None)
    return plain if isinstance(plain, str) else str(visual)


def _shown(app: Any, widget: Any) -> str:
    """The text the terminal shows inside ``widget``'s content region."""
    region = widget.content_region.intersection(app.screen.region)
    strips = app.screen._compositor.render_strips()
    rows = []
    for y in range(region.y, region.bottom):
        line = "".join(seg.text for seg in strips[y]) if y < len(strips) else ""
        rows.append(_cells(line, region.x, region.width))
    return "\n".join(rows)


def _cells(line: str, start: int, width: int) -> str:
    out, x = [], 0
    for ch in line:
        w = cell_len(ch)
        if start <= x < start + width:
            out.append(ch)
        x += w
    return "".join(out)


def cut_without_ellipsis(app: Any) -> list[str]:
    """Every visible Static / Label / Tree line on the current screen that needs more room
    than it has and does not end in an ellipsis where it is cut."""
    from tuicrm.screens.base import KeyBar

    problems: list[str] = []
    screen = app.screen
    for widget in screen.query("*"):
        if not widget.display or widget.region.area == 0 or not widget.visible:
            continue
        name = f"{type(widget).__name__}#{widget.id or ''}"
        if isinstance(widget, KeyBar):
            continue  # footer_problems checks it
        if isinstance(widget, (Static, Label)):
            width, height = widget.content_region.width, widget.content_region.height
            if width <= 0 or height <= 0:
                continue
            text = _plain(widget)
            nowrap = widget.styles.text_wrap == "nowrap"
            if nowrap:
                long = [ln for ln in text.splitlines() if cell_len(ln) > width]
                cut = bool(long) or len(text.splitlines()) > height
            else:
                needed = widget.get_content_height(widget.content_region.size, app.size, width)
                cut = needed > height
            if cut and ELLIPSIS not in _shown(app, widget):
                problems.append(f"{name}: {text[:60]!r} cut without an ellipsis")
        elif isinstance(widget, Tree):
            width = widget.scrollable_content_region.width
            for node in _visible_nodes(widget.root, widget.show_root):
                label = str(node.label.plain if hasattr(node.label, "plain") else node.label)
                need = (widget.guide_depth * _depth(node, widget.show_root) + cell_len(label)
                        + (2 if node.allow_expand else 0))
                if need > width and ELLIPSIS not in label:
                    problems.append(f"{name}: tree node {label!r} cut without an ellipsis")
    return problems


def _depth(node: Any, show_root: bool) -> int:
    depth = 0
    while node.parent is not None:
        depth += 1
        node = node.parent
    return depth if show_root else depth - 1


def _visible_nodes(node: Any, include: bool) -> list[Any]:
    out = [node] if include else []
    if node.is_expanded or not include:
        for child in node.children:
            out.extend(_visible_nodes(child, True))
    return out


def footer_problems(app: Any) -> list[str]:
    """A footer wider than the screen (cut) or a key shown without its label."""
    from tuicrm.screens.base import KeyBar

    problems = []
    for bar in app.screen.query(KeyBar):
        text = _plain(bar)
        if cell_len(text.rstrip()) > bar.content_region.width:
            problems.append(f"footer wider than the screen: {text!r}")
        shown = _shown(app, bar).rstrip()
        if shown != text.rstrip():
            problems.append(f"footer cut: {shown!r} of {text.rstrip()!r}")
    return problems
