"""Small modal dialogs: yes/no confirmation, and long work run in a worker."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from ..i18n import N_, _


class ConfirmDialog(ModalScreen[bool]):
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
