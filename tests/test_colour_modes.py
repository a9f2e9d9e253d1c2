"""Colour optional (issue 16): with NO_COLOR, and in 16 colours, every character is legible
(never drawn in the colour of its background) and the cursor row stands out by reverse video;
products below their minimum are marked with ``!``, not by colour."""

from __future__ import annotations

import time

import pytest

from tests.terminal import AppPty

pytestmark = pytest.mark.pty

MODES = {
    "linux console, NO_COLOR": {"TERM": "linux", "NO_COLOR": "1"},
    "xterm truecolor, NO_COLOR": {"TERM": "xterm-256color", "COLORTERM": "truecolor",
                                  "NO_COLOR": "1"},
    "linux console, 16 colours": {"TERM": "linux"},
}


@pytest.fixture
def stock_db(db, admin) -> str:
    from tuicrm.data.catalog import products
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.stock import ledger

    low = products.create_product(admin, code="P-LOW", name="Low tea 茶", min_stock="10")
    fine = products.create_product(admin, code="P-FINE", name="Fine rice", min_stock="10")
    ledger.set_opening(admin, low, 3)
    ledger.set_opening(admin, fine, 40)
    dbmod.close()  # the app opens it itself
    return db


def _wait_for_row(term: AppPty, needle: str, test, timeout: float = 20.0):
    """Wait until the row showing ``needle`` passes ``test(cells)``; returns the cells."""
    deadline = time.monotonic() + timeout
    while True:
        row = term.row_of(needle)
        cells = term.cells(row) if row >= 0 else []
        if cells and test(cells):
            return cells
        if time.monotonic() > deadline:
            raise AssertionError(f"row {needle!r} never passed the check:\n{term.text()}")
        time.sleep(0.05)


def _text_cells(term: AppPty):
    for y in range(24):
        for cell in term.cells(y):
            if cell.data.strip():
                yield cell


@pytest.mark.parametrize("mode", list(MODES))
def test_every_character_legible_and_the_cursor_in_reverse(stock_db, password, mode):
    no_color = "NO_COLOR" in MODES[mode]
    term = AppPty(stock_db, env=MODES[mode])
    try:
        term.log_in("admin", password)
        term.write("h")  # Home: Stock on hand (P-FINE, then P-LOW)
        term.wait_for("P-LOW")
        term.write("\x1b[B")  # Down: the cursor onto P-LOW
        low = _wait_for_row(term, "P-LOW", lambda cells: any(c.reverse for c in cells))
        assert all(c.reverse for c in low if c.data.strip())
        assert "!" in "".join(c.data for c in low)[:4], "below minimum is marked by '!'"
        fine = _wait_for_row(term, "P-FINE", lambda cells: not any(c.reverse for c in cells))
        assert "!" not in "".join(c.data for c in fine)
        for cell in _text_cells(term):
            assert cell.fg != cell.bg or cell.fg == "default", f"{cell} drawn in its bg colour"
            if no_color:
                assert (cell.fg, cell.bg) == ("default", "default"), f"{cell} has a colour"
    finally:
        term.close()
