"""The Tickets list (S1 with L1-L6), defined once: for the Tickets screen, its export and
print, and ``tuicrm export tickets``.

Options: ``status`` (``open`` - new, in progress, waiting -, ``closed`` or ``all``, the
default), ``mine``
(only the actor's), ``customer_id`` (one customer's). A salesperson without
``ticket.view_all`` / ``customer.view_all`` sees their customers' tickets and their own
(``scope``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import peewee
from peewee import JOIN, Case

from ...i18n import N_, _
from ..core import clock
from ..core.actor import Actor
from ..lists.columns import Column
from ..lists.filters import FilterColumn, contains_pattern, escape_like, filter_columns, ilike
from ..lists.view import ListDef, define
from ..models.parties import Customer
from ..models.service import Ticket
from .rows import Owner
from .scope import ticket_scope_where
from .vocab import (
    KIND_LABELS,
    OPEN_STATUSES,
    PRIORITY_LABELS,
    STATUS_LABELS,
    Priority,
    TicketKind,
    TicketStatus,
)

OPEN_VALUES = [s.value for s in OPEN_STATUSES]
CLOSED_VALUES = [s.value for s in TicketStatus if not s.is_open]
STATUS_FILTERS = ("open", "closed", "all")


def _label(labels: Mapping[Any, str], enum: Any) -> Any:
    def fmt(value: Any) -> str:
        try:
            return _(labels[enum(value)])
        except ValueError:
            return str(value or "")
    return fmt


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, dt.datetime) else ""


def _due(value: Any) -> str:
    """The due time, short (this year's without the year: the list fits 80 columns)."""
    if not isinstance(value, dt.datetime):
        return ""
    return f"{value:%m-%d %H:%M}" if value.year == clock.today().year else f"{value:%Y-%m-%d}"


# An open ticket's resolve-by time (as text, both engines), else its status: "!" when it is
# past due, seen when the row is shown.
TICKET_MARK = Case(None, [(Ticket.status.in_(OPEN_VALUES), Ticket.resolve_by.cast("TEXT"))],
                   Ticket.status)


def _mark(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if text == TicketStatus.DONE.value:
        return "ok"
    if text == TicketStatus.CANCELLED.value:
        return "x"
    try:
        due = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(text)
    except ValueError:
        return ""
    return "!" if due < clock.now() else ""


CUSTOMER_LABEL = Customer.code.concat(" ").concat(Customer.name)


def _tickets(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    query: peewee.ModelSelect[Any] = (
        Ticket.select()
        .join(Customer, on=(Ticket.customer == Customer.id))
        .switch(Ticket).join(Owner, JOIN.LEFT_OUTER, on=(Ticket.owner == Owner.id))
        .switch(Ticket))
    where = ticket_scope_where(actor)
    if where is not None:
        query = query.where(where)
    return _options(query, actor, options)


def _options(query: peewee.ModelSelect[Any], actor: Actor, options: Mapping[str, Any]
             ) -> peewee.ModelSelect[Any]:
    wanted = options.get("status", "all")
    # "Not closed" rather than "status IN (the open ones)": an IN on the status makes the
    # planner read every open ticket through the status index and sort them (540 ms for the
    # first page at 200k tickets); this way it walks the sort key's index and stops at 50.
    if wanted == "open":
        query = query.where(Ticket.status.not_in(CLOSED_VALUES))
    elif wanted == "closed":
        query = query.where(Ticket.status.in_(CLOSED_VALUES))
    if options.get("mine"):
        query = query.where(Ticket.owner == actor.id)
    if options.get("customer_id"):
        query = query.where(Ticket.customer == options["customer_id"])
    return query


def _lean(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    """The same tickets without the owner join (and without the customer one for those who
    see every ticket), to count with."""
    query: peewee.ModelSelect[Any] = Ticket.select(Ticket.id)
    where = ticket_scope_where(actor)
    if where is not None:
        query = query.join(Customer, on=(Ticket.customer == Customer.id)).where(where)
    return _options(query, actor, options)


def _search(text: str) -> Any:
    pattern, start = contains_pattern(text), f"{escape_like(text)}%"
    return (ilike(Ticket.number, pattern) | ilike(Ticket.subject, pattern)
            | ilike(Customer.code, start) | ilike(Customer.name, pattern))


FILTERS = filter_columns(
    FilterColumn("number", N_("Number"), Ticket.number),
    FilterColumn("opened", N_("Opened"), Ticket.opened_at, "datetime"),
    FilterColumn("kind", N_("Kind (request, service, feedback, complaint)"), Ticket.kind),
    FilterColumn("status", N_("Status (new, in_progress, waiting, done, cancelled)"),
                 Ticket.status),
    FilterColumn("priority", N_("Priority (urgent, high, normal, low)"), Ticket.priority),
    FilterColumn("channel", N_("Channel"), Ticket.channel),
    FilterColumn("customer_code", N_("Customer code"), Customer.code),
    FilterColumn("customer", N_("Customer name"), Customer.name),
    FilterColumn("subject", N_("Subject"), Ticket.subject),
    FilterColumn("owner", N_("Owner (user name)"), Owner.username),
    FilterColumn("resolve_by", N_("Resolve by"), Ticket.resolve_by, "datetime"),
    FilterColumn("satisfaction", N_("Satisfaction (1-5)"), Ticket.satisfaction, "number"),
)

TICKETS = define(ListDef(
    name="tickets",
    title=N_("Tickets"),
    permission="ticket.view",
    columns=(
        Column("mark", TICKET_MARK, "", width=2, format=_mark, sortable=False),
        Column("number", Ticket.number, N_("Number"), width=14),
        Column("opened", Ticket.opened_at, N_("Opened"), width=16, format=_when),
        Column("kind", Ticket.kind, N_("Kind"), width=9, sortable=False,
               format=_label(KIND_LABELS, TicketKind)),
        Column("status", Ticket.status, N_("Status"), width=11, sortable=False,
               format=_label(STATUS_LABELS, TicketStatus)),
        Column("priority", Ticket.priority, N_("Priority"), width=7, sortable=False,
               format=_label(PRIORITY_LABELS, Priority)),
        Column("customer", CUSTOMER_LABEL, N_("Customer"), min_width=10, max_width=16,
               sortable=False),
        Column("subject", Ticket.subject, N_("Subject"), min_width=10, max_width=18,
               sortable=False),
        Column("owner", Owner.username, N_("Owner"), width=10, sortable=False),
        Column("resolve_by", Ticket.resolve_by, N_("Due"), width=11, format=_due),
        Column("channel", Ticket.channel, N_("Channel"), width=8, sortable=False),
        Column("satisfaction", Ticket.satisfaction, N_("Sat."), width=4, sortable=False),
        Column("customer_id", Ticket.customer, "Customer id", internal=True),
    ),
    query=_tickets,
    lean=_lean,
    search=_search,
    filters=FILTERS,
    date=FILTERS["opened"],
    default_sort=("opened", True),  # newest first, on the opened_at index
    default_visible=("mark", "number", "status", "customer", "subject", "resolve_by"),
    search_hint=N_("number, subject or customer (/)"),
))
