"""Sending text to a printer from any screen: the default printer of its kind ("receipt" or
"document"), or a choice among the printers an administrator set up (``print.printers``).
Printing runs ``lp -d NAME`` (no shell) in a worker; a failure is told in one line."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..data.core.errors import TuicrmError
from ..i18n import _
from ..reports import documents
from ..reports.text import default_printer, set_up_printers
from .background import run_in_thread
from .focus import focus_now


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few labelled values (Enter), or Esc for none."""

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        border: solid $primary; background: $surface; padding: 0 1;
    }
    ChoiceDialog OptionList, ChoiceDialog OptionList:focus {
        height: auto; max-height: 14; border: none;
    }
    ChoiceDialog .keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], current: str = ""
                 ) -> None:
        super().__init__()
        self.choice_title = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.choice_title, style="bold"))
            yield OptionList(*[Option(Text(label), id=value) for label, value in self.choices],
                             id="choices")
            yield Static(Text(_("Enter: choose   Esc: cancel")), classes="keys")

    def on_mount(self) -> None:
        options = self.query_one("#choices", OptionList)
        values = [v for _, v in self.choices]
        options.highlighted = values.index(self.current) if self.current in values else 0
        focus_now(options)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def print_text_on(node: DOMNode, text: str, kind: str, *, ask: bool = False,
                  done: Callable[[str], object] | None = None) -> None:
    """Send ``text`` to the default printer of ``kind`` ("receipt" / "document"), asking
    which printer when ``ask`` or when none is chosen; errors are told, never raised."""
    app = node.app

    def told(message: str) -> None:
        app.notify(message, markup=False)
        if done is not None:
            done(message)

    def failed(error: TuicrmError) -> None:
        app.bell()
        app.notify(str(error), severity="error", markup=False)

    def send(printer: str | None) -> None:
        if printer:
            run_in_thread(node, lambda: documents.print_text(text, printer=printer),
                          told, failed, name="print", keep=True)

    def known(found: tuple[tuple[str, ...], str]) -> None:
        printers, chosen = found
        if not printers:
            failed(TuicrmError(_("No printer is set up: an administrator adds one in Settings "
                                 "(print.printers). S saves to a file.")))
        elif chosen and not ask:
            send(chosen)
        else:
            app.push_screen(ChoiceDialog(_("Print to which printer?"),
                                         [(p, p) for p in printers], chosen), send)

    run_in_thread(node, lambda: (set_up_printers(), default_printer(kind)), known, failed,
                  name="printers")
