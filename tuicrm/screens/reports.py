"""Reports (R1-R6): pick a report, set its period and grouping, read the table and its chart,
export or print it.

The report runs in a thread worker (``reports.report_run.ReportRun``) with a progress bar; Esc
while it runs stops it at once (the running statement is interrupted), Esc otherwise goes back.
Keys: **r** another report, **s** / **Enter** its settings (period, grouping, top N, ...),
**b** the next grouping, **[** / **]** the previous / next period, **v** the chart on or off,
**g** run again, **x** export (.xlsx / .csv), **P** print preview (save as .txt or print).

The table shows at most ``SHOWN_ROWS`` rows (a DataTable of 45,000 customers would take
seconds to build); the status line says so and the export writes every row. The chart is
drawn by ``reports.charts`` (widths measured in cells, bars without colour) with Textual's
``Sparkline`` above it for reports over time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, ProgressBar, Sparkline, Static

from ..data.core import clock
from ..data.core.errors import TuicrmError
from ..data.core.money import fmt_money
from ..i18n import N_, _
from ..reports import charts
from ..reports.engine import Report, Result, parse_params, reports_for
from ..reports.render import cell_text, render_text
from ..reports.report_run import ReportRun
from ..widgets.focus import focus_now
from ..widgets.form import FormDialog, FormField
from ..widgets.list_tools import ExportDialog, PrintPreviewDialog, default_export_path
from .base import AppScreen
from .order_dialogs import PickDialog

SHOWN_ROWS = 1000
MAX_COLUMN = 40  # cells; a longer name is cut in the table (the export has it whole)
CHART_ROWS = 8
PREFERRED = ("sales", "stock")  # opened first, when the user may run it


def _shift(start: dt.date, end: dt.date, step: int) -> tuple[dt.date, dt.date]:
    """The period before (step -1) or after (+1) ``start..end``: a period starting on the
    first of a month moves by whole months (this month so far -> all of last month), other
    periods by their length in days."""
    if start.day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        m = start.year * 12 + start.month - 1 + step * months
        first = dt.date(m // 12, m % 12 + 1, 1)
        m2 = m + months
        last = dt.date(m2 // 12, m2 % 12 + 1, 1) - dt.timedelta(days=1)
        return first, last
    length = (end - start).days + 1
    return start + dt.timedelta(days=step * length), end + dt.timedelta(days=step * length)


class ReportsScreen(AppScreen):
    TITLE_TEXT = N_("Reports")
    HELP = N_("Pick a report (r), set its period and grouping (s), read the table and chart; "
              "export (x) or print (P). Long reports show progress; Esc stops them.")

    DEFAULT_CSS = """
    ReportsScreen #params { height: 1; padding: 0 1; background: $boost; }
    ReportsScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    ReportsScreen #notes {
        height: auto; max-height: 3; padding: 0 1; color: $text-muted;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    ReportsScreen #progress { height: 1; display: none; }
    ReportsScreen #progress.-running { display: block; }
    ReportsScreen DataTable { height: 1fr; }
    ReportsScreen #chart { height: auto; max-height: 10; display: none; }
    ReportsScreen #chart.-shown { display: block; }
    ReportsScreen Sparkline { height: 1; margin: 0 1; }
    ReportsScreen #bars { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back / stop", id="reports.back"),
        Binding("r", "pick", "Report", id="reports.pick"),
        Binding("s", "settings", "Settings", id="reports.settings"),
        Binding("b", "next_grouping", "By", id="reports.by"),
        Binding("left_square_bracket", "period(-1)", "Prev period", id="reports.prev"),
        Binding("right_square_bracket", "period(1)", "Next period", id="reports.next"),
        Binding("v", "chart", "Chart", id="reports.chart"),
        Binding("g", "rerun", "Run again", id="reports.rerun", show=False),
        Binding("x", "export", "Export", id="reports.export"),
        Binding("P", "print", "Print", id="reports.print"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: Report | None = None
        self.params: dict[str, Any] = {}
        self.result: Result | None = None
        self.run: ReportRun | None = None
        self.show_chart = True

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="params", markup=False)
        yield ProgressBar(total=None, show_eta=False, id="progress")
        yield DataTable(id="table", cursor_type="row", zebra_stripes=False)
        # what the figures count or leave out (order discounts, a closing balance)
        yield Static("", id="notes", markup=False)
        with Vertical(id="chart"):
            yield Sparkline([], id="spark")
            yield Static("", id="bars", markup=False)
        yield Static("", id="status", markup=False)
        yield from self.compose_footer()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#table", DataTable)

    def on_mount(self) -> None:
        focus_now(self.table)
        self.run_worker(self._first_report, thread=True, exclusive=True, group="reports.list")

    def _first_report(self) -> None:
        from ..data.core.db import worker_connection

        with worker_connection():
            available = reports_for(self.user)
        self.app.call_from_thread(self._start_with, available)

    def _start_with(self, available: list[Report]) -> None:
        self.available = available
        if not available:
            self._status(_("You may run no report."))
            return
        by_name = {r.name: r for r in available}
        first = next((by_name[n] for n in PREFERRED if n in by_name), available[0])
        self.choose(first)

    # -- choosing and running -------------------------------------------------------------

    def choose(self, report: Report, params: dict[str, Any] | None = None) -> None:
        self.report = report
        self.params = {p.name: p.default_value() for p in report.params}
        self.params.update(params or {})
        missing = [p for p in report.params if p.required and not self.params.get(p.name)]
        if not missing:
            self.start()
            return
        # A report of one product or customer: ask which before running it
        self._clear()
        self.query_one("#params", Static).update(Text(self._params_text()))
        self._status(_("{what} is needed: s sets it").format(what=_(missing[0].label)))
        self.action_settings()

    def _clear(self) -> None:
        """No result shown: the table and chart were of another report or period."""
        self.result = None
        self.table.clear(columns=True)
        self.query_one("#notes", Static).update("")
        self.query_one("#chart", Vertical).remove_class("-shown")

    def _params_text(self) -> str:
        if self.report is None:
            return ""
        parts = [_(self.report.title)]
        for p in self.report.params:
            value = self.params.get(p.name)
            if value in (None, "", 0) or (p.name == "compare" and value == "none"):
                continue
            parts.append(f"{_(p.label)} {p.label_of(value)}")
        return "  ·  ".join(parts)

    def start(self) -> None:
        if self.report is None:
            return
        if self.run is not None:
            self.run.stop()
        self.query_one("#params", Static).update(Text(self._params_text()))
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.add_class("-running")
        self._status(_("Running {report} ... (Esc stops)").format(report=_(self.report.title)))
        run = ReportRun(self.user, self.report.name, self.params,
                        progress=lambda done, total: self.app.call_from_thread(
                            self._progress, run, done, total))
        self.run = run
        self.run_worker(lambda: self._work(run), thread=True, exclusive=True, group="reports.run")

    def _work(self, run: ReportRun) -> None:
        from ..data.core.db import worker_connection

        with worker_connection():
            try:
                result = run.run()
            except TuicrmError as e:
                self.app.call_from_thread(self._failed, run, e)
                return
        self.app.call_from_thread(self._show, run, result)

    def _progress(self, run: ReportRun, done: int, total: int) -> None:
        if run is self.run:
            self.query_one("#progress", ProgressBar).update(total=total, progress=done)

    def _failed(self, run: ReportRun, error: TuicrmError) -> None:
        if run is not self.run:
            return
        self.run = None
        self.query_one("#progress", ProgressBar).remove_class("-running")
        self._clear()
        if run.cancel.is_set():
            self._status(_("Stopped. g: run again"))
            return
        self.notify_error(str(error))
        self._status(str(error))

    def _show(self, run: ReportRun, result: Result) -> None:
        if run is not self.run:
            return
        self.run = None
        self.result = result
        self.query_one("#progress", ProgressBar).remove_class("-running")
        table = self.table
        table.clear(columns=True)
        rows = result.rows[:SHOWN_ROWS]
        body = [self._cells(r) for r in rows]
        if result.totals is not None and result.rows:
            totals = self._cells(result.totals, bold=True)
            if result.columns and not result.columns[0].numeric:
                totals[0] = Text(_("Total"), style="bold")
            body.append(totals)
        for i, c in enumerate(result.columns):
            # Widths in cells, measured here: Chinese text is two cells a character.
            width = min(MAX_COLUMN, max([cell_len(c.title)] + [r[i].cell_len for r in body]))
            table.add_column(Text(c.title, justify="right" if c.numeric else "left"), key=c.key,
                             width=width)
        table.add_rows(body)
        shown = len(rows)
        more = (_("; showing the first {shown:,} (export writes all)").format(shown=shown)
                if shown < len(result.rows) else "")
        self.query_one("#notes", Static).update(Text("\n".join(result.notes)))
        self._status(_("{n:,} rows{more}").format(n=len(result.rows), more=more)
                     + ("  ·  " + result.subtitle if result.subtitle else ""))
        self._draw_chart()

    def _cells(self, row: Any, bold: bool = False) -> list[Text]:
        assert self.result is not None
        style = "bold" if bold else ""
        return [Text(cell_text(c, v), style=style, justify="right" if c.numeric else "left",
                     no_wrap=True) for c, v in zip(self.result.columns, row, strict=True)]

    def _draw_chart(self) -> None:
        chart = self.query_one("#chart", Vertical)
        result = self.result
        if result is None or result.chart is None or not result.rows or not self.show_chart:
            chart.remove_class("-shown")
            return
        i = result.index(result.chart)
        label = next((k for k, c in enumerate(result.columns) if not c.numeric
                      and c.key != "code"), 0)
        width = max(20, self.app.size.width - 2)
        spark = self.query_one("#spark", Sparkline)
        title = next(c.title for c in result.columns if c.key == result.chart)
        if result.over_time:
            labels = [str(r[label]) for r in result.rows]
            values = [r[i] or 0 for r in result.rows]
            spark.display = len(values) > 1
            spark.data = charts.spark_values(values)
            lines = charts.column_bars(labels, values, width, CHART_ROWS - 3, fmt=_short)
        else:
            spark.display = False
            top = result.rows[:CHART_ROWS - 2]
            lines = charts.horizontal_bars([str(r[label]) for r in top],
                                           [r[i] or 0 for r in top], width, fmt=_short,
                                           title=title)
        self.query_one("#bars", Static).update(Text("\n".join(lines), no_wrap=True))
        chart.add_class("-shown")

    def on_resize(self) -> None:
        if self.result is not None:
            self._draw_chart()

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text))

    # -- keys ----------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.run is not None:
            self.run.stop()
            self._status(_("Stopping ..."))
            return
        super().action_back()

    def action_pick(self) -> None:
        reports = getattr(self, "available", [])
        pairs = [(f"{_(r.title)}  ({r.name})", r) for r in reports]

        def search(text: str) -> list[tuple[str, Report]]:
            needle = text.strip().lower()
            return [(label, r) for label, r in pairs if needle in label.lower()]

        def picked(report: Report | None) -> None:
            if report is not None:
                self.choose(report)

        self.app.push_screen(PickDialog(_("Report"), search, fixed=pairs), picked)

    def action_settings(self) -> None:
        report = self.report
        if report is None:
            return
        fields = []
        for p in report.params:
            value = self.params.get(p.name)
            text = value.isoformat() if isinstance(value, dt.date) else (
                "" if value is None else str(value))
            if p.kind == "choice":
                fields.append(FormField(p.name, _(p.label), text, "choice",
                                        [(p.label_of(c), c) for c in p.choices]))
            else:
                hint = "YYYY-MM-DD" if p.kind == "date" else (_(p.help) if p.required else "")
                fields.append(FormField(p.name, _(p.label), text, placeholder=hint))
        if not fields:
            self.start()
            return

        def submit(values: dict[str, str]) -> dict[str, Any]:
            return parse_params(report, values)  # errors beside the fields

        form = FormDialog(_(report.title), fields, submit=submit, submit_label=_("Run"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.params = form.result
                self.start()

        self.app.push_screen(form, done)

    def action_next_grouping(self) -> None:
        p = self.report.param("by") if self.report else None
        if p is None:
            return
        now = self.params.get("by")
        i = p.choices.index(now) if now in p.choices else -1
        self.params["by"] = p.choices[(i + 1) % len(p.choices)]
        self.start()

    def action_period(self, step: int) -> None:
        start, end = self.params.get("from"), self.params.get("to")
        if start is None or end is None:
            as_of = self.params.get("as-of")
            if as_of is not None:
                day = as_of + dt.timedelta(days=step)
                self.params["as-of"] = min(day, clock.today())
                self.start()
            return
        self.params["from"], self.params["to"] = _shift(start, end, step)
        self.start()

    def action_chart(self) -> None:
        self.show_chart = not self.show_chart
        self._draw_chart()

    def action_rerun(self) -> None:
        self.start()

    def action_export(self) -> None:
        result = self.result
        if result is None:
            return
        from ..reports.render import write_report

        def export(path: str, progress: Any, cancel: Any) -> int:
            return write_report(result, path, progress=progress, cancel=cancel)

        self.app.push_screen(ExportDialog(export, default_export_path(result.name),
                                          _("Export the report")))

    def action_print(self) -> None:
        if self.result is None:
            return
        text = render_text(self.result, 80)
        self.app.push_screen(PrintPreviewDialog(self.result.title, text,
                                                default_export_path(self.result.name, ".txt")))


def _short(value: Any) -> str:
    """Chart values: money without cents when large (the table has the exact figure)."""
    if abs(value) >= 10000:
        return f"{value:,.0f}"
    return fmt_money(value) if not isinstance(value, int) else f"{value:,}"
