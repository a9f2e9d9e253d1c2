"""A report's result as text fitted to a width, and as .txt, .csv or .xlsx files (R6).

- **Text**: title, subtitle, the table and its totals row, notes; no line wider than
  ``width`` display cells (``rich.cells.cell_len``: a Chinese character takes two). When the
  table is too wide the widest text column is cut first (ending in ``~``), numbers never.
- **.csv**: a header of the columns' stable lower-case English keys, one line per row, then a
  ``total`` line; numbers plain (``1234.50``), percentages as numbers, formula-looking text
  defused (``spreadsheet.csv_text``).
- **.xlsx**: the same header (frozen, column widths set), numbers as numbers with formats
  (money ``#,##0.00``, quantities ``#,##0.###``, percentages ``0.0%``), the totals row, and
  the title / period / notes on a second sheet. Written in openpyxl's write-only mode (rows
  streamed to disk, memory flat), beside the target and renamed at the end.

User text is shown as text: control characters become ``?`` everywhere. No Textual here.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.cells import cell_len, set_cell_size

from ..data.core.errors import ValidationError
from ..data.core.money import fmt_money, fmt_qty
from ..i18n import _
from .engine import Cancelled, Column, Result
from .spreadsheet import csv_text

GAP = 2
MIN_TEXT = 8
FORMATS = (".txt", ".csv", ".xlsx")
XLSX_FORMATS = {"money": "#,##0.00", "qty": "#,##0.###", "percent": "0.0%", "int": "#,##0",
                "date": "yyyy-mm-dd"}
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f"
                     "\ufeff]")


def safe(text: str) -> str:
    """User text fit to print: line breaks and tabs a space, other controls ``?``."""
    text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return text if text.isprintable() else _UNSAFE.sub("?", text)


def cell_text(column: Column, value: Any) -> str:
    """A value as it reads on screen and in text."""
    if value is None:
        return ""
    kind = column.kind
    if kind == "money":
        return fmt_money(value)
    if kind == "qty":
        return fmt_qty(value) if abs(value) < 1000 else f"{value:,f}".rstrip("0").rstrip(".")
    if kind == "percent":
        return f"{value}%"
    if kind == "int":
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe(str(value))


def _cut(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + "~"


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at spaces (or anywhere in a long
    word, e.g. Chinese text without spaces)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while cell_len(word) > width:
            head = set_cell_size(word, width).rstrip()
            if not head:
                break
            lines.append(head)
            word = word[len(head):]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def fit_widths(columns: Sequence[Column], natural: list[int], width: int) -> list[int]:
    """Column widths whose sum with gaps fits ``width`` if it can: text columns shrink, the
    widest first, to ``MIN_TEXT`` cells. Numbers are never cut (see ``blocks``)."""
    widths = list(natural)
    budget = width - GAP * (len(widths) - 1)
    while sum(widths) > budget:
        pool = [i for i, c in enumerate(columns) if not c.numeric and widths[i] > MIN_TEXT]
        if not pool:
            break
        i = max(pool, key=lambda k: widths[k])
        widths[i] -= 1
    return widths


def blocks(columns: Sequence[Column], widths: list[int], width: int) -> list[list[int]]:
    """The columns in blocks that each fit ``width``: the leading text columns (the row's
    label) start every block, the numbers follow as many as fit. One block when all fit."""
    lead = []
    for i, c in enumerate(columns):
        if c.numeric:
            break
        lead.append(i)
    rest = [i for i in range(len(columns)) if i not in lead]
    lead_width = sum(widths[i] + GAP for i in lead)
    out: list[list[int]] = []
    current: list[int] = []
    used = lead_width
    for i in rest:
        need = widths[i] + (GAP if current or lead else 0)
        if current and used + need > width:
            out.append(lead + current)
            current, used = [], lead_width
        current.append(i)
        used += widths[i] + GAP
    if current or not out:
        out.append(lead + current)
    return out


def render_text(result: Result, width: int = 80) -> str:
    """The whole report as text, no line wider than ``width`` display cells. A table too wide
    for the page is printed in blocks of columns, each repeating the row labels."""
    cols = result.columns
    body = [[cell_text(c, v) for c, v in zip(cols, row, strict=True)] for row in result.rows]
    totals = ([cell_text(c, v) for c, v in zip(cols, result.totals, strict=True)]
              if result.totals is not None else None)
    if totals is not None and cols and not cols[0].numeric:
        totals[0] = _("Total")
    heads = [safe(c.title) for c in cols]
    natural = [max([cell_len(h)] + [cell_len(r[i]) for r in body]
                   + ([cell_len(totals[i])] if totals else [])) for i, h in enumerate(heads)]
    widths = fit_widths(cols, natural, width)
    if sum(widths) + GAP * (len(widths) - 1) > width:
        # Blocks of columns: the row labels keep up to half the page, not MIN_TEXT cells.
        numbers = sum(n + GAP for c, n in zip(cols, natural, strict=True) if c.numeric)
        widths = fit_widths(cols, natural, width // 2 + numbers)
    out = [_cut(safe(result.title), width)]
    if result.subtitle:
        out.append(_cut(safe(result.subtitle), width))
    for block in blocks(cols, widths, width):
        def line(cells: Sequence[str], block: list[int] = block) -> str:
            parts = []
            for i in block:
                t = _cut(cells[i], widths[i])
                pad = " " * (widths[i] - cell_len(t))
                parts.append(pad + t if cols[i].numeric else t + pad)
            return _cut((" " * GAP).join(parts).rstrip(), width)

        rule = _cut((" " * GAP).join("-" * widths[i] for i in block), width)
        out += ["", line(heads), rule]
        out += [line(r) for r in body]
        if not body:
            out.append(_cut(_("(no rows)"), width))
        if totals is not None:
            out += [rule, line(totals)]
    if result.notes:
        out.append("")
    for note in result.notes:
        out.extend(wrap(safe(note), width))
    return "\n".join(out) + "\n"


def fmt_of(path: str | os.PathLike[str]) -> str:
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise ValidationError({"file": _("a report is written to .txt, .csv or .xlsx, not {ext}")
                               .format(ext=repr(ext) if ext else _("a file without extension"))})
    return ext[1:]


def _file_value(column: Column, value: Any) -> Any:
    """A value for csv/xlsx: numbers stay numbers (a percentage as its fraction in xlsx)."""
    if value is None:
        return None
    if column.kind == "text":
        return safe(str(value))
    return value


def _csv_rows(result: Result) -> list[list[str]]:
    def one(values: Sequence[Any]) -> list[str]:
        return [csv_text(_file_value(c, v)) for c, v in zip(result.columns, values, strict=True)]

    rows = [one(r) for r in result.rows]
    if result.totals is not None:
        total = one(result.totals)
        if result.columns and not result.columns[0].numeric:
            total[0] = "total"
        rows.append(total)
    return rows


def _xlsx(result: Result, tmp: str, progress: Callable[[int, int], None] | None,
          cancel: Any) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(result.name[:31])
    cols = result.columns
    texts = [[cell_text(c, v) for c, v in zip(cols, r, strict=True)] for r in result.rows[:200]]
    for i, c in enumerate(cols):
        seen = max([cell_len(c.key)] + [cell_len(r[i]) for r in texts])
        ws.column_dimensions[get_column_letter(i + 1)].width = min(max(seen + 2, 8), 60)
    ws.freeze_panes = "A2"
    ws.append(list(c.key for c in cols))

    def cells(values: Sequence[Any], bold: bool = False) -> list[Any]:
        out: list[Any] = []
        for c, v in zip(cols, values, strict=True):
            v = _file_value(c, v)
            cell: Any = WriteOnlyCell(ws)
            if isinstance(v, str):
                cell._value = v  # never a formula: written as text whatever it starts with
                cell.data_type = "s"
            elif v is not None:
                cell.value = v / 100 if c.kind == "percent" else v
                if c.kind in XLSX_FORMATS:
                    cell.number_format = XLSX_FORMATS[c.kind]
            if bold:
                from openpyxl.styles import Font

                cell.font = Font(bold=True)
            out.append(cell)
        return out

    try:
        for n, row in enumerate(result.rows, 1):
            ws.append(cells(row))
            if n % 1000 == 0:
                if cancel is not None and cancel.is_set():
                    raise Cancelled(_("report cancelled; no file written"))
                if progress:
                    progress(n, len(result.rows))
        if result.totals is not None:
            total = list(result.totals)
            if cols and not cols[0].numeric:
                total[0] = "total"
            ws.append(cells(total, bold=True))
        about = wb.create_sheet("about")
        for line in [result.title, result.subtitle, *result.notes]:
            if line:
                about.append([safe(line)])
        for key, value in result.params.items():
            about.append([key, value.isoformat() if isinstance(value, dt.date) else value])
    finally:
        wb.save(tmp)  # also closes the streamed sheet's temporary file


def write_report(result: Result, path: str | os.PathLike[str], *, width: int = 80,
                 progress: Callable[[int, int], None] | None = None, cancel: Any = None) -> int:
    """Write ``result`` to ``path`` (.txt, .csv or .xlsx by extension); returns the number of
    rows. A cancelled or failed write leaves no file behind."""
    kind = fmt_of(path)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        if kind == "txt":
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(render_text(result, width))
        elif kind == "csv":
            with open(tmp, "w", newline="", encoding="utf-8-sig") as f:
                writer = csv.writer(f)
                writer.writerow([c.key for c in result.columns])
                writer.writerows(_csv_rows(result))
        else:
            _xlsx(result, tmp, progress, cancel)
        if cancel is not None and cancel.is_set():
            raise Cancelled(_("report cancelled; no file written"))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if progress:
        progress(len(result.rows), len(result.rows))
    return len(result.rows)
