"""Suppliers and competitors (C7): read one, add, edit, delete.

Both are plain records with one unique field (a supplier's code, a competitor's name) and the
permission ``supplier.edit``; purchasing staff (``order.purchase``) may read suppliers too.
They come back as ``SupplierRow`` / ``CompetitorRow``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import peewee

from ...i18n import _
from ..core import db
from ..core.errors import NotFound, ValidationError
from ..core.operation import Op, operation, reader
from ..lists.filters import ilike, spelt_pattern
from ..models.parties import Competitor, Supplier
from .fields import COMPETITOR_RULES, SUPPLIER_RULES, Rule, clean
from .records import refuse_if_referenced, save_version, taken
from .rows import CompetitorRow, SupplierRow, row_of

T = TypeVar("T")


# -- what suppliers and competitors share -------------------------------------------------------


def _one(model: Any, row: type[T], entity: str, record_id: int) -> T:
    record = model.get_or_none(model.id == record_id)
    if record is None:
        raise NotFound(_("{entity} #{record_id} no longer exists").format(
                         entity=entity,
                         record_id=record_id))
    return row_of(row, record)


def _create(op: Op, model: Any, entity: str, rules: Mapping[str, Rule],
            unique: str, fields: Mapping[str, Any]) -> int:
    values = clean(rules, fields, partial=False)
    if model.select().where(getattr(model, unique) == values[unique]).exists():
        raise taken(unique, values[unique])
    try:
        with db.write():  # a savepoint: the unique index decides between two sessions
            record = model.create(**values)
    except peewee.IntegrityError:
        raise taken(unique, values[unique]) from None
    op.audit(entity, record.id, "create", values)
    return int(record.id)


def _update(op: Op, model: Any, entity: str, rules: Mapping[str, Rule],
            unique: str, record_id: int, version: int, fields: Mapping[str, Any]) -> None:
    values = clean(rules, fields, partial=True)
    if unique in values and not values[unique]:
        raise ValidationError({unique: _("required")})
    record = db.for_update(model.select().where(model.id == record_id)).first()
    if record is None:
        raise NotFound(_("{entity} #{record_id} does not exist (deleted by someone else?)").format(
                         entity=entity,
                         record_id=record_id))
    new = values.get(unique)
    if new is not None and new != getattr(record, unique) and model.select().where(
            getattr(model, unique) == new).exists():
        raise taken(unique, new)
    try:
        with db.write():
            save_version(op, model, entity, record, version, values)
    except peewee.IntegrityError:
        raise taken(unique, new) from None


def _delete(op: Op, model: Any, entity: str, record_ids: Sequence[int]) -> int:
    ids = list(dict.fromkeys(int(i) for i in record_ids))
    rows = list(db.for_update(model.select().where(model.id.in_(ids)).order_by(model.id)))
    if len(rows) != len(ids):
        raise NotFound(_("some {entity}s no longer exist; nothing was deleted").format(
                         entity=entity))
    refuse_if_referenced(model, entity, rows)
    model.delete().where(model.id.in_(ids)).execute()
    for r in rows:
        op.audit(entity, r.id, "delete", {"name": r.name})
    return len(rows)


# -- suppliers ------------------------------------------------------------------------------------


@reader(("supplier.edit", "order.purchase"))
def get_supplier(op: Op, supplier_id: int) -> SupplierRow:
    return _one(Supplier, SupplierRow, "supplier", supplier_id)


@reader(("supplier.edit", "order.purchase"))
def pick_suppliers(op: Op, text: str, limit: int = 20) -> list[SupplierRow]:
    """Suppliers to pick from while typing (Purchase's F2): code starting with ``text`` or
    name containing it, by name; every supplier (by name) when nothing is typed."""
    t = text.strip()
    query = Supplier.select()
    if t:
        query = query.where(Supplier.code.startswith(t) | Supplier.name.contains(t)
                            | ilike(Supplier.pinyin, spelt_pattern(t)))
    return [row_of(SupplierRow, s) for s in query.order_by(Supplier.name).limit(limit)]


@operation("supplier.edit")
def create_supplier(op: Op, /, **fields: Any) -> SupplierRow:
    new_id = _create(op, Supplier, "supplier", SUPPLIER_RULES, "code", fields)
    return _one(Supplier, SupplierRow, "supplier", new_id)


@operation("supplier.edit")
def update_supplier(op: Op, /, supplier_id: int, version: int, **fields: Any) -> SupplierRow:
    _update(op, Supplier, "supplier", SUPPLIER_RULES, "code", supplier_id, version, fields)
    return _one(Supplier, SupplierRow, "supplier", supplier_id)


@operation("supplier.edit")
def delete_suppliers(op: Op, supplier_ids: Sequence[int]) -> int:
    return _delete(op, Supplier, "supplier", supplier_ids)


# -- competitors ----------------------------------------------------------------------------------


@reader("customer.view")
def get_competitor(op: Op, competitor_id: int) -> CompetitorRow:
    return _one(Competitor, CompetitorRow, "competitor", competitor_id)


@operation("supplier.edit")
def create_competitor(op: Op, /, **fields: Any) -> CompetitorRow:
    new_id = _create(op, Competitor, "competitor", COMPETITOR_RULES, "name", fields)
    return _one(Competitor, CompetitorRow, "competitor", new_id)


@operation("supplier.edit")
def update_competitor(op: Op, /, competitor_id: int, version: int, **fields: Any) -> CompetitorRow:
    _update(op, Competitor, "competitor", COMPETITOR_RULES, "name", competitor_id, version,
            fields)
    return _one(Competitor, CompetitorRow, "competitor", competitor_id)


@operation("supplier.edit")
def delete_competitors(op: Op, competitor_ids: Sequence[int]) -> int:
    return _delete(op, Competitor, "competitor", competitor_ids)


__all__ = ["create_competitor", "create_supplier", "delete_competitors", "delete_suppliers",
           "get_competitor", "get_supplier", "update_competitor", "update_supplier"]
