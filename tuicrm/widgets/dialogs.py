"""Small modal dialogs: yes/no confirmation, and long work run in a worker."""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from ..i18n import N_, _
from .key_hold import HoldsKeys


class ConfirmDialog(HoldsKeys[bool], ModalScreen[bool]):
    """Y / Enter confirms, N / Esc cancels. The message is plain text, never markup."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 60; max-width: 100%; height: auto; border: solid $warning;
        background: $surface; padding: 0 1;
    }
    ConfirmDialog .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, message: str, yes: str = N_("Yes"), no: str = N_("No")) -> None:
        super().__init__()
        self.message = message
        self.yes = _(yes)
        self.no = _(no)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.message))
            yield Static(Text(_("Y / Enter: {yes}    N / Esc: {no}").format(yes=self.yes,
                                                                          no=self.no)),
                         classes="keys")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class WorkDialog(ModalScreen[object]):
    """Runs ``work()`` in a thread worker while saying what it does, so the screen keeps
    drawing during long work (an import). Dismisses with the result, or with the
    ``TuicrmError`` that ``work`` raised: the caller shows it."""

    DEFAULT_CSS = """
    WorkDialog { align: center middle; }
    WorkDialog > Vertical {
        width: 60; max-width: 100%; height: auto; border: solid $primary;
        background: $surface; padding: 0 1;
    }
    """

    def __init__(self, message: str, work: Callable[[], object]) -> None:
        super().__init__()
        self.message = message
        self.work = work

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.message))
            yield ProgressBar(total=None, show_eta=False)

    def on_mount(self) -> None:
        self.run_worker(self._run, thread=True, exclusive=True)

    def _run(self) -> None:
        from ..data.core.db import database
        from ..data.core.errors import TuicrmError

        try:
            result: object = self.work()
        except TuicrmError as e:
            result = e
        finally:
            if not database.is_closed():  # this thread's own connection
                database.close()
        self.app.call_from_thread(self.dismiss, result)


class ImportDialog(WorkDialog):
    """A ``WorkDialog`` for an import: ``work(progress, cancel)`` reports how far it got
    (rows checked, written, taken back) and Esc cancels it. The worker only stores the
    figures; the screen reads them four times a second, so a fast import never floods the
    screen (nor a slow SSH link) and the keys stay responsive. A cancelled import stops
    after the batch it is writing and takes back what it wrote: nothing stays half done."""

    DEFAULT_CSS = """
    ImportDialog .keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="import.cancel")]

    def __init__(self, message: str,
                 work: Callable[[Callable[[str, int, int], None], threading.Event], object]
                 ) -> None:
        self.cancel = threading.Event()
        self.figures: tuple[str, int, int] = ("checking", 0, 0)
        super().__init__(message, lambda: work(self._progress, self.cancel))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.message))
            yield Static(Text(_("Starting ...")), id="import-figures")
            yield ProgressBar(total=None, show_eta=False)
            yield Static(Text(_("Esc: cancel (nothing is kept: what was written is taken "
                                "back)")), classes="keys", id="import-keys")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(0.25, self._show)

    def _progress(self, phase: str, done: int, total: int) -> None:
        self.figures = (phase, done, total)  # from the worker thread: one assignment

    def _show(self) -> None:
        phase, done, total = self.figures
        if phase == "checking":
            line = _("Checked {rows} rows").format(rows=f"{done:,}")
        elif phase == "writing":
            line = _("Written {done} of {total} rows").format(done=f"{done:,}",
                                                             total=f"{total:,}")
        else:
            line = _("Taking back {done} of {total} rows").format(done=f"{done:,}",
                                                                 total=f"{total:,}")
        self.query_one("#import-figures", Static).update(Text(line))
        if total:
            self.query_one(ProgressBar).update(total=total, progress=done)

    def action_cancel(self) -> None:
        if self.cancel.is_set():
            return
        self.cancel.set()
        self.query_one("#import-keys", Static).update(Text(_(
            "Cancelling: stopping after this batch, then taking back what was written ...")))
