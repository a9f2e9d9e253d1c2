"""No traceback on a user's screen: an unexpected error is one line, and the app goes on."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.helpers import logged_in, wait_for
from tuicrm.app import make_app
from tuicrm.cli import main


async def test_a_failing_handler_shows_one_line_and_the_app_stays_usable(
        db, admin, password, error_log, monkeypatch):
    """A defect in a key handler: a one-line notice naming the log, no locals, keys still work."""
    from tuicrm.screens.home import HomeScreen

    secret = "hunter2-secret"

    original = HomeScreen.takes_key  # Home's keys: carried out as the App reads them

    def broken(self, event) -> bool:
        if event.key == "x":
            password_in_a_local = secret  # noqa: F841 - Textual would print it
            raise RuntimeError("boom")
        return original(self, event)

    monkeypatch.setattr(HomeScreen, "takes_key", broken)
    app = make_app(db)
    async with logged_in(app, "admin", password) as pilot:
        await pilot.press("x")
        await wait_for(pilot, lambda: any("Unexpected error" in str(n.message)
                                          for n in app._notifications))
        notice = next(str(n.message) for n in app._notifications)
        assert str(error_log) in notice and secret not in notice
        assert "boom" in error_log.read_text() and secret not in error_log.read_text()
        assert oct(error_log.stat().st_mode & 0o777) == "0o600"
        # the app still answers keys: the command palette opens and closes
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: app.screen.query(Input))
        app._exception = None  # caused on purpose


def test_cli_defect_is_one_line(db, capsys, monkeypatch, error_log):
    """A defect behind a command prints one line naming the log, never a traceback."""
    from tuicrm.cli import build_parser

    def broken(args):
        raise KeyError("secret-key")

    args = build_parser().parse_args(["--db", db, "today", "--user", "admin"])
    args.func = broken
    monkeypatch.setattr("tuicrm.cli.build_parser", lambda: _Fixed(args))
    assert main([]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and str(error_log) in err


class _Fixed:
    def __init__(self, args):
        self.args = args

    def parse_args(self, argv):
        return self.args


@pytest.mark.parametrize("where", ["timer"])
async def test_a_failing_timer_is_one_line(db, admin, password, error_log, where):
    """Textual's last-resort handler (timers, workers) logs too, and the app keeps running."""
    app = make_app(db)
    async with logged_in(app, "admin", password) as pilot:
        def fail() -> None:
            raise ValueError("from a timer")

        app.set_timer(0.01, fail)
        await wait_for(pilot, lambda: "from a timer" in (error_log.read_text()
                                                         if error_log.exists() else ""))
        assert app.is_running
        app._exception = None
