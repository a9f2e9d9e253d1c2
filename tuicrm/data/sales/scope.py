"""Whose orders an actor reaches: everyone with ``order.view_all`` or ``customer.view_all``
reaches every order; a salesperson without them reaches the orders they entered and the orders
of the customers they own (the same rule as the customer scope, ``parties.scope``).

``ORDERS`` is the ``Scope`` operations declare for order id parameters; ``order_scope_where``
is the rule as a WHERE for lists (it needs ``Customer`` joined, LEFT OUTER).
"""

from __future__ import annotations

from typing import Any

from peewee import JOIN

from ...i18n import _
from ..core.actor import Actor
from ..core.errors import NotFound
from ..core.operation import Scope
from ..core.permissions import allowed
from ..models.orders import Order
from ..models.parties import Customer
from .rows import all_rows


def sees_all_orders(actor: Actor) -> bool:
    return allowed(actor, "order.view_all") or allowed(actor, "customer.view_all")


def order_scope_where(actor: Actor) -> Any:
    """The WHERE on ``Order`` (with ``Customer`` LEFT-joined) limiting it to ``actor``'s reach
    (None: no limit)."""
    if sees_all_orders(actor):
        return None
    return (Order.salesperson == actor.id) | (Customer.salesperson == actor.id)


def _check_orders(actor: Actor, ids: list[int]) -> None:
    query = (Order.select(Order.id)
             .join(Customer, JOIN.LEFT_OUTER, on=(Order.customer == Customer.id))
             .where(Order.id.in_(ids)))
    where = order_scope_where(actor)
    if where is not None:
        query = query.where(where)
    found = {int(oid) for (oid,) in all_rows(query)}
    gone = sorted(set(ids) - found)
    if gone:
        raise NotFound(_("order {join} does not exist or is not yours").format(
                         join=', '.join(f'#{i}' for i in gone)))


ORDERS = Scope("order", _check_orders)
