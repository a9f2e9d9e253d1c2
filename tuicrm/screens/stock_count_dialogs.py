"""The dialogs of the Stock count screen. Each sits in front of the scanner like the screen:
a scan while one is open counts into the count, never lands in a field, never answers a
question (a code holding a ``y`` would confirm a recount in a plain ``ConfirmDialog``, and
its Enter would pick a count in a plain option list).

``CountForm`` is a ``SavingFormDialog`` that saves through the screen's ``WriteQueue``: after the
scans before it, off the UI thread; the form stays open and editable while it saves, shows a
``ValidationError`` beside its fields, and says so when the save waits for another terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..data.core.actor import Actor
from ..data.core.errors import TuicrmError
from ..data.counts import sessions as counts
from ..i18n import N_, _
from ..widgets.dialogs import ConfirmDialog
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog
from ..widgets.scan import Scanned, ScanScreenMixin
from ..widgets.write_queue import WriteQueue

Saved = Callable[[Any], object]


class ScanOwner(Protocol):
    """The scanning screen behind a dialog."""

    @property
    def writes(self) -> WriteQueue: ...

    def handle_scan(self, code: str) -> None: ...


class _ForwardsScans(ScanScreenMixin):
    owner: ScanOwner

    def on_scanned(self, event: Scanned) -> None:
        event.stop()
        self.owner.handle_scan(event.code)


class CountForm(_ForwardsScans, SavingFormDialog):
    """A form over the count screen whose ``submit`` runs in the screen's write queue."""

    def __init__(self, owner: ScanOwner, title: str, fields: Sequence[FormField],
                 submit: Callable[[dict[str, str]], Any], submit_label: str | None = None,
                 saved: Saved | None = None) -> None:
        super().__init__(title, fields, submit=submit, submit_label=submit_label)
        self.owner = owner
        self.saved = saved  # called with what ``submit`` returned, once it is saved

    def run_save(self, work: Callable[[], Any], done: Callable[[Any], None],
                 refused: Callable[[TuicrmError], None]) -> None:
        def finished(result: Any) -> None:
            done(result)
            if self.saved is not None:
                self.saved(result)

        self.owner.writes.submit(work, finished, refused, waiting=lambda n: self.show_waiting())


class CountConfirm(_ForwardsScans, ConfirmDialog):
    """Y / Enter confirms, N / Esc cancels; scans go to the count."""

    def __init__(self, owner: ScanOwner, message: str, yes: str = N_("Yes"), no: str = N_("No")
                 ) -> None:
        super().__init__(message, yes=yes, no=no)
        self.owner = owner


class CountPicker(_ForwardsScans, ModalScreen[int | None]):
    """Choose a count: open ones first, then the latest posted and cancelled ones."""

    DEFAULT_CSS = """
    CountPicker { align: center middle; }
    CountPicker > Vertical { width: 76; max-width: 100%; height: auto; max-height: 20;
        border: solid $primary; background: $surface; }
    CountPicker OptionList { height: auto; max-height: 16; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="countpicker.cancel")]

    def __init__(self, owner: ScanOwner, items: list[counts.CountRow]) -> None:
        super().__init__()
        self.owner = owner
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("Choose a stock count (Enter; Esc: cancel)")))
            yield OptionList(*[
                Option(Text(f"{c.number}  {c.status:<9} {c.mode:<6} {c.scope_label}  "
                            f"{c.opened_at:%Y-%m-%d}"), id=str(c.id))
                for c in self.items
            ])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- the forms of the screen's actions -----------------------------------------------------------


def quantity_form(owner: ScanOwner, actor: Actor, line: dict[str, Any], *,
                  saved: Saved | None = None) -> CountForm:
    """F2: type the counted quantity of a line (``line``: its values as listed, with ``id``)."""
    line_id = int(line["id"])
    return CountForm(
        owner, _("Counted quantity of {code} {name} ({unit}); replaces what was counted so "
                 "far").format(code=line["code"], name=line["name"], unit=line["unit"]),
        [FormField("quantity", _("Counted"), placeholder=_("e.g. 12"))],
        submit=lambda v: counts.set_counted(actor, line_id, v["quantity"], code="typed"),
        submit_label=_("Set"), saved=saved)


def open_count_form(owner: ScanOwner, actor: Actor, locations: list[tuple[str, str]], *,
                    saved: Saved | None = None) -> CountForm:
    """F6: open a count (scope, location, mode, what becomes of uncounted lines)."""
    fields = [
        FormField("scope", _("Scope"), "all", kind="choice",
                  choices=[(label, str(key)) for key, label in counts.SCOPES.items()]),
        FormField("value", _("Category / codes"), placeholder=_("category path, or product "
                  "codes separated by spaces")),
        FormField("mode", _("Mode"), "blind", kind="choice",
                  choices=[(label, str(key)) for key, label in counts.MODES.items()]),
        FormField("uncounted", _("Not counted"), "stay", kind="choice",
                  choices=[(_("stay as they are"), "stay"), (_("become zero"), "zero")]),
    ]
    if locations:
        fields.insert(1, FormField("location", _("Location"), locations[0][0], kind="choice",
                                   choices=[(f"{c} {n}", c) for c, n in locations]))

    def submit(v: dict[str, str]) -> counts.CountRow:
        return counts.open_count(
            actor, scope=v["scope"] or "all",
            scope_value=v["value"] or (v.get("location") if v["scope"] == "location" else None),
            mode=v["mode"] or "blind", location=v.get("location") or None,
            zero_uncounted=v["uncounted"] == "zero")

    return CountForm(owner, _("Open a stock count"), fields, submit=submit, submit_label=_("Open"),
                     saved=saved)


def post_form(owner: ScanOwner, actor: Actor, h: counts.CountRow, s: counts.Summary, *,
              saved: Saved | None = None) -> CountForm:
    """F7: post a count, saying what it will do; uncounted lines stay or become zero."""
    return CountForm(
        owner, _("Post {number}: {progress}, net variance at cost {value}. The stock becomes what "
          "was counted; the count becomes read-only.").format(
            number=h.number, progress=s.progress(), value=f"{s.value:,}"),
        [FormField("uncounted", _("Not counted"), "zero" if h.zero_uncounted else "stay",
                   kind="choice", choices=[
                       (_("stay as they are ({uncounted})").format(uncounted=s.uncounted), "stay"),
                       (_("become zero ({uncounted})").format(uncounted=s.uncounted), "zero")])],
        submit=lambda v: counts.post_count(actor, h.id, zero_uncounted=v["uncounted"] == "zero"),
        submit_label=_("Post"), saved=saved)


def report_form(owner: ScanOwner, actor: Actor, h: counts.CountRow, *,
                saved: Saved | None = None) -> CountForm:
    """F9: the count sheet or the variance report to a .txt, .xlsx or .csv file (``saved``
    gets the file name)."""
    from ..reports import count_reports  # openpyxl and friends: only when asked

    fields = [
        FormField("what", _("Report"), "sheet", kind="choice",
                  choices=[(_("Count sheet"), "sheet"), (_("Variance report"), "variance")]),
        FormField("file", _("File"), count_reports.report_file_name(h.number, "sheet"),
                  placeholder=_(".txt, .xlsx or .csv")),
    ]
    from ..reports.saving import AskBeforeReplacing

    ask = AskBeforeReplacing("file")

    def submit(v: dict[str, str]) -> str:
        what = v["what"] or "sheet"
        name = count_reports.chosen_file_name(h.number, what, v["file"])
        path = ask.save(name, lambda path, overwrite: count_reports.save_report(
            actor, h.id, what, path, overwrite=overwrite))
        return str(path)

    return CountForm(owner, _("Count sheet or variance report of {number}").format(
                         number=h.number), fields,
                     submit=submit, submit_label=_("Write"), saved=saved)
