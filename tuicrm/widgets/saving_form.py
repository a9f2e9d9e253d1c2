"""A form whose save runs off the UI thread: ``FormDialog`` with ``submit`` in a worker.

The values are read after every key typed before the save key (``FormDialog.after_typed``), then
``submit(values)`` runs in a thread worker. The form stays open and editable meanwhile; a
``ValidationError`` is shown beside its fields as in ``FormDialog`` and nothing typed is
lost; success dismisses the form with the values (``result`` holds what ``submit``
returned). A save that waits longer than ``WAIT_NOTICE`` seconds (another terminal holds a
lock) says so instead of looking frozen. A second save key or Esc while a save runs is
refused with a word: the first save may already be committing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from ..data.core.errors import TuicrmError, ValidationError
from ..i18n import _
from .background import run_in_thread
from .form import FormDialog

WAIT_NOTICE = 1.0  # seconds before "waiting for another terminal" is shown


class SavingFormDialog(FormDialog):
    """``FormDialog`` whose ``submit`` runs in a thread worker (see the module docstring)."""

    DEFAULT_CSS = """
    SavingFormDialog #form-busy { color: $text-muted; height: auto; display: none; }
    SavingFormDialog #form-busy.-shown { display: block; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saving = False
        self._wait_timer: Timer | None = None

    def on_mount(self) -> None:
        # FormDialog's on_mount runs as well (Textual calls every class's handler).
        self.query_one(Vertical).mount(Static("", id="form-busy", markup=False))

    def _busy(self, text: str) -> None:
        label = self.query_one("#form-busy", Static)
        label.update(Text(text))
        label.set_class(bool(text), "-shown")

    def save_now(self) -> None:
        if not self.is_attached:
            return
        if self.saving:
            self._busy(_("Still saving... (wait)"))
            return
        if self.submit is None:
            super().save_now()
            return
        values = self.values()
        submit = self.submit
        self.saving = True
        self.run_save(lambda: submit(values), lambda result: self._saved(values, result),
                      self._refused)

    def run_save(self, work: Callable[[], Any], done: Callable[[Any], None],
                 refused: Callable[[TuicrmError], None]) -> None:
        """Run the save: in a thread worker here; a scanning screen's form runs it in the
        screen's write queue instead, after the scans that came before it."""
        self._wait_timer = self.set_timer(WAIT_NOTICE, self.show_waiting)
        run_in_thread(self, work, done, refused, name="form-save")

    def show_waiting(self) -> None:
        self._busy(_("Saving... waiting for another terminal"))

    def _finished(self) -> None:
        self.saving = False
        if self._wait_timer is not None:
            self._wait_timer.stop()
            self._wait_timer = None
        self._busy("")

    def _saved(self, values: dict[str, str], result: Any) -> None:
        self._finished()
        self.result = result
        self.dismiss(values)

    def _refused(self, error: TuicrmError) -> None:
        self._finished()
        if isinstance(error, ValidationError):
            self.show_errors(error.errors)
        else:
            self.show_errors({"": str(error)})

    def action_cancel(self) -> None:
        if self.saving:
            self._busy(_("Saving... Esc works once it is done"))
            return
        super().action_cancel()
