"""A ``FormDialog`` whose ``submit`` (the operation that saves) runs off the UI thread.

While another terminal holds the write lock the dialog keeps drawing and says it is waiting;
a second Ctrl+S meanwhile is ignored (one save at a time). A ``ValidationError`` is shown
beside its fields as in ``FormDialog``; on success ``result`` holds what ``submit`` returned
and the dialog closes with the values, like ``FormDialog``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from ..data.core.errors import TuicrmError, ValidationError
from .background import Background
from .form import FormDialog

SLOW_SECONDS = 1.0  # after this long the dialog says it is waiting


class WorkFormDialog(Background, FormDialog):
    """Same arguments as ``FormDialog``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saving = False

    def action_save(self) -> None:
        if self.saving:
            return
        values = self.values()
        submit = self.submit
        self.saving = True
        self._show_general("")
        timer = self.set_timer(SLOW_SECONDS, lambda: self._show_general(
            "saving ... (waiting for another terminal)"))

        def saved(result: Any) -> None:
            timer.stop()
            self.saving = False
            self.result = result
            self.dismiss(values)

        def refused(error: TuicrmError) -> None:
            timer.stop()
            self.saving = False
            self._show_general("")
            if isinstance(error, ValidationError):
                self.show_errors(error.errors)
            else:
                self.show_errors({"": str(error)})

        self.run_db(lambda: submit(values) if submit else None, saved, failed=refused,
                    group="form-save")

    def action_cancel(self) -> None:
        if self.saving:  # it may be written any moment: Esc must not pretend otherwise
            self.app.bell()
            self._show_general("saving ... (Esc works again when it is done)")
            return
        super().action_cancel()

    def _show_general(self, text: str) -> None:
        label = self.query_one("#err-", Static)
        label.update(Text(text))
        label.set_class(bool(text), "-shown")
