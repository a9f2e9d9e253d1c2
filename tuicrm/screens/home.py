"""Home: every area of the app with the key that opens it."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.events import Key, Resize
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
    HomeScreen #areas { padding: 0 1; height: 1fr; grid-gutter: 0 2; grid-rows: 1; }
    HomeScreen .area { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    HomeScreen #hint { color: $text-muted; padding: 0 2; }
    """
    # Lines Home needs besides the areas: title, hint, footer.
    CHROME_LINES = 3

    def __init__(self) -> None:
        super().__init__()
        self._areas: list[Area] | None = None
        self._layout = (0, 0)
        self._described = True

    def visible_areas(self) -> list[Area]:
        """The areas the user may open, read once (one query) when Home is first shown."""
        if self._areas is None:
            granted = permissions_of(self.user)
            self._areas = [a for a in AREAS if a.permission is None or a.permission in granted]
        return self._areas

    MIN_DESCRIPTION = 16  # cells a description needs to say something

    def layout_for(self, height: int) -> tuple[int, int]:
        """(rows, columns): as many columns as it takes to show every area at once."""
        count = len(self.visible_areas())
        rows = max(1, height - self.CHROME_LINES)
        columns = max(1, -(-count // rows))
        return -(-count // columns), columns

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        areas = self.visible_areas()
        rows, columns = self._layout = self.layout_for(self.app.size.height)
        name_width = max((cell_len(_(a.name)) for a in areas), default=0) + 2
        # A description cut to a word or two ("What is…") says nothing: only with room.
        described = self._described = self.described(self.app.size.width, columns, name_width)
        grid = Grid(id="areas")
        grid.styles.grid_size_columns = columns
        with grid:
            # Down the first column, then the next: the order of AREAS reads top to bottom.
            for row in range(rows):
                for column in range(columns):
                    index = column * rows + row
                    yield (self._entry(areas[index], name_width, described)
                           if index < len(areas)
                           else Static("", classes="area"))
        yield Static(
            Text(_("Ctrl+P: find a screen by name   F1: help   Ctrl+L: lock   Ctrl+Q: quit")),
            id="hint",
        )
        yield from self.compose_footer()

    @staticmethod
    def _entry(area: Area, name_width: int, described: bool) -> Static:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {area.key.upper()} ", style="reverse")
        name = _(area.name)
        line.append(f" {name}{' ' * max(1, name_width - cell_len(name))}", style="bold")
        if described:
            line.append(_(area.description))
        return Static(line, classes="area")

    def described(self, width: int, columns: int, name_width: int) -> bool:
        return width // columns - 4 - name_width >= self.MIN_DESCRIPTION

    def on_resize(self, event: Resize) -> None:
        layout = self.layout_for(event.size.height)
        name_width = max((cell_len(_(a.name)) for a in self.visible_areas()), default=0) + 2
        if (layout != self._layout
                or self.described(event.size.width, layout[1], name_width) != self._described):
            self.refresh(recompose=True)

    def takes_key(self, event: Key) -> bool:
        """(Called by the App as the key is read.) An area's key opens it at once, so the
        keys typed after it ("c/dana") already go to the screen it opens."""
        for area in self.visible_areas():
            if event.key == area.key:
                self.tuicrm.open_area(area)
                return True
        return False

    def action_back(self) -> None:
        pass
