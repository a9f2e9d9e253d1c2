"""What the Customers screen shows below the list for the selected customer (C2).

``customer_related(actor, customer_id)`` reads it in one go: contacts, the order count and the
last orders, activities, open reminders, and the balance (None while the money capability -
receipts and payments - does not exist yet; the screen says so rather than showing 0).
Panes for quotes, payments and service records fill in as those capabilities land.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.actor import Actor
from ..models import Activity, Contact, Customer, Order, Reminder
from .customers import contact_query, get_customer

ORDER_COUNT_CAP = 1000  # "1000+" beyond: counting every order of a huge account is not needed


@dataclass
class Related:
    customer: Customer
    contacts: list[Contact] = field(default_factory=list)
    contact_count: int = 0
    orders: list[Order] = field(default_factory=list)  # newest first
    order_count: int = 0  # capped at ORDER_COUNT_CAP
    activities: list[Activity] = field(default_factory=list)  # newest first
    activity_count: int = 0
    reminders: list[Reminder] = field(default_factory=list)  # open, by due date
    balance: object = None  # Decimal once receipts and payments are recorded; None: unknown


def customer_related(actor: Actor, customer_id: int, limit: int = 3) -> Related:
    """The related records of one customer ``actor`` may see (``NotFound`` otherwise)."""
    c = get_customer(actor, customer_id)
    out = Related(customer=c)
    contacts = contact_query(actor, customer_id).order_by(Contact.is_key.desc(), Contact.name)
    out.contact_count = contacts.count()
    out.contacts = list(contacts.limit(limit))
    orders = Order.select().where(Order.customer == customer_id)
    out.order_count = orders.limit(ORDER_COUNT_CAP).count()
    out.orders = list(orders.order_by(Order.date.desc(), Order.id.desc()).limit(limit))
    acts = Activity.select().where(Activity.customer == customer_id)
    out.activity_count = acts.count()
    out.activities = list(acts.order_by(Activity.at.desc(), Activity.id.desc()).limit(limit))
    out.reminders = list(
        Reminder.select()
        .where((Reminder.customer == customer_id) & (Reminder.status == "open"))
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    return out


__all__ = ["ORDER_COUNT_CAP", "Related", "customer_related"]
