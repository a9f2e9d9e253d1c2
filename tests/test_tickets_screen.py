"""Pilot tests of the service screens: the Tickets list (open, move with one key each, done
with resolution and satisfaction, reopen, filters, the report), tickets on Today, and the
Customers screen's activities (log, edit, next step -> follow-up) and new ticket; the
reminders' "done + log what happened". A user would notice a failure as a key that does
nothing, or a ticket or activity that is not saved as typed."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Select

from tests.conftest import FIXED_NOW
from tests.helpers import (
    list_ready,
    logged_in,
    open_screen,
    screen_ready,
    screen_text,
    sees,
    wait_for,
)
from tuicrm.app import make_app
from tuicrm.data.agenda import reminders
from tuicrm.data.models import Activity, Contact, Customer, Reminder, Ticket
from tuicrm.data.service import tickets
from tuicrm.screens.activity_dialogs import ActivitiesDialog
from tuicrm.screens.customers import CustomersScreen
from tuicrm.screens.reminder_dialogs import ReminderDialog
from tuicrm.screens.ticket_dialogs import TicketDialog
from tuicrm.screens.tickets import TicketsScreen
from tuicrm.screens.today import TodayScreen
from tuicrm.widgets.form import FormDialog
from tuicrm.widgets.list_tools import PrintPreviewDialog

H = dt.timedelta(hours=1)


@pytest.fixture
def desk(sales):
    """Sally's customer with a contact and two of her tickets (one overdue)."""
    c = Customer.create(code="C1", name="华兴五金", salesperson=sales.id)
    Contact.create(customer=c.id, name="Wang Li")
    old = tickets.open_ticket(sales, subject="Kettle leaks", kind="complaint",
                              customer_id=c.id, opened_at=FIXED_NOW - 10 * 24 * H)
    new = tickets.open_ticket(sales, subject="Needs a manual", customer_id=c.id)
    return {"customer": c, "old": old, "new": new}


async def _tickets(pilot, password) -> TicketsScreen:
    return await open_screen(pilot, "sally", password, "d", TicketsScreen)


def _told(app, text: str) -> bool:
    """Whether a notification saying ``text`` was shown (toasts wrap their lines)."""
    return any(text in n.message for n in app._notifications)


def _status(ticket_id: int) -> str:
    return Ticket.get_by_id(ticket_id).status


async def test_the_list_shows_open_tickets_with_the_overdue_marked(db, desk, password):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _tickets(pilot, password)
        text = screen_text(app)
        assert desk["old"].number in text and desk["new"].number in text
        line = next(x for x in text.splitlines() if desk["old"].number in x)
        assert "!" in line.split(desk["old"].number)[0]  # marked overdue
        assert "open" in text and "row 1 of 2" in text


async def test_a_new_ticket_from_the_list(db, desk, password):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _tickets(pilot, password)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        form.query_one("#f-subject", Input).value = "Printer jams"
        form.query_one("#f-customer_code", Input).value = "C404"
        form.query_one("#f-kind", Select).value = "service"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "no customer with code" in str(
            form.query_one("#err-customer_code").render()))
        form.query_one("#f-customer_code", Input).value = "c1"
        form.query_one("#f-contact_name", Input).value = "wang li"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        t = Ticket.get(Ticket.subject == "Printer jams")
        assert (t.kind, t.status, t.contact.name, t.owner_id) == ("service", "new", "Wang Li",
                                                                  desk["customer"].salesperson_id)
        await sees(pilot, t.number)


async def test_one_key_per_move_then_done_with_resolution_and_score(db, desk, password):
    app = make_app(db)
    tid = desk["new"].id
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _tickets(pilot, password)
        screen.table.go_to_id(tid)
        await wait_for(pilot, lambda: screen.table.cursor_row_id == tid)
        await pilot.press("s")
        await wait_for(pilot, lambda: _status(tid) == "in_progress")
        assert Ticket.get_by_id(tid).first_response_at is not None
        await pilot.press("w")
        await wait_for(pilot, lambda: _status(tid) == "waiting")
        await sees(pilot, "Waiting fo")
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        form.query_one("#f-resolution", Input).value = "Sent the manual by WeChat"
        form.query_one("#f-satisfaction", Select).value = "4"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: _status(tid) == "done")
        t = Ticket.get_by_id(tid)
        assert (t.resolution, t.satisfaction) == ("Sent the manual by WeChat", 4)
        await list_ready(pilot)
        await wait_for(pilot, lambda: desk["new"].number not in screen_text(app))
        await pilot.press("v")  # open -> closed
        await sees(pilot, "closed", desk["new"].number)
        await list_ready(pilot)
        screen.table.go_to_id(tid)
        await wait_for(pilot, lambda: screen.table.cursor_row_id == tid)
        await pilot.press("s")  # not from done: refused with a word
        await wait_for(pilot, lambda: _told(app, "cannot be moved"))
        await pilot.press("o")  # reopened
        await wait_for(pilot, lambda: _status(tid) == "in_progress")
        assert Ticket.get_by_id(tid).satisfaction is None


async def test_enter_shows_the_ticket_and_its_keys_move_it(db, desk, password):
    app = make_app(db)
    tid = desk["old"].id
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _tickets(pilot, password)
        screen.table.go_to_id(tid)
        await wait_for(pilot, lambda: screen.table.cursor_row_id == tid)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketDialog))
        await sees(pilot, "Kettle leaks", "OVERDUE", "k: cancel it")
        await pilot.press("k")
        await wait_for(pilot, lambda: _status(tid) == "cancelled")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketsScreen))


async def test_mine_and_the_report(db, desk, password, manager):
    tickets.open_ticket(manager, subject="Manny's own", customer_id=desk["customer"].id)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "manny", password, "d", TicketsScreen)
        await sees(pilot, "row 1 of 3")
        await pilot.press("m")
        await sees(pilot, "(mine)", "row 1 of 1")
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, PrintPreviewDialog))
        await sees(pilot, "Service tickets", "Complaint", "Resp h", "On time")


async def test_the_palette_finds_tickets(db, desk, password):
    app = make_app(db)
    async with logged_in(app, "sally", password) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Tickets")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await screen_ready(pilot, TicketsScreen)


async def test_today_shows_my_overdue_ticket_and_the_one_waiting_on_me(db, desk, password):
    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen)
                       and app.screen.loaded is not None)
        await sees(pilot, "OVERDUE (1)", "Kettle leaks", "TICKETS WAITING ON YOU (1)",
                   "Needs a manual")
        screen = app.screen
        olist = screen.query_one("#today")
        olist.highlighted = next(i for i, o in enumerate(olist.options)
                                 if "Kettle" in str(o.prompt))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketDialog))
        await pilot.press("s")
        await wait_for(pilot, lambda: _status(desk["old"].id) == "in_progress")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        olist.highlighted = next(i for i, o in enumerate(olist.options)
                                 if "Needs a manual" in str(o.prompt))
        await pilot.press("d")  # done on a ticket line: the done form
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: _status(desk["new"].id) == "done")
        await wait_for(pilot, lambda: "Needs a manual" not in screen_text(app))


async def _customers(pilot, password) -> CustomersScreen:
    return await open_screen(pilot, "sally", password, "c", CustomersScreen)


async def test_log_an_activity_with_a_next_step_from_customers(db, desk, password):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot, password)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        form.query_one("#f-kind", Select).value = "wechat"
        form.query_one("#f-subject", Input).value = "Asked for cable prices"
        form.query_one("#f-outcome", Input).value = "Wants 200 pcs"
        form.query_one("#f-next_step", Input).value = "Send the quote"
        form.query_one("#f-next_due", Input).value = "+2d"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        a = Activity.get(Activity.subject == "Asked for cable prices")
        assert (a.kind, a.outcome, a.customer_id) == ("wechat", "Wants 200 pcs",
                                                     desk["customer"].id)
        follow = Reminder.get_by_id(a.follow_up_id)
        assert (follow.title, follow.kind, follow.customer_id) == (
            "Send the quote", "follow_up", desk["customer"].id)
        assert follow.due_at.date() == (FIXED_NOW + 48 * H).date()
        await wait_for(pilot, lambda: _told(app, "Follow-up reminder made"))
        # L lists the activities; Enter edits the highlighted one
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, ActivitiesDialog))
        await sees(pilot, "Asked for cable prices")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        form.query_one("#f-outcome", Input).value = "Ordered 150"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: Activity.get_by_id(a.id).outcome == "Ordered 150")
        assert Reminder.select().count() == 1  # the follow-up was not made twice


async def test_a_bad_follow_up_date_keeps_everything_typed(db, desk, password):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot, password)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        form.query_one("#f-subject", Input).value = "Visit"
        form.query_one("#f-next_step", Input).value = "Call back"
        form.query_one("#f-next_due", Input).value = "someday"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "not" in str(form.query_one("#err-next_due").render()))
        assert app.screen is form and form.query_one("#f-subject", Input).value == "Visit"
        assert Activity.select().count() == 0 and Reminder.select().count() == 0


async def test_a_new_ticket_from_customers(db, desk, password):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot, password)
        await sees(pilot, "Tickets 2")  # the related pane: open tickets
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        assert form.query_one("#f-customer_code", Input).value == "C1"
        form.query_one("#f-subject", Input).value = "Invoice wrong"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: Ticket.select().where(
            Ticket.subject == "Invoice wrong").exists())
        await sees(pilot, "Tickets 3")
        await pilot.press("t")
        await screen_ready(pilot, TicketsScreen)
        await sees(pilot, "one customer", "row 1 of 3")


async def test_done_and_log_what_happened_on_a_reminder(db, desk, sales, password):
    r = reminders.create_reminder(sales, title="Call Wang", due_at=FIXED_NOW - H,
                                  customer_id=desk["customer"].id)
    app = make_app(db)
    async with logged_in(app, "sally", password, today=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen)
                       and app.screen.loaded is not None)
        screen = app.screen
        olist = screen.query_one("#today")
        await sees(pilot, "Call Wang")
        olist.highlighted = next(i for i, o in enumerate(olist.options)
                                 if "Call Wang" in str(o.prompt))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        assert form.query_one("#f-subject", Input).value == "Call Wang"
        form.query_one("#f-outcome", Input).value = "Will order next week"
        form.query_one("#f-next_step", Input).value = "Check the order came"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: Reminder.get_by_id(r.id).status == "done")
        a = Activity.get(Activity.outcome == "Will order next week")
        assert (a.customer_id, a.kind, a.link_type, a.link_id) == (
            desk["customer"].id, "call", "reminder", r.id)
        follow = Reminder.get_by_id(a.follow_up_id)
        assert follow.title == "Check the order came" and follow.status == "open"
        await wait_for(pilot, lambda: _told(app, "Logged: Call"))
