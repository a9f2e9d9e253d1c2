"""Customer groups (C1): the generic ``Tree`` (``core/tree.py``) over ``CustomerGroup``.

``customer_groups.create/rename/move/delete/ensure_path(actor, ...)`` are operations with the
permission ``customer.edit``; ``group_nodes(actor)`` is the tree as the Customers screen shows
it, each group with how many of the actor's own customers it holds (a salesperson's counts
never reveal another salesperson's customers).

Usage::

    from tuicrm.data.parties.groups import customer_groups
    g = customer_groups.create(actor, "华东", parent_id=None)
    customer_groups.delete(actor, g.id, move_to=other.id)
"""

from __future__ import annotations

from ..core.operation import Op, reader
from ..core.tree import Node, Tree
from ..models.parties import Customer, CustomerGroup
from .scope import customer_scope_where

customer_groups = Tree(
    CustomerGroup,
    Customer.group,
    entity="customer_group",
    label="group",
    view_permission="customer.view",
    edit_permission="customer.edit",
)


@reader("customer.view")
def group_nodes(op: Op, *, counts: bool = True) -> list[Node]:
    """The customer groups in display order; with ``counts`` each says how many of the
    actor's customers it holds (a GROUP BY over all of them: ~140 ms at a million, so the
    screen asks for the counts from a worker and paints the names first)."""
    return customer_groups.read_nodes(customer_scope_where(op.actor), counts=counts)


__all__ = ["customer_groups", "group_nodes"]
