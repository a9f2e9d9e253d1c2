"""Write rows to a spreadsheet file, .xlsx or .csv (L5, A5, R6). No Textual: a screen runs it
in a worker.

``export_rows(path, columns, rows, progress=..., cancel=...)`` writes any iterator of tuples;
``export_pager`` writes a list as a screen shows it (its visible columns, search, filter, date
range and sort). The interchange formats of ``tuicrm export`` are in ``reports.interchange``.

No cell ever becomes a formula:

- .xlsx: openpyxl's write-only ``append`` turns a string starting with ``=`` into a formula
  and ``#N/A``-like strings into error cells (``Cell._bind_value``). Such strings are written
  through a cell whose type is forced to text (``data_type = "s"``). Strings starting with
  ``+ - @`` are already plain text cells in a workbook.
- .csv: spreadsheet programs evaluate ``= + - @`` (and a leading tab or CR) when they open a
  CSV, so such values get a leading apostrophe (``'=1+2``), as OWASP advises; a value already
  starting with ``'`` gets one more, so the importer can take exactly one off (round trip).

User text is written with its control characters as visible marks (``core/text.visible``;
line breaks kept inside a cell). Money (``Decimal``) is a number cell with a ``#,##0.00`` format, dates are date cells. The file
is written beside the target and renamed at the end: a cancelled or failed export leaves no
half-written file behind.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..data.core.errors import TuicrmError, ValidationError
from ..data.core.text import visible
from ..i18n import _
from . import saving

KINDS = ("text", "int", "number", "money", "date", "datetime", "bool")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
CSV_RISKY = ("=", "+", "-", "@", "\t", "\r", "'")
PROGRESS_EVERY = 1000

Progress = Callable[[int, int | None], None]  # (rows done, total or None)


class Cancelled(TuicrmError):
    """The export was cancelled; no file was written."""


@dataclass(frozen=True)
class ExportColumn:
    name: str
    kind: str = "text"


def fmt_of(path: str | os.PathLike[str]) -> str:
    ext = Path(path).suffix.lower()
    if ext in (".xlsx", ".csv"):
        return ext[1:]
    raise ValidationError({"file": _("export to .xlsx or .csv, not {value!r}").format(
                                     value=ext or 'a file without extension')})


def csv_text(value: Any) -> str:
    """A value as CSV text, defused against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = visible(str(value), multiline=True)  # marks, never a raw control character
    if isinstance(value, str) and text.startswith(CSV_RISKY):
        return "'" + text
    return text


def _is_cancelled(cancel: Any) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return bool(cancel.is_set())
    return bool(cancel())


def _xlsx_writer(ws: Any, columns: Sequence[ExportColumn]) -> Callable[[Sequence[Any]], None]:
    """A fast ``write(row)`` for a write-only sheet: plain values go straight to ``append``;
    formula-looking text, money and dates go through one reusable cell per column (the
    write-only writer serialises a row as soon as it is appended, so reuse is safe)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    errors = frozenset(ERROR_CODES)
    text_cells = [WriteOnlyCell(ws) for _ in columns]
    typed: list[Any] = []
    for c in columns:
        cell = WriteOnlyCell(ws)
        if c.kind in ("money", "number"):
            cell.number_format = MONEY_FORMAT if c.kind == "money" else "General"
        elif c.kind == "date":
            cell.number_format = DATE_FORMAT
        elif c.kind == "datetime":
            cell.number_format = DATETIME_FORMAT
        typed.append(cell)
    kinds = [c.kind for c in columns]
    append = ws.append
    illegal = ILLEGAL_CHARACTERS_RE.search

    def write(row: Sequence[Any]) -> None:
        out = list(row)
        for i, v in enumerate(out):
            if v is None:
                continue
            k = kinds[i]
            if isinstance(v, str):
                v = out[i] = visible(v, multiline=True)  # marks, never a raw control
                if v[:1] == "=" or v in errors or illegal(v):
                    # ``_value``: the value setter would turn "=..." into a formula again.
                    cell: Any = text_cells[i]
                    cell._value = ILLEGAL_CHARACTERS_RE.sub("", v)
                    cell.data_type = "s"
                    out[i] = cell
            elif k == "money" and isinstance(v, Decimal):
                cell = typed[i]
                cell._value = v
                cell.data_type = "n"
                out[i] = cell
            elif k in ("date", "datetime") and isinstance(v, dt.date):
                cell = typed[i]
                cell._value = v
                cell.data_type = "d"
                out[i] = cell
            elif isinstance(v, Decimal):
                out[i] = v
        append(out)

    return write


def _write_all(write: Callable[[Sequence[Any]], Any], rows: Iterable[Sequence[Any]],
               progress: Progress | None, cancel: Any, total: int | None) -> int:
    """``write`` every row; every ``PROGRESS_EVERY`` rows check ``cancel`` and report
    ``progress``. Returns the rows written."""
    n = 0
    for row in rows:
        write(row)
        n += 1
        if n % PROGRESS_EVERY == 0:
            if _is_cancelled(cancel):
                raise Cancelled(f"export cancelled after {n:,} rows; no file written")
            if progress:
                progress(n, total)
    return n


def export_rows(
    path: str | os.PathLike[str],
    columns: Sequence[ExportColumn],
    rows: Iterable[Sequence[Any]],
    *,
    progress: Progress | None = None,
    cancel: Any = None,
    total: int | None = None,
    sheet_title: str = "export",
    overwrite: bool = False,
) -> int:
    """Write a header row and ``rows`` to ``path`` (.xlsx or .csv by extension); returns the
    number of data rows. ``cancel`` is a ``threading.Event`` or a callable returning True to
    stop (``Cancelled`` is raised and nothing is left on disk); ``progress(done, total)`` is
    called every 1000 rows and at the end. A bare file name goes to the files folder; an
    existing file is replaced only with ``overwrite``, a link never (``reports.saving``)."""
    kind = fmt_of(path)
    target = saving.resolve(path)
    saving.check_target(target, overwrite=overwrite)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                   dir=target.parent)
    except OSError as e:
        raise saving.SaveError(_("cannot write in {parent}: {value}").format(
                                 parent=target.parent,
                                 value=e.strerror or e)) from None
    os.close(fd)
    try:
        if kind == "xlsx":
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet(sheet_title[:31] or "export")
            ws.append([c.name for c in columns])
            try:
                n = _write_all(_xlsx_writer(ws, columns), rows, progress, cancel, total)
            except BaseException:
                with contextlib.suppress(Exception):
                    wb.save(tmp)  # closes the sheet's temporary file; the result is discarded
                raise
            wb.save(tmp)
        else:
            with open(tmp, "w", newline="", encoding="utf-8-sig") as f:
                w = csv.writer(f)
                w.writerow([c.name for c in columns])
                n = _write_all(lambda row: w.writerow([csv_text(v) for v in row]), rows,
                               progress, cancel, total)
        if _is_cancelled(cancel):
            raise Cancelled("export cancelled; no file written")
        saving.place(tmp, target, overwrite=overwrite)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if progress:
        progress(n, total if total is not None else n)
    return n


# -- a list as shown ------------------------------------------------------------------------


def export_pager(
    actor: Any, pager: Any, names: Sequence[str], path: str | os.PathLike[str], *,
    progress: Progress | None = None, cancel: Any = None, sheet_title: str = "list",
    overwrite: bool = False,
) -> int:
    """Write the rows of ``pager`` (a list as a screen shows it: its search, filter, date
    range, scope and sort) with the columns ``names`` in that order; the headers are the
    columns' stable lower-case English names. Needs the ``export`` permission."""
    from ..data.core.permissions import require

    require(actor, "export")
    fmt_of(path)
    by_name = {c.name: i for i, c in enumerate(pager.columns)}
    idx = [by_name[n] for n in names if n in by_name and not pager.columns[by_name[n]].internal]
    cols = [ExportColumn(pager.columns[i].name, pager.columns[i].export_kind) for i in idx]
    rows = (tuple(r.values[i] for i in idx) for r in pager.iterate())
    return export_rows(path, cols, rows, progress=progress, cancel=cancel,
                       total=pager.count(), sheet_title=sheet_title, overwrite=overwrite)
