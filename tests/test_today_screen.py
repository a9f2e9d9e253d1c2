"""Pilot tests of Today (shown at login), the reminder dialogs, Ctrl+R, announcements and the
notification of a reminder that comes due while the operator is busy elsewhere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.color import Color
from textual.widgets import Input

from tests.helpers import SIZE, log_in_today, logged_in, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.agenda import announcements, reminders
from tuicrm.data.models import AnnouncementRead, Location, Product, Reminder, StockLevel, now
from tuicrm.screens.announcements import AnnouncementDialog, AnnouncementsScreen
from tuicrm.screens.home import HomeScreen
from tuicrm.screens.reminder_dialogs import ReminderDialog, SnoozeDialog
from tuicrm.screens.today import TodayScreen
from tuicrm.widgets.form import FormDialog

D = dt.datetime


def _later_today() -> D:
    """A due time still ahead today (so: "due today", not overdue)."""
    at = now()
    return min(at + dt.timedelta(minutes=30), D.combine(at.date(), dt.time(23, 59, 59)))


def _in_days(days: int, hour: int = 10) -> D:
    return D.combine(now().date() + dt.timedelta(days=days), dt.time(hour))


def _line_style(app, needle: str):
    """The style of the first segment on screen that contains ``needle``."""
    for strip in app.screen._compositor.render_strips():
        for seg in strip:
            if needle in seg.text:
                return seg.style
    raise AssertionError(f"{needle!r} is not on screen")


async def _today(pilot) -> TodayScreen:
    """Today, once its list (read in a worker) is on screen."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen)
                   and app.screen.loaded is not None)
    await pilot.pause()
    return app.screen


async def _looked(pilot, group: str) -> None:
    """Wait until the app's workers of ``group`` have finished and their result is handled."""
    await wait_for(pilot, lambda: all(w.is_finished for w in pilot.app.workers
                                      if w.group == group))
    await pilot.pause()


def _current_kind(app) -> str | None:
    item = app.screen.current() if isinstance(app.screen, TodayScreen) else None
    return None if item is None else item.kind


def _colour(app, needle: str) -> str:
    """"red", "yellow" or something else: the ANSI colour the text is drawn in."""
    color = _line_style(app, needle).color
    names = {Color.parse(n).number: n for n in ("red", "yellow")}
    return names.get(color.number if color is not None else None, "other")


async def test_login_shows_today_with_items_in_their_groups(db, sales, manager, password):
    reminders.create_reminder(sales, title="Chase payment", due_at=now() - dt.timedelta(days=2))
    reminders.create_reminder(sales, title="Call Wang", due_at=_later_today())
    reminders.create_reminder(sales, title="Visit Acme", due_at=_in_days(3))
    reminders.create_reminder(sales, title="Far off", due_at=_in_days(40))
    reminders.create_reminder(manager, title="Not hers", due_at=now() - dt.timedelta(days=1))
    announcements.post_announcement(manager, "Shop closed Sunday")
    loc = Location.create(code="MAIN", name="Main")
    cable = Product.create(code="P-1", name="Cable", min_stock=Decimal(10))
    StockLevel.create(product=cable, location=loc, on_hand=Decimal(3))

    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await _today(pilot)
        text = screen_text(app)
        order = ["OVERDUE (1)", "! ", "Chase payment", "DUE TODAY (1)", "Call Wang",
                 "NEXT 7 DAYS (1)", "Visit Acme", "NEW ANNOUNCEMENTS (1)", "Shop closed Sunday",
                 "ALERTS (1)", "Low stock: P-1 Cable"]
        positions = [text.index(s) for s in order]
        assert positions == sorted(positions), text
        assert "Far off" not in text and "Not hers" not in text
        # colour as well as the heading and the mark: overdue red, due today yellow
        assert _colour(app, "Chase payment") == "red"
        assert _colour(app, "Call Wang") == "yellow"
        assert _colour(app, "Visit Acme") not in ("red", "yellow")
        # Esc goes Home; T comes back
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("t")
        await _today(pilot)
        assert "Chase payment" in screen_text(app)


async def test_done_on_today(db, sales, password):
    r = reminders.create_reminder(sales, title="Send the invoice",
                                  due_at=now() - dt.timedelta(hours=3))
    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await _today(pilot)
        assert "Send the invoice" in screen_text(app)
        await pilot.press("d")
        await sees(pilot, "Nothing due and no alerts")  # read again after the write
        assert Reminder.get_by_id(r.id).status == "done"
        text = screen_text(app)
        assert "OVERDUE" not in text
        assert any("Done: Send the invoice" in n.message for n in app._notifications)


async def test_done_and_next_on_today_schedules_a_follow_up(db, sales, password):
    due = now() - dt.timedelta(days=1)
    r = reminders.create_reminder(sales, title="Quote for Li", due_at=due)
    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await _today(pilot)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        assert app.screen.query_one("#f-title", Input).value == "Follow up: Quote for Li"
        await pilot.press("ctrl+s")
        await sees(pilot, "NEXT 7 DAYS (1)")
        assert isinstance(app.screen, TodayScreen)
        text = screen_text(app)
    assert Reminder.get_by_id(r.id).status == "done"
    follow = Reminder.get(Reminder.follows == r.id)
    assert follow.kind == "follow_up" and follow.status == "open"
    assert follow.due_at == D.combine(now().date() + dt.timedelta(days=3),
                                      due.time().replace(second=0, microsecond=0))
    assert "NEXT 7 DAYS (1)" in text and "Follow up: Quote for Li" in text


async def test_snooze_on_today_moves_only_the_reminder_time(db, sales, password):
    due = now() - dt.timedelta(hours=2)
    r = reminders.create_reminder(sales, title="Ring the bank", due_at=due)
    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await _today(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SnoozeDialog))
        assert "Tomorrow 09:00" in screen_text(app)
        await pilot.press("2")
        await sees(pilot, "snoozed to tomorrow 09:00")
        assert isinstance(app.screen, TodayScreen)
        text = screen_text(app)
    after = Reminder.get_by_id(r.id)
    assert after.due_at == due.replace(microsecond=0)  # unchanged
    assert after.remind_at == D.combine(now().date() + dt.timedelta(days=1), dt.time(9))
    assert after.status == "open"
    assert "OVERDUE (1)" in text and "snoozed to tomorrow 09:00" in text


async def test_enter_opens_each_kind_of_line(db, sales, manager, password):
    r = reminders.create_reminder(sales, title="Overdue thing", due_at=now() - dt.timedelta(1))
    ann = announcements.post_announcement(manager, "Price list", "Prices go up 5% on Monday.")
    loc = Location.create(code="MAIN", name="Main")
    StockLevel.create(product=Product.create(code="P-9", name="Plug", min_stock=Decimal(5)),
                      location=loc, on_hand=Decimal(1))
    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await _today(pilot)
        # a reminder opens its dialog; d there marks it done
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        assert "overdue by 1 day" in screen_text(app)
        await pilot.press("d")
        # now the announcement is first: Enter shows it and marks it read
        await wait_for(pilot, lambda: _current_kind(app) == "announcement")
        assert Reminder.get_by_id(r.id).status == "done"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AnnouncementDialog))
        assert "Prices go up 5% on Monday." in screen_text(app)
        await wait_for(pilot, lambda: AnnouncementRead.select().where(
            (AnnouncementRead.announcement == ann.id) & (AnnouncementRead.user == sales.id)
        ).exists())
        await pilot.press("escape")
        # the low-stock alert opens the product's stock movements
        await wait_for(pilot, lambda: _current_kind(app) == "low_stock")
        assert "NEW ANNOUNCEMENTS" not in screen_text(app)
        await pilot.press("enter")
        from tuicrm.screens.stock import MovementsScreen

        await wait_for(pilot, lambda: isinstance(app.screen, MovementsScreen))
        await sees(pilot, "P-9")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))


async def test_a_reminder_coming_due_elsewhere_notifies_without_stealing_focus(
    db, sales, password
):
    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await log_in_today(pilot, "sally", password)
        await pilot.press("escape", "p")  # Home, then Change password: a form being typed in
        await pilot.pause()
        form = app.screen
        field = app.focused
        assert isinstance(field, Input)
        await pilot.press(*"half-typ")
        bells = []
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]

        reminders.create_reminder(sales, title="Call the courier",
                                  due_at=now() + dt.timedelta(minutes=1),
                                  remind_at=now() + dt.timedelta(minutes=1))
        app._reminder_tick()  # not yet: its reminder time has not come
        await _looked(pilot, "reminder-tick")
        assert not [n for n in app._notifications if "courier" in n.message]
        app._reminders_checked_at -= dt.timedelta(minutes=5)  # as if minutes had passed ...
        Reminder.update(remind_at=now() - dt.timedelta(seconds=30)).execute()  # ... and it came
        app._reminder_tick()
        await wait_for(pilot, lambda: any("Call the courier" in n.message
                                          for n in app._notifications))
        assert bells == [1]
        await sees(pilot, "Call the courier")  # the toast is on screen
        assert app.screen is form and app.focused is field
        assert field.value == "half-typ"
        await pilot.press(*"ed")
        assert field.value == "half-typed"  # typing goes on in the same field
        app._reminder_tick()  # rings once, not again on the next look
        await _looked(pilot, "reminder-tick")
        assert bells == [1]


async def test_nothing_rings_while_locked_and_it_rings_after_the_unlock(db, sales, password):
    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await pilot.press("ctrl+l")
        await pilot.pause()
        reminders.create_reminder(sales, title="Locked away", due_at=now(),
                                  remind_at=now() + dt.timedelta(seconds=1))
        Reminder.update(remind_at=now()).execute()
        app._reminders_checked_at -= dt.timedelta(minutes=1)
        app._reminder_tick()
        await _looked(pilot, "reminder-tick")
        assert not [n for n in app._notifications if "Locked away" in n.message]
        await pilot.press(*password, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        app._reminder_tick()
        await wait_for(pilot, lambda: [n for n in app._notifications
                                       if "Locked away" in n.message])


async def test_ctrl_r_adds_a_reminder_from_anywhere(db, sales, manager, password):
    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await pilot.press("escape", "n")  # Announcements
        await wait_for(pilot, lambda: isinstance(app.screen, AnnouncementsScreen))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        assert "New reminder" in screen_text(app)
        assert not app.screen.query("#f-assignee")  # sales: only for herself
        await pilot.press(*"Order paper [b]rolls[/b]")
        app.screen.query_one("#f-due_at", Input).value = ""
        await pilot.press("ctrl+s")
        await sees(pilot, "a due date is required")
        app.screen.query_one("#f-due_at", Input).value = "+2d"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AnnouncementsScreen))
    r = Reminder.get()
    assert r.title == "Order paper [b]rolls[/b]" and r.assignee_id == sales.id
    assert r.due_at.date() == now().date() + dt.timedelta(days=2)


async def test_manager_assigns_a_reminder_and_it_shows_on_her_today(
    db, sales, manager, password
):
    app = make_app(db)
    async with logged_in(app, "manny", password, today=True) as pilot:
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#f-title", Input).value = "Count the [red]till[/red]"
        app.screen.query_one("#f-due_at", Input).value = "2020-01-01 09:00"
        app.screen.query_one("#f-assignee").value = str(sales.id)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    r = Reminder.get()
    assert (r.assignee_id, r.created_by_id) == (sales.id, manager.id)

    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await _today(pilot)
        text = screen_text(app)
        assert "OVERDUE (1)" in text and "Count the [red]till[/red]" in text  # plain text
        assert "from manny" in text


async def test_announcements_screen_post_and_read(db, sales, manager, password):
    app = make_app(db)
    async with logged_in(app, "manny", password, today=True) as pilot:
        await pilot.press("escape", "n")
        await wait_for(pilot, lambda: isinstance(app.screen, AnnouncementsScreen))
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#f-title", Input).value = "Sales meeting at 5"
        app.screen.query_one("#f-body", Input).value = "Bring your figures."
        app.screen.query_one("#f-audience").value = "role"
        app.screen.query_one("#f-role").value = "sales"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AnnouncementsScreen))
        await sees(pilot, "Sales meeting at 5", "1 announcements, 0 unread")

    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await _today(pilot)
        assert "NEW ANNOUNCEMENTS (1)" in screen_text(app)
        await pilot.press("escape", "n")
        await sees(pilot, "NEW", "role: sales", "1 announcements, 1 unread")
        await pilot.press("enter")
        await sees(pilot, "Bring your figures.")
        await pilot.press("escape")
        await sees(pilot, "0 unread")
        await pilot.press("p")  # sales may not post
        await pilot.pause()
        assert isinstance(app.screen, AnnouncementsScreen)


class _WriteLock:
    """Another terminal holding the SQLite write lock until ``release()``."""

    def __init__(self, path: str) -> None:
        import sqlite3

        self.con = sqlite3.connect(path, isolation_level=None)
        self.con.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.con.execute("COMMIT")
        self.con.close()


async def test_done_waits_for_another_terminal_without_freezing_the_screen(db, sales, password):
    """While another terminal holds the write lock, Done waits in the background: keys keep
    working (Esc goes Home at once), and the reminder is done once the lock is released."""
    r = reminders.create_reminder(sales, title="Pay the courier", due_at=now())
    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await _today(pilot)
        lock = _WriteLock(db)
        try:
            await pilot.press("d")
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert Reminder.get_by_id(r.id).status == "open"  # still waiting for the lock
        finally:
            lock.release()
        await wait_for(pilot, lambda: Reminder.get_by_id(r.id).status == "done")
        await wait_for(pilot, lambda: any("Done: Pay the courier" in n.message
                                          for n in app._notifications))


async def test_a_form_says_it_is_waiting_for_another_terminal(db, sales, password):
    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        await pilot.press(*"Ring the bank")
        lock = _WriteLock(db)
        try:
            await pilot.press("ctrl+s")
            await sees(pilot, "waiting for another terminal")
            await pilot.press("ctrl+s")  # a second save meanwhile is not a second reminder
        finally:
            lock.release()
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    assert [r.title for r in Reminder.select()] == ["Ring the bank"]


async def test_reminders_list_filter_done_and_everyones(db, sales, manager, password):
    """The Reminders list: open ones marked (! overdue), F steps to done and all, D marks
    the one under the cursor done; a manager's W shows everyone's with whose it is."""
    from tuicrm.screens.reminders import RemindersScreen

    late = reminders.create_reminder(sales, title="Chase Wang", due_at=now() - dt.timedelta(1))
    reminders.create_reminder(sales, title="Visit Acme", due_at=_in_days(2))
    reminders.create_reminder(manager, title="Manager's own", due_at=_in_days(1))
    app = make_app(db)
    async with logged_in(app, "sally", password) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersScreen))
        await sees(pilot, "Chase Wang", "Visit Acme", "2 open reminders (yours), 1 overdue")
        line = next(x for x in screen_text(app).splitlines() if "Chase Wang" in x)
        assert line.lstrip().startswith("!")
        assert "Manager's own" not in screen_text(app)
        await pilot.press("d")  # the cursor is on the first (overdue) one
        await sees(pilot, "1 open reminders (yours)")
        assert Reminder.get_by_id(late.id).status == "done"
        await pilot.press("f")
        await sees(pilot, "1 done reminders (yours)")
        line = next(x for x in screen_text(app).splitlines() if "Chase Wang" in x)
        assert line.lstrip().startswith("ok")
        await pilot.press("f")
        await sees(pilot, "2 all reminders (yours)")
        await pilot.press("w")  # not hers to see
        await pilot.pause()
        assert "everyone's" not in screen_text(app)

    app = make_app(db)
    async with logged_in(app, "manny", password) as pilot:
        await pilot.press("r", "w")
        await sees(pilot, "2 open reminders (everyone's)", "Visit Acme", "Manager's own")
        assert "For" in screen_text(app) and "sally" in screen_text(app)


async def test_reminders_list_search_and_done_plus_follow_up(db, sales, password):
    """/ searches the Reminders list like every list; Shift+D there is done + follow-up."""
    from tuicrm.screens.reminders import RemindersScreen

    reminders.create_reminder(sales, title="Chase Wang", due_at=now() - dt.timedelta(1))
    visit = reminders.create_reminder(sales, title="Visit Acme", due_at=_in_days(2))
    app = make_app(db)
    async with logged_in(app, "sally", password) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersScreen))
        await sees(pilot, "Chase Wang", "Visit Acme")
        await pilot.press("slash", *"acme", "enter")
        await sees(pilot, "search: acme")
        assert "Chase Wang" not in screen_text(app)
        assert app.screen.table.cursor_row_id == visit.id
        await pilot.press("enter")  # Enter opens it
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersScreen))
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        assert app.screen.query_one("#f-title", Input).value == "Follow up: Visit Acme"
        await pilot.press("ctrl+s")
        await sees(pilot, "Follow up: Visit Acme")  # the follow-up matches the search too
    assert Reminder.get_by_id(visit.id).status == "done"
