"""ASCII-safe style (issue 15): on a terminal that draws ambiguous-width glyphs two cells wide,
columns drift unless tuicrm draws none of them. With the style on, no screen at 80x24 sends
a character of East Asian Width "A", and every line keeps its width (nothing moves)."""

from __future__ import annotations

import unicodedata

import pytest
from rich.cells import cell_len
from rich.console import Console

from tests.helpers import SIZE, lists_ready, log_in, wait_for
from tests.terminal import AppPty
from tests.test_screens_at_80x24 import DIALOGS
from tuicrm.app import make_app
from tuicrm.data.core import settings
from tuicrm.screens.registry import AREAS
from tuicrm.terminal.ascii_style import AsciiUpdate, ascii_text, table, wanted

AMBIGUOUS_SEEN_ON_SCREEN = "…│─▲▼├└┌▶"


def _ambiguous(text: str) -> set[str]:
    return {c for c in text if unicodedata.east_asian_width(c) == "A"}


def test_every_ambiguous_character_has_one_ascii_character_of_its_width():
    for code, stand_in in table().items():
        char = chr(code)
        assert stand_in.isascii() and cell_len(stand_in) == cell_len(char), hex(code)
    assert ascii_text("├── 华兴 … │ ▲ ▼ └ ┌ ▶ Café") == "|-- 华兴 ~ | ^ v + + > Cafe"


def test_the_flag_comes_before_the_environment_before_the_site_setting(monkeypatch):
    monkeypatch.delenv("TUICRM_ASCII", raising=False)
    assert wanted(None, True) and not wanted(None, False)
    monkeypatch.setenv("TUICRM_ASCII", "1")
    assert wanted(None, False) and not wanted(False, False)
    monkeypatch.setenv("TUICRM_ASCII", "0")
    assert not wanted(None, True) and wanted(True, False)


async def test_the_site_setting_turns_it_on(db, admin, monkeypatch):
    monkeypatch.delenv("TUICRM_ASCII", raising=False)
    settings.set_value(admin, "ui.ascii", "1")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.ascii_style


def _sent(app) -> str:
    """The whole screen as the app writes it to the terminal with the style on."""
    update = app.screen._compositor.render_update(full=True)
    console = Console(color_system="256", force_terminal=True, width=SIZE[0])
    return AsciiUpdate(update).render_segments(console)


def _rows(app) -> list[str]:
    strips = app.screen._compositor.render_strips()
    return ["".join(seg.text for seg in strip) for strip in strips]


@pytest.fixture
def demo_db(db):
    from tuicrm.data.demo.builder import build_demo

    build_demo(customers=60, products=80, orders=300, seed=17)
    return db


async def test_no_screen_or_dialog_draws_an_ambiguous_character(demo_db):
    """Every area and its dialogs at 80x24: what goes to the terminal is free of them, and
    each row of the screen keeps its width once they are replaced."""
    app = make_app(demo_db, ascii_style=True)
    found: dict[str, set[str]] = {}
    replaced: set[str] = set()

    def check(where: str) -> None:
        rows = _rows(app)
        for row in rows:
            replaced.update(_ambiguous(row))
            assert cell_len(ascii_text(row)) == cell_len(row), (where, row)
        left = _ambiguous(_sent(app))
        if left:
            found[where] = left

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.ascii_style
        await log_in(pilot, "admin", "demo1234")
        home = app.screen
        check("Home")
        for area in AREAS:
            await pilot.press(area.key)
            await wait_for(pilot, lambda: app.screen is not home)
            screen = app.screen
            await pilot.pause()
            await wait_for(pilot, lambda: lists_ready(app))
            check(area.name)
            for key in DIALOGS.get(area.key, ()):
                await pilot.press(key)
                await pilot.pause()
                if app.screen is not screen:
                    check(f"{area.name} {key}")
                    await pilot.press("escape")
                    await wait_for(pilot, lambda screen=screen: app.screen is screen)
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is home)
    assert not found, found
    # The screens do use them (so the check above had something to replace).
    assert {"…", "─"} <= replaced, replaced


@pytest.mark.pty
def test_the_terminal_receives_ascii_only(db, admin, password):
    """Through a real terminal with TUICRM_ASCII=1: the Customers tree, its cut name ('~') and
    sort mark and the filter dialog's border are ASCII."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.parties import customers

    customers.create_customer(admin, name="Shanghai Huaqiang Hardware Trading 上海华强五金商行")
    dbmod.close()
    term = AppPty(db, env={"TUICRM_ASCII": "1"})
    try:
        term.log_in("admin", password)
        term.write("c")
        term.wait_for("row 1 of 1")
        term.wait_for("~")  # the long name cut with an ellipsis
        assert not _ambiguous(term.text()), term.text()
        term.write("F")
        term.wait_for("+-----")  # the dialog's border
        assert not _ambiguous(term.text()), term.text()
    finally:
        term.kill()
