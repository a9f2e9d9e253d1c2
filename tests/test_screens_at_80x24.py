"""Issues 15 and 17: every screen and its dialogs at 80x24 with the demo data, in English and in
Chinese (whose labels are twice as wide) - no line cut without an ellipsis, no footer key
without its label. A failure names the language, the screen, the widget and the text that was
cut."""

from __future__ import annotations

import pytest

from tests.helpers import SIZE, lists_ready, log_in, wait_for
from tests.screen_fit import cut_without_ellipsis, footer_problems
from tuicrm.app import make_app
from tuicrm.screens.registry import AREAS

# Keys that open a dialog on a screen (each is closed with Esc before the next).
LIST_DIALOGS = ("C", "F", "D", "x", "P")
DIALOGS: dict[str, tuple[str, ...]] = {
    "c": LIST_DIALOGS + ("a",), "k": LIST_DIALOGS + ("a",), "s": LIST_DIALOGS + ("a",),
    "m": LIST_DIALOGS + ("a",), "g": LIST_DIALOGS + ("a",), "h": LIST_DIALOGS + ("a",),
    "j": LIST_DIALOGS, "q": LIST_DIALOGS, "l": LIST_DIALOGS, "u": LIST_DIALOGS + ("a",),
    "e": ("f2", "f4"), "b": ("f2",), "w": ("f6", "f5"), "r": ("a",), "n": ("p",),
}


@pytest.fixture
def demo_db(db):
    from tuicrm.data.demo.builder import build_demo

    build_demo(customers=60, products=80, orders=300, seed=17)
    return db


def _problems(app, where: str) -> list[str]:
    found = cut_without_ellipsis(app) + footer_problems(app)
    from tuicrm.widgets.list_tools import TextDialog

    if isinstance(app.screen, TextDialog):  # a print preview: one report line, one line
        body = app.screen.query_one("#text")
        lines = len(app.screen.text.splitlines())
        if body.region.height > lines + 1:  # (the text ends with a new line)
            found.append(f"the report's {lines} lines take {body.region.height} (wrapped)")
    return [f"{where}: {p}" for p in found]


async def _settled(pilot) -> None:
    await pilot.pause()
    await wait_for(pilot, lambda: lists_ready(pilot.app))
    await pilot.pause()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("area", AREAS, ids=[a.key for a in AREAS])
async def test_screen_and_its_dialogs_fit_80x24(demo_db, area, language):
    app = make_app(demo_db, language=language)
    problems: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await log_in(pilot, "admin", "demo1234")
        home = app.screen
        problems += _problems(app, "Home")
        await pilot.press(area.key)
        await wait_for(pilot, lambda: app.screen is not home)
        screen = app.screen
        await _settled(pilot)
        problems += _problems(app, area.name)
        for key in DIALOGS.get(area.key, ()):
            await pilot.press(key)
            await pilot.pause()
            if app.screen is not screen:
                await _settled(pilot)
                problems += _problems(app, f"{area.name} {key}")
                await pilot.press("escape")
                await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("f1")
        await pilot.pause()
        if app.screen is not screen:
            problems += _problems(app, f"{area.name} F1")
    assert not problems, "\n".join(problems)
