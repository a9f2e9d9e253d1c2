"""The activities log (S2): logged with outcome and next step, the next step's follow-up made
in the same transaction, edited by whoever logged it (or a manager), and "done + log what
happened" on a reminder. A user would notice a failure as a follow-up that never comes, or a
half-saved activity."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import FIXED_NOW
from tuicrm.data.agenda import activities, reminders
from tuicrm.data.core.errors import NotFound, PermissionDenied, ValidationError
from tuicrm.data.models import Activity, AuditLog, Customer, Reminder

pytestmark = pytest.mark.pg


@pytest.fixture
def customer(sales):
    return Customer.create(code="C1", name="华兴五金", salesperson=sales.id)


def test_a_next_step_makes_its_follow_up(customer, sales):
    a = activities.add_activity(sales, customer.id, "wechat", subject="Prices",
                                outcome="Wants 200", next_step="Send the quote")
    follow = Reminder.get_by_id(a.follow_up_id)
    assert (follow.title, follow.kind, follow.assignee_id, follow.customer_id) == (
        "Send the quote", "follow_up", sales.id, customer.id)
    assert (follow.link_type, follow.link_id) == ("activity", a.id)
    # default: reminder.follow_up_days (3) from today, 09:00
    assert follow.due_at == dt.datetime.combine(FIXED_NOW.date() + dt.timedelta(days=3),
                                                dt.time(9))
    assert a.kind_label == "WeChat message"
    audit = AuditLog.get((AuditLog.entity == "activity") & (AuditLog.record_id == a.id))
    assert json.loads(audit.changes)["follow_up"] == follow.id


def test_a_bad_follow_up_date_saves_nothing(customer, sales):
    with pytest.raises(ValidationError) as e:
        activities.add_activity(sales, customer.id, "call", subject="x", next_step="Call back",
                                next_due="someday")
    assert "next_due" in e.value.errors
    assert Activity.select().count() == 0 and Reminder.select().count() == 0


def test_without_a_next_step_no_follow_up(customer, sales):
    a = activities.add_activity(sales, customer.id, "visit", subject="Visited", at="2026-06-14 15:00")
    assert a.follow_up_id is None and a.at == dt.datetime(2026, 6, 14, 15, 0)
    assert Reminder.select().count() == 0


def test_edit_adds_a_follow_up_once_and_keeps_others_out(customer, sales, manager, make_user):
    a = activities.add_activity(sales, customer.id, "call", subject="Asked")
    a = activities.update_activity(sales, a.id, outcome="Interested", next_step="Visit them",
                                   next_due="+1d")
    assert a.outcome == "Interested" and a.follow_up_id is not None
    a = activities.update_activity(sales, a.id, next_step="Visit them on Friday")
    assert Reminder.select().count() == 1  # not a second follow-up
    other = make_user("sales", "sam")
    with pytest.raises(NotFound):  # not his customer
        activities.update_activity(other, a.id, outcome="x")
    Customer.update(salesperson=other.id).where(Customer.id == customer.id).execute()
    with pytest.raises(PermissionDenied):  # his customer now, but Sally logged it
        activities.update_activity(other, a.id, outcome="x")
    assert activities.update_activity(manager, a.id, kind="meeting").kind == "meeting"


def test_done_and_log_in_one_transaction(customer, sales):
    r = reminders.create_reminder(sales, title="Call Wang", due_at=FIXED_NOW,
                                  customer_id=customer.id, repeat="weekly")
    done, a = activities.complete_and_log(sales, r.id, "call", outcome="Will order",
                                          next_step="Check the order")
    assert done.status == "done"
    assert (a.subject, a.customer_id, a.outcome) == ("Call Wang", customer.id, "Will order")
    open_ones = {x.title for x in Reminder.select().where(Reminder.status == "open")}
    assert open_ones == {"Call Wang", "Check the order"}  # next of the series + follow-up
    r2 = reminders.create_reminder(sales, title="Visit", due_at=FIXED_NOW,
                                   customer_id=customer.id)
    with pytest.raises(ValidationError):
        activities.complete_and_log(sales, r2.id, "call", next_step="x", next_due="never")
    assert Reminder.get_by_id(r2.id).status == "open"  # nothing half done
    assert Activity.select().count() == 1
