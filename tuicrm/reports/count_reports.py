"""Stock count reports (SPEC P4): the count sheet and the variance report, as text and .xlsx.

- **Count sheet**: every product in the count's scope with its location and unit, and a column
  to write the counted quantity in. In a *blind* count the sheet never shows the expected
  quantity and the counted column is blank; in a guided count it shows both.
- **Variance report**: expected at opening, movements since (sales during the count ...),
  book, counted, variance and its value at cost, with ``RECOUNT`` on lines over the threshold
  and ``uncounted`` on lines nobody counted (``to zero`` when they are to become zero).
- ``count_export_rows``: ``product_code, expected, counted, variance`` for
  ``tuicrm export count NUMBER FILE`` (expected = the book quantity the variance is against).

The rows come from the count readers of ``tuicrm.data.counts`` (which check the actor's
permission and who may see expected quantities). Text goes through ``text.render_text``
(display widths, so Chinese names line up), files through ``spreadsheet.export_rows`` (no cell
becomes a formula). No Textual here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..data.core.actor import Actor
from ..data.core.money import fmt_money, fmt_qty
from ..data.core.vocab import CountMode
from ..data.counts import sessions as counts
from . import saving
from .spreadsheet import ExportColumn, export_rows, fmt_of
from .text import render_text

SHEET_BLIND = ["Code", "Product", "Unit", "Location", "Counted"]
SHEET_GUIDED = ["Code", "Product", "Unit", "Location", "Expected", "Counted"]
VARIANCE_HEADERS = ["Code", "Product", "Expected", "Moved", "Book", "Counted", "Variance",
                    "Value", "Note"]
EXPORT_COLUMNS = [
    ExportColumn("product_code"), ExportColumn("expected", "number"),
    ExportColumn("counted", "number"), ExportColumn("variance", "number"),
]
VARIANCE_COLUMNS = [
    ExportColumn("product_code"), ExportColumn("product"), ExportColumn("expected", "number"),
    ExportColumn("moved", "number"), ExportColumn("book", "number"),
    ExportColumn("counted", "number"), ExportColumn("variance", "number"),
    ExportColumn("value", "money"), ExportColumn("note"),
]
REPORTS = ("sheet", "variance")


def _header(count: counts.CountRow, what: str) -> str:
    return (f"{what} {count.number} ({count.status}, {count.mode}) - {count.scope_label} at "
            f"{count.location_code} {count.location_name} - opened "
            f"{count.opened_at:%Y-%m-%d %H:%M}")


def _sheet(actor: Actor, count: counts.CountRow) -> tuple[list[str], list[list[Any]]]:
    guided = count.mode == CountMode.GUIDED and count.sees_expected
    rows: list[list[Any]] = []
    for line in counts.count_lines(actor, count.id, in_scope_only=True):
        row: list[Any] = [line.code, line.name, line.unit, count.location_code]
        if guided:
            row += [fmt_qty(line.expected), fmt_qty(line.counted) if line.entries else ""]
        else:
            row.append("")
        rows.append(row)
    return (SHEET_GUIDED if guided else SHEET_BLIND), rows


def sheet_rows(actor: Actor, count: int | str) -> tuple[list[str], list[list[Any]]]:
    """The count sheet's headers and rows (in scope, by code)."""
    return _sheet(actor, counts.get_count(actor, count))


def sheet_text(actor: Actor, count: int | str, width: int = 80) -> str:
    sc = counts.get_count(actor, count)
    headers, rows = _sheet(actor, sc)
    blank = "_" * 8
    rows = [r[:-1] + [r[-1] or blank] for r in rows]
    return render_text(headers, rows, width=width, title=_header(sc, "Count sheet"),
                       numeric=[False] * (len(headers) - 1) + [True])


def _variance(actor: Actor, count: counts.CountRow, zero: bool) -> list[list[Any]]:
    limit = counts.recount_threshold()
    rows: list[list[Any]] = []
    for v in counts.variance(actor, count.id):
        notes = []
        if not v.in_scope:
            notes.append("out of scope")
        if not v.counted_at_all and v.adjustment is None:
            notes.append("to zero" if zero else "uncounted")
        if v.flagged(limit):
            notes.append("RECOUNT")
        rows.append([v.code, v.name, v.expected, v.moved, v.book,
                     v.counted if (v.counted_at_all or v.adjustment is not None) else None,
                     v.variance_if(zero), v.value(zero), ", ".join(notes)])
    return rows


def variance_rows(actor: Actor, count: int | str,
                  zero_uncounted: bool | None = None) -> list[list[Any]]:
    """The variance report's rows (``VARIANCE_COLUMNS``); refused to counters in a blind
    count. ``zero_uncounted`` overrides the count's choice for never-counted lines."""
    sc = counts.get_count(actor, count)
    zero = sc.zero_uncounted if zero_uncounted is None else zero_uncounted
    return _variance(actor, sc, zero)


def variance_text(actor: Actor, count: int | str, width: int = 80,
                  zero_uncounted: bool | None = None) -> str:
    sc = counts.get_count(actor, count)
    zero = sc.zero_uncounted if zero_uncounted is None else zero_uncounted
    rows = _variance(actor, sc, zero)
    total = sum((r[7] for r in rows), Decimal("0.00"))
    shown = [[r[0], r[1], fmt_qty(r[2]), fmt_qty(r[3]), fmt_qty(r[4]),
              "" if r[5] is None else fmt_qty(r[5]), fmt_qty(r[6]), fmt_money(r[7]), r[8]]
             for r in rows]
    text = render_text(VARIANCE_HEADERS, shown, width=width,
                       title=_header(sc, "Variance report"),
                       numeric=[False, False, True, True, True, True, True, True, False])
    flagged = sum(1 for r in rows if "RECOUNT" in r[8])
    return text + (f"\n{len(rows)} lines, {flagged} to recount (variance over "
                   f"{fmt_qty(counts.recount_threshold())}), net value at cost "
                   f"{fmt_money(total)}\n")


def save_report(actor: Actor, count: int | str, what: str,
                path: str | os.PathLike[str], *, overwrite: bool = False) -> int:
    """Write the count ``sheet`` or ``variance`` report to .txt, .xlsx or .csv; returns rows
    (an existing file is replaced only with ``overwrite``; ``reports.saving``)."""
    if str(path).lower().endswith(".txt"):
        text = sheet_text(actor, count) if what == "sheet" else variance_text(actor, count)
        saving.write_text(saving.resolve(path), text, overwrite=overwrite)
        return text.count("\n")
    fmt_of(path)
    if what == "sheet":
        headers, rows = sheet_rows(actor, count)
        cols = [ExportColumn(h.lower()) for h in headers]
        return export_rows(path, cols, rows, sheet_title="count sheet", overwrite=overwrite)
    return export_rows(path, VARIANCE_COLUMNS, variance_rows(actor, count),
                       sheet_title="variance", overwrite=overwrite)


def count_export_rows(actor: Actor, count: int | str) -> Iterator[tuple[Any, ...]]:
    """``(product_code, expected, counted, variance)`` per line of the count."""
    for r in variance_rows(actor, count):
        yield (r[0], r[4], r[5], r[6])


def export_count(actor: Actor, count: int | str, path: str | os.PathLike[str], *,
                 overwrite: bool = False) -> int:
    """``product_code, expected, counted, variance`` of a count to .xlsx or .csv."""
    fmt_of(path)
    sc = counts.get_count(actor, count)
    return export_rows(path, EXPORT_COLUMNS, count_export_rows(actor, sc.id),
                       sheet_title=sc.number, overwrite=overwrite)
