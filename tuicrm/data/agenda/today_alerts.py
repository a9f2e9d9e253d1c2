"""The alerts on the Today list: products below their minimum stock, quotes expiring within 3
days, contacts' birthdays today and open stock counts, each within what the user may see
(their permissions; a salesperson's quotes and birthdays through the customer and order
scopes). Each kind shows at most ``ALERT_LIMIT`` lines plus a count line; each is one query
(two when there are more).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import peewee
from peewee import JOIN, fn

from ..core import db as dbmod
from ..core.actor import Actor
from ..core.money import fmt_money, fmt_qty, from_milli
from ..core.vocab import OPEN_ORDER_STATUSES, OrderKind
from ..counts import sessions as counts
from ..models.catalog import Product
from ..models.orders import Order
from ..models.parties import Contact, Customer
from ..models.stock import StockLevel
from ..parties.scope import customer_scope_where
from ..sales.scope import order_scope_where
from .schedule import fmt_when

QUOTE_DAYS = 3
ALERT_LIMIT = 10


class ItemKind(StrEnum):
    """What a Today line is about (what Enter opens)."""

    REMINDER = "reminder"
    ANNOUNCEMENT = "announcement"
    LOW_STOCK = "low_stock"
    QUOTE = "quote"
    BIRTHDAY = "birthday"
    STOCK_COUNT = "stock_count"
    BACKUP = "backup"
    TICKET = "ticket"
    RECEIVABLE = "receivable"  # a customer with overdue invoices (opens Receipts)
    IMPORT = "import"  # an import stopped half-way (says the commands that end it)
    MORE = "more"  # "... and 12 more": opens nothing


@dataclass(frozen=True)
class Alert:
    kind: ItemKind
    ref_id: int | None
    when: str
    title: str
    detail: str = ""
    stamp: str = ""
    more: int = 0  # a MORE line: how many it stands for (a heading counts them)


def _more(query: peewee.ModelSelect[Any], shown: int, what: str) -> list[Alert]:
    if shown < ALERT_LIMIT:
        return []
    count = int(query.count())
    if count <= ALERT_LIMIT:
        return []
    return [Alert(ItemKind.MORE, None, "", f"... and {count - ALERT_LIMIT} more {what}",
                  more=count - ALERT_LIMIT)]


def low_stock_query() -> peewee.ModelSelect[Any]:
    on_hand = fn.COALESCE(fn.SUM(StockLevel.on_hand), 0)
    return (
        Product.select(Product.id, Product.code, Product.name, Product.unit, Product.min_stock,
                       on_hand.alias("total"))
        .join(StockLevel, JOIN.LEFT_OUTER, on=(StockLevel.product == Product.id))
        .where((Product.active == True) & (Product.min_stock > 0))  # noqa: E712 - SQL
        .group_by(Product.id, Product.code, Product.name, Product.unit, Product.min_stock)
        .having(on_hand < Product.min_stock)
    )


def _low_stock(user: Actor, at: dt.datetime) -> list[Alert]:
    query = low_stock_query()
    items = [
        Alert(ItemKind.LOW_STOCK, pid, "", f"Low stock: {code} {name}",
              f"on hand {fmt_qty(from_milli(int(total)))} {unit}, minimum {fmt_qty(minimum)}")
        for pid, code, name, unit, minimum, total in
        query.order_by(Product.code).limit(ALERT_LIMIT).tuples().execute()
    ]
    return items + _more(query, len(items), "products below minimum stock")


def _quotes(user: Actor, at: dt.datetime) -> list[Alert]:
    today = at.date()
    query = (
        Order.select(Order.id, Order.number, Order.valid_until, Order.total, Customer.name)
        .join(Customer, JOIN.LEFT_OUTER, on=(Order.customer == Customer.id))
        .where((Order.kind == OrderKind.QUOTE.value)
               & Order.status.in_([s.value for s in OPEN_ORDER_STATUSES])
               & (Order.valid_until >= today)
               & (Order.valid_until <= today + dt.timedelta(days=QUOTE_DAYS)))
    )
    scope = order_scope_where(user)
    if scope is not None:
        query = query.where(scope)
    items = []
    for oid, number, valid, total, cname in (
        query.order_by(Order.valid_until, Order.id).limit(ALERT_LIMIT).tuples().execute()
    ):
        days = (valid - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        items.append(Alert(ItemKind.QUOTE, oid, f"{valid:%Y-%m-%d}",
                           f"Quote {number} expires {when}",
                           f"{cname or ''}, total {fmt_money(total)}".lstrip(", "),
                           valid.isoformat()))
    return items + _more(query, len(items), "quotes expiring")


def _month_day(field: Any) -> Any:
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


def _birthdays(user: Actor, at: dt.datetime) -> list[Alert]:
    query = (
        Contact.select(Contact.id, Contact.name, Contact.mobile, Contact.phone, Customer.code,
                       Customer.name)
        .join(Customer, on=(Contact.customer == Customer.id))
        .where(Contact.birthday.is_null(False)
               & _month_day(Contact.birthday).in_(birthday_keys(at.date())))
    )
    scope = customer_scope_where(user)
    if scope is not None:
        query = query.where(scope)
    items = [
        Alert(ItemKind.BIRTHDAY, cid, "today", f"Birthday: {name}",
              ", ".join(p for p in (f"{ccode} {cname}", mobile or phone) if p),
              at.date().isoformat())
        for cid, name, mobile, phone, ccode, cname in
        query.order_by(Contact.name, Contact.id).limit(ALERT_LIMIT).tuples().execute()
    ]
    return items + _more(query, len(items), "birthdays")


def _counts(user: Actor, at: dt.datetime) -> list[Alert]:
    found = counts.open_counts(user)  # the counts' own reader: it knows who sees what
    items = [
        Alert(ItemKind.STOCK_COUNT, c.id, fmt_when(c.opened_at, at),
              f"Stock count {c.number} is open", f"{c.scope_label}, {c.mode.value}",
              f"{c.opened_at:%Y-%m-%dT%H:%M}")
        for c in found[:ALERT_LIMIT]
    ]
    if len(found) > ALERT_LIMIT:
        items.append(Alert(ItemKind.MORE, None, "",
                           f"... and {len(found) - ALERT_LIMIT} more open stock counts",
                           more=len(found) - ALERT_LIMIT))
    return items


def _backups(user: Actor, at: dt.datetime) -> list[Alert]:
    """Administrators: the last good backup or restore drill is older than its setting."""
    from ..backup.schedule import status

    try:
        state = status(at=at)
    except OSError as e:  # the backup folder cannot be read: that is the alert
        return [Alert(ItemKind.BACKUP, None, "", "Backups cannot be read",
                      f"{e.strerror or e}: {e.filename or ''}")]
    items = []
    where = f"folder {state.folder}; open Backup to back up now"
    if state.backup_stale:
        when = f"{state.last_good:%Y-%m-%d %H:%M}" if state.last_good else "never"
        items.append(Alert(ItemKind.BACKUP, None, "", f"No recent backup (last good: {when})",
                           where, when))
    if state.drill_stale:
        when = f"{state.last_drill:%Y-%m-%d}" if state.last_drill else "never"
        what = "failed" if state.last_drill and not state.drill_ok else "is overdue"
        items.append(Alert(ItemKind.BACKUP, None, "", f"Restore drill {what} (last: {when})",
                           "run 'tuicrm backup --drill' or D on the Backup screen", when))
    return items


def overdue_receivables(user: Actor, at: dt.datetime) -> list[Alert]:
    """Customers with invoices past their due date, largest first: to their salesperson
    (the customer scope) and to managers (who see every customer)."""
    from ..money.today import overdue_customers

    rows, count = overdue_customers(user, at.date(), ALERT_LIMIT)
    items = [Alert(ItemKind.RECEIVABLE, cid, f"{oldest:%Y-%m-%d}",
                   f"Overdue: {code} {name} owes {fmt_money(amount)}",
                   f"{n} invoice(s), the oldest due {(at.date() - oldest).days} days ago",
                   oldest.isoformat())
             for cid, code, name, amount, n, oldest in rows]
    if count > ALERT_LIMIT:
        items.append(Alert(ItemKind.MORE, None, "",
                           f"... and {count - ALERT_LIMIT} more customers with overdue invoices"))
    return items


def _imports(user: Actor, at: dt.datetime) -> list[Alert]:
    """Whoever may import: an import run stopped half-way (its process is gone), until it
    is finished or taken back."""
    from ..transfer.runs import unfinished_runs

    return [Alert(ItemKind.IMPORT, None, f"{r.started_at:%Y-%m-%d %H:%M}",
                  f"Import {r.id} of {r.kind} from {r.file} stopped half-way "
                  f"({r.applied:,} of {r.total:,} rows)",
                  f"'tuicrm imports resume {r.id}' finishes it; 'tuicrm imports undo {r.id}' "
                  "takes back what it wrote", r.started_at.isoformat())
            for r in unfinished_runs()[:ALERT_LIMIT]]


# Each alert with the permissions that show it (any one of them).
SOURCES: tuple[tuple[tuple[str, ...], Callable[[Actor, dt.datetime], list[Alert]]], ...] = (
    (("stock.view",), _low_stock),
    (("order.sell",), _quotes),
    (("customer.view",), _birthdays),
    (("count.count", "count.manage"), _counts),
    (("backup.manage",), _backups),
    (("import",), _imports),
    (("money.view",), lambda user, at: overdue_receivables(user, at)),
)


def alerts(user: Actor, granted: Collection[str], at: dt.datetime) -> list[Alert]:
    """``user``'s alerts, given what they may do (``granted``), in display order."""
    out: list[Alert] = []
    for needs, source in SOURCES:
        if any(p in granted for p in needs):
            out += source(user, at)
    return out
