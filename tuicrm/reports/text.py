"""Plain-text reports of rows (L6, R6): print preview, save to a file, send to a printer.

Widths are display widths (``rich.cells.cell_len``: a Chinese character takes two columns),
so columns line up with CJK text. When the table is wider than the page, the widest *text*
columns are shortened (ending in ``…``) until it fits, none below ``MIN_TEXT`` cells; numbers
are never cut (a value cut to ``-17,148~`` is a wrong value), so a table of many numbers may be
wider than the page rather than lose one. No Textual here.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from rich.cells import cell_len, set_cell_size

from ..data.core.errors import TuicrmError
from ..data.core.text import visible
from ..i18n import _

GAP = 2  # spaces between columns
MIN_COL = 4
MIN_TEXT = 10  # a text column is not shortened below this (a name cut to 3 cells says nothing)
ELLIPSIS = "…"


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


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, ending in an ellipsis when shortened."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + ELLIPSIS


_cut = cut


def _fit(widths: list[int], total: int, numeric: Sequence[bool] | None = None,
         gap: int = GAP) -> list[int]:
    """Shrink the widest text columns until the row (with gaps) fits ``total`` columns;
    numeric columns keep their width."""
    widths = list(widths)
    fixed = list(numeric) if numeric is not None else [False] * len(widths)
    floor = [w if fixed[i] else min(w, MIN_TEXT) for i, w in enumerate(widths)]
    budget = total - gap * (len(widths) - 1)
    while sum(widths) > budget:
        movable = [k for k in range(len(widths)) if widths[k] > floor[k]]
        if not movable:
            break
        i = max(movable, key=lambda k: widths[k])
        widths[i] -= 1
    return widths


def render_text(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], width: int = 80, title: str = "",
    numeric: Sequence[bool] | None = None, gap: int = GAP,
) -> str:
    """The rows as a text table no wider than ``width`` display columns (numbers aligned
    right and never cut, see the module docstring), with an optional title line."""
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
    widths = _fit(natural, width, numeric, gap)
    lines: list[str] = []
    if title:
        lines.extend(_cut(visible(t), width) for t in title.split("\n"))
        lines.append("")

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, text in enumerate(cells):
            t = _cut(text, widths[i])
            pad = " " * (widths[i] - cell_len(t))
            parts.append(pad + t if numeric[i] else t + pad)
        return (" " * gap).join(parts).rstrip()

    lines.append(line(heads))
    lines.append((" " * gap).join("-" * w for w in widths))
    lines.extend(line(r) for r in body)
    return "\n".join(lines) + "\n"


def render_tabulate(headers: Sequence[str], rows: Iterable[Sequence[Any]], width: int = 80) -> str:
    """The same fit, laid out by tabulate (``simple`` format; wide characters need wcwidth)."""
    from tabulate import tabulate

    body = [[_cell(v) for v in r] for r in rows]
    natural = [max([cell_len(h)] + [cell_len(r[i]) for r in body]) for i, h in enumerate(headers)]
    widths = _fit(natural, width, [False] * len(natural))
    cut = [[_cut(v, widths[i]) for i, v in enumerate(r)] for r in body]
    return tabulate(cut, [_cut(h, widths[i]) for i, h in enumerate(headers)], tablefmt="simple",
                    disable_numparse=True) + "\n"


def save_text(text: str, path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


LP = "lp"  # the CUPS client, found on PATH; run as ``lp -d NAME`` with no shell


def set_up_printers() -> tuple[str, ...]:
    """The printers an administrator set up (setting ``print.printers``)."""
    from ..data.core import settings

    return settings.value(settings.PRINTERS)


def default_printer(kind: str = "document") -> str:
    """The printer ``kind`` ("receipt" or "document") goes to by default ("" when none is
    chosen: the only printer set up, if there is just one)."""
    from ..data.core import settings

    chosen = settings.value(settings.RECEIPT_PRINTER if kind == "receipt"
                            else settings.DOCUMENT_PRINTER)
    printers = set_up_printers()
    if chosen and chosen in printers:
        return chosen
    return printers[0] if len(printers) == 1 else ""


def send_to_printer(printer: str, data: bytes, timeout: float) -> str:
    """Run ``lp -d printer`` (no shell) with ``data`` on its standard input; returns the
    printer's name. Only a printer an administrator set up (``print.printers``) is used, so
    nothing typed or stored can make tuicrm run another program. ``PrintError`` with a
    one-line reason if it cannot be run or fails."""
    printers = set_up_printers()
    if not printers:
        raise PrintError(_("no printer is set up: an administrator adds one in Settings "
                           "(print.printers); or print to a file"))
    if not printer:
        raise PrintError(_("choose a printer: ") + ", ".join(printers))
    if printer not in printers:
        raise PrintError(_("{printer} is not one of the printers set up ({join})").format(
                           printer=printer,
                           join=', '.join(printers)))
    argv = [LP, "-d", printer]
    try:
        done = subprocess.run(argv, input=data, capture_output=True, timeout=timeout,
                              check=False, shell=False)
    except FileNotFoundError:
        raise PrintError(_("{LP} not found: install CUPS (cups-client) to print").format(LP=LP)) from None
    except subprocess.TimeoutExpired:
        raise PrintError(_("the printer {printer} did not answer within {timeout:.0f} s").format(
                           printer=printer,
                           timeout=timeout)) from None
    except OSError as e:
        raise PrintError(_("{LP} cannot be run: {value}").format(LP=LP, value=e.strerror or e)) from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
        raise PrintError(_("printing to {printer} failed ({LP} exit code {returncode})").format(
                           printer=printer,
                           LP=LP,
                           returncode=done.returncode)
                         + (f": {reason}" if reason else ""))
    return printer


def available_printers(timeout: float = 5) -> list[str]:
    """The CUPS queues this machine knows (``lpstat -e``), to pick from; [] without CUPS."""
    try:
        done = subprocess.run(["lpstat", "-e"], capture_output=True, timeout=timeout,
                              check=False, shell=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:
        return []
    names = done.stdout.decode("utf-8", "replace").split()
    return [n for n in names if n.isprintable()][:50]


def printer_bytes(text: str) -> bytes:
    """``text`` in the printer's encoding (setting ``print.encoding``, default UTF-8; many
    receipt printers want GB18030)."""
    from ..data.core import settings

    encoding = settings.get("print.encoding").strip() or "utf-8"
    try:
        return text.encode(encoding, errors="replace")
    except LookupError:
        raise PrintError(_("unknown print encoding {encoding!r} (setting print.encoding)").format(
                           encoding=encoding)) from None


def print_text(text: str, printer: str | None = None, timeout: float = 60) -> str:
    """Send ``text`` to ``printer`` (default: the document printer) in the printer's
    encoding; returns the printer's name. ``PrintError`` with a one-line reason if it cannot
    be run or fails. Lists and documents both print here."""
    name = default_printer("document") if printer is None else printer
    return send_to_printer(name, printer_bytes(text), timeout)
