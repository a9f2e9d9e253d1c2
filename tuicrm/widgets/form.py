"""A modal form: labelled fields, errors shown next to the field, Ctrl+S or Enter to save.

The caller passes a ``submit`` function that runs the business operation; a
``ValidationError`` from it is shown next to the named fields and nothing is lost.

Type-ahead (a slow SSH link delivers ``5.55`` and Ctrl+S in one read): Textual hands each
typed character to the focused field's own message queue, but runs a priority binding (Ctrl+S)
at once, in the App's task, before the field has taken the characters queued before it - the
save read ``0.00``. So the save first goes through the queue of every field (a callback put at
the end of each: ``after_typed``) and reads the values only after all the keys that came
before it. Enter moves to the next field at once (a priority binding, as Tab is), so the keys
after it go to the next field even when they arrive in the same read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from ..data.core.errors import TuicrmError, ValidationError
from ..i18n import _
from .focus import focus_now
from .key_hold import HoldsKeys
from .ordered_input import OrderedInput


@dataclass
class FormField:
    name: str
    label: str
    value: str = ""
    kind: Literal["text", "password", "choice"] = "text"
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (label, value)
    placeholder: str = ""
    max_length: int = 0


class PlainInput(OrderedInput):
    """An Input that does not blink (a blinking cursor costs ~1.8 KB/s over SSH)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_blink = False


class FormDialog(HoldsKeys[dict[str, str] | None], ModalScreen[dict[str, str] | None]):
    """Returns the submitted values (after ``submit`` succeeded), or None when cancelled."""

    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: solid $primary; background: $surface; padding: 0 1;
    }
    FormDialog .form-title { text-style: bold; width: 100%; }
    FormDialog .form-row { height: auto; }
    FormDialog .form-row { margin-top: 1; }
    FormDialog .form-label { width: 18; }
    FormDialog .form-field { width: 1fr; }
    FormDialog .form-error { color: $error; padding-left: 18; height: auto; display: none; }
    FormDialog .form-error.-shown { display: block; }
    FormDialog .form-error.-general { padding-left: 0; }
    FormDialog .form-keys { color: $text-muted; }
    FormDialog VerticalScroll { height: auto; max-height: 19; }
    /* A handheld's 16 rows: no blank line between the fields (the payment's five fit). */
    FormDialog.-short .form-row { margin-top: 0; }
    """
    SHORT_BELOW = 20  # terminal rows: fewer than this and the form is drawn compact

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("enter", "next_or_save", "Next / save", id="form.enter", priority=True,
                show=False),
    ]

    # A form filled in one stroke (the payment at the counter): Enter in any field saves.
    ENTER_SAVES: ClassVar[bool] = False

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        submit: Callable[[dict[str, str]], Any] | None = None,
        submit_label: str | None = None,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.submit = submit
        self.submit_label = submit_label if submit_label is not None else _("Save")
        self.result: Any = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.form_title), classes="form-title")
            with VerticalScroll():
                for f in self.fields:
                    with Horizontal(classes="form-row"):
                        yield Label(Text(f.label), classes="form-label")
                        yield self._widget_for(f)
                    yield Static("", id=f"err-{f.name}", classes="form-error", markup=False)
            yield Static("", id="err-", classes="form-error -general", markup=False)
            yield Static(Text(self.keys_hint()), classes="form-keys")

    def keys_hint(self) -> str:
        label = self.submit_label.lower()
        if self.ENTER_SAVES:
            return _("Enter: {save}   Tab: next field   Esc: cancel").format(save=label)
        return _("Enter: next field / {save}   Ctrl+S: {save}   Esc: cancel").format(save=label)

    def on_mount(self) -> None:
        self._fit_height()
        focus_now(self.query(".form-field").first())

    def on_resize(self, _event: object) -> None:
        self._fit_height()

    def _fit_height(self) -> None:
        self.set_class(self.app.size.height < self.SHORT_BELOW, "-short")

    def _widget_for(self, f: FormField) -> Widget:
        if f.kind == "choice":
            return Select(
                [(label, value) for label, value in f.choices],
                value=f.value if f.value else Select.NULL,
                allow_blank=not f.value,
                id=f"f-{f.name}",
                classes="form-field",
            )
        return PlainInput(
            value=f.value,
            placeholder=f.placeholder,
            password=f.kind == "password",
            max_length=f.max_length,
            id=f"f-{f.name}",
            classes="form-field",
        )

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#f-{f.name}")
            if isinstance(widget, Select):
                out[f.name] = "" if widget.value is Select.NULL else str(widget.value)
            else:
                out[f.name] = widget.value  # type: ignore[attr-defined]
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        names = {f.name for f in self.fields}
        for f in self.fields:
            self._set_error(f"#err-{f.name}", errors.get(f.name, ""))
        self._set_error("#err-", "; ".join(v for k, v in errors.items() if k not in names))
        first = next((f.name for f in self.fields if f.name in errors), None)
        if first:
            focus_now(self.query_one(f"#f-{first}"))

    def _set_error(self, selector: str, text: str) -> None:
        label = self.query_one(selector, Static)
        label.update(Text(text))
        label.set_class(bool(text), "-shown")

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = [w for w in self.query(".form-field")]
        idx = inputs.index(event.input) if event.input in inputs else -1
        if 0 <= idx < len(inputs) - 1 and not self.ENTER_SAVES:
            focus_now(inputs[idx + 1])
        else:
            self.action_save()

    def action_next_or_save(self) -> None:
        """Enter in a text field: the next field at once (later keys follow it), or save
        after the last. In a choice (Select) Enter keeps its own meaning."""
        focused = self.focused
        if not isinstance(focused, Input):
            raise SkipAction()
        if self.ENTER_SAVES:
            self.action_save()
            return
        inputs = list(self.query(".form-field"))
        idx = inputs.index(focused) if focused in inputs else -1
        if 0 <= idx < len(inputs) - 1:
            focus_now(inputs[idx + 1])
        else:
            self.action_save()

    def after_typed(self, then: Callable[[], object]) -> None:
        """Run ``then`` once every field (and this screen) has handled the keys already
        routed to it: a callback goes through each queue in turn."""
        pumps: list[Widget | FormDialog] = [self, *self.query(".form-field")]

        def step(index: int) -> None:
            if index == len(pumps):
                then()
            elif not pumps[index].is_attached:
                step(index + 1)
            else:
                pumps[index].call_later(step, index + 1)

        step(0)

    def action_save(self) -> None:
        self.after_typed(self.save_now)

    def save_now(self) -> None:
        """Save what the fields hold now (``action_save`` calls it after the typed keys)."""
        if not self.is_attached:
            return
        values = self.values()
        try:
            self.result = self.submit(values) if self.submit else None
        except ValidationError as e:
            self.show_errors(e.errors)
            return
        except TuicrmError as e:
            self.show_errors({"": str(e)})
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
