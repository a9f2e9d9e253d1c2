"""Lean over the link (issue 16): a full repaint sends only the rows that changed, with a
style written only where it changes; a piece already shown is not sent again."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region, Size
from textual.strip import Strip

from tuicrm.terminal.lean_output import RowsUpdate, ShownRows

SIZE = Size(10, 3)
BOLD = Style(bold=True)


def _full(*rows: str) -> LayoutUpdate:
    return LayoutUpdate([[Strip([Segment(text[:5], BOLD), Segment(text[5:], BOLD)])]
                         for text in rows], Region(0, 0, SIZE.width, len(rows)))


def _sent(update: object) -> list[int]:
    assert isinstance(update, RowsUpdate)
    return [y for y, _x, _text in update.rows]


def test_a_repeated_full_repaint_sends_only_changed_rows():
    console = Console(color_system="256", force_terminal=True)
    shown = ShownRows()
    assert _sent(shown.lean(_full("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"), console, SIZE)) == [
        0, 1, 2]
    assert _sent(shown.lean(_full("aaaaaaaaaa", "bbbbbXbbbb", "cccccccccc"), console, SIZE)) == [
        1]


def test_a_row_is_written_with_one_style_sequence():
    console = Console(color_system="256", force_terminal=True)
    update = ShownRows().lean(_full("aaaaaaaaaa"), console, SIZE)
    assert isinstance(update, RowsUpdate)
    assert update.render_segments(console) == "\x1b[1;1H\x1b[0;1maaaaaaaaaa\x1b[0m"


def test_rows_of_one_style_share_it_and_the_terminal_shows_what_was_meant():
    """The style is carried from row to row (no reset and no repeat between them), and what
    a terminal makes of it is the same screen, ending with no style left on."""
    import pyte

    console = Console(color_system="256", force_terminal=True)
    update = ShownRows().lean(_full("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"), console, SIZE)
    assert isinstance(update, RowsUpdate)
    sent = update.render_segments(console)
    assert sent == ("\x1b[1;1H\x1b[0;1maaaaaaaaaa\x1b[2;1Hbbbbbbbbbb\x1b[3;1Hcccccccccc"
                    "\x1b[0m")
    screen = pyte.Screen(10, 3)
    pyte.Stream(screen).feed(sent)
    assert screen.display == ["aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"]
    assert all(screen.buffer[y][x].bold for y in range(3) for x in range(10))
    assert screen.cursor.attrs.bold is False  # nothing left on for what comes next
    mixed = RowsUpdate([(0, 0, "\x1b[0;1mab\x1b[0m"), (1, 0, "plain"), (2, 0, "\x1b[0;2mc\x1b[0m")])
    assert mixed.render_segments(console) == (
        "\x1b[1;1H\x1b[0;1mab\x1b[2;1H\x1b[0mplain\x1b[3;1H\x1b[0;2mc\x1b[0m")


def test_partial_updates_and_resizes_make_rows_unknown():
    console = Console(color_system="256", force_terminal=True)
    shown = ShownRows()
    shown.lean(_full("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"), console, SIZE)
    chops = ChopsUpdate([{}, {0: Strip([Segment("zz")])}, {}], [(1, 0, 2)], [[], [2], []])
    assert _sent(shown.lean(chops, console, SIZE)) == [1]
    assert _sent(shown.lean(chops, console, SIZE)) == [], "the same piece again: nothing"
    assert _sent(shown.lean(_full("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"), console, SIZE)) == [
        1]
    assert _sent(shown.lean(_full("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"), console,
                            Size(10, 4))) == [0, 1, 2]


def test_a_screen_opened_from_the_palette_is_shown_whole(db, admin, password):
    """Textual drops the frames painted during a batch update (the palette closing as Reports
    opens): rows taken as sent then were never written, and the terminal kept Home's rows
    under the Reports header until a resize."""
    from tests.helpers import WAIT_LIMIT
    from tests.terminal import AppPty

    term = AppPty(db)
    try:
        term.log_in("admin", password)
        term.write("\x10")  # Ctrl+P
        term.wait_for("Type the name of a screen")
        term.write("Reports")
        term.wait_for("Sales, stock and staff reports")
        term.write("\r")

        def whole(text: str) -> bool:
            rows = text.splitlines()
            return (rows[0].lstrip().startswith("Reports") and "Back / stop" in rows[-1]
                    and not any("Sales, stock and staff reports" in r for r in rows))

        assert term.wait_until(whole, WAIT_LIMIT) is not None, term.text()
    finally:
        term.close()
