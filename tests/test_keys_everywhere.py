"""Keys every terminal has (issue 16): a vt100 keypad sends F5-F10 as digits, so every action
on F5-F12 has a Ctrl+letter (or plain key) twin, listed in F1 and shown in the footer; the
function-key sequences of PuTTY's VT100+ mode are understood."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from textual._xterm_parser import XTermParser
from textual.events import Key
from textual.screen import Screen

import tuicrm.screens
from tests.helpers import SIZE, screen_text, wait_for
from tests.test_order_entry import goods, open_entry, person, scan, shows  # noqa: F401
from tuicrm.app import make_app
from tuicrm.screens.help import HelpScreen
from tuicrm.terminal.keys import teach_textual
from tuicrm.widgets.form import FormDialog

FAR_F_KEY = re.compile(r"^f([5-9]|1[0-9]|2[0-4])$")


def _screen_classes() -> list[type[Screen]]:
    found: dict[str, type[Screen]] = {}
    for info in pkgutil.iter_modules(tuicrm.screens.__path__):
        module = importlib.import_module(f"tuicrm.screens.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__.startswith("tuicrm."):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def _keys_by_action(cls: type[Screen]) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for klass in reversed(cls.__mro__):
        for binding in klass.__dict__.get("BINDINGS", []):
            key, action = (binding.key, binding.action) if hasattr(binding, "key") else (
                binding[0], binding[1])
            keys[action] = set(key.split(","))  # a subclass's binding replaces the parent's
    return keys


@pytest.mark.parametrize("cls", _screen_classes(), ids=lambda c: c.__qualname__)
def test_every_far_function_key_has_a_twin(cls):
    """An action only on F5-F12 cannot be used from a vt100 keypad."""
    for action, keys in _keys_by_action(cls).items():
        if any(FAR_F_KEY.match(k) for k in keys):
            assert any(not FAR_F_KEY.match(k) for k in keys), f"{cls.__name__}: {action}"


@pytest.mark.parametrize(("sequence", "key"), [
    ("\x1bOT", "f5"), ("\x1bOV", "f7"), ("\x1bOY", "f10"),   # PuTTY VT100+ F5-F10
    ("\x1bOP", "f1"),                                        # vt100 PF1
    ("\x1bOl", "comma"),                                        # vt100 keypad comma
    ("\x1bOt", "4"),                                         # vt100 keypad 4 stays a digit
])
def test_terminal_sequences_are_understood(sequence, key):
    teach_textual()
    parser = XTermParser()
    keys = [e.key for e in parser.feed(sequence) if isinstance(e, Key)]
    keys += [e.key for e in parser.feed("") if isinstance(e, Key)]
    assert keys == [key]


async def test_order_entry_actions_by_ctrl_letters(db, admin, goods):  # noqa: F811
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, "P001")
        await person(pilot, "ctrl+t")  # a person, not a scanner's control-key suffix
        await shows(pilot, FormDialog)
        await wait_for(pilot, lambda: "Discount" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await person(pilot, "ctrl+g")  # F6: new product, for the last unknown code
        await wait_for(pilot, lambda: "no unknown code was scanned" in screen_text(app))
        await pilot.press("f1")
        await shows(pilot, HelpScreen)
        help_text = str(app.screen.body)
        for keys in ("F5, Ctrl+T", "F8, Ctrl+O", "F9, Ctrl+Y", "F10, Ctrl+F"):
            assert keys in help_text
        await pilot.press("escape")
        await wait_for(pilot, lambda: "f10/^f" in screen_text(app))  # the footer's twin

