"""Large screens (issue 16): the room a wide terminal leaves goes to the name and title
columns instead of staying empty beside a name cut with an ellipsis."""

from __future__ import annotations

from tuicrm.data.lists.columns import Column
from tuicrm.widgets.table_layout import ColumnLayout

COLUMNS = [Column("code", None, "Code", width=8), Column("name", None, "Name", max_width=28),
           Column("phone", None, "Phone", width=14)]
LONG = "Shanghai Huaqiang Hardware Trading Company 上海华强五金商行"


def _line(width: int) -> str:
    layout = ColumnLayout(show_marks=False)
    layout.measure(COLUMNS, [("C000001", LONG, "021-5555 0101")])
    return layout.line(COLUMNS, ("C000001", LONG, "021-5555 0101"), " ", width)


def test_a_wide_terminal_shows_the_whole_name():
    line = _line(200)
    assert LONG in line and "…" not in line
    assert line.rstrip().endswith("021-5555 0101")  # the name took the room, not a gap


def test_at_80_columns_the_name_keeps_its_width_and_shows_an_ellipsis():
    line = _line(80)
    assert "…" in line and "Shanghai Huaqiang" in line
