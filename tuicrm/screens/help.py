"""F1: what the current screen does and its keys."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..i18n import N_, _

GLOBAL_KEYS = [
    ("F1", N_("Help for this screen")),
    ("Ctrl+P", N_("Command palette: open any screen by its name")),
    ("Esc", N_("Back / close")),
    ("Ctrl+L", N_("Lock the session (log in again to continue)")),
    ("Ctrl+Q", N_("Quit")),
]


_NAMED = {"escape": "Esc", "slash": "/", "pageup": "PgUp", "pagedown": "PgDn",
          "left_square_bracket": "[", "right_square_bracket": "]"}


def _key_label(key: str) -> str:
    """``ctrl+s`` -> ``Ctrl+S``, ``left_square_bracket`` -> ``[``; a lone letter keeps its
    case (``d`` and ``D`` differ)."""
    if len(key) == 1:
        return key
    if key in _NAMED:
        return _NAMED[key]
    return "+".join(p.capitalize() if len(p) > 1 else p.upper() for p in key.split("+"))


# Textual's own screen keys, already covered by "Everywhere".
_NOISE = {"focus_next", "focus_previous", "app.focus_next", "app.focus_previous", "copy_text",
          "screen.copy_text", "app.copy_text"}


def screen_keys(screen: Screen[Any]) -> list[tuple[str, str]]:
    """The described keys of ``screen`` (inherited ones too) and of the focused widget and its
    parents; app-wide keys are listed separately (GLOBAL_KEYS)."""
    focused = screen.focused
    # The screen's own keys first, then those of the focused widget.
    nodes = list(reversed(focused.ancestors_with_self)) if focused is not None else [screen]
    by_action: dict[tuple[str, str], list[str]] = {}
    for node in nodes:
        if node is screen.app:
            continue
        for key, bindings in node._bindings.key_to_bindings.items():
            for binding in bindings:
                if not binding.description or binding.system or binding.action in _NOISE:
                    continue
                label = binding.key_display or _key_label(key)
                labels = by_action.setdefault((binding.action, binding.description), [])
                if label not in labels:
                    labels.append(label)
    return [(", ".join(keys), _(desc)) for (_action, desc), keys in by_action.items()]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: solid $primary; background: $surface; padding: 0 1;
    }
    HelpScreen VerticalScroll { height: auto; max-height: 20; }
    HelpScreen .title { text-style: bold; }
    """
    BINDINGS = [Binding("escape,f1,q", "close", "Close", id="help.close")]

    def __init__(self, for_screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        title_text = getattr(self.for_screen, "title_text", None)
        title = title_text() if callable(title_text) else type(self.for_screen).__name__
        body = Text()
        about = getattr(self.for_screen, "HELP", "")
        if about:
            body.append(_(about) + "\n\n")
        keys = screen_keys(self.for_screen)
        if keys:
            body.append(_("Keys on this screen") + "\n", style="bold")
            for key, desc in keys:
                body.append(f"  {key:<15} {desc}\n")
            body.append("\n")
        body.append(_("Everywhere") + "\n", style="bold")
        for key, desc in GLOBAL_KEYS:
            body.append(f"  {key:<16}{_(desc)}\n")
        self.body = body
        with Vertical():
            yield Static(Text(_("Help: {title}").format(title=title)), classes="title")
            with VerticalScroll():
                yield Static(body)
            yield Static(Text(_("Esc / F1: close")))

    def action_close(self) -> None:
        self.dismiss(None)
