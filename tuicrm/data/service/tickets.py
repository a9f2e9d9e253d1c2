"""Service tickets (SPEC S1): open, edit, move through their states, rate; every write is one
operation (one transaction, permission and scope checked, audited) returning a ``TicketRow``.

A ticket is numbered through ``core.numbering`` with its own prefix (``prefix.ticket``,
default ``TK``: ``TK-2026-000042``). Its due times come from the settings when it is opened
and again when its kind or priority changes (``due``). The first move out of "new" records
the first response; done records the resolution time, the resolution notes and (if the
customer gave one) a satisfaction score 1-5; a reopen clears the resolution time and score.

Who: ``ticket.edit`` within the actor's reach (``scope.TICKETS``: their customers' tickets
and their own); giving a ticket to someone else needs ``ticket.assign``. Records named on a
ticket (customer, contact, order, return) must be within reach too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import fn

from ...i18n import _
from ..core import clock, numbering
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.operation import Op, operation, reader
from ..core.vocab import OrderKind
from ..models.catalog import Product
from ..models.orders import Order
from ..models.parties import Contact, Customer
from ..models.service import Ticket
from ..models.users import User
from ..parties.scope import CONTACTS, CUSTOMERS, customer_id_by_code
from ..sales.scope import ORDERS, order_scope_where
from ..staff.users import UserChoice
from .due import due_for
from .rows import TicketRow, loaded
from .scope import TICKETS
from .vocab import MOVES, SATISFACTION, Channel, Priority, TicketKind, TicketStatus

MAX_SUBJECT = 200
MAX_TEXT = 10_000
NUMBER_KIND = "ticket"

__all__ = ["MAX_SUBJECT", "MAX_TEXT", "get_ticket", "move_ticket", "open_ticket",
           "owner_choices", "rate_ticket", "update_ticket"]


# -- checking what was typed --------------------------------------------------------------------


def _clean_text(value: str, *, one_line: bool) -> str:
    """Control characters out (a name must never carry a terminal escape); one-line fields
    have their runs of blanks folded."""
    keep = "" if one_line else "\n\t"
    text = "".join(c for c in (value or "") if c in keep or not (ord(c) < 32 or 0x7F <= ord(c)
                                                                  < 0xA0))
    return " ".join(text.split()) if one_line else text.strip()


def _enum(values: dict[str, Any], errors: dict[str, str], name: str, enum: Any) -> None:
    if name in values and values[name] is not None:
        try:
            values[name] = enum(values[name]).value
        except ValueError:
            errors[name] = _("one of: {join}").format(join=', '.join(m.value for m in enum))


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "subject" in values:
        values["subject"] = _clean_text(values["subject"], one_line=True)
        if not values["subject"]:
            errors["subject"] = _("say what it is about")
        elif len(values["subject"]) > MAX_SUBJECT:
            errors["subject"] = _("at most {MAX_SUBJECT} characters").format(
                                  MAX_SUBJECT=MAX_SUBJECT)
    for name in ("details", "resolution"):
        if name in values:
            values[name] = _clean_text(values[name], one_line=False)
            if len(values[name]) > MAX_TEXT:
                errors[name] = _("at most {MAX_TEXT} characters").format(MAX_TEXT=MAX_TEXT)
    _enum(values, errors, "kind", TicketKind)
    _enum(values, errors, "priority", Priority)
    _enum(values, errors, "channel", Channel)
    if errors:
        raise ValidationError(errors)
    return values


def _satisfaction(value: int | str | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ValidationError({"satisfaction": _("a score from 1 to 5, or blank")}) from None
    if n not in SATISFACTION:
        raise ValidationError({"satisfaction": _("a score from 1 to 5, or blank")})
    return n


# -- the records a ticket names, by id or as typed ------------------------------------------------


def _customer(op: Op, customer_id: int | None, code: str) -> int:
    if customer_id is not None:
        return customer_id
    text = (code or "").strip()
    if not text:
        raise ValidationError({"customer": _("which customer? (a customer code)")})
    found = customer_id_by_code(op.actor, text)
    if found is None:
        raise ValidationError({"customer": _("no customer with code {text!r}").format(text=text)})
    return found


def _contact(customer_id: int, contact_id: int | None, name: str | None) -> int | None:
    if contact_id is not None:
        if not Contact.select().where((Contact.id == contact_id)
                                      & (Contact.customer == customer_id)).exists():
            raise ValidationError({"contact": _("not a contact of this customer")})
        return contact_id
    text = (name or "").strip()
    if not text:
        return None
    found = (Contact.select(Contact.id)
             .where((Contact.customer == customer_id)
                    & (fn.LOWER(Contact.name) == text.lower())).scalar())
    if found is None:
        raise ValidationError({"contact": _("{text!r} is not a contact of this customer").format(
                                            text=text)})
    return int(found)


def _order(op: Op, customer_id: int, order_id: int | None, number: str | None, field: str,
           kind: OrderKind | None = None) -> int | None:
    """An order of this customer by id or number (as typed); ``kind``: it must be one."""
    query = Order.select(Order.id, Order.kind).join(
        Customer, on=(Order.customer == Customer.id))
    where = order_scope_where(op.actor)
    if where is not None:
        query = query.where(where)
    if order_id is not None:
        row = query.where(Order.id == order_id).tuples().first()
    else:
        text = (number or "").strip()
        if not text:
            return None
        row = (query.where(Order.number == text).tuples().first()
               or query.where(fn.UPPER(Order.number) == text.upper()).tuples().first())
    if row is None:
        raise ValidationError({field: _("no order {value!r} of yours").format(
                                        value=number or order_id)})
    oid, okind = row
    if not Order.select().where((Order.id == oid) & (Order.customer == customer_id)).exists():
        raise ValidationError({field: _("that order is not this customer's")})
    if kind is not None and okind != kind.value:
        raise ValidationError({field: _("that is a {okind}, not a {replace}").format(
                                        okind=okind,
                                        replace=kind.value.replace('_', ' '))})
    return int(oid)


def _product(product_id: int | None, code: str | None) -> int | None:
    if product_id is not None:
        return product_id
    text = (code or "").strip()
    if not text:
        return None
    found = (Product.select(Product.id).where(Product.code == text).scalar()
             or Product.select(Product.id).where(fn.UPPER(Product.code) == text.upper())
             .scalar())
    if found is None:
        raise ValidationError({"product": _("no product with code {text!r}").format(text=text)})
    return int(found)


def _owner(op: Op, value: int | str | None, current: int | None) -> int | None:
    """An active user by id or user name; someone else than the actor (or the current
    owner) needs ``ticket.assign``."""
    if value is None:
        return current
    if isinstance(value, str) and not value.strip():  # nobody
        if current not in (None, op.actor.id):
            op.require("ticket.assign")
        return None
    if isinstance(value, str) and not value.strip().isdigit():
        user = User.get_or_none(User.username == value.strip().lower())
    else:
        user = User.get_or_none(User.id == int(value))
    if user is None:
        raise ValidationError({"owner": _("no user {value!r}").format(value=value)})
    if not user.active:
        raise ValidationError({"owner": _("{username} is disabled").format(username=user.username)})
    if user.id not in (op.actor.id, current):
        op.require("ticket.assign")
    return int(user.id)


# -- operations ---------------------------------------------------------------------------------


@operation("ticket.edit", scoped={"customer_id": CUSTOMERS, "contact_id": CONTACTS,
                                  "order_id": ORDERS, "return_order_id": ORDERS})
def open_ticket(
    op: Op,
    *,
    subject: str,
    kind: TicketKind | str = TicketKind.REQUEST,
    customer_id: int | None = None,
    customer_code: str = "",
    details: str = "",
    channel: Channel | str = Channel.PHONE,
    priority: Priority | str = Priority.NORMAL,
    contact_id: int | None = None,
    contact_name: str = "",
    order_id: int | None = None,
    order_number: str = "",
    product_id: int | None = None,
    product_code: str = "",
    return_order_id: int | None = None,
    return_number: str = "",
    owner: int | str | None = None,
    opened_at: dt.datetime | None = None,
) -> TicketRow:
    """A new ticket, owned by the actor unless ``owner`` says otherwise; due times from the
    settings. Records are given by id or as typed (codes, numbers, a contact's name)."""
    at = (opened_at or clock.now()).replace(microsecond=0)
    values = _checked({"subject": subject, "details": details, "kind": kind,
                       "priority": priority, "channel": channel})
    cid = _customer(op, customer_id, customer_code)
    refs = {
        "contact": _contact(cid, contact_id, contact_name),
        "order": _order(op, cid, order_id, order_number, "order"),
        "product": _product(product_id, product_code),
        "return_order": _order(op, cid, return_order_id, return_number, "return_order",
                               OrderKind.SALE_RETURN),
    }
    owner_id = _owner(op, owner, None) if owner not in (None, "") else op.actor.id
    due = due_for(at, values["kind"], values["priority"])
    ticket = Ticket.create(
        **values, **refs, number=numbering.next_number(NUMBER_KIND, at.date()),
        status=TicketStatus.NEW.value, customer=cid, owner=owner_id, created_by=op.actor.id,
        opened_at=at, respond_by=due.respond_by, resolve_by=due.resolve_by,
        created_at=clock.now(), updated_at=clock.now(),
    )
    op.audit("ticket", ticket.id, "create", {
        "number": ticket.number, "kind": values["kind"], "customer": cid,
        "subject": values["subject"], "priority": values["priority"], "owner": owner_id,
        "resolve_by": due.resolve_by, **{k: v for k, v in refs.items() if v is not None},
    })
    return loaded(ticket.id)


def _guarded_update(ticket: TicketRow, changes: dict[str, Any]) -> None:
    """Write ``changes`` if nobody changed the ticket since it was read (the conditional
    UPDATE is the row lock: of two sessions moving it at once, one wins)."""
    n = (Ticket.update(**changes, version=ticket.version + 1, updated_at=clock.now())
         .where((Ticket.id == ticket.id) & (Ticket.version == ticket.version)).execute())
    if n != 1:
        if not Ticket.select().where(Ticket.id == ticket.id).exists():
            raise NotFound(_("ticket {number} was deleted").format(number=ticket.number))
        raise Conflict(_("ticket {number} was changed by someone else just now; look again").format(
                         number=ticket.number))


def _current(ticket_id: int, version: int | None) -> TicketRow:
    ticket = loaded(ticket_id)
    if version is not None and version != ticket.version:
        raise Conflict(_("ticket {number} was changed by someone else since you opened it; look "
                         "again").format(number=ticket.number))
    return ticket


@operation("ticket.edit", scoped={"ticket_id": TICKETS, "contact_id": CONTACTS,
                                  "order_id": ORDERS, "return_order_id": ORDERS})
def update_ticket(
    op: Op,
    ticket_id: int,
    *,
    version: int | None = None,
    subject: str | None = None,
    details: str | None = None,
    kind: TicketKind | str | None = None,
    priority: Priority | str | None = None,
    channel: Channel | str | None = None,
    contact_id: int | None = None,
    contact_name: str | None = None,
    order_id: int | None = None,
    order_number: str | None = None,
    product_id: int | None = None,
    product_code: str | None = None,
    return_order_id: int | None = None,
    return_number: str | None = None,
    owner: int | str | None = None,
) -> TicketRow:
    """Change what is given (None: unchanged; "" clears a link). A new kind or priority
    sets the due times again from the settings, counted from when it was opened."""
    t = _current(ticket_id, version)
    given = {"subject": subject, "details": details, "kind": kind, "priority": priority,
             "channel": channel}
    values = _checked({k: v for k, v in given.items() if v is not None})
    cid = t.customer_id
    if contact_id is not None or contact_name is not None:
        values["contact"] = _contact(cid, contact_id, contact_name)
    if order_id is not None or order_number is not None:
        values["order"] = _order(op, cid, order_id, order_number, "order")
    if product_id is not None or product_code is not None:
        values["product"] = _product(product_id, product_code)
    if return_order_id is not None or return_number is not None:
        values["return_order"] = _order(op, cid, return_order_id, return_number,
                                        "return_order", OrderKind.SALE_RETURN)
    if owner is not None:
        values["owner"] = _owner(op, owner, t.owner_id)
    new_kind, new_priority = values.get("kind", t.kind), values.get("priority", t.priority)
    if (new_kind, new_priority) != (t.kind.value, t.priority.value):
        due = due_for(t.opened_at, new_kind, new_priority)
        values["respond_by"], values["resolve_by"] = due.respond_by, due.resolve_by
    changes = {}
    for name, new in values.items():
        attr = f"{name}_id" if name in ("contact", "order", "product", "return_order",
                                        "owner") else name
        old = getattr(t, attr)
        if old != new:
            changes[name] = (old, new)
    if changes:
        _guarded_update(t, values)
        op.audit("ticket", t.id, "update", changes)
    return loaded(ticket_id)


@operation("ticket.edit", scoped={"ticket_id": TICKETS})
def move_ticket(
    op: Op,
    ticket_id: int,
    status: TicketStatus | str,
    *,
    version: int | None = None,
    resolution: str | None = None,
    satisfaction: int | str | None = None,
) -> TicketRow:
    """Move a ticket to ``status`` (``vocab.MOVES`` says where it may go). The first move
    out of "new" is the first response; done records the resolution time, ``resolution``
    and ``satisfaction`` (1-5 or None); a reopen clears the resolution time and score."""
    at = clock.now()
    t = _current(ticket_id, version)
    try:
        target = TicketStatus(status)
    except ValueError:
        raise ValidationError({"status": _("one of: {join}").format(
                                           join=', '.join(s.value for s in TicketStatus))}
                              ) from None
    if target not in MOVES[t.status]:
        raise Conflict(_("ticket {number} is {lower}: it cannot be moved to {replace}").format(
                         number=t.number,
                         lower=t.status_label.lower(),
                         replace=target.value.replace('_', ' ')))
    values: dict[str, Any] = {"status": target.value}
    if t.first_response_at is None and target is not TicketStatus.CANCELLED:
        values["first_response_at"] = at
    if target is TicketStatus.DONE:
        values["resolved_at"] = at
        values["satisfaction"] = _satisfaction(satisfaction)
        if resolution is not None:
            values["resolution"] = _checked({"resolution": resolution})["resolution"]
    elif satisfaction is not None:
        raise ValidationError({"satisfaction": _("a score is given when the ticket is done")})
    if not t.is_open:  # reopened
        values["resolved_at"] = None
        values["satisfaction"] = None
    _guarded_update(t, values)
    op.audit("ticket", t.id, "move", {
        name: (getattr(t, name), new) for name, new in values.items()
        if getattr(t, name) != new
    })
    return loaded(ticket_id)


@operation("ticket.edit", scoped={"ticket_id": TICKETS})
def rate_ticket(op: Op, ticket_id: int, satisfaction: int | str | None) -> TicketRow:
    """The customer's satisfaction (1-5, or None to clear it) with a done ticket, given
    later than the closing (a call back)."""
    t = _current(ticket_id, None)
    if t.status is not TicketStatus.DONE:
        raise Conflict(_("ticket {number} is not done: a score is given when it is done").format(
                         number=t.number))
    score = _satisfaction(satisfaction)
    if score != t.satisfaction:
        _guarded_update(t, {"satisfaction": score})
        op.audit("ticket", t.id, "update", {"satisfaction": (t.satisfaction, score)})
    return loaded(ticket_id)


@reader("ticket.view", scoped={"ticket_id": TICKETS})
def get_ticket(op: Op, ticket_id: int) -> TicketRow:
    return loaded(ticket_id)


@reader("ticket.edit")
def owner_choices(op: Op) -> list[UserChoice]:
    """Whom the actor may give a ticket to: every active user with ``ticket.assign``, else
    only themselves."""
    query = (User.select(User.id, User.username, User.full_name)
             .where(User.active == True).order_by(User.username))  # noqa: E712 - SQL
    if not op.allowed("ticket.assign"):
        query = query.where(User.id == op.actor.id)
    return [UserChoice(uid, name, full) for uid, name, full in query.tuples().execute()]
