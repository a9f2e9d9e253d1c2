"""Stock count reports (SPEC P4): the count sheet and the variance report, as text and .xlsx.

- **Count sheet**: every product in the count's scope with its location and unit, and a column
  to write the counted quantity in. In a *blind* count the sheet never shows the expected
  quantity and the counted column is blank; in a guided count it shows both.
- **Variance report**: expected at opening, movements since (sales during the count ...),
  book, counted, variance and its value at cost, with ``RECOUNT`` on lines over the threshold
  (``VarianceLine.flagged``, the definition the screen and the post dialog use too),
  ``not counted`` on lines nobody counted (``to zero`` when they are to become zero) and
  ``extra`` on products counted outside the scope.
- ``count_export_rows``: ``product_code, expected, counted, variance`` for
  ``tuicrm export count NUMBER FILE`` (expected = the book quantity the variance is against;
  counted and variance empty for a line nobody counted that stays as it is).

Both outputs list every line of the count, also the products counted outside its scope, which
posting moves like any other line.

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
from ..i18n import N_, _
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


NOTE_RECOUNT = N_("RECOUNT")
NOTE_EXTRA = N_("extra")
NOTE_UNCOUNTED = N_("not counted")
NOTE_ZERO = N_("to zero")
NOTE_MARKS = {NOTE_RECOUNT: "!", NOTE_EXTRA: "+", NOTE_UNCOUNTED: "?", NOTE_ZERO: "0"}


def report_file_name(number: str, what: str, suffix: str = ".txt") -> str:
    """The default file of a report: ``SC-2026-000001-sheet.txt``, ``...-variance.txt`` (two
    reports of one count never share a default name)."""
    return f"{number}-{what}{suffix}"


def chosen_file_name(number: str, what: str, typed: str) -> str:
    """The file to write ``what`` to: ``typed``, unless it is empty or another report's
    default name (left as the form offered it), then this report's default name."""
    typed = (typed or "").strip()
    if typed and typed not in {report_file_name(number, w, sfx) for w in REPORTS
                               for sfx in (".txt", ".xlsx", ".csv") if w != what}:
        return typed
    suffix = next((sfx for sfx in (".xlsx", ".csv") if typed.lower().endswith(sfx)), ".txt")
    return report_file_name(number, what, suffix)


def _header(count: counts.CountRow, what: str) -> str:
    return (f"{what} {count.number} ({count.status}, {count.mode})\n{count.scope_label} at "
            f"{count.location_code} {count.location_name}, opened "
            f"{count.opened_at:%Y-%m-%d %H:%M}")


def _sheet(actor: Actor, count: counts.CountRow) -> tuple[list[str], list[list[Any]]]:
    guided = count.mode == CountMode.GUIDED and count.sees_expected
    rows: list[list[Any]] = []
    for line in counts.count_lines(actor, count.id):
        name = line.name if line.in_scope else f"{line.name} ({_(NOTE_EXTRA)})"
        row: list[Any] = [line.code, name, line.unit, count.location_code]
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
        if v.flagged(limit):
            notes.append(_(NOTE_RECOUNT))
        if not v.in_scope:
            notes.append(_(NOTE_EXTRA))
        if not v.counted_at_all:
            moves = v.variance if v.adjustment is not None else (zero or None)
            notes.append(_(NOTE_ZERO) if moves else _(NOTE_UNCOUNTED))
        variance = v.shown_variance(zero)
        value = (Decimal("0.00") if variance is None
                 else (variance * v.cost).quantize(Decimal("0.01")))
        rows.append([v.code, v.name, v.expected, v.moved, v.book, v.shown_counted(),
                     variance, value, ", ".join(notes)])
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
    marks = {_(word): mark for word, mark in NOTE_MARKS.items()}
    shown = [[r[0], r[1], fmt_qty(r[2]), fmt_qty(r[3]), fmt_qty(r[4]),
              "" if r[5] is None else fmt_qty(r[5]), "" if r[6] is None else fmt_qty(r[6]),
              fmt_money(r[7]), "".join(marks[n] for n in r[8].split(", ") if n)]
             for r in rows]
    # Nine columns at 80, six of them numbers that are never cut: one space between columns
    # and the notes as marks explained under the table, so the names keep ~17 cells.
    text = render_text([_(h) for h in VARIANCE_HEADERS], shown, width=width,
                       title=_header(sc, _("Variance report")), gap=1,
                       numeric=[False, False, True, True, True, True, True, True, False])
    summary = counts.summary(counts.variance(actor, sc.id), zero)
    legend = "  ".join(f"{mark} {_(word)}" for word, mark in NOTE_MARKS.items())
    return text + "\n" + _("{progress}, net value at cost {value}").format(
        progress=summary.progress(), value=fmt_money(total)) + "\n" + _("Note: ") + legend + "\n"


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
        yield (r[0], r[4], r[5], r[6])  # counted, variance: None (empty) when not counted


def export_count(actor: Actor, count: int | str, path: str | os.PathLike[str], *,
                 overwrite: bool = False) -> int:
    """``product_code, expected, counted, variance`` of a count to .xlsx or .csv."""
    fmt_of(path)
    sc = counts.get_count(actor, count)
    return export_rows(path, EXPORT_COLUMNS, count_export_rows(actor, sc.id),
                       sheet_title=sc.number, overwrite=overwrite)
