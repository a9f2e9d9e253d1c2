"""Whose tickets an actor reaches: everyone with ``ticket.view_all`` or ``customer.view_all``
reaches every ticket; anyone else reaches the tickets of the customers they own and the
tickets they own themselves (a repair given to the workshop).

``TICKETS`` is the ``Scope`` operations declare for ticket id parameters;
``ticket_scope_where`` is the rule as a WHERE for lists (it needs ``Customer`` joined).
"""

from __future__ import annotations

from typing import Any

from ...i18n import _
from ..core.actor import Actor
from ..core.errors import NotFound
from ..core.operation import Scope
from ..core.permissions import allowed
from ..models.parties import Customer
from ..models.service import Ticket


def sees_all_tickets(actor: Actor) -> bool:
    return allowed(actor, "ticket.view_all") or allowed(actor, "customer.view_all")


def ticket_scope_where(actor: Actor) -> Any:
    """The WHERE on ``Ticket`` (with ``Customer`` joined) limiting it to ``actor``'s reach
    (None: no limit)."""
    if sees_all_tickets(actor):
        return None
    return (Customer.salesperson == actor.id) | (Ticket.owner == actor.id)


def _check_tickets(actor: Actor, ids: list[int]) -> None:
    query = (Ticket.select(Ticket.id).join(Customer, on=(Ticket.customer == Customer.id))
             .where(Ticket.id.in_(ids)))
    where = ticket_scope_where(actor)
    if where is not None:
        query = query.where(where)
    rows: Any = query.tuples()
    found = {int(tid) for (tid,) in rows}
    gone = sorted(set(ids) - found)
    if gone:
        raise NotFound(_("ticket {join} does not exist or is not yours").format(
                         join=', '.join(f'#{i}' for i in gone)))


TICKETS = Scope("ticket", _check_tickets)
