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

from ..core.kept import Kept
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


# The counts are a GROUP BY over all the actor's customers (30-40 ms at a million with the
# index, several times that from a cold cache), shown at every open of Customers: with 20
# counter sessions on one server that was a fifth of their CPU. So big counts are kept a
# minute (``core.kept``: this process's own changes show at once).
_kept_counts: Kept[dict[int | None, int]] = Kept(max_age=60.0, entries=16)


@reader("customer.view")
def group_nodes(op: Op, *, counts: bool = True) -> list[Node]:
    """The customer groups in display order; with ``counts`` each says how many of the
    actor's customers it holds (read from a worker: the screen paints the names first)."""
    scope = customer_scope_where(op.actor)
    if not counts:
        return customer_groups.read_nodes(scope, counts=False)
    key = None if scope is None else op.actor.id  # a salesperson counts their own
    per_node = _kept_counts.read(key, lambda: customer_groups.item_counts(scope),
                                 lambda counted: sum(counted.values()))
    return customer_groups.read_nodes(scope, known_counts=per_node)


__all__ = ["customer_groups", "group_nodes"]
