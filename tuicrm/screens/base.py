"""What every screen of the app has: a title line, the footer, Esc to go back, F1 help."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ..data.core.operation import refusal
from ..i18n import _
from ..widgets.key_hold import HoldsKeys

if TYPE_CHECKING:
    from ..app import TuicrmApp
    from ..data.core.actor import Actor


class TitleBar(Static):
    """One line: screen title on the left, operator and database on the right."""

    DEFAULT_CSS = """
    TitleBar { height: 1; background: $primary; color: $text; padding: 0 1; }
    """


class KeyBar(Static):
    """The footer: the keys that matter on this screen, as one line of text.

    Textual's Footer builds a widget per key and rebuilds them whenever focus moves; one
    line of text paints faster (first paint of a list screen) and sends fewer bytes over SSH.
    """

    DEFAULT_CSS = """
    KeyBar { height: 1; background: $panel; color: $text; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._show()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen and screen.is_current:
            self.call_after_refresh(self._show)

    def on_resize(self) -> None:
        self._show()

    def refresh_keys(self) -> None:
        """Draw the keys again (a screen whose key labels depend on what it shows)."""
        self._show()

    def _show(self) -> None:
        """One entry per action, whole keys only: a key whose label does not fit is left out
        (never cut to ``v`` without its label) and ``F1 more`` says where the rest are. An
        F5-F12 key shows its Ctrl+letter twin too ("f10/^f"): a vt100 keypad sends F5-F10 as
        digits, so the twin is what works everywhere."""
        screen = self.screen
        label_of = getattr(screen, "key_label", None)
        shown: dict[str, tuple[list[str], str, str]] = {}
        twins: dict[str, str] = {}
        for _node, binding, enabled, _tip in screen.active_bindings.values():
            display = self.app.get_key_display(binding)
            if binding.key.startswith("ctrl+"):
                twins.setdefault(binding.action, display)
            if not binding.show or not binding.description:
                continue
            label = label_of(binding) if label_of is not None else _(binding.description)
            keys, _label, _style = shown.setdefault(
                binding.action, ([], label, "" if enabled else "dim"))
            if not keys or (keys[0] == twins.get(binding.action) and display != keys[0]):
                keys[:] = [display]  # the F-key first, its Ctrl twin after it
        entries: list[tuple[str, str, str]] = []
        for action, (keys, label, style) in shown.items():
            twin = twins.get(action)
            if twin and _is_far_function_key(keys[0]) and twin not in keys:
                keys.append(twin)
            entries.append(("/".join(keys), label, style))
        width = self.size.width or self.app.size.width
        more = (" F1 ", " " + _("more") + " ")
        line = Text(no_wrap=True, overflow="ellipsis")
        used = 0
        for index, (key, label, style) in enumerate(entries):
            piece = cell_len(f" {key} ") + cell_len(f" {label} ")
            rest = 0 if index == len(entries) - 1 else cell_len(more[0] + more[1])
            if used + piece + rest > width:
                line.append(more[0], style="reverse")
                line.append(more[1])
                break
            line.append(f" {key} ", style=f"reverse {style}")
            line.append(f" {label} ", style=style)
            used += piece
        self.update(line, layout=False)  # one line


def _is_far_function_key(display: str) -> bool:
    """F5-F12: keys a vt100 keypad or some terminals cannot send."""
    return display.lower().startswith("f") and display[1:].isdigit() and int(display[1:]) >= 5


class AppScreen(HoldsKeys[Any]):
    """Base of the screens shown after login (keys typed ahead of one wait for it to open:
    ``widgets/key_hold.py``)."""

    TITLE_TEXT: ClassVar[str] = ""
    HELP: ClassVar[str] = ""  # what the screen does, shown by F1 above the keys

    BINDINGS = [
        Binding("escape", "back", "Back", id="screen.back"),
    ]

    def title_text(self) -> str:
        """The screen's title (the title bar, F1 help)."""
        return _(self.TITLE_TEXT) if self.TITLE_TEXT else type(self).__name__

    @property
    def tuicrm(self) -> TuicrmApp:
        return self.app  # type: ignore[return-value]

    @property
    def user(self) -> Actor:
        user = self.tuicrm.user
        assert user is not None, "screens after login always have a user"
        return user

    def compose_title(self) -> ComposeResult:
        user = self.tuicrm.user
        right = f"{user.display_name} ({user.role})" if user else ""
        title = Text(self.title_text())
        pad = max(1, self.app.size.width - 2 - title.cell_len - cell_len(right))
        title.append(" " * pad)
        title.append(right)
        yield TitleBar(title)

    def compose_footer(self) -> ComposeResult:
        yield KeyBar()

    def action_back(self) -> None:
        self.tuicrm.go_back()

    def on_unmount(self) -> None:
        self.tuicrm.screen_closed()  # give its memory back (terminal/memory.py)

    def refused(self, operation_fn: Callable[..., Any], *actions: str) -> bool:
        """Say "not allowed" and return True when the user may not call ``operation_fn`` (or
        do ``actions``): asked before a form or a question opens, not after the typing."""
        reason = refusal(self.user, operation_fn, *actions)
        if reason is None:
            return False
        self.notify_error(reason[0].upper() + reason[1:])
        return True

    def notify_error(self, message: str) -> None:
        self.app.bell()
        self.notify(message, severity="error", markup=False)
