"""Plain-text reports of rows (L6, R6): print preview, save to a file, send to a printer.

Widths are display widths (``rich.cells.cell_len``: a Chinese character takes two columns),
so columns line up with CJK text. When the table is wider than the page, the widest columns
are cut (ending in ``~``) until it fits. No Textual here.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from rich.cells import cell_len, set_cell_size

from ..data.core.errors import TuicrmError
from ..data.core.text import visible

GAP = 2  # spaces between columns
MIN_COL = 4
PRINT_COMMAND_SETTING = "print.command"


class PrintError(TuicrmError):
    """A text could not be printed or written (message fit to show)."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:,}"
    text = str(value)
    text = " ".join(text.split()) if ("\n" in text or "\t" in text or "\r" in text) else text
    return visible(text)  # a control character prints as a mark, never raw


def _cut(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + "~"


def _fit(widths: list[int], total: int) -> list[int]:
    """Shrink the widest columns until the row (with gaps) fits ``total`` columns."""
    widths = list(widths)
    budget = total - GAP * (len(widths) - 1)
    while sum(widths) > budget:
        i = max(range(len(widths)), key=lambda k: widths[k])
        if widths[i] <= MIN_COL:
            break
        widths[i] -= 1
    return widths


def render_text(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], width: int = 80, title: str = "",
    numeric: Sequence[bool] | None = None,
) -> str:
    """The rows as a text table no wider than ``width`` display columns (numbers aligned
    right), with an optional title line."""
    raw = [list(r) for r in rows]
    body = [[_cell(v) for v in r] for r in raw]
    heads = [visible(h) for h in headers]
    if numeric is None:
        numeric = [
            any(r[i] is not None for r in raw) and all(
                isinstance(r[i], int | Decimal | float) and not isinstance(r[i], bool)
                for r in raw if r[i] is not None)
            for i in range(len(heads))
        ]
    natural = [max([cell_len(h)] + [cell_len(r[i]) for r in body]) for i, h in enumerate(heads)]
    widths = _fit(natural, width)
    lines = []
    if title:
        lines.append(_cut(visible(title), width))
        lines.append("")

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, text in enumerate(cells):
            t = _cut(text, widths[i])
            pad = " " * (widths[i] - cell_len(t))
            parts.append(pad + t if numeric[i] else t + pad)
        return (" " * GAP).join(parts).rstrip()

    lines.append(line(heads))
    lines.append((" " * GAP).join("-" * w for w in widths))
    lines.extend(line(r) for r in body)
    return "\n".join(lines) + "\n"


def render_tabulate(headers: Sequence[str], rows: Iterable[Sequence[Any]], width: int = 80) -> str:
    """The same fit, laid out by tabulate (``simple`` format; wide characters need wcwidth)."""
    from tabulate import tabulate

    body = [[_cell(v) for v in r] for r in rows]
    natural = [max([cell_len(h)] + [cell_len(r[i]) for r in body]) for i, h in enumerate(headers)]
    widths = _fit(natural, width)
    cut = [[_cut(v, widths[i]) for i, v in enumerate(r)] for r in body]
    return tabulate(cut, [_cut(h, widths[i]) for i, h in enumerate(headers)], tablefmt="simple",
                    disable_numparse=True) + "\n"


def save_text(text: str, path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def print_command() -> str:
    from ..data.core import settings

    return settings.get(PRINT_COMMAND_SETTING).strip() or "lp"


def run_print_command(command: str, data: bytes, timeout: float) -> str:
    """Run the print ``command`` with ``data`` on its standard input; returns the program's
    name. ``PrintError`` with a one-line reason if it cannot be read, run, or fails."""
    command = (command or "").strip()
    try:
        argv = shlex.split(command)
    except ValueError as e:
        raise PrintError(f"the print command {command!r} cannot be read: {e}") from None
    if not argv:
        raise PrintError("no printer is set up: set print.command (e.g. 'lp -d receipt'), "
                         "or print to a file")
    try:
        done = subprocess.run(argv, input=data, capture_output=True, timeout=timeout,
                              check=False)
    except FileNotFoundError:
        raise PrintError(f"print command not found: {argv[0]} (setting print.command)") from None
    except subprocess.TimeoutExpired:
        raise PrintError(f"the printer did not answer within {timeout:.0f} s ({command})") from None
    except OSError as e:
        raise PrintError(f"print command cannot be run: {argv[0]}: {e.strerror or e}") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
        raise PrintError(f"printing failed ({argv[0]} exit code {done.returncode})"
                         + (f": {reason}" if reason else ""))
    return argv[0]


def printer_bytes(text: str) -> bytes:
    """``text`` in the printer's encoding (setting ``print.encoding``, default UTF-8; many
    receipt printers want GB18030)."""
    from ..data.core import settings

    encoding = settings.get("print.encoding").strip() or "utf-8"
    try:
        return text.encode(encoding, errors="replace")
    except LookupError:
        raise PrintError(f"unknown print encoding {encoding!r} (setting print.encoding)") from None


def print_text(text: str, command: str | None = None, timeout: float = 60) -> str:
    """Send ``text`` to the print command (setting ``print.command``, default ``lp``) on its
    standard input, in the printer's encoding; returns the program's name. ``PrintError``
    with a one-line reason if it cannot be run or fails. Lists and documents both print here."""
    return run_print_command(command if command is not None else print_command(),
                             printer_bytes(text), timeout)
