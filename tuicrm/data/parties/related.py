"""What the Customers screen shows below the list for the selected customer (C2).

``customer_related(actor, customer_id)`` reads it in one go, in a fixed number of queries
whatever the customer holds (seven, besides the scope and permission checks): the customer, its
contacts, the order count and the last orders, activities, open reminders, open service
tickets (for those who may see tickets), and the balance with what is overdue and on account
(None for a user who may not see balances: the screen says so rather than showing 0). Panes
for quotes and payments fill in as those capabilities land.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import SQL, fn

from ...i18n import _
from ..core.errors import NotFound
from ..core.operation import Op, reader
from ..core.vocab import ReminderStatus, Side
from ..models.activity import Activity, Reminder
from ..models.orders import Order
from ..models.parties import Contact, Customer
from ..models.service import Ticket
from ..money.balances import balance_of
from .contacts import contact_rows
from .customers import as_rows, customer_rows
from .rows import ContactRow, CustomerRow, row_of
from .scope import CUSTOMERS

ORDER_COUNT_CAP = 1000  # "1000+" beyond: counting every order of a huge account is not needed


@dataclass(frozen=True)
class OrderBrief:
    id: int
    number: str
    kind: str
    date: dt.date
    total: Decimal
    status: str


@dataclass(frozen=True)
class ActivityBrief:
    id: int
    at: dt.datetime
    kind: str
    subject: str


@dataclass(frozen=True)
class ReminderBrief:
    id: int
    due_at: dt.datetime
    title: str


@dataclass(frozen=True)
class TicketBrief:
    id: int
    number: str
    kind: str
    status: str
    subject: str
    resolve_by: dt.datetime | None


OPEN_TICKET_STATUSES = ("new", "in_progress", "waiting")  # service.vocab.OPEN_STATUSES


@dataclass(frozen=True)
class Related:
    customer: CustomerRow
    contacts: tuple[ContactRow, ...] = ()  # key contacts first, then by name
    contact_count: int = 0
    orders: tuple[OrderBrief, ...] = ()  # newest first
    order_count: int = 0  # capped at ORDER_COUNT_CAP
    activities: tuple[ActivityBrief, ...] = ()  # newest first
    activity_count: int = 0
    reminders: tuple[ReminderBrief, ...] = ()  # open, by due date
    balance: Decimal | None = None  # None: the actor may not see balances (money.view)
    overdue: Decimal = Decimal(0)  # of the balance, past its due date
    on_account: Decimal = Decimal(0)  # money received, not yet allocated
    tickets: tuple[TicketBrief, ...] = ()  # open ones, soonest due first
    ticket_count: int | None = None  # open tickets; None: the actor may not see tickets


def _total() -> object:
    """How many rows the query has before its LIMIT, on every row (a window count)."""
    return fn.COUNT(SQL("*")).over().alias("n_total")


@reader("customer.view", scoped={"customer_id": CUSTOMERS})
def customer_related(op: Op, customer_id: int, limit: int = 3) -> Related:
    """The related records of one customer the actor may see (``NotFound`` otherwise)."""
    customer = as_rows(customer_rows(Customer.id == customer_id))
    if not customer:
        raise NotFound(_("customer #{customer_id} no longer exists").format(customer_id=customer_id))
    contacts: list[Any] = list(
        contact_rows(Contact.customer == customer_id).select_extend(_total())
        .order_by(Contact.is_key.desc(), Contact.name, Contact.id).limit(limit).objects()
    )
    order_count = (Order.select(Order.id).where(Order.customer == customer_id)
                   .limit(ORDER_COUNT_CAP).count())
    orders = (Order.select(Order.id, Order.number, Order.kind, Order.date, Order.total,
                           Order.status)
              .where(Order.customer == customer_id)
              .order_by(Order.date.desc(), Order.id.desc()).limit(limit))
    activities: list[Any] = list(
        Activity.select(Activity.id, Activity.at, Activity.kind, Activity.subject, _total())
        .where(Activity.customer == customer_id)
        .order_by(Activity.at.desc(), Activity.id.desc()).limit(limit).objects()
    )
    reminders = (Reminder.select(Reminder.id, Reminder.due_at, Reminder.title)
                 .where((Reminder.customer == customer_id)
                        & (Reminder.status == ReminderStatus.OPEN))
                 .order_by(Reminder.due_at, Reminder.id).limit(limit))
    tickets: list[Any] = []
    sees_tickets = op.allowed("ticket.view")
    if sees_tickets:
        tickets = list(
            Ticket.select(Ticket.id, Ticket.number, Ticket.kind, Ticket.status, Ticket.subject,
                          Ticket.resolve_by, _total())
            .where((Ticket.customer == customer_id)
                   & Ticket.status.in_(OPEN_TICKET_STATUSES))
            .order_by(Ticket.resolve_by, Ticket.id).limit(limit).objects()
        )
    money = (balance_of(Side.CUSTOMER, customer_id) if op.allowed("money.view") else None)
    return Related(
        customer=customer[0],
        balance=money.balance if money else None,
        overdue=money.overdue if money else Decimal(0),
        on_account=money.on_account if money else Decimal(0),
        contacts=tuple(row_of(ContactRow, c) for c in contacts),
        contact_count=contacts[0].n_total if contacts else 0,
        orders=tuple(row_of(OrderBrief, o) for o in orders),
        order_count=int(order_count),
        activities=tuple(row_of(ActivityBrief, a) for a in activities),
        activity_count=activities[0].n_total if activities else 0,
        reminders=tuple(row_of(ReminderBrief, r) for r in reminders),
        tickets=tuple(row_of(TicketBrief, t) for t in tickets),
        ticket_count=(tickets[0].n_total if tickets else 0) if sees_tickets else None,
    )


__all__ = ["ORDER_COUNT_CAP", "ActivityBrief", "OrderBrief", "Related", "ReminderBrief",
           "TicketBrief", "customer_related"]
