"""Reminders, activities, announcements and the Today list (SPEC S2-S5): the time arithmetic
(month ends, leap years, daylight saving in the machine's local time), the operations
(permissions, audit, one next occurrence per series) and the grouping of the Today list."""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal

import pytest

from tuicrm.data.agenda import activities, announcements, reminders, schedule, today
from tuicrm.data.agenda.lists import ANNOUNCEMENTS, REMINDERS
from tuicrm.data.core.actor import system_actor
from tuicrm.data.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from tuicrm.data.lists.view import ListRequest, open_list
from tuicrm.data.models import (
    Activity,
    AuditLog,
    Contact,
    Customer,
    Location,
    Order,
    Product,
    Reminder,
    StockLevel,
    now,
)

pytestmark = pytest.mark.pg

D = dt.datetime

# --- arithmetic: month ends and leap years ------------------------------------------------------


def _series(start: D, repeat: str, n: int) -> list[D]:
    out, due = [start], start
    for _ in range(n):
        due = schedule.next_due(due, repeat, start.day)
        out.append(due)
    return out


def test_monthly_from_jan_31_keeps_the_31st_after_february():
    assert _series(D(2026, 1, 31, 9, 30), "monthly", 4) == [
        D(2026, 1, 31, 9, 30), D(2026, 2, 28, 9, 30), D(2026, 3, 31, 9, 30),
        D(2026, 4, 30, 9, 30), D(2026, 5, 31, 9, 30),
    ]


def test_monthly_in_a_leap_year_lands_on_feb_29():
    assert _series(D(2028, 1, 31, 8, 0), "monthly", 2) == [
        D(2028, 1, 31, 8, 0), D(2028, 2, 29, 8, 0), D(2028, 3, 31, 8, 0),
    ]


def test_monthly_over_the_year_end():
    assert _series(D(2026, 12, 31, 17, 0), "monthly", 2)[1:] == [
        D(2027, 1, 31, 17, 0), D(2027, 2, 28, 17, 0),
    ]


def test_yearly_from_feb_29_goes_to_feb_28_and_back_to_feb_29():
    assert _series(D(2024, 2, 29, 10, 0), "yearly", 4)[1:] == [
        D(2025, 2, 28, 10, 0), D(2026, 2, 28, 10, 0), D(2027, 2, 28, 10, 0),
        D(2028, 2, 29, 10, 0),
    ]


def test_daily_and_weekly_keep_the_clock_time():
    assert schedule.next_due(D(2026, 2, 28, 23, 45), "daily") == D(2026, 3, 1, 23, 45)
    assert schedule.next_due(D(2028, 2, 28, 7, 0), "daily") == D(2028, 2, 29, 7, 0)
    assert schedule.next_due(D(2026, 12, 29, 7, 0), "weekly") == D(2027, 1, 5, 7, 0)
    with pytest.raises(ValueError):
        schedule.next_due(D(2026, 1, 1), "none")


def test_a_late_series_comes_back_once_not_as_a_pile_of_overdue_occurrences():
    due = D(2026, 5, 1, 9, 0)
    done_at = D(2026, 5, 4, 10, 0)
    assert schedule.next_due_after(due, "daily", None, done_at) == D(2026, 5, 5, 9, 0)
    assert schedule.next_due_after(due, "daily", None, D(2026, 5, 4, 8, 0)) == D(2026, 5, 4, 9, 0)
    # done early: the next one is still one step on, never the same occurrence again
    assert schedule.next_due_after(due, "weekly", None, D(2026, 4, 20)) == D(2026, 5, 8, 9, 0)
    assert schedule.next_due_after(D(2026, 1, 31, 9), "monthly", 31, D(2026, 3, 2)) == D(
        2026, 3, 31, 9
    )


# --- arithmetic: daylight saving, in the machine's local time -----------------------------------


@pytest.fixture
def berlin(monkeypatch):
    """The machine's zone is Europe/Berlin (DST 2026: Mar 29 02:00 -> 03:00, Oct 25 03:00 ->
    02:00)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
    assert os.environ.get("TZ") != "Europe/Berlin"


def test_tomorrow_morning_stays_at_nine_across_the_spring_change(berlin):
    evening = D(2026, 3, 28, 22, 0)  # 11 real hours before 09:00 CEST next day
    assert schedule.snooze_until("tomorrow", evening) == D(2026, 3, 29, 9, 0)
    assert schedule.next_due(D(2026, 3, 28, 9, 0), "daily") == D(2026, 3, 29, 9, 0)
    assert schedule.snooze_until("week", evening) == D(2026, 4, 4, 9, 0)


def test_tomorrow_morning_stays_at_nine_across_the_autumn_change(berlin):
    evening = D(2026, 10, 24, 22, 0)
    assert schedule.snooze_until("tomorrow", evening) == D(2026, 10, 25, 9, 0)
    assert schedule.next_due(D(2026, 10, 24, 9, 0), "weekly") == D(2026, 10, 31, 9, 0)


def test_plus_one_hour_is_a_real_hour_over_the_spring_gap(berlin):
    # 01:30 CET + 1 hour = 03:30 CEST: 02:30 does not exist that night
    assert schedule.snooze_until("hour", D(2026, 3, 29, 1, 30)) == D(2026, 3, 29, 3, 30)
    # an ordinary night: just an hour later
    assert schedule.snooze_until("hour", D(2026, 3, 30, 1, 30)) == D(2026, 3, 30, 2, 30)


def test_classify_and_parse_when():
    at = D(2026, 5, 8, 10, 0)
    assert schedule.classify(D(2026, 5, 8, 9, 59), at) == "overdue"
    assert schedule.classify(D(2026, 5, 1, 9, 0), at) == "overdue"
    assert schedule.classify(D(2026, 5, 8, 10, 0), at) == "today"
    assert schedule.classify(D(2026, 5, 8, 23, 59), at) == "today"
    assert schedule.classify(D(2026, 5, 9, 0, 0), at) == "upcoming"
    assert schedule.classify(D(2026, 5, 15, 23, 59), at) == "upcoming"
    assert schedule.classify(D(2026, 5, 16, 0, 0), at) == "later"
    assert schedule.parse_when("2026-06-01 14:30", at) == D(2026, 6, 1, 14, 30)
    assert schedule.parse_when("2026-06-01", at) == D(2026, 6, 1, 9, 0)
    assert schedule.parse_when("tomorrow", at) == D(2026, 5, 9, 9, 0)
    assert schedule.parse_when("today 16:15", at) == D(2026, 5, 8, 16, 15)
    assert schedule.parse_when("15:00", at) == D(2026, 5, 8, 15, 0)
    assert schedule.parse_when("+3d", at) == D(2026, 5, 11, 10, 0)
    assert schedule.parse_when("+1m", D(2026, 1, 31, 9)) == D(2026, 2, 28, 9)
    for bad in ("", "soon", "2026-02-30", "25:00"):
        with pytest.raises(ValueError):
            schedule.parse_when(bad, at)


# --- operations ------------------------------------------------------------------------------


def _tomorrow(hour: int = 9) -> D:
    return D.combine(now().date() + dt.timedelta(days=1), dt.time(hour))


def test_create_for_yourself_and_the_audit_trail(sales):
    r = reminders.create_reminder(sales, title="  Call  Mr Wang ", due_at="tomorrow 10:00",
                                  kind="task")
    assert (r.title, r.kind, r.assignee_id, r.created_by_id) == (
        "Call Mr Wang", "task", sales.id, sales.id)
    assert r.due_at == r.remind_at == _tomorrow(10)
    row = AuditLog.get((AuditLog.entity == "reminder") & (AuditLog.record_id == r.id))
    assert row.action == "create" and row.username == "sally"


def test_sales_may_not_assign_to_others_and_nothing_is_written(sales, manager):
    with pytest.raises(PermissionDenied):
        reminders.create_reminder(sales, title="Do my work", due_at=_tomorrow(),
                                  assignee=manager.id)
    assert Reminder.select().count() == 0
    r = reminders.create_reminder(manager, title="Visit 张三贸易", due_at=_tomorrow(),
                                  assignee="sally")
    assert r.assignee_id == sales.id and r.created_by_id == manager.id
    assert [u.username for u in reminders.assignable_users(sales)] == ["sally"]
    assert "sally" in [u.username for u in reminders.assignable_users(manager)]


def test_others_may_not_touch_my_reminder_but_a_manager_may(sales, manager, make_user):
    other = make_user("sales", "olga")
    r = reminders.create_reminder(sales, title="Mine", due_at=_tomorrow())
    for op in (lambda: reminders.complete(other, r.id),
               lambda: reminders.snooze(other, r.id, "hour"),
               lambda: reminders.update_reminder(other, r.id, title="Hers")):
        with pytest.raises(PermissionDenied):
            op()
    assert Reminder.get_by_id(r.id).status == "open"
    reminders.complete(manager, r.id)
    assert Reminder.get_by_id(r.id).status == "done"


def test_validation_names_the_field(sales):
    with pytest.raises(ValidationError) as info:
        reminders.create_reminder(sales, title=" ", due_at="someday")
    assert set(info.value.errors) == {"title"}
    with pytest.raises(ValidationError) as info:
        reminders.create_reminder(sales, title="x", due_at="someday")
    assert set(info.value.errors) == {"due_at"}
    with pytest.raises(ValidationError) as info:
        reminders.create_reminder(sales, title="x", due_at=_tomorrow(), customer_code="NOPE")
    assert "no customer" in info.value.errors["customer"]


def test_done_once_and_done_twice_is_refused(sales):
    r = reminders.create_reminder(sales, title="Once", due_at=_tomorrow())
    done, nxt = reminders.complete(sales, r.id)
    assert done.status == "done" and done.done_at is not None and nxt is None
    with pytest.raises(Conflict):
        reminders.complete(sales, r.id)
    assert Reminder.select().count() == 1


def test_monthly_series_from_jan_31_through_february(sales):
    r = reminders.create_reminder(sales, title="Pay rent", due_at=D(2030, 1, 31, 9, 0),
                                  remind_at=D(2030, 1, 30, 9, 0), repeat="monthly")
    assert r.repeat_day == 31 and r.lead_minutes == 24 * 60
    _, feb = reminders.complete(sales, r.id)
    assert feb.due_at == D(2030, 2, 28, 9, 0)
    assert feb.remind_at == D(2030, 2, 27, 9, 0)  # the same lead as the first one
    assert feb.follows_id == r.id and feb.status == "open" and feb.repeat == "monthly"
    _, mar = reminders.complete(sales, feb.id)
    assert mar.due_at == D(2030, 3, 31, 9, 0)
    with pytest.raises(Conflict):  # a second session pressing done creates no second March
        reminders.complete(sales, feb.id)
    assert Reminder.select().where(Reminder.status == "open").count() == 1


def test_yearly_series_from_feb_29(sales):
    r = reminders.create_reminder(sales, title="Licence", due_at=D(2032, 2, 29, 12, 0),
                                  repeat="yearly")
    _, nxt = reminders.complete(sales, r.id)
    assert nxt.due_at == D(2033, 2, 28, 12, 0)
    _, nxt = reminders.complete(sales, nxt.id)
    _, nxt = reminders.complete(sales, nxt.id)
    _, nxt = reminders.complete(sales, nxt.id)
    assert nxt.due_at == D(2036, 2, 29, 12, 0)


def test_snooze_moves_only_the_reminder_time(sales):
    due = _tomorrow(15)
    r = reminders.create_reminder(sales, title="Quote for 李四", due_at=due)
    before = now()
    s = reminders.snooze(sales, r.id, "hour")
    assert s.due_at == due
    assert before + dt.timedelta(minutes=59) <= s.remind_at <= now() + dt.timedelta(hours=1)
    s = reminders.snooze(sales, r.id, "tomorrow")
    assert (s.due_at, s.remind_at) == (due, _tomorrow(9))
    s = reminders.snooze(sales, r.id, "week")
    assert s.due_at == due
    assert s.remind_at == D.combine(now().date() + dt.timedelta(days=7), dt.time(9))
    assert [a.action for a in AuditLog.select().where(AuditLog.entity == "reminder")
            .order_by(AuditLog.id)] == ["create", "snooze", "snooze", "snooze"]
    reminders.complete(sales, r.id)
    with pytest.raises(Conflict):
        reminders.snooze(sales, r.id, "hour")


def test_done_and_follow_up_uses_the_default_offset(sales):
    cust = Customer.create(code="C001", name="张三贸易有限公司", salesperson=sales.id)
    r = reminders.create_reminder(sales, title="Send samples", due_at=_tomorrow(14),
                                  customer_code="c001", notes="two boxes")
    done, nxt, follow = reminders.complete_and_follow_up(sales, r.id)
    assert done.status == "done" and nxt is None
    assert follow.kind == "follow_up" and follow.title == "Follow up: Send samples"
    assert follow.due_at == D.combine(now().date() + dt.timedelta(days=3), dt.time(14))
    assert (follow.customer_id, follow.assignee_id, follow.follows_id) == (cust.id, sales.id, r.id)
    assert follow.notes == "two boxes" and follow.status == "open"


def test_update_keeps_the_lead_and_refuses_a_stale_version(sales):
    r = reminders.create_reminder(sales, title="A", due_at=D(2030, 5, 10, 10, 0),
                                  remind_at=D(2030, 5, 10, 9, 30))
    u = reminders.update_reminder(sales, r.id, version=r.version, due_at="2030-05-12 10:00")
    assert (u.due_at, u.remind_at, u.version) == (D(2030, 5, 12, 10), D(2030, 5, 12, 9, 30), 2)
    with pytest.raises(Conflict):
        reminders.update_reminder(sales, r.id, version=r.version, title="B")
    assert Reminder.get_by_id(r.id).title == "A"


def test_coming_due_is_the_notification_window(sales, manager):
    at = now()
    soon = reminders.create_reminder(sales, title="soon", due_at=at + dt.timedelta(minutes=5))
    reminders.create_reminder(sales, title="later", due_at=at + dt.timedelta(hours=5))
    reminders.create_reminder(manager, title="not mine", due_at=at + dt.timedelta(minutes=5))
    got = reminders.coming_due(sales, at, at + dt.timedelta(minutes=10))
    assert [r.title for r in got] == ["soon"]
    reminders.complete(sales, soon.id)
    assert reminders.coming_due(sales, at, at + dt.timedelta(minutes=10)) == []


# --- announcements -------------------------------------------------------------------------


def test_announcement_audiences(manager, sales, warehouse, make_user):
    olga = make_user("sales", "olga")
    everyone = announcements.post_announcement(manager, "Shop closes at 3 today", "Inventory.")
    to_sales = announcements.post_announcement(manager, "New price list", audience="role",
                                               role="sales")
    chosen = announcements.post_announcement(manager, "Bring the keys", audience="users",
                                             users="wally, olga".replace(",", " ").split())

    def unread(u):
        return [a.title for a in announcements.unread(u)]

    assert set(unread(sales)) == {everyone.title, to_sales.title}
    assert set(unread(warehouse)) == {everyone.title, chosen.title}
    assert set(unread(olga)) == {everyone.title, to_sales.title, chosen.title}
    assert unread(manager) == []  # the author has read them
    assert chosen.audience_text == "users: olga, wally"

    announcements.mark_read(sales, everyone.id)
    announcements.mark_read(sales, everyone.id)  # once is recorded once
    assert unread(sales) == [to_sales.title]
    listed = {row.values[3]: row.values[0] for row in
              open_list(sales, ANNOUNCEMENTS, ListRequest()).first(50)}
    assert listed == {everyone.title: "", to_sales.title: "NEW"}  # hers only, unread marked
    assert announcements.counts(sales) == (2, 1)
    reads = AuditLog.select().where((AuditLog.entity == "announcement")
                                    & (AuditLog.action == "read"))
    assert reads.count() == 1
    with pytest.raises(NotFound, match="does not exist"):
        announcements.mark_read(sales, chosen.id)  # not for her


def test_only_announcement_posters_may_post(sales, manager):
    with pytest.raises(PermissionDenied):
        announcements.post_announcement(sales, "Free lunch")
    with pytest.raises(ValidationError) as info:
        announcements.post_announcement(manager, "x", audience="users", users=["nobody"])
    assert "nobody" in info.value.errors["users"]
    with pytest.raises(ValidationError):
        announcements.post_announcement(manager, "x", audience="role", role="boss")


# --- activities ------------------------------------------------------------------------------


def test_activities_on_a_customer(sales, warehouse, make_user):
    cust = Customer.create(code="C9", name="Acme Ltd", salesperson=sales.id)
    a1 = activities.add_activity(sales, cust.id, "call", subject="Asked for a quote",
                                 outcome="send by Friday", at=D(2026, 5, 1, 10, 0))
    activities.add_activity(sales, cust.id, "visit", notes="Met the buyer",
                            at=D(2026, 5, 3, 15, 0))
    assert [a.kind for a in activities.list_for_customer(sales, cust.id)] == ["visit", "call"]
    assert a1.user_id == sales.id and a1.outcome == "send by Friday"
    with pytest.raises(PermissionDenied):
        activities.add_activity(warehouse, cust.id, "call", subject="x")
    with pytest.raises(ValidationError):
        activities.add_activity(sales, cust.id, "fax", subject="x")
    other = make_user("sales", "olga")  # not her customer: as if it did not exist
    with pytest.raises(NotFound, match="not yours"):
        activities.add_activity(other, cust.id, "call", subject="x")
    with pytest.raises(NotFound, match="not yours"):
        activities.list_for_customer(other, cust.id)
    assert Activity.select().count() == 2


# --- the Today list --------------------------------------------------------------------------


def test_today_groups_reminders_announcements_and_alerts(sales, manager):
    at = now()
    day = at.date()
    reminders.create_reminder(sales, title="Late one", due_at=at - dt.timedelta(days=2))
    reminders.create_reminder(sales, title="Tonight", due_at=D.combine(day, dt.time(23, 59)))
    reminders.create_reminder(sales, title="Next week",
                              due_at=D.combine(day + dt.timedelta(days=6), dt.time(10)))
    reminders.create_reminder(sales, title="Far away",
                              due_at=D.combine(day + dt.timedelta(days=30), dt.time(10)))
    done = reminders.create_reminder(sales, title="Already done", due_at=at - dt.timedelta(1))
    reminders.complete(sales, done.id)
    reminders.create_reminder(manager, title="Manager's own", due_at=at - dt.timedelta(days=1))
    announcements.post_announcement(manager, "Stocktaking on Sunday")

    cust = Customer.create(code="C1", name="Acme", salesperson=sales.id)
    Contact.create(customer=cust, name="Birthday Bob", birthday=day.replace(year=1980)
                   if not (day.month == 2 and day.day == 29) else dt.date(1980, 2, 29))
    Contact.create(customer=cust, name="Other Olga", birthday=dt.date(1980, 1, 1)
                   if (day.month, day.day) != (1, 1) else dt.date(1980, 1, 2))
    loc = Location.create(code="MAIN", name="Main")
    low = Product.create(code="P-LOW", name="Cable", min_stock=Decimal("10"))
    StockLevel.create(product=low, location=loc, on_hand=Decimal("2"))
    ok = Product.create(code="P-OK", name="Plug", min_stock=Decimal("1"))
    StockLevel.create(product=ok, location=loc, on_hand=Decimal("5"))
    Product.create(code="P-NONE", name="Never stocked", min_stock=Decimal("3"))
    Order.create(number="Q-1", kind="quote", status="draft", date=day, customer=cust,
                 valid_until=day + dt.timedelta(days=2), salesperson=sales.id,
                 total=Decimal("1234.50"))
    Order.create(number="Q-2", kind="quote", status="draft", date=day, customer=cust,
                 valid_until=day + dt.timedelta(days=10), salesperson=sales.id)
    Order.create(number="Q-3", kind="quote", status="converted", date=day, customer=cust,
                 valid_until=day, salesperson=sales.id)

    items = today.build_today(sales, at)
    groups = {g: [i.title for i in members] for g, members in today.grouped(items)}
    assert groups["overdue"] == ["Late one"]
    assert groups["today"] == ["Tonight"]
    assert groups["upcoming"] == ["Next week"]
    assert groups["announcements"] == ["Stocktaking on Sunday"]
    assert set(groups["alerts"]) == {
        "Low stock: P-LOW Cable", "Low stock: P-NONE Never stocked",
        "Quote Q-1 expires in 2 days", "Birthday: Birthday Bob",
    }
    assert list(groups) == ["overdue", "today", "upcoming", "announcements", "alerts"]
    assert {i.mark for i in items if i.group == "overdue"} == {"!"}
    [quote] = [i for i in items if i.kind == "quote"]
    assert quote.detail == "Acme, total 1,234.50"
    [low_item] = [i for i in items if i.title == "Low stock: P-LOW Cable"]
    assert low_item.detail == "on hand 2 pcs, minimum 10"

    text = today.render_text(items, sales, at)
    assert "OVERDUE (1)" in text and "DUE TODAY (1)" in text and "NEXT 7 DAYS (1)" in text
    assert text.index("Late one") < text.index("Tonight") < text.index("Next week")
    assert "Far away" not in text and "Manager's own" not in text and "Already done" not in text


def test_feb_29_birthdays_are_kept_on_feb_28_in_other_years():
    assert today.birthday_keys(dt.date(2026, 2, 28)) == ["02-28", "02-29"]
    assert today.birthday_keys(dt.date(2028, 2, 28)) == ["02-28"]
    assert today.birthday_keys(dt.date(2028, 2, 29)) == ["02-29"]


# --- demo data -------------------------------------------------------------------------------


def test_demo_gives_every_user_a_full_today(admin, manager, sales, warehouse):
    from tuicrm.data.demo.agenda import build_demo_activities

    for n in range(3):
        Customer.create(code=f"C{n}", name=f"Customer {n}", salesperson=sales.id)
    created = build_demo_activities(seed=7)
    assert created == Reminder.select().count() + Activity.select().count() + 4
    at = now()
    late_evening = at.time() >= dt.time(23, 58)
    for user in (admin, manager, sales, warehouse):
        groups = {g: m for g, m in today.grouped(today.build_today(user, at))}
        assert len(groups["overdue"]) >= 2, user.username
        assert late_evening or len(groups["today"]) >= 2, user.username
        assert len(groups["upcoming"]) >= 2, user.username
        assert groups.get("announcements"), user.username
        mine = Reminder.select().where(Reminder.assignee == user.id)
        assert mine.where(Reminder.repeat != "none").count() == 4
        assert mine.where(Reminder.customer.is_null(False)).count() >= 1
        assert Activity.select().where(Activity.user == user.id).count() == 4
    # nobody sees their own announcement as unread
    assert [a.author for a in announcements.unread(manager)] == ["admin"]


# --- scope, lists and how many queries a screen costs ----------------------------------------


def test_a_reminder_names_only_a_customer_within_reach(sales, manager, make_user):
    """A salesperson cannot hang a reminder on another salesperson's customer; a manager can."""
    olga = make_user("sales", "olga")
    theirs = Customer.create(code="OLGA1", name="Olga's client", salesperson=olga.id)
    with pytest.raises(ValidationError, match="no customer"):
        reminders.create_reminder(sales, title="Poach", due_at=_tomorrow(),
                                  customer_code="olga1")
    with pytest.raises(NotFound, match="not yours"):
        reminders.create_reminder(sales, title="Poach", due_at=_tomorrow(),
                                  customer_id=theirs.id)
    r = reminders.create_reminder(manager, title="Visit", due_at=_tomorrow(),
                                  customer_code="OLGA1", assignee="sally")
    assert (r.customer_id, r.customer_label) == (theirs.id, "OLGA1 Olga's client")
    # the reminder is hers now: she may finish it, follow-up included
    _, _, follow = reminders.complete_and_follow_up(sales, r.id)
    assert follow.customer_id == theirs.id and follow.assignee_id == sales.id


def _listed(actor, **options) -> list[str]:
    pager = open_list(actor, REMINDERS, ListRequest(options=options))
    return [row.values[2] for row in pager.first(100)]


def test_the_reminders_list_shows_mine_or_everyones_by_status(sales, manager, make_user):
    olga = make_user("sales", "olga")
    at = now()
    late = reminders.create_reminder(sales, title="Late", due_at=at - dt.timedelta(days=1))
    reminders.create_reminder(sales, title="Soon", due_at=at + dt.timedelta(hours=1))
    done = reminders.create_reminder(sales, title="Done one", due_at=at)
    reminders.complete(sales, done.id)
    reminders.create_reminder(manager, title="For Sally", due_at=_tomorrow(), assignee="sally")
    reminders.create_reminder(olga, title="Olga's", due_at=_tomorrow())

    assert _listed(sales) == ["Late", "Soon", "For Sally"]  # open, by due time
    assert _listed(sales, status="done") == ["Done one"]
    assert sorted(_listed(sales, status="all")) == ["Done one", "For Sally", "Late", "Soon"]
    assert _listed(manager) == ["For Sally"]  # the ones he made
    assert "Olga's" in _listed(manager, everyone=True)
    with pytest.raises(PermissionDenied):
        _listed(sales, everyone=True)
    first = open_list(sales, REMINDERS, ListRequest()).first(1)[0]
    assert first.id == late.id and REMINDERS.column("mark").text(first.values[0]) == "!"
    searched = open_list(sales, REMINDERS, ListRequest(search="soo")).first(10)
    assert [r.values[2] for r in searched] == ["Soon"]
    [done_row] = open_list(sales, REMINDERS, ListRequest(options={"status": "done"})).first(5)
    assert REMINDERS.column("mark").text(done_row.values[0]) == "ok"


class _Queries:
    """Counts the statements the database runs (SELECTs and writes alike)."""

    def __init__(self, monkeypatch):
        from tuicrm.data.core.db import database

        self.n = 0
        real = database.obj.execute_sql

        def counted(sql, params=None, *args, **kwargs):
            self.n += 1
            return real(sql, params, *args, **kwargs)

        monkeypatch.setattr(database.obj, "execute_sql", counted)


def _agenda(owner, creator, n: int, start: int = 0) -> None:
    at = now()
    for i in range(start, start + n):
        cust = Customer.create(code=f"Q{owner.id}-{i}", name=f"Customer {i}",
                               salesperson=owner.id)
        reminders.create_reminder(creator, title=f"Job {i}", assignee=owner.username,
                                  due_at=at - dt.timedelta(hours=i + 1), customer_id=cust.id)
        announcements.post_announcement(creator, f"Notice {i}")


def test_today_and_the_lists_read_in_a_bounded_number_of_queries(sales, manager, monkeypatch):
    """20 reminders with customers and creators cost no more queries than 2 (it was 40)."""
    _agenda(sales, manager, 2)
    queries = _Queries(monkeypatch)
    today.build_today(sales)
    few = queries.n
    open_list(sales, REMINDERS, ListRequest()).first(50)
    open_list(sales, ANNOUNCEMENTS, ListRequest()).first(50)
    few_lists = queries.n - few
    monkeypatch.undo()

    _agenda(sales, manager, 18, start=2)
    queries = _Queries(monkeypatch)
    items = today.build_today(sales)
    many = queries.n
    pages = [open_list(sales, REMINDERS, ListRequest()).first(50),
             open_list(sales, ANNOUNCEMENTS, ListRequest()).first(50)]
    many_lists = queries.n - many
    assert len([i for i in items if i.kind == "reminder"]) == 20
    assert "from manny" in items[0].detail and "Customer" in items[0].detail
    assert [len(p) for p in pages] == [20, 20]
    assert (many, many_lists) == (few, few_lists)


def test_todays_alerts_for_a_salesperson_stay_within_her_customers(sales, manager, make_user):
    """Quotes expiring and birthdays: hers (her customers' quotes, whoever entered them), not
    another salesperson's; a manager sees them all."""
    olga = make_user("sales", "olga")
    day = now().date()
    mine = Customer.create(code="M1", name="Mine Ltd", salesperson=sales.id)
    hers = Customer.create(code="O1", name="Olga's Ltd", salesperson=olga.id)
    for number, cust, seller in (("Q-MINE", mine, manager.id), ("Q-OLGA", hers, olga.id)):
        Order.create(number=number, kind="quote", status="draft", date=day, customer=cust,
                     valid_until=day + dt.timedelta(days=1), salesperson=seller)
    birthday = dt.date(1980, day.month, day.day) if (day.month, day.day) != (2, 29) else \
        dt.date(1980, 2, 29)
    Contact.create(customer=mine, name="Mia", birthday=birthday)
    Contact.create(customer=hers, name="Oskar", birthday=birthday)

    def alerts(user):
        return {i.title for i in today.build_today(user) if i.group == "alerts"}

    assert alerts(sales) == {"Quote Q-MINE expires tomorrow", "Birthday: Mia"}
    assert alerts(manager) >= {"Quote Q-MINE expires tomorrow", "Quote Q-OLGA expires tomorrow",
                               "Birthday: Mia", "Birthday: Oskar"}
    # the command line builds her list as she sees it
    assert {i.title for i in today.build_today(system_actor(), user_id=sales.id)
            if i.group == "alerts"} == alerts(sales)
    with pytest.raises(PermissionDenied):
        today.build_today(sales, user_id=manager.id)
