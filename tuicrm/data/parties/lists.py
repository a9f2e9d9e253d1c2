"""The Contacts, Suppliers and Competitors lists: the search behind each list's ``/`` and one
record by id, within what the operator may see (the scope and permissions of
``customers.contact_query`` / ``supplier_query`` / ``competitor_query``)."""

from __future__ import annotations

from typing import Any

import peewee

from ..core.actor import Actor
from ..core.errors import NotFound
from ..lists.filters import FilterColumn, contains_pattern, filter_columns, ilike
from ..models import Competitor, Contact, Customer, Supplier
from . import customers

COMPETITOR_COLUMNS = filter_columns(
    FilterColumn("name", "Name", Competitor.name),
    FilterColumn("products", "Products", Competitor.products),
    FilterColumn("strengths", "Strengths", Competitor.strengths),
    FilterColumn("weaknesses", "Weaknesses", Competitor.weaknesses),
    FilterColumn("notes", "Notes", Competitor.notes),
    FilterColumn("created_at", "Created", Competitor.created_at, "datetime"),
)


def _searched(query: peewee.ModelSelect, search: str | None, *exprs: Any) -> peewee.ModelSelect:
    """``query`` narrowed to rows where any of ``exprs`` contains ``search`` (any case)."""
    text = (search or "").strip()
    if not text:
        return query
    pattern = contains_pattern(text)
    cond = None
    for e in exprs:
        c = ilike(e, pattern)
        cond = c if cond is None else (cond | c)
    return query.where(cond)


def contacts_query(actor: Actor, search: str | None = None) -> peewee.ModelSelect:
    """Contacts whose name, mobile, phone or customer name/code contains ``search``."""
    return _searched(customers.contact_query(actor), search, Contact.name, Contact.mobile,
                     Contact.phone, Customer.name, Customer.code)


def suppliers_query(actor: Actor, search: str | None = None) -> peewee.ModelSelect:
    """Suppliers whose code, name, phone or contact name contains ``search``."""
    return _searched(customers.supplier_query(actor), search, Supplier.code, Supplier.name,
                     Supplier.phone, Supplier.contact_name)


def competitors_query(actor: Actor, search: str | None = None) -> peewee.ModelSelect:
    """Competitors whose name or products contain ``search``."""
    return _searched(customers.competitor_query(actor), search, Competitor.name,
                     Competitor.products)


def pick_suppliers(actor: Actor, text: str, limit: int = 20) -> list[Supplier]:
    """Suppliers to pick from while typing: code starting with ``text`` or name containing
    it, by name."""
    t = text.strip()
    return list(customers.supplier_query(actor)
                .where(Supplier.code.startswith(t) | Supplier.name.contains(t))
                .order_by(Supplier.name).limit(limit))


def _one(query: peewee.ModelSelect, model: type[peewee.Model], entity: str,
         record_id: int) -> Any:
    rec = query.where(model.id == record_id).first()
    if rec is None:
        raise NotFound(f"{entity} #{record_id} no longer exists")
    return rec


def get_contact(actor: Actor, contact_id: int) -> Contact:
    return _one(customers.contact_query(actor), Contact, "contact", contact_id)


def get_supplier(actor: Actor, supplier_id: int) -> Supplier:
    return _one(customers.supplier_query(actor), Supplier, "supplier", supplier_id)


def get_competitor(actor: Actor, competitor_id: int) -> Competitor:
    return _one(customers.competitor_query(actor), Competitor, "competitor", competitor_id)
