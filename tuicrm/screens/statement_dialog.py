"""A customer's (or supplier's) statement of account, as it prints: the letterhead, the
address, each document with its running balance, the ageing of the balance.

d sets the period (from, to); s saves it (.txt: the statement as printed; .csv or .xlsx: its
rows, from the report engine's ``statement`` so files and ``tuicrm report`` agree); p prints it
on the document printer, o on another; Esc closes. Reading, saving and printing run in thread workers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..data.core.errors import TuicrmError, ValidationError
from ..data.core.vocab import Side
from ..data.money.statement import statement_by_code
from ..i18n import _
from ..reports import documents, saving
from ..reports.engine import run_report
from ..reports.render import fmt_of, write_report
from ..reports.statement_document import statement_text
from ..widgets.background import run_in_thread
from ..widgets.form import FormField
from ..widgets.printing import print_text_on
from ..widgets.saving_form import SavingFormDialog


@dataclass(frozen=True)
class StatementRequest:
    """Whose statement, for which period (``start`` None: from the first entry)."""

    customer: bool
    code: str
    start: dt.date | None
    end: dt.date

    @property
    def file_name(self) -> str:
        return f"statement-{self.code}-{self.end:%Y%m%d}.txt"


def _date(text: str, field: str, blank: dt.date | None) -> dt.date | None:
    text = text.strip()
    if not text:
        return blank
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({field: _("a date as YYYY-MM-DD")}) from None


class StatementDialog(ModalScreen[None]):
    """The statement of ``request`` (see the module docstring)."""

    # No border, as the document preview: an A4 statement is 80 columns, as wide as the
    # terminal; a wider page scrolls sideways rather than wrapping.
    DEFAULT_CSS = """
    StatementDialog { align: center middle; }
    StatementDialog > Vertical { width: 100%; height: 100%; background: $surface; }
    StatementDialog ScrollableContainer { height: 1fr; width: 1fr; scrollbar-size: 0 0; }
    StatementDialog #statement-text { width: auto; }
    StatementDialog #statement-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("d", "period", "Period", id="statement.period"),
        Binding("s", "save", "Save", id="statement.save"),
        Binding("p", "print", "Print", id="statement.print"),
        Binding("o", "print_other", "Other printer", id="statement.other"),
        Binding("escape,enter", "close", "Close", id="statement.close"),
    ]

    def __init__(self, user: Any, request: StatementRequest) -> None:
        super().__init__()
        self.user = user
        self.request = request
        self.text = ""  # the statement as printed, once read

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("Statement of account: {code}").format(code=self.request.code),
                              style="reverse"))
            with ScrollableContainer():
                yield Static(Text(_("reading ...")), id="statement-text")
            yield Static(Text(_("d: period   s: save to a file   p: print   o: other printer   Esc: close")),
                         id="statement-keys")

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        user, request = self.user, self.request
        side = Side.CUSTOMER if request.customer else Side.SUPPLIER

        def work() -> str:
            return statement_text(statement_by_code(user, side, request.code, request.start,
                                                    request.end))

        run_in_thread(self, work, self._show, self._failed, name="statement", exclusive=True)

    def _show(self, text: str) -> None:
        self.text = text
        self.query_one("#statement-text", Static).update(Text(text, no_wrap=True))

    def _failed(self, error: TuicrmError) -> None:
        self.app.bell()
        self.notify(str(error), severity="error", markup=False)

    def action_period(self) -> None:
        request = self.request
        start = request.start.isoformat() if request.start else ""

        def check(values: dict[str, str]) -> StatementRequest:
            first = _date(values["start"], "start", None)
            last = _date(values["end"], "end", request.end)
            assert last is not None
            if first is not None and first > last:
                raise ValidationError({"start": _("the start is after the end")})
            return replace(request, start=first, end=last)

        form = SavingFormDialog(_("Statement period (from blank: the first entry)"),
                                [FormField("start", _("From"), start),
                                 FormField("end", _("To"), request.end.isoformat())],
                                submit=check, submit_label=_("Show"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.request = form.result
                self.load()

        self.app.push_screen(form, done)

    def action_save(self) -> None:
        if not self.text:
            return
        user, request, text = self.user, self.request, self.text
        ask = saving.AskBeforeReplacing("file")  # Enter again on the same name replaces it

        def write(path: Path, overwrite: bool) -> None:
            if fmt_of(path) == "txt":
                documents.print_text(text, path=path, overwrite=overwrite)
                return
            saving.check_target(path, overwrite=overwrite)
            key = "customer" if request.customer else "supplier"
            name = "statement" if request.customer else "supplier-statement"
            write_report(run_report(user, name, {key: request.code, "from": request.start,
                                                 "to": request.end}), path)

        def save(values: dict[str, str]) -> str:
            path = ask.save(values["file"], write)
            return _("written to {path}").format(path=path)

        form = SavingFormDialog(_("Save as .txt, .csv or .xlsx"),
                                [FormField("file", _("File"), request.file_name)],
                                submit=save, submit_label=_("Save"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.notify(str(form.result), markup=False)

        self.app.push_screen(form, done)

    def action_print(self) -> None:
        if self.text:
            print_text_on(self, self.text, "document")

    def action_print_other(self) -> None:
        if self.text:
            print_text_on(self, self.text, "document", ask=True)

    def action_close(self) -> None:
        self.dismiss(None)
