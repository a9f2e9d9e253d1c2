"""The tickets report (``data.service.report``) as text (tabulate-like, fitted to a width by
display width), .txt, .csv and .xlsx: stable lower-case English headers in files for scripts,
translated ones on screen. Times are shown as ``2d 4h``; in files as hours (a number)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from ..data.service.due import fmt_span, hours
from ..data.service.report import TicketReport, TicketStats
from ..i18n import _
from .spreadsheet import ExportColumn, export_rows
from .text import render_text

FILE_COLUMNS = [
    ExportColumn("group"), ExportColumn("tickets", "int"), ExportColumn("open", "int"),
    ExportColumn("responded", "int"), ExportColumn("median_response_hours", "number"),
    ExportColumn("resolved", "int"), ExportColumn("median_resolution_hours", "number"),
    ExportColumn("resolved_on_time", "int"), ExportColumn("on_time_share", "number"),
    ExportColumn("rated", "int"), ExportColumn("satisfaction", "number"),
]


def headers() -> list[str]:
    return [_("Group"), _("Tickets"), _("Open"), _("Median response"),
            _("Median resolution"), _("On time"), _("Satisfaction")]


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def screen_row(s: TicketStats) -> list[Any]:
    return [s.group, s.count, s.open, fmt_span(s.median_response) or "-",
            fmt_span(s.median_resolution) or "-",
            f"{_pct(s.on_time_share)} ({s.on_time}/{s.resolved})",
            "-" if s.satisfaction is None else f"{s.satisfaction:.1f} ({s.rated})"]


def table(report: TicketReport) -> tuple[list[str], list[list[Any]]]:
    rows = [screen_row(s) for s in report.rows]
    if report.total is not None and len(report.rows) != 1:
        rows.append(screen_row(report.total))
    return headers(), rows


def title(report: TicketReport) -> str:
    span = (f"{report.start or '...'} - {report.end or '...'}"
            if report.start or report.end else _("all dates"))
    return _("Tickets by {by}, opened {span}").format(by=_(report.by.value), span=span)


def report_text(report: TicketReport, width: int = 80) -> str:
    heads, rows = table(report)
    numeric = [False, True, True, True, True, True, True]
    text = render_text(heads, rows, width=width, title=title(report), numeric=numeric)
    return text + "\n" + _("Times in calendar time; on time: resolved by the resolve-by time "
                           "(of the resolved ones).") + "\n"


def _hours(value: Any) -> float | None:
    h = hours(value)
    return None if h is None else round(h, 2)


def file_rows(report: TicketReport) -> list[Sequence[Any]]:
    stats = list(report.rows)
    if report.total is not None:
        stats.append(report.total)
    return [(s.group, s.count, s.open, s.responded, _hours(s.median_response), s.resolved,
             _hours(s.median_resolution), s.on_time,
             None if s.on_time_share is None else round(s.on_time_share, 4), s.rated,
             s.satisfaction) for s in stats]


def write_report(report: TicketReport, path: str | os.PathLike[str]) -> int:
    """.txt as on screen; .csv / .xlsx with the file headers; returns the rows written."""
    if str(path).lower().endswith(".txt"):
        from .text import save_text

        save_text(report_text(report, width=100), str(path))
        return len(report.rows)
    return export_rows(path, FILE_COLUMNS, file_rows(report), sheet_title="tickets")
