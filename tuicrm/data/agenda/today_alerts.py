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

from ...i18n import N_, _, ngettext
from ..core import db as dbmod
from ..core.actor import Actor
from ..core.formats import fmt_amount
from ..core.money import fmt_qty, from_milli
from ..core.vocab import OPEN_ORDER_STATUSES, OrderKind, shown_word
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
    """``what``: "... and {n} more <things>" (marked with N_ by the caller)."""
    if shown < ALERT_LIMIT:
        return []
    count = int(query.count())
    if count <= ALERT_LIMIT:
        return []
    return [Alert(ItemKind.MORE, None, "", _(what).format(n=count - ALERT_LIMIT),
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
        Alert(ItemKind.LOW_STOCK, pid, "", _("Low stock: {code} {name}").format(code=code,
                                                                                 name=name),
              _("on hand {quantity} {unit}, minimum {minimum}").format(
                  quantity=fmt_qty(from_milli(int(total))), unit=unit,
                  minimum=fmt_qty(minimum)))
        for pid, code, name, unit, minimum, total in
        query.order_by(Product.code).limit(ALERT_LIMIT).tuples().execute()
    ]
    return items + _more(query, len(items), N_("... and {n} more products below minimum stock"))


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
        said = (_("Quote {number} expires today") if days == 0
                else _("Quote {number} expires tomorrow") if days == 1
                else _("Quote {number} expires in {days} days"))
        items.append(Alert(ItemKind.QUOTE, oid, f"{valid:%Y-%m-%d}",
                           said.format(number=number, days=days),
                           ((cname or "") + ", " + _("total {total}").format(
                               total=fmt_amount(total))).lstrip(", "),
                           valid.isoformat()))
    return items + _more(query, len(items), N_("... and {n} more quotes expiring"))


def _birthday_today(keys: list[str]) -> Any:
    """Contacts whose birthday's month and day is one of ``keys`` ("MM-DD"), written exactly
    as the expression of the index ``contact_birthday_day`` (migration 0150), format as a
    literal rather than a parameter, so that the planner reads the index instead of
    computing every contact's month and day."""
    field = Contact.birthday
    if dbmod.is_sqlite():
        day: Any = fn.strftime(peewee.SQL("'%m-%d'"), field)
        values: list[Any] = list(keys)
    else:
        def part(name: str) -> peewee.NodeList:
            return peewee.NodeList((peewee.SQL(f"EXTRACT({name} FROM"), field,
                                    peewee.SQL(")")))

        day = peewee.NodeList((part("MONTH"), peewee.SQL("* 100 +"), part("DAY")), parens=True)
        values = [int(k.replace("-", "")) for k in keys]
    return field.is_null(False) & day.in_(values)


def birthday_keys(day: dt.date) -> list[str]:
    """The month-day strings whose birthday falls on ``day``: Feb 29 birthdays are kept on
    Feb 28 in other years."""
    keys = [f"{day:%m-%d}"]
    if day.month == 2 and day.day == 28 and not _is_leap(day.year):
        keys.append("02-29")
    return keys


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def birthday_query(user: Actor, day: dt.date) -> peewee.ModelSelect[Any]:
    """The contacts of ``user``'s customers whose birthday is ``day``."""
    query = (
        Contact.select(Contact.id, Contact.name, Contact.mobile, Contact.phone, Customer.code,
                       Customer.name)
        .join(Customer, on=(Contact.customer == Customer.id))
        .where(_birthday_today(birthday_keys(day)))
    )
    scope = customer_scope_where(user)
    return query if scope is None else query.where(scope)


def _birthdays(user: Actor, at: dt.datetime) -> list[Alert]:
    query = birthday_query(user, at.date())
    items = [
        Alert(ItemKind.BIRTHDAY, cid, "today", _("Birthday: {name}").format(name=name),
              ", ".join(p for p in (f"{ccode} {cname}", mobile or phone) if p),
              at.date().isoformat())
        for cid, name, mobile, phone, ccode, cname in
        query.order_by(Contact.name, Contact.id).limit(ALERT_LIMIT).tuples().execute()
    ]
    return items + _more(query, len(items), N_("... and {n} more birthdays"))


def _counts(user: Actor, at: dt.datetime) -> list[Alert]:
    found = counts.open_counts(user)  # the counts' own reader: it knows who sees what
    items = [
        Alert(ItemKind.STOCK_COUNT, c.id, fmt_when(c.opened_at, at),
              _("Stock count {number} is open").format(number=c.number),
              f"{c.scope_label}, {shown_word(c.mode)}",
              f"{c.opened_at:%Y-%m-%dT%H:%M}")
        for c in found[:ALERT_LIMIT]
    ]
    if len(found) > ALERT_LIMIT:
        items.append(Alert(ItemKind.MORE, None, "",
                           _("... and {n} more open stock counts").format(
                               n=len(found) - ALERT_LIMIT),
                           more=len(found) - ALERT_LIMIT))
    return items


def _backups(user: Actor, at: dt.datetime) -> list[Alert]:
    """Administrators: the last good backup or restore drill is older than its setting."""
    from ..backup.schedule import status

    try:
        state = status(at=at)
    except OSError as e:  # the backup folder cannot be read: that is the alert
        return [Alert(ItemKind.BACKUP, None, "", _("Backups cannot be read"),
                      f"{e.strerror or e}: {e.filename or ''}")]
    items = []
    where = _("folder {folder}; open Backup to back up now").format(folder=state.folder)
    if state.backup_stale:
        when = f"{state.last_good:%Y-%m-%d %H:%M}" if state.last_good else _("never")
        items.append(Alert(ItemKind.BACKUP, None, "",
                           _("No recent backup (last good: {when})").format(when=when),
                           where, when))
    if state.drill_stale:
        when = f"{state.last_drill:%Y-%m-%d}" if state.last_drill else _("never")
        said = (_("Restore drill failed (last: {when})")
                if state.last_drill and not state.drill_ok
                else _("Restore drill is overdue (last: {when})"))
        items.append(Alert(ItemKind.BACKUP, None, "", said.format(when=when),
                           _("run 'tuicrm backup --drill' or D on the Backup screen"), when))
    return items


def overdue_receivables(user: Actor, at: dt.datetime) -> list[Alert]:
    """Customers with invoices past their due date, largest first: to their salesperson
    (the customer scope) and to managers (who see every customer)."""
    from ..money.today import overdue_customers

    rows, count = overdue_customers(user, at.date(), ALERT_LIMIT)
    items = [Alert(ItemKind.RECEIVABLE, cid, f"{oldest:%Y-%m-%d}",
                   _("Overdue: {code} {name} owes {amount}").format(
                       code=code, name=name, amount=fmt_amount(amount)),
                   ngettext("{n} invoice, the oldest due {days} days ago",
                            "{n} invoices, the oldest due {days} days ago", n).format(
                       n=n, days=(at.date() - oldest).days),
                   oldest.isoformat())
             for cid, code, name, amount, n, oldest in rows]
    if count > ALERT_LIMIT:
        items.append(Alert(ItemKind.MORE, None, "",
                           _("... and {n} more customers with overdue invoices").format(
                               n=count - ALERT_LIMIT)))
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
