"""Contacts (C7): the people at a customer. Read one, add, edit, delete.

A contact is reached through its customer: a salesperson without ``customer.view_all``
reaches only the contacts of their own customers (``scope.CONTACTS``), the same answer as for
a missing one otherwise. Contacts come back as ``ContactRow``s with the customer's code and
name joined in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee

from ...i18n import _
from ..core import db
from ..core.errors import NotFound
from ..core.operation import Op, operation, reader
from ..models.parties import Contact, Customer
from .fields import CONTACT_RULES, clean
from .records import save_version
from .rows import ContactRow, row_of
from .scope import CONTACTS, CUSTOMERS


def contact_rows(where: Any = None) -> peewee.ModelSelect[Contact]:
    """Contacts with their customer's code and name, for ``as_rows``."""
    q = (Contact.select(Contact, Customer.code.alias("customer_code"),
                        Customer.name.alias("customer_name"))
         .join(Customer, on=(Contact.customer == Customer.id)))
    return q if where is None else q.where(where)


def as_rows(query: peewee.ModelSelect[Contact]) -> list[ContactRow]:
    return [row_of(ContactRow, c) for c in query.objects()]


def _one_row(contact_id: int) -> ContactRow:
    rows = as_rows(contact_rows(Contact.id == contact_id))
    if not rows:
        raise NotFound(_("contact #{contact_id} no longer exists").format(contact_id=contact_id))
    return rows[0]


@reader("customer.view", scoped={"contact_id": CONTACTS})
def get_contact(op: Op, contact_id: int) -> ContactRow:
    """One contact the actor may see, for its edit form."""
    return _one_row(contact_id)


@operation("customer.edit", scoped={"customer_id": CUSTOMERS})
def create_contact(op: Op, /, customer_id: int, **fields: Any) -> ContactRow:
    values = clean(CONTACT_RULES, fields, partial=False)
    # Held against deletion until this commits (PostgreSQL: what the foreign key check takes).
    if db.for_key_share(Customer.select(Customer.id).where(Customer.id == customer_id)
                        ).first() is None:
        raise NotFound(_("customer #{customer_id} no longer exists").format(customer_id=customer_id))
    c = Contact.create(customer=customer_id, **values)
    op.audit("contact", c.id, "create", {"customer": customer_id, **values})
    return _one_row(c.id)


@operation("customer.edit", scoped={"contact_id": CONTACTS})
def update_contact(op: Op, /, contact_id: int, version: int, **fields: Any) -> ContactRow:
    """Change the given fields of a contact read at ``version`` (``Conflict`` if stale)."""
    values = clean(CONTACT_RULES, fields, partial=True)
    c = db.for_update(Contact.select().where(Contact.id == contact_id)).first()
    if c is None:
        raise NotFound(_("contact #{contact_id} no longer exists").format(contact_id=contact_id))
    save_version(op, Contact, "contact", c, version, values)
    return _one_row(contact_id)


@operation("customer.edit", scoped={"contact_ids": CONTACTS})
def delete_contacts(op: Op, contact_ids: Sequence[int]) -> int:
    ids = list(dict.fromkeys(int(i) for i in contact_ids))
    rows = list(db.for_update(Contact.select().where(Contact.id.in_(ids)).order_by(Contact.id)))
    if len(rows) != len(ids):
        raise NotFound(_("some of these contacts were deleted meanwhile; nothing was deleted"))
    Contact.delete().where(Contact.id.in_(ids)).execute()
    for c in rows:
        op.audit("contact", c.id, "delete", {"name": c.name, "customer": c.customer_id})
    return len(rows)


__all__ = ["as_rows", "contact_rows", "create_contact", "delete_contacts", "get_contact",
           "update_contact"]
