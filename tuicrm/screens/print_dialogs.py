"""Printing a document: a preview first, then a named printer or a file (O6).

``open_documents(screen, order_id)`` reads the order, offers the documents of its kind
(receipt, invoice, delivery note, contract, purchase order, ...) and shows the chosen one in a
``DocumentPreview``: **P** prints it to the default printer of its kind (or asks which, when
several are set up and none is chosen), **O** picks another printer, **S** saves it to a file.
Printing runs ``lp -d NAME`` (no shell) in a worker; only printers an administrator set up in
Settings are offered.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from ..data.core.errors import TuicrmError
from ..data.sales import orders
from ..data.sales.reading import OrderDocument
from ..i18n import _
from ..reports import documents
from ..reports import order_documents as docs
from ..widgets.background import run_in_thread
from ..widgets.form import FormDialog, FormField
from ..widgets.printing import ChoiceDialog, print_text_on


class DocumentPreview(ModalScreen[None]):
    """A document as it will print; P print, O other printer, S save to a file, Esc close."""

    DEFAULT_CSS = """
    DocumentPreview { align: center middle; }
    DocumentPreview > Vertical { width: 100%; height: 100%; background: $surface; }
    DocumentPreview ScrollableContainer { height: 1fr; width: 1fr; scrollbar-size: 0 0; }
    DocumentPreview #doc-text { width: auto; }
    DocumentPreview #doc-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("p", "print", "Print", id="doc.print"),
        Binding("o", "print_other", "Other printer", id="doc.other"),
        Binding("s", "save", "Save to file", id="doc.save"),
        Binding("escape", "close", "Close", id="doc.close"),
    ]

    def __init__(self, title: str, text: str, default_path: str, printer_kind: str) -> None:
        super().__init__()
        self.doc_title = title
        self.text = text
        self.default_path = default_path
        self.printer_kind = printer_kind
        self.outcome = ""  # the last "sent to ..." / "written to ..."

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.doc_title, style="reverse"))
            # No border: an A4 document is 80 columns, as wide as the terminal.
            with ScrollableContainer():
                yield Static(Text(self.text, no_wrap=True), id="doc-text")
            yield Static(Text(_("P: print   O: other printer   S: save to a file   Esc: close")),
                         id="doc-keys")

    def _told(self, message: str) -> None:
        self.outcome = message

    def action_print(self) -> None:
        print_text_on(self, self.text, self.printer_kind, done=self._told)

    def action_print_other(self) -> None:
        print_text_on(self, self.text, self.printer_kind, ask=True, done=self._told)

    def action_save(self) -> None:
        text = self.text

        def save(values: dict[str, str]) -> str:
            path = values["file"].strip()
            if not path:
                raise TuicrmError(_("a file name is required"))
            return documents.print_text(text, path=path)

        form = FormDialog(_("Save the document as"),
                          [FormField("file", _("File"), self.default_path)],
                          submit=save, submit_label=_("Save"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._told(str(form.result))
                self.notify(str(form.result), markup=False)

        self.app.push_screen(form, done)

    def action_close(self) -> None:
        self.dismiss(None)


def open_documents(node: DOMNode, order_id: int,
                   after: Callable[[], object] | None = None) -> None:
    """Read the order, offer its documents, preview the chosen one (see the module)."""
    app = node.app
    actor = app.user  # type: ignore[attr-defined]

    def failed(error: TuicrmError) -> None:
        app.bell()
        app.notify(str(error), severity="error", markup=False)

    def closed(_result: None) -> None:
        if after is not None:
            after()

    def chosen_from(document: OrderDocument) -> Callable[[str | None], None]:
        def chosen(name: str | None) -> None:
            kind = next((k for k in docs.documents_for(document.order) if k.name == name), None)
            if kind is None:
                if after is not None:
                    after()
                return
            run_in_thread(node, lambda: docs.render(document, kind),
                          lambda text: app.push_screen(
                              DocumentPreview(f"{_(kind.label)}: {document.order.number}", text,
                                              docs.file_name(document, kind), kind.printer),
                              closed),
                          failed, name="document-render")
        return chosen

    def read(document: OrderDocument) -> None:
        kinds = docs.documents_for(document.order)
        app.push_screen(ChoiceDialog(
            _("Print which document of {number}?").format(number=document.order.number),
            [(_(k.label), k.name) for k in kinds]), chosen_from(document))

    run_in_thread(node, lambda: orders.order_document(actor, order_id), read, failed,
                  name="document-read")
