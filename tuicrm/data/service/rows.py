"""Tickets as the screens see them: ``TicketRow``, a plain frozen value with its customer,
contact, order, product, return and owner already joined in (one query), and the text of one
ticket for a dialog. ``joined()`` is the query every ticket read starts from: the operations,
the Tickets list, Today and the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import peewee
from peewee import JOIN

from ...i18n import _
from ..core.errors import NotFound
from ..models.catalog import Product
from ..models.orders import Order
from ..models.parties import Contact, Customer
from ..models.service import Ticket
from ..models.users import User
from .due import fmt_span, is_overdue
from .vocab import (
    CHANNEL_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    Channel,
    Priority,
    TicketKind,
    TicketStatus,
)

Owner = User.alias("owner_user")
ReturnOrder = Order.alias("return_order")


@dataclass(frozen=True)
class TicketRow:
    id: int
    number: str
    kind: TicketKind
    status: TicketStatus
    priority: Priority
    channel: Channel
    customer_id: int
    customer_code: str
    customer_name: str
    contact_id: int | None
    contact_name: str
    order_id: int | None
    order_number: str
    product_id: int | None
    product_code: str
    product_name: str
    return_order_id: int | None
    return_number: str
    subject: str
    details: str
    owner_id: int | None
    owner: str  # user name ("" when nobody owns it)
    opened_at: dt.datetime
    respond_by: dt.datetime | None
    resolve_by: dt.datetime | None
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    resolution: str
    satisfaction: int | None
    version: int

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @property
    def customer_label(self) -> str:
        return f"{self.customer_code} {self.customer_name}"

    def overdue(self, at: dt.datetime) -> bool:
        return is_overdue(self.status, self.respond_by, self.resolve_by,
                          self.first_response_at, at)

    @property
    def kind_label(self) -> str:
        return _(KIND_LABELS[self.kind])

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])


def joined() -> peewee.ModelSelect[Any]:
    """Tickets with everything a ``TicketRow`` names (LEFT joins but the customer)."""
    return (Ticket.select(
        Ticket.id, Ticket.number, Ticket.kind, Ticket.status, Ticket.priority, Ticket.channel,
        Ticket.customer, Customer.code, Customer.name, Ticket.contact, Contact.name,
        Ticket.order, Order.number, Ticket.product, Product.code, Product.name,
        Ticket.return_order, ReturnOrder.number, Ticket.subject, Ticket.details, Ticket.owner,
        Owner.username, Ticket.opened_at, Ticket.respond_by, Ticket.resolve_by,
        Ticket.first_response_at, Ticket.resolved_at, Ticket.resolution, Ticket.satisfaction,
        Ticket.version)
        .join(Customer, on=(Ticket.customer == Customer.id))
        .switch(Ticket).join(Contact, JOIN.LEFT_OUTER, on=(Ticket.contact == Contact.id))
        .switch(Ticket).join(Order, JOIN.LEFT_OUTER, on=(Ticket.order == Order.id))
        .switch(Ticket).join(Product, JOIN.LEFT_OUTER, on=(Ticket.product == Product.id))
        .switch(Ticket).join(ReturnOrder, JOIN.LEFT_OUTER,
                             on=(Ticket.return_order == ReturnOrder.id))
        .switch(Ticket).join(Owner, JOIN.LEFT_OUTER, on=(Ticket.owner == Owner.id))
        .switch(Ticket))


def rows(query: peewee.ModelSelect[Any]) -> list[TicketRow]:
    out = []
    for r in query.tuples().execute():
        v = list(r)
        v[2], v[3], v[4], v[5] = (TicketKind(v[2]), TicketStatus(v[3]), Priority(v[4]),
                                  Channel(v[5]))
        for i in (10, 12, 14, 15, 17, 21):
            v[i] = v[i] or ""
        out.append(TicketRow(*v))
    return out


def loaded(ticket_id: int) -> TicketRow:
    found = rows(joined().where(Ticket.id == ticket_id))
    if not found:
        raise NotFound(_("ticket #{ticket_id} does not exist").format(ticket_id=ticket_id))
    return found[0]


def _when(at: dt.datetime | None) -> str:
    return "-" if at is None else f"{at:%Y-%m-%d %H:%M}"


def describe(t: TicketRow, at: dt.datetime) -> str:
    """One ticket as plain text (the ticket dialog)."""
    lines = [
        f"{t.number}  {t.kind_label}  {t.status_label}"
        + ("  " + _("OVERDUE") if t.overdue(at) else ""),
        t.subject,
        "",
        _("Customer: {customer}").format(customer=t.customer_label)
        + (f"  ({t.contact_name})" if t.contact_name else ""),
        _("Priority: {priority}   Channel: {channel}   Owner: {owner}").format(
            priority=_(PRIORITY_LABELS[t.priority]), channel=_(CHANNEL_LABELS[t.channel]),
            owner=t.owner or "-"),
    ]
    if t.order_number or t.product_code:
        lines.append(_("Order: {order}   Product: {product}").format(
            order=t.order_number or "-",
            product=f"{t.product_code} {t.product_name}".strip() or "-"))
    if t.return_number:
        lines.append(_("Settled by return: {number}").format(number=t.return_number))
    lines.append(_("Opened {opened}; respond by {respond}; resolve by {resolve}").format(
        opened=_when(t.opened_at), respond=_when(t.respond_by), resolve=_when(t.resolve_by)))
    if t.first_response_at:
        lines.append(_("First response {at} (after {span})").format(
            at=_when(t.first_response_at), span=fmt_span(t.first_response_at - t.opened_at)))
    if t.resolved_at:
        lines.append(_("Resolved {at} (after {span})").format(
            at=_when(t.resolved_at), span=fmt_span(t.resolved_at - t.opened_at)))
    if t.details:
        lines += ["", t.details]
    if t.resolution:
        lines += ["", _("Resolution:"), t.resolution]
    if t.satisfaction:
        lines.append(_("Satisfaction: {n} of 5").format(n=t.satisfaction))
    return "\n".join(lines)
