"""Home: every area of the app with the key that opens it."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Key
from textual.widgets import Static

from ..data.staff.users import permissions_of
from ..i18n import N_, _
from .base import AppScreen
from .registry import AREAS, Area


class HomeScreen(AppScreen, inherit_bindings=False):
    TITLE_TEXT = N_("tuicrm - Home")
    HELP = N_(
        "The start screen. Press the key shown beside an area to open it, or Ctrl+P and type "
        "its name. Esc on any screen comes back here; Ctrl+L locks the session."
    )
    BINDINGS = []  # Esc does nothing on Home (quit is Ctrl+Q)

    DEFAULT_CSS = """
    HomeScreen #areas { padding: 0 2; }  /* 21 areas fit at 80x24 */
    HomeScreen .area { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    HomeScreen #hint { color: $text-muted; padding: 0 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._areas: list[Area] | None = None

    def visible_areas(self) -> list[Area]:
        """The areas the user may open, read once (one query) when Home is first shown."""
        if self._areas is None:
            granted = permissions_of(self.user)
            self._areas = [a for a in AREAS if a.permission is None or a.permission in granted]
        return self._areas

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with VerticalScroll(id="areas"):
            for area in self.visible_areas():
                line = Text(no_wrap=True, overflow="ellipsis")
                line.append(f" {area.key.upper()} ", style="reverse")
                name = _(area.name)
                line.append(f"  {name}{' ' * max(1, 21 - cell_len(name))}", style="bold")
                line.append(_(area.description))
                yield Static(line, classes="area")
        yield Static(
            Text(_("Ctrl+P: find a screen by name   F1: help   Ctrl+L: lock   Ctrl+Q: quit")),
            id="hint",
        )
        yield from self.compose_footer()

    def on_key(self, event: Key) -> None:
        for area in self.visible_areas():
            if event.key == area.key:
                event.stop()
                self.tuicrm.open_area(area)
                return

    def action_back(self) -> None:
        pass
