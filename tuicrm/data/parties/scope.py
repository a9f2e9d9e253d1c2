"""Whose customers an actor reaches: a salesperson without ``customer.view_all`` reaches only
the customers they own (and those customers' contacts); everyone else reaches all of them.

``CUSTOMERS`` and ``CONTACTS`` are the ``Scope``s operations declare for their id parameters
(``@operation(..., scoped={"customer_id": CUSTOMERS})``); ``customer_scope_where`` is the same
rule as a WHERE for lists and searches. A record outside the scope is reported exactly like a
missing one, so the scope leaks nothing.
"""

from __future__ import annotations

from typing import Any

from peewee import fn

from ...i18n import _
from ..core.actor import Actor
from ..core.errors import NotFound
from ..core.operation import Scope
from ..core.permissions import allowed
from ..models.parties import Contact, Customer


def sees_all_customers(actor: Actor) -> bool:
    return allowed(actor, "customer.view_all")


def customer_scope_where(actor: Actor) -> Any:
    """The WHERE on ``Customer`` limiting it to ``actor``'s reach (None: no limit)."""
    if sees_all_customers(actor):
        return None
    return Customer.salesperson == actor.id


def customer_id_by_code(actor: Actor, code: str) -> int | None:
    """The customer with ``code`` as typed (case-insensitive) within ``actor``'s reach; None
    when there is none, or the actor may not see it (the same answer: scope leaks nothing)."""
    text = (code or "").strip()
    query = Customer.select(Customer.id)
    where = customer_scope_where(actor)
    if where is not None:
        query = query.where(where)
    found = (query.where(Customer.code == text).scalar()
             or query.where(fn.LOWER(Customer.code) == text.lower()).scalar())
    return None if found is None else int(found)


def _missing(kind: str, ids: list[int], found: set[int]) -> None:
    gone = sorted(set(ids) - found)
    if gone:
        which = ", ".join(f"#{i}" for i in gone)
        raise NotFound(_("{kind} {which} does not exist or is not yours").format(
                         kind=kind,
                         which=which))


def _check_customers(actor: Actor, ids: list[int]) -> None:
    query = Customer.select(Customer.id).where(Customer.id.in_(ids))
    where = customer_scope_where(actor)
    if where is not None:
        query = query.where(where)
    rows: Any = query.tuples()
    _missing("customer", ids, {cid for (cid,) in rows})


def _check_contacts(actor: Actor, ids: list[int]) -> None:
    query = Contact.select(Contact.id).join(Customer).where(Contact.id.in_(ids))
    where = customer_scope_where(actor)
    if where is not None:
        query = query.where(where)
    rows: Any = query.tuples()
    _missing("contact", ids, {cid for (cid,) in rows})


CUSTOMERS = Scope("customer", _check_customers)
CONTACTS = Scope("contact", _check_contacts)
