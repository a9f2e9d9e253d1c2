"""What every screen of the app has: a title line, the footer, Esc to go back, F1 help."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from ..app import TuicrmApp
    from ..data.models import User


class TitleBar(Static):
    """One line: screen title on the left, operator and database on the right."""

    DEFAULT_CSS = """
    TitleBar { height: 1; background: $primary; color: $text; padding: 0 1; }
    """


class AppScreen(Screen):
    """Base of the screens shown after login."""

    TITLE_TEXT: ClassVar[str] = ""
    HELP: ClassVar[str] = ""  # what the screen does, shown by F1 above the keys

    BINDINGS = [
        Binding("escape", "back", "Back", id="screen.back"),
    ]

    @property
    def tuicrm(self) -> TuicrmApp:
        return self.app  # type: ignore[return-value]

    @property
    def user(self) -> User:
        user = self.tuicrm.user
        assert user is not None, "screens after login always have a user"
        return user

    def compose_title(self) -> ComposeResult:
        user = self.tuicrm.user
        right = f"{user.display_name} ({user.role})" if user else ""
        title = Text(self.TITLE_TEXT or type(self).__name__)
        pad = max(1, self.app.size.width - 2 - title.cell_len - cell_len(right))
        title.append(" " * pad)
        title.append(right)
        yield TitleBar(title)

    def compose_footer(self) -> ComposeResult:
        yield Footer(show_command_palette=False)

    def action_back(self) -> None:
        self.tuicrm.go_back()

    def notify_error(self, message: str) -> None:
        self.app.bell()
        self.notify(message, severity="error", markup=False)
