"""The list tools every list screen offers (L2-L6), as small modal dialogs.

- ``FilterDialog``: a custom filter (L2): a column, two conditions joined by AND / OR, operators
  ``= != < > <= >= like`` (``%`` any run, ``_`` one character, ``\\%`` a literal ``%``).
  Its ``result`` is the ``CustomFilter`` (plain values), or None when both values are left
  blank (= clear the filter); the list checks it before the dialog closes.
- ``DateRangeDialog``: today / this week / this month / custom from-to / all (L3). Its
  ``result`` is a ``DateRange`` (plain values, checked).
- ``ColumnsDialog``: show / hide columns and choose the sort column and direction (L4).
  Returns ``ColumnsChoice`` or None.
- ``ExportDialog``: asks the file (.xlsx or .csv), then runs the caller's export function in a
  thread worker with a progress bar; Esc cancels (nothing is left on disk). Returns the rows
  written, or None (cancelled / failed / closed).
- ``PrintPreviewDialog``: a plain-text report (L6) to read, then **S** save to a file or **P**
  send to the document printer (``lp -d NAME``; see ``printing``). ``TextDialog`` just shows text
  (e.g. the problems of an import).

They never touch SQL: the data layer turns filters and date ranges into conditions
(``tuicrm.data.lists.view``); export and print use ``tuicrm.reports``. All user text is plain.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, ProgressBar, Select, SelectionList, Static

from ..data.core import clock
from ..data.core.errors import TuicrmError, ValidationError
from ..data.lists import filters
from ..data.lists.view import PRESET_LABELS, DateRange
from ..i18n import N_, _, ngettext
from .focus import focus_now
from .form import FormDialog, FormField, PlainInput
from .marked_toggles import MarkedCheckbox, MarkedSelectionList

OP_CHOICES = [(op, op) for op in filters.OPERATORS]
JOIN_CHOICES = [(N_("AND"), "and"), (N_("OR"), "or")]  # labels translated where offered

# Progress reporter and cancel flag handed to an export function.
#: ``export(path, progress, cancel, overwrite=...)``: writes the file, returns the rows.
ExportFunction = Callable[..., int]


# ------------------------------------------------------------------------- filter (L2)


def describe_filter(f: filters.CustomFilter | None,
                    columns: Mapping[str, filters.FilterColumn]) -> str:
    """``Name like 张%  OR  Name like %公司`` (plain text for the status line)."""
    if f is None:
        return ""
    col = columns.get(f.column)
    label = _(col.label) if col else f.column  # a list column's label is a message id
    text = f"{label} {f.first.op} {f.first.value}"
    if f.second is not None:
        join = _("AND") if f.join == "and" else _("OR")
        text += f" {join} {label} {f.second.op} {f.second.value}"
    return text


class FilterDialog(FormDialog):
    """Column, first condition, AND / OR, second condition. Both values blank: no filter.

    ``check(filter)`` raises ``ValidationError`` (keys ``first``, ``second``, ``column``)
    when the list cannot run the filter; the message shows beside the field. ``result`` is
    the ``CustomFilter`` chosen, or None for "no filter"."""

    def __init__(self, columns: Mapping[str, filters.FilterColumn],
                 current: filters.CustomFilter | None = None,
                 check: Callable[[filters.CustomFilter], None] | None = None) -> None:
        self.filter_columns = dict(columns)
        self.check = check
        cur = current
        first_col = cur.column if cur else next(iter(self.filter_columns), "")
        fields = [
            FormField("column", _("Column"), first_col, kind="choice",
                      choices=[(_(c.label), c.name) for c in self.filter_columns.values()]),
            FormField("op1", _("Condition"), cur.first.op if cur else "like", kind="choice",
                      choices=OP_CHOICES),
            FormField("value1", _("Value"), cur.first.value if cur else "",
                      placeholder=_("text, number or YYYY-MM-DD; like: % and _")),
            FormField("join", _("And / or"), cur.join if cur else "and", kind="choice",
                      choices=[(_(label), join) for label, join in JOIN_CHOICES]),
            FormField("op2", _("Condition 2"), cur.second.op if cur and cur.second else "=",
                      kind="choice", choices=OP_CHOICES),
            FormField("value2", _("Value 2"), cur.second.value if cur and cur.second else "",
                      placeholder=_("blank: only the first condition")),
        ]
        super().__init__(_("Filter the list (both values blank: no filter)"), fields,
                         submit=self._build, submit_label=_("Apply"))

    def _build(self, v: dict[str, str]) -> filters.CustomFilter | None:
        if not v["value1"].strip() and not v["value2"].strip():
            return None
        first = filters.Condition(v["op1"] or "=", v["value1"])
        second = filters.Condition(v["op2"] or "=", v["value2"]) if v["value2"].strip() else None
        if not v["value1"].strip():  # only the second one given: use it as the first
            first, second = filters.Condition(v["op2"] or "=", v["value2"]), None
        f = filters.CustomFilter(v["column"], first, v["join"] or "and", second)
        try:
            if self.check is not None:
                self.check(f)
            else:
                filters.filter_where(self.filter_columns, f)
        except ValidationError as e:
            keys = {"first": "value1", "second": "value2"}
            raise ValidationError({keys.get(k, k): m for k, m in e.errors.items()}) from None
        return f


# ------------------------------------------------------------------------- date range (L3)


class DateRangeDialog(FormDialog):
    """Today / this week / this month / custom from-to / all. ``result`` is the
    ``DateRange`` chosen (typing a date means a custom range)."""

    def __init__(self, label: str = N_("Date"), current: DateRange | None = None) -> None:
        fields = [  # ``label``: a list's date column's label, a message id
            FormField("preset", _(label), current.preset if current else "all", kind="choice",
                      choices=[(_(PRESET_LABELS[p]), p) for p in
                               ("all", "today", "this_week", "this_month", "custom")]),
            FormField("start", _("From"), current.start if current else "",
                      placeholder=_("YYYY-MM-DD (custom)")),
            FormField("end", _("To"), current.end if current else "",
                      placeholder=_("YYYY-MM-DD (custom, inclusive)")),
        ]
        super().__init__(_("Date range: {label}").format(label=label), fields, submit=self._build,
                         submit_label=_("Apply"))

    def _build(self, v: dict[str, str]) -> DateRange:
        return DateRange(v["preset"] or "all", v["start"], v["end"]).check()


# ------------------------------------------------------------------------- columns (L4)


@dataclass(frozen=True)
class ColumnsChoice:
    visible: list[str]
    sort: tuple[str, bool] | None


class ColumnsDialog(ModalScreen[ColumnsChoice | None]):
    """Space ticks a column on or off; Tab to the sort column and direction; Enter / Ctrl+S
    apply; Esc cancels."""

    DEFAULT_CSS = """
    ColumnsDialog { align: center middle; }
    ColumnsDialog > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        border: solid $primary; background: $surface; padding: 0 1;
    }
    ColumnsDialog SelectionList { height: auto; max-height: 12; }
    ColumnsDialog .row { height: auto; margin-top: 1; }
    ColumnsDialog .row Label { width: 10; }
    ColumnsDialog .row Select { width: 1fr; }
    ColumnsDialog .keys { color: $text-muted; }
    ColumnsDialog #err { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="columns.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="columns.apply", priority=True),
    ]

    def __init__(self, columns: Sequence[tuple[str, str]], visible: Sequence[str],
                 sort: tuple[str, bool] | None, sortable: Sequence[str] | None = None) -> None:
        """``columns``: (name, title) in their natural order."""
        super().__init__()
        self.all_columns = list(columns)
        self.shown = set(visible)
        self.current_sort = sort
        self.sortable = set(sortable) if sortable is not None else {n for n, _ in columns}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("Columns: Space shows / hides, Tab: sort")), classes="title")
            yield MarkedSelectionList(
                *[(Text(title), name, name in self.shown) for name, title in self.all_columns],
                id="cols",
            )
            with Horizontal(classes="row"):
                yield Label(Text(_("Sort by")))
                yield Select(
                    [(Text(t), n) for n, t in self.all_columns if n in self.sortable],
                    value=self.current_sort[0]
                    if self.current_sort and self.current_sort[0] in self.sortable
                    else Select.NULL,
                    allow_blank=True, id="sort",
                )
            yield MarkedCheckbox(_("Descending (Z-A, newest first)"),
                                 bool(self.current_sort and self.current_sort[1]),
                           id="desc")
            yield Static("", id="err", markup=False)
            yield Static(Text(_("Enter / Ctrl+S: apply   Esc: cancel")), classes="keys")

    def on_mount(self) -> None:
        focus_now(self.query_one("#cols"))

    def choice(self) -> ColumnsChoice:
        ticked = set(self.query_one("#cols", SelectionList).selected)
        visible = [n for n, _ in self.all_columns if n in ticked]
        sel = self.query_one("#sort", Select).value
        sort = None if sel is Select.NULL else (str(sel), self.query_one("#desc", Checkbox).value)
        return ColumnsChoice(visible, sort)

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter" and not isinstance(self.focused, Select):
            event.stop()
            self.action_apply()

    def action_apply(self) -> None:
        c = self.choice()
        if not c.visible:
            self.query_one("#err", Static).update(Text(_("show at least one column")))
            return
        self.dismiss(c)

    def action_cancel(self) -> None:
        self.dismiss(None)


# ------------------------------------------------------------------------- export (L5)


def default_export_path(name: str, ext: str = ".xlsx") -> str:
    """A bare name: it is saved in the files folder (``reports.saving``)."""
    return f"{name}-{clock.today():%Y%m%d}{ext}"


class ExportDialog(ModalScreen[int | None]):
    """Asks the file, then runs ``export(path, progress, cancel)`` in a thread worker.

    ``export`` writes the file and returns the number of rows; it calls ``progress(done,
    total)`` now and then and stops (raising ``reports.spreadsheet.Cancelled``) once ``cancel``
    (a ``threading.Event``) is set. Esc while it runs sets it; Esc before or after closes.
    """

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: solid $primary; background: $surface; padding: 0 1;
    }
    ExportDialog .row { height: auto; margin-top: 1; }
    ExportDialog .row Label { width: 8; }
    ExportDialog .row Input { width: 1fr; }
    ExportDialog ProgressBar { margin-top: 1; display: none; }
    ExportDialog ProgressBar.-running { display: block; }
    ExportDialog #status { height: auto; }
    ExportDialog #status.-error { color: $error; }
    ExportDialog .keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel / close", id="export.cancel")]

    def __init__(self, export: ExportFunction, path: str, title: str = "") -> None:
        super().__init__()
        self.export = export
        self.initial_path = path
        self.title_text = title or _("Export the list")
        self.cancel_event = threading.Event()
        self.running = False
        self.rows: int | None = None
        self.path = ""
        self.asked: Path | None = None  # the existing file the user was told of
        self.overwrite = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="title")
            with Horizontal(classes="row"):
                yield Label(Text(_("File")))
                yield PlainInput(self.initial_path, id="path")
            yield ProgressBar(total=None, show_eta=False, id="bar")
            yield Static(Text(_("The file type follows the extension: .xlsx or .csv")), id="status")
            yield Static(Text(_("Enter: export   Esc: cancel")), classes="keys", id="keys")

    def on_mount(self) -> None:
        focus_now(self.query_one("#path", Input))

    def _status(self, text: str, error: bool = False) -> None:
        w = self.query_one("#status", Static)
        w.update(Text(text))
        w.set_class(error, "-error")

    @on(Input.Submitted, "#path")
    def _start(self, event: Input.Submitted) -> None:
        event.stop()
        if self.running:
            return
        from ..reports import saving

        try:
            target = saving.resolve(event.value)
            if target.suffix.lower() not in (".xlsx", ".csv"):
                self._status(_("The file must end in .xlsx or .csv"), error=True)
                return
            self.overwrite = self.asked == target
            saving.check_target(target, overwrite=self.overwrite)
        except saving.FileExists as e:
            self.asked = e.path  # Enter again on the same name replaces it
            self._status(str(e), error=True)
            return
        except saving.SaveError as e:
            self._status(str(e), error=True)
            return
        path = str(target)
        self.path = path
        self.running = True
        self.cancel_event.clear()
        self.query_one("#path", Input).disabled = True
        self.query_one("#keys", Static).update(Text(_("Esc: cancel the export")))
        # shown only while exporting: an idle indeterminate bar animates (and fills a slow
        # link) as if something were running
        self.query_one("#bar", ProgressBar).add_class("-running")
        self._status(_("Exporting ..."))
        self._run(path)

    @work(thread=True, exclusive=True, group="export")
    def _run(self, path: str) -> None:
        def progress(done: int, total: int | None) -> None:
            self.app.call_from_thread(self._progress, done, total)

        try:
            extra = {"overwrite": True} if self.overwrite else {}
            n = self.export(path, progress, self.cancel_event, **extra)
        except TuicrmError as e:
            self.app.call_from_thread(self._failed, str(e))
        except OSError as e:
            self.app.call_from_thread(self._failed, _("cannot write {path}: {reason}").format(
                path=path, reason=e.strerror or e))
        else:
            self.app.call_from_thread(self._done, n)

    def _progress(self, done: int, total: int | None) -> None:
        bar = self.query_one("#bar", ProgressBar)
        bar.update(total=total, progress=done)
        self._status(_("{done:,} of {total:,} rows").format(done=done, total=total) if total
                     else ngettext("{n} row", "{n} rows", done).format(n=f"{done:,}"))

    def _done(self, n: int) -> None:
        self.running = False
        self.rows = n
        self.app.notify(_("Exported {n:,} rows to {path}").format(n=n, path=self.path),
                        markup=False)
        self.dismiss(n)

    def _failed(self, message: str) -> None:
        self.running = False
        if self.cancel_event.is_set():
            self.app.notify(_("Export cancelled; no file written."), markup=False)
            self.dismiss(None)
            return
        self.query_one("#bar", ProgressBar).remove_class("-running")
        self.query_one("#path", Input).disabled = False
        focus_now(self.query_one("#path", Input))
        self.query_one("#keys", Static).update(Text(_("Enter: export   Esc: cancel")))
        self.app.bell()
        self._status(message, error=True)

    def action_cancel(self) -> None:
        if self.running:
            self.cancel_event.set()
            self._status(_("Cancelling ..."))
            return
        self.dismiss(None)


# ------------------------------------------------------------------------- text and print (L6)


class TextDialog(ModalScreen[None]):
    """Plain text in a scrolling box (arrows / PgUp / PgDn); Esc closes."""

    DEFAULT_CSS = """
    TextDialog { align: center middle; }
    TextDialog > Vertical {
        width: 100%; height: 100%;
        border: solid $primary; background: $surface; padding: 0 1;
    }
    TextDialog VerticalScroll { height: 1fr; }
    TextDialog #status { color: $text-muted; height: auto; }
    TextDialog #status.-error { color: $error; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="text.close")]
    KEYS_TEXT = N_("Arrows / PgUp / PgDn: scroll   Esc: close")

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="title")
            with VerticalScroll(id="body"):
                yield Static(Text(self.text, no_wrap=True, overflow="ellipsis"), id="text")
            yield Static(Text(_(self.KEYS_TEXT)), id="status")

    def on_mount(self) -> None:
        focus_now(self.query_one("#body"))

    def set_status(self, text: str, error: bool = False) -> None:
        w = self.query_one("#status", Static)
        w.update(Text(text))
        w.set_class(error, "-error")

    def action_close(self) -> None:
        self.dismiss(None)


class PrintPreviewDialog(TextDialog):
    """The report as it will print. **S** saves it to a file, **P** sends it to the document
    printer (or asks which of the printers set up)."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="print.close"),
        Binding("s", "save", "Save to file", id="print.save"),
        Binding("p", "print", "Print", id="print.print"),
    ]
    KEYS_TEXT = N_("S: save to a file   P: print   Esc: close")
    # A report line is one line of the preview (never wrapped: it would double every row).
    DEFAULT_CSS = "PrintPreviewDialog #text { text-wrap: nowrap; text-overflow: ellipsis; }"

    def __init__(self, title: str, text: str, default_path: str = "") -> None:
        super().__init__(_("Print preview: {title}").format(title=title), text)
        self.default_path = default_path or default_export_path("list", ".txt")
        self.saved_to: str | None = None
        self.printed = False

    def action_save(self) -> None:
        from ..reports import saving

        ask = saving.AskBeforeReplacing("path")

        def save(v: dict[str, str]) -> str:
            return str(ask.save(v["path"], lambda path, overwrite: saving.write_text(
                path, self.text, overwrite=overwrite)))

        form = FormDialog(_("Save the report as"), [FormField("path", _("File"),
                                                              self.default_path)],
                          submit=save, submit_label=_("Save"))

        def done(v: dict[str, str] | None) -> None:
            if v is not None:
                self.saved_to = form.result
                self.set_status(_("Saved to {path}.").format(path=form.result) + "  "
                                + _(self.KEYS_TEXT))

        self.app.push_screen(form, done)

    def action_print(self) -> None:
        from .printing import print_text_on

        print_text_on(self, self.text, "document", done=self._printed)

    def _printed(self, message: str) -> None:
        self.printed = True
        self.set_status(_("Sent to the printer ({message}).").format(message=message) + "  "
                        + _(self.KEYS_TEXT))


__all__ = [
    "ColumnsChoice", "ColumnsDialog", "DateRangeDialog", "ExportDialog",
    "ExportFunction", "FilterDialog", "PrintPreviewDialog", "TextDialog",
    "default_export_path", "describe_filter",
]
