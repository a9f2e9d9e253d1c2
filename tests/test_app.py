"""Pilot tests of the app shell: first-run set-up, login, lock-out, palette, help, lock, quit."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from tests.helpers import SIZE, log_in, logged_in, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.core.actor import system_actor
from tuicrm.data.models import LoginEvent, User
from tuicrm.data.staff import users
from tuicrm.screens.help import HelpScreen
from tuicrm.screens.home import HomeScreen
from tuicrm.screens.login import LoginScreen
from tuicrm.screens.today import TodayScreen
from tuicrm.screens.users import UsersScreen
from tuicrm.widgets.dialogs import ConfirmDialog


async def test_new_database_asks_for_the_administrator(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.screen.mode == "setup"
        assert "Create the administrator" in screen_text(app)
        # "admin" is prefilled in the user name field
        await pilot.press("tab", *"Boss Lady", "tab", *"longpassword", "tab", *"longpassword")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.user is not None and app.user.username == "admin"
    assert User.get(User.username == "admin").role == "admin"


async def test_setup_refuses_different_passwords(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab", *"longpassword", "tab", *"otherpassword", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert "the two passwords differ" in screen_text(app)
    assert not users.has_users()


async def test_login_shows_home_with_every_area(db, admin, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.screen.mode == "login"
        await log_in(pilot, "admin", password)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Users" in text and "Change password" in text
        assert "Ada Admin (admin)" in text
        assert "What is due" not in text  # two columns at 80: no room to say it


async def test_home_describes_the_areas_where_there_is_room(db, admin, password):
    app = make_app(db)
    async with app.run_test(size=(160, 30)) as pilot:
        await log_in(pilot, "admin", password)
        await wait_for(pilot, lambda: "What is due and overdue" in screen_text(app))


async def test_wrong_password_keeps_login_and_says_why(db, admin):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await log_in(pilot, "admin", "wrong-password")
        assert isinstance(app.screen, LoginScreen)
        assert "wrong user name or password" in screen_text(app)
        assert app.screen.query_one("#password", Input).value == ""
        assert app.user is None


async def test_five_failures_lock_the_account(db, admin, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(5):
            app.screen.query_one("#username", Input).value = ""
            app.screen.query_one("#username", Input).focus()
            await log_in(pilot, "admin", "nope-nope")
        assert "account locked until" in screen_text(app)
        # even the right password is refused now
        app.screen.query_one("#username", Input).value = ""
        app.screen.query_one("#username", Input).focus()
        await log_in(pilot, "admin", password)
        assert isinstance(app.screen, LoginScreen)
        assert "account locked until" in screen_text(app)
    events = [e.event for e in LoginEvent.select().order_by(LoginEvent.id)]
    assert events.count("locked") == 1
    assert "login" not in events


async def test_demo_database_login_hint(db, admin):
    from tuicrm.data.core import settings

    settings.set_value(system_actor(), "demo", "1")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "admin / demo1234" in screen_text(app)


async def test_palette_opens_a_screen_by_name(db, admin, password):
    app = make_app(db)
    async with logged_in(app, "admin", password) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"users")
        await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_palette_offers_nothing_before_login(db, admin):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert names == ["Quit"]


async def test_sales_user_does_not_see_users_area(db, sales, password):
    app = make_app(db)
    async with logged_in(app, "sally", password) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert "Users" not in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert "Users" not in names and "Change password" in names


async def test_f1_shows_help_for_the_current_screen(db, admin, password):
    app = make_app(db)
    async with logged_in(app, "admin", password) as pilot:
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Help: Users" in text
        assert "Reset password" in text
        assert "Ctrl+L" in app.screen.body.plain  # further down, under "Everywhere"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)


async def test_lock_hides_everything_and_same_user_resumes(db, admin, password):
    app = make_app(db)
    async with logged_in(app, "admin", password) as pilot:
        await pilot.press("u")
        await sees(pilot, "Last login")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.screen.mode == "lock"
        text = screen_text(app)
        assert "Last login" not in text and "locked" in text
        # the user name is filled in; only the password is needed
        await pilot.press(*password, "enter")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
    events = [e.event for e in LoginEvent.select()]
    assert "lock" in events


async def test_another_user_after_lock_starts_at_home(db, admin, sales, password):
    app = make_app(db)
    async with logged_in(app, "admin", password) as pilot:
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        app.screen.query_one("#username", Input).value = ""
        app.screen.query_one("#username", Input).focus()
        await log_in(pilot, "sally", password)
        assert isinstance(app.screen, HomeScreen)
        assert app.user.username == "sally"
        assert not any(isinstance(s, UsersScreen) for s in app.screen_stack)


async def test_idle_session_locks_itself(db, admin, password):
    app = make_app(db, idle_lock_minutes=10)
    async with logged_in(app, "admin", password) as pilot:
        app._idle_tick()
        assert isinstance(app.screen, HomeScreen)  # not idle yet
        app._last_input -= 10 * 60 + 1
        app._idle_tick()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.screen.mode == "lock"


async def test_quit_asks_first(db, admin, password):
    app = make_app(db)
    async with logged_in(app, "admin", password) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: app.return_code is not None)  # after the log-out row
    assert app.return_code == 0
    assert "logout" in [e.event for e in LoginEvent.select()]


@pytest.mark.parametrize(
    "nasty",
    ["[/]", "[b]x", "[@click=app.quit]x", "\x1b[31mred", "x" * 10_000, "张三丰贸易有限公司"],
)
async def test_user_text_is_never_markup(db, admin, password, nasty):
    users.update_user(admin, admin.id, full_name=nasty, department=nasty)
    app = make_app(db)
    async with logged_in(app, "admin", password) as pilot:
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
        text = screen_text(app)
        assert nasty[:8].replace("\x1b", "") in text.replace("\x1b", "") or nasty[:4] in text
        await pilot.click("RecordTable", offset=(10, 1))
        await pilot.pause()
        assert app.is_running  # a click on "[@click=app.quit]x" did not quit


async def test_users_screen_add_disable_reset(db, admin, password):
    app = make_app(db)
    async with logged_in(app, "admin", password) as pilot:
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"clerk", "tab", *"Carl Clerk", "tab", *"Front")
        await pilot.press("tab", "tab", *"short")
        await pilot.press("ctrl+s")
        await sees(pilot, "at least 8 characters")
        assert not User.select().where(User.username == "clerk").exists()
        await pilot.press(*"erlong")  # "shorterlong"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen))
        clerk = User.get(User.username == "clerk")
        assert clerk.role == "sales" and clerk.full_name == "Carl Clerk"
        await sees(pilot, "clerk", "Carl Clerk")
        # the cursor is on the new user: disable it
        assert app.screen.table.cursor_row_id == clerk.id
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await sees(pilot, "disabled")
        assert not User.get_by_id(clerk.id).active
        # reset its password
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"brand-new-pass", "enter")
        await wait_for(pilot, lambda: users.verify_password(
            User.get_by_id(clerk.id).password_hash, "brand-new-pass"))
        assert isinstance(app.screen, UsersScreen)


async def test_change_own_password(db, sales, password):
    app = make_app(db)
    async with logged_in(app, "sally", password) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"wrong-one", "tab", *"new-password-1", "tab", *"new-password-1")
        await pilot.press("ctrl+s")
        await sees(pilot, "current password is not right")
        app.screen.query_one("#f-old_password", Input).value = password
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert users.authenticate("sally", "new-password-1").username == "sally"
