"""The Today list (SPEC S4): one operator's overdue, due-today and coming reminders, unread
announcements, and alerts from the data. No Textual: the Today screen and ``tuicrm today``
build the same list here.

Alerts come from the tables that exist: products below their minimum stock, quotes expiring
within 3 days, contacts' birthdays today. Open stock counts and overdue receivables join when
those records exist. Each alert kind shows at most ``ALERT_LIMIT`` lines plus a count line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from peewee import JOIN, fn

from ..core import db as dbmod
from ..core.money import fmt_money, fmt_qty, from_milli
from ..core.permissions import allowed
from ..models import Contact, Customer, Order, Product, Reminder, StockLevel, User, now
from . import announcements, reminders

GROUPS: dict[str, str] = {
    "overdue": "OVERDUE",
    "today": "DUE TODAY",
    "upcoming": "NEXT 7 DAYS",
    "announcements": "NEW ANNOUNCEMENTS",
    "alerts": "ALERTS",
}
# A mark on every line, so overdue and due-today differ without colour.
MARKS: dict[str, str] = {"overdue": "!", "today": "*", "upcoming": "-", "announcements": "+",
                         "alerts": "#"}
DAYS_AHEAD = 7
QUOTE_DAYS = 3
ALERT_LIMIT = 10


@dataclass(frozen=True)
class TodayItem:
    group: str  # a key of GROUPS
    kind: str  # reminder | announcement | low_stock | quote | birthday | more
    ref_id: int | None  # the record the line opens (reminder, announcement, product, order, ...)
    when: str  # as shown
    title: str
    detail: str = ""
    stamp: str = ""  # the same moment for scripts: ISO date or date-time

    @property
    def mark(self) -> str:
        return MARKS[self.group]


def _reminder_items(user: User, at: dt.datetime) -> list[TodayItem]:
    until = dt.datetime.combine(at.date() + dt.timedelta(days=DAYS_AHEAD + 1), dt.time())
    items = []
    rows = (
        Reminder.select(Reminder, Customer)
        .join(Customer, JOIN.LEFT_OUTER, on=(Reminder.customer == Customer.id))
        .where(
            (Reminder.assignee == user.id)
            & (Reminder.status == "open")
            & (Reminder.due_at < until)
        )
        .order_by(Reminder.due_at, Reminder.id)
    )
    for r in rows:
        group = reminders.classify(r.due_at, at, DAYS_AHEAD)
        if group == "later":
            continue
        parts = [reminders.KINDS.get(r.kind, r.kind)]
        if r.customer_id:
            parts.append(f"{r.customer.code} {r.customer.name}")
        if r.repeat != "none":
            parts.append(f"repeats {r.repeat}")
        if r.remind_at and r.remind_at > r.due_at:
            parts.append(f"snoozed to {reminders.fmt_when(r.remind_at, at)}")
        elif r.remind_at and at < r.remind_at < r.due_at:
            parts.append(f"rings {reminders.fmt_when(r.remind_at, at)}")
        if r.created_by_id and r.created_by_id != r.assignee_id:
            parts.append(f"from {r.created_by.username}")
        items.append(
            TodayItem(group, "reminder", r.id, reminders.fmt_when(r.due_at, at), r.title,
                      ", ".join(parts), f"{r.due_at:%Y-%m-%dT%H:%M}")
        )
    return items


def _announcement_items(user: User, at: dt.datetime) -> list[TodayItem]:
    items = []
    for ann in announcements.unread_for_user(user):
        author = ann.author.display_name if ann.author_id else ""
        items.append(
            TodayItem("announcements", "announcement", ann.id,
                      reminders.fmt_when(ann.posted_at, at), ann.title,
                      f"from {author}" if author else "", f"{ann.posted_at:%Y-%m-%dT%H:%M}")
        )
    return items


def _more(count: int, what: str) -> list[TodayItem]:
    if count <= ALERT_LIMIT:
        return []
    return [TodayItem("alerts", "more", None, "", f"... and {count - ALERT_LIMIT} more {what}")]


def low_stock_query():
    on_hand = fn.COALESCE(fn.SUM(StockLevel.on_hand), 0)
    return (
        Product.select(Product.id, Product.code, Product.name, Product.unit, Product.min_stock,
                       on_hand.alias("total"))
        .join(StockLevel, JOIN.LEFT_OUTER, on=(StockLevel.product == Product.id))
        .where((Product.active == True) & (Product.min_stock > 0))  # noqa: E712
        .group_by(Product.id, Product.code, Product.name, Product.unit, Product.min_stock)
        .having(on_hand < Product.min_stock)
    )


def _low_stock_items(user: User) -> list[TodayItem]:
    if not allowed(user, "stock.view"):
        return []
    query = low_stock_query()
    items = []
    for row in query.order_by(Product.code).limit(ALERT_LIMIT).tuples():
        pid, code, name, unit, minimum, total = row
        items.append(
            TodayItem("alerts", "low_stock", pid, "", f"Low stock: {code} {name}",
                      f"on hand {fmt_qty(from_milli(int(total)))} {unit}, minimum "
                      f"{fmt_qty(minimum)}")
        )
    if len(items) == ALERT_LIMIT:
        items += _more(query.count(), "products below minimum stock")
    return items


def _own_only(user: User) -> bool:
    return not allowed(user, "customer.view_all")


def _quote_items(user: User, at: dt.datetime) -> list[TodayItem]:
    if not allowed(user, "order.sell"):
        return []
    today = at.date()
    query = (
        Order.select(Order.id, Order.number, Order.valid_until, Order.total, Customer.name)
        .join(Customer, JOIN.LEFT_OUTER, on=(Order.customer == Customer.id))
        .where(
            (Order.kind == "quote")
            & (Order.status.in_(["draft", "confirmed"]))
            & (Order.valid_until >= today)
            & (Order.valid_until <= today + dt.timedelta(days=QUOTE_DAYS))
        )
    )
    if _own_only(user):
        query = query.where(Order.salesperson == user.id)
    items = []
    for oid, number, valid, total, cname in (
        query.order_by(Order.valid_until, Order.id).limit(ALERT_LIMIT).tuples()
    ):
        days = (valid - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        items.append(
            TodayItem("alerts", "quote", oid, f"{valid:%Y-%m-%d}",
                      f"Quote {number} expires {when}",
                      f"{cname or ''}, total {fmt_money(total)}".lstrip(", "),
                      valid.isoformat())
        )
    if len(items) == ALERT_LIMIT:
        items += _more(query.count(), "quotes expiring")
    return items


def _month_day(field):
    if dbmod.is_sqlite():
        return fn.strftime("%m-%d", field)
    return fn.to_char(field, "MM-DD")


def birthday_keys(day: dt.date) -> list[str]:
    """The month-day strings whose birthday falls on ``day``: Feb 29 birthdays are kept on
    Feb 28 in other years."""
    keys = [f"{day:%m-%d}"]
    if day.month == 2 and day.day == 28 and not _is_leap(day.year):
        keys.append("02-29")
    return keys


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _birthday_items(user: User, at: dt.datetime) -> list[TodayItem]:
    if not allowed(user, "customer.view"):
        return []
    query = (
        Contact.select(Contact.id, Contact.name, Contact.mobile, Contact.phone, Customer.code,
                       Customer.name)
        .join(Customer, on=(Contact.customer == Customer.id))
        .where(Contact.birthday.is_null(False)
               & _month_day(Contact.birthday).in_(birthday_keys(at.date())))
    )
    if _own_only(user):
        query = query.where(Customer.salesperson == user.id)
    items = []
    for cid, name, mobile, phone, ccode, cname in (
        query.order_by(Contact.name, Contact.id).limit(ALERT_LIMIT).tuples()
    ):
        items.append(
            TodayItem("alerts", "birthday", cid, "today", f"Birthday: {name}",
                      ", ".join(p for p in (f"{ccode} {cname}", mobile or phone) if p),
                      at.date().isoformat())
        )
    if len(items) == ALERT_LIMIT:
        items += _more(query.count(), "birthdays")
    return items


def _count_items(user: User, at: dt.datetime) -> list[TodayItem]:
    if not (allowed(user, "count.count") or allowed(user, "count.manage")):
        return []
    from ..counts import sessions as counts

    items = [
        TodayItem("alerts", "stock_count", c.id, reminders.fmt_when(c.opened_at, at),
                  f"Stock count {c.number} is open", f"{c.scope_label}, {c.mode}",
                  f"{c.opened_at:%Y-%m-%dT%H:%M}")
        for c in counts.open_counts(user)[:ALERT_LIMIT]
    ]
    return items


def build_today(user: User, at: dt.datetime | None = None) -> list[TodayItem]:
    """Everything on ``user``'s Today list, in display order (group by group)."""
    at = at or now()
    items = _reminder_items(user, at)
    items += _announcement_items(user, at)
    items += _low_stock_items(user)
    items += _quote_items(user, at)
    items += _birthday_items(user, at)
    items += _count_items(user, at)
    order = list(GROUPS)
    return sorted(items, key=lambda i: order.index(i.group))  # stable within a group


def grouped(items: list[TodayItem]) -> list[tuple[str, list[TodayItem]]]:
    """(group key, its items) for the groups that have any, in display order."""
    return [(g, [i for i in items if i.group == g]) for g in GROUPS
            if any(i.group == g for i in items)]


def heading(group: str, count: int) -> str:
    return f"{GROUPS[group]} ({count})"


def render_text(items: list[TodayItem], user: User, at: dt.datetime | None = None) -> str:
    """The list as plain text: a heading per group, then a table (for a login banner)."""
    from tabulate import tabulate

    at = at or now()
    lines = [f"Today for {user.display_name} ({user.username}), {at:%A %Y-%m-%d %H:%M}"]
    if not items:
        lines += ["", "Nothing due, no alerts."]
    for group, members in grouped(items):
        lines += ["", heading(group, len(members))]
        rows = [[i.mark, i.when, i.title, i.detail] for i in members]
        table = tabulate(rows, tablefmt="plain", disable_numparse=True)
        lines += ["  " + line.rstrip() for line in table.splitlines()]
    return "\n".join(lines) + "\n"


def render_csv(items: list[TodayItem]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group", "kind", "id", "at", "when", "title", "detail"])
    for i in items:
        writer.writerow([i.group, i.kind, "" if i.ref_id is None else i.ref_id, i.stamp,
                         i.when, i.title, i.detail])
    return out.getvalue()
