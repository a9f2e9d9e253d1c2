"""Receivables and payables ageing on screen (SPEC M2, R2), each customer's statement.

One row per customer (u: per supplier) with the balance, what is not yet due, each ageing
bucket (the setting ``money.ageing_buckets``) and the money on account, as of today or any
date (d). Enter (or t) opens the highlighted party's statement (opening balance, each document,
running and closing balance). s saves the ageing or the statement to a .txt, .csv or .xlsx
file, p prints it. The rows are the report engine's (``receivables``, ``payables``,
``statement``), so the screen, the files and ``tuicrm report`` agree; they are read in a
thread worker.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ..data.core import clock
from ..data.core.errors import TuicrmError
from ..i18n import N_, _
from ..reports import documents
from ..reports.engine import Result, run_report
from ..reports.render import cell_text, render_text, write_report
from ..reports.text import cut
from ..widgets.background import run_in_thread
from ..widgets.focus import focus_now
from ..widgets.form import FormDialog, FormField
from .base import AppScreen
from .statement_dialog import StatementDialog, StatementRequest


def _save_form(result: Result, default: str) -> FormDialog:
    def save(values: dict[str, str]) -> str:
        path = values["file"].strip()
        write_report(result, path)
        return path

    return FormDialog(_("Save as .txt, .csv or .xlsx"), [FormField("file", _("File"), default)],
                      submit=save, submit_label=_("Save"))


def _saved(node: Any, values: dict[str, str] | None, form: FormDialog) -> None:
    if values is not None:
        node.notify(_("written to {path}").format(path=form.result), markup=False)


class ReceivablesScreen(AppScreen):
    TITLE_TEXT = N_("Receivables and payables")
    HELP = N_(
        "What each customer owes (u: what is owed to each supplier), by days past the due "
        "date, as of today or any date (d). Enter or t: the statement of the highlighted customer. "
        "s saves, p prints."
    )
    BINDINGS = [
        Binding("t", "statement", "Statement", id="ageing.statement"),
        Binding("d", "as_of", "As of", id="ageing.as_of"),
        Binding("u", "switch", "Customers/suppliers", id="ageing.switch"),
        Binding("s", "save", "Save", id="ageing.save"),
        Binding("p", "print", "Print", id="ageing.print"),
    ]
    DEFAULT_CSS = """
    ReceivablesScreen #ageing-head { height: 1; padding: 0 1; text-style: bold; }
    ReceivablesScreen #ageing { height: 1fr; }
    ReceivablesScreen #ageing-total { height: auto; padding: 0 1; text-style: bold;
                                      text-wrap: wrap; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.report_name = "receivables"
        self.as_of = clock.today()
        self.result: Result | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="ageing-head", markup=False)
        yield DataTable(id="ageing", cursor_type="row")
        yield Static("", id="ageing-total", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        user, name, as_of = self.user, self.report_name, self.as_of
        head = self.query_one("#ageing-head", Static)
        head.update(Text(_("reading ...")))
        run_in_thread(self, lambda: run_report(user, name, {"as-of": as_of}), self._show,
                      lambda e: self.notify_error(str(e)), name="ageing", exclusive=True)

    def _show(self, result: Result) -> None:
        self.result = result
        table = self.query_one("#ageing", DataTable)
        table.clear(columns=True)
        for column in result.columns:
            table.add_column(column.title, key=column.key)
        # The name gives way (with an ellipsis) so the amounts fit beside it at 80 columns.
        name_room = max(12, self.size.width - 8 - 4 * 13 - 4)
        for row in result.rows:
            table.add_row(*(Text(cut(cell_text(c, v), name_room) if c.key == "name"
                                 else cell_text(c, v), justify="right" if c.numeric else "left")
                            for c, v in zip(result.columns, row, strict=True)))
        self.query_one("#ageing-head", Static).update(Text(
            f"{result.title}  {result.subtitle}   ({len(result.rows)})"))
        totals = result.totals or ()
        parts = [f"{c.title} {cell_text(c, v)}" for c, v in zip(result.columns, totals,
                                                               strict=False)
                 if c.numeric and v is not None]
        # Every bucket's total; on a narrow terminal they wrap onto a second line.
        self.query_one("#ageing-total", Static).update(Text(_("Total") + ": " + "   ".join(
            parts)))
        focus_now(table)

    def selected_code(self) -> str | None:
        table = self.query_one("#ageing", DataTable)
        if self.result is None or not self.result.rows:
            self.app.bell()
            return None
        return str(self.result.rows[table.cursor_row][0])

    @on(DataTable.RowSelected, "#ageing")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_statement()

    def action_statement(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        request = StatementRequest(self.report_name == "receivables", code, None, self.as_of)
        self.app.push_screen(StatementDialog(self.user, request))

    def action_as_of(self) -> None:
        import datetime as dt

        from ..data.core.errors import ValidationError

        def check(values: dict[str, str]) -> dt.date:
            try:
                return dt.date.fromisoformat(values["as_of"].strip())
            except ValueError:
                raise ValidationError({"as_of": _("a date as YYYY-MM-DD")}) from None

        form = FormDialog(_("Ageing as of"), [FormField("as_of", _("As of"),
                                                        self.as_of.isoformat())],
                          submit=check, submit_label=_("Show"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.as_of = form.result
                self.load()

        self.app.push_screen(form, done)

    def action_switch(self) -> None:
        self.report_name = "payables" if self.report_name == "receivables" else "receivables"
        self.load()

    def action_save(self) -> None:
        if self.result is not None:
            form = _save_form(self.result, f"{self.report_name}-{self.as_of}.xlsx")
            self.app.push_screen(form, lambda v: _saved(self, v, form))

    def action_print(self) -> None:
        if self.result is None:
            return
        try:
            message = documents.print_text(render_text(self.result, 80))
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        self.notify(message, markup=False)
