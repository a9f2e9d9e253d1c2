"""Charts in the terminal (R5): bars per period (sales over time) and horizontal bars (top
customers or products), as plain lines of text.

Measured before writing this: plotext counts a Chinese character as one column (lines of 82 and
90 cells at width 80, labels cut inside Textual), so labels here are measured and cut with
``rich.cells`` (a Chinese character is two cells) and no line is ever wider than asked. The
bars are block characters (eighths for the fractional end), so a chart reads the same in 16
colours, in 256, and with no colour at all (``NO_COLOR``): nothing is carried by colour.
Negative values (more returned than sold) are drawn with a shaded block and keep their minus
sign. The Reports screen adds Textual's own ``Sparkline`` beside these. No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from rich.cells import cell_len, set_cell_size

FULL = "█"
EIGHTHS = " ▏▎▍▌▋▊▉"  # horizontal: 0..7 eighths of a cell
LOWER = " ▁▂▃▄▅▆▇"  # vertical: 0..7 eighths of a cell
NEGATIVE = "░"
AXIS = "│"

Number = Decimal | int | float


def _fmt(value: Number) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value == value.to_integral_value() or abs(value) >= 1 else (
            f"{value:,}")
    return f"{value:,}"


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells (cut with ``…``), padded to exactly ``width``."""
    text = " ".join(text.split())
    if cell_len(text) > width:
        text = set_cell_size(text, max(width - 1, 0)).rstrip() + "…" if width > 1 else (
            set_cell_size(text, width))
    return text + " " * (width - cell_len(text))


def _bar(fraction: float, width: int, negative: bool) -> str:
    """A horizontal bar ``fraction`` (0..1) of ``width`` cells, in eighths."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    if negative:
        return NEGATIVE * ((eighths + 7) // 8)
    text = FULL * (eighths // 8)
    if eighths % 8:
        text += EIGHTHS[eighths % 8]
    return text


def horizontal_bars(labels: Sequence[str], values: Sequence[Number], width: int = 80,
                    fmt: Callable[[Number], str] = _fmt, title: str = "") -> list[str]:
    """One line per label: ``label │████▌ value``, each bar's length proportional to the
    largest absolute value. No line is wider than ``width`` cells."""
    if not labels:
        return [cut(title, width).rstrip()] if title else []
    texts = [fmt(v) for v in values]
    value_w = max(cell_len(t) for t in texts)
    label_w = min(max(cell_len(label) for label in labels), max(6, width // 3))
    bar_w = max(1, width - label_w - value_w - 3)  # "label│bar value"
    top = max((abs(float(v)) for v in values), default=0.0) or 1.0
    out = [cut(title, width).rstrip()] if title else []
    for label, value, text in zip(labels, values, texts, strict=True):
        bar = _bar(abs(float(value)) / top, bar_w, float(value) < 0)
        line = f"{cut(label, label_w)}{AXIS}{bar}{' ' * (bar_w - cell_len(bar))} " \
               f"{text:>{value_w}}"
        out.append(line.rstrip())
    return out


def column_bars(labels: Sequence[str], values: Sequence[Number], width: int = 80,
                height: int = 8, fmt: Callable[[Number], str] = _fmt,
                title: str = "") -> list[str]:
    """Vertical bars, one per period (oldest on the left), ``height`` rows high, the scale
    on the left, the labels under the bars (every few when they do not all fit). Negative
    periods show a shaded stub under the axis line. No line is wider than ``width`` cells."""
    out = [cut(title, width).rstrip()] if title else []
    if not labels:
        return out
    top = max((float(v) for v in values), default=0.0)
    top = top if top > 0 else 1.0
    scale_w = max(cell_len(fmt(max(values))), cell_len(fmt(0))) if values else 1
    room = max(1, width - scale_w - 1)
    n = len(labels)
    col = max(1, min(room // n, 8))  # cells per period, at most 8
    shown = labels, values
    if col * n > room:  # too many periods: keep the latest that fit
        keep = room // col
        shown = labels[-keep:], values[-keep:]
    labels, values = shown
    bar_w = max(1, col - 1) if col > 2 else col
    for row in range(height, 0, -1):
        line = []
        for v in values:
            eighths = round(max(0.0, float(v)) / top * height * 8)
            full = eighths // 8
            if full >= row:
                cell = FULL * bar_w
            elif full == row - 1 and eighths % 8:
                cell = LOWER[eighths % 8] * bar_w
            else:
                cell = " " * bar_w
            line.append(cell + " " * (col - bar_w))
        scale = fmt(max(values)) if row == height else (fmt(0) if row == 1 else "")
        out.append(f"{scale:>{scale_w}}{AXIS}{''.join(line)}".rstrip())
    if any(float(v) < 0 for v in values):
        stub = "".join((NEGATIVE * bar_w if float(v) < 0 else " " * bar_w) + " " * (col - bar_w)
                       for v in values)
        out.append(f"{'<0':>{scale_w}}{AXIS}{stub}".rstrip())
    out.append(" " * scale_w + "└" + "─" * (col * len(values)))
    out.append(" " * (scale_w + 1) + _axis_labels(labels, col))
    return [line[: len(line)] if cell_len(line) <= width else cut(line, width) for line in out]


def _axis_labels(labels: Sequence[str], col: int) -> str:
    """The labels under the columns: each where its column starts, skipping those that would
    run into the previous one; a label shortened to its distinctive end (``2026-06`` -> ``06``
    when columns are narrow)."""
    text = ""
    for i, label in enumerate(labels):
        at = i * col
        if cell_len(text) > at:
            continue
        short = label if cell_len(label) <= max(col * 3 - 1, 2) else label[-2:]
        text += " " * (at - cell_len(text)) + short + " "
    return text.rstrip()


def spark_values(values: Sequence[Number]) -> list[float]:
    """Values for Textual's ``Sparkline`` (floats, oldest first)."""
    return [float(v) for v in values]
