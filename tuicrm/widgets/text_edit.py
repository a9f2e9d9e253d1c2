"""A block of text to edit (a document template): Ctrl+S saves through ``submit`` in a
worker, a ``ValidationError`` is shown under the text and nothing typed is lost; Esc cancels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from ..data.core.errors import TuicrmError, ValidationError
from ..i18n import _
from .background import run_in_thread
from .focus import focus_now


class TextEditDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    TextEditDialog { align: center middle; }
    TextEditDialog > Vertical { width: 100%; height: 100%; background: $surface; }
    TextEditDialog TextArea { height: 1fr; }
    TextEditDialog #edit-error { color: $error; height: auto; }
    TextEditDialog #edit-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="edit.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="edit.cancel"),
    ]

    def __init__(self, title: str, text: str, submit: Callable[[str], Any]) -> None:
        super().__init__()
        self.edit_title = title
        self.text = text
        self.submit = submit
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.edit_title, style="reverse"))
            yield TextArea(self.text, id="edit-text", soft_wrap=False)
            yield Static("", id="edit-error", markup=False)
            yield Static(Text(_("Ctrl+S: save   Esc: cancel")), id="edit-keys")

    def on_mount(self) -> None:
        focus_now(self.query_one(TextArea))

    @property
    def value(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        text, submit = self.value, self.submit
        run_in_thread(self, lambda: submit(text), lambda _r: self.dismiss(text), self._refused,
                      name="text-save")

    def _refused(self, error: TuicrmError) -> None:
        self.saving = False
        message = "; ".join(error.errors.values()) if isinstance(error, ValidationError) \
            else str(error)
        self.query_one("#edit-error", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(None)
