"""Trees of groups: customer groups and product categories share this code.

A tree is a table with ``id``, ``name`` and a self-referencing ``parent`` (NULL at the top),
plus a table of *items* that point at a node (customers -> group, products -> category).
``Tree`` holds what differs between them (models, permission names, audit entity); the
operations are the same: add, rename, move (never under itself), delete (refused while the
node holds items or sub-nodes, unless the caller says where they go).

Each ``Tree`` registers its own operations (``customer_group.create``, ...,
``product_category.delete``) with the tree's permission, so ``tree.create(actor, ...)`` is
checked, runs in one transaction and is audited like every other operation.

Trees here are small (tens to a few thousand nodes), so the whole ``(id, parent)`` list is read
at once to walk it; the items are only ever counted in SQL.

Usage::

    from tuicrm.data.parties.groups import customer_groups
    g = customer_groups.create(actor, "华东", parent_id=None)
    customer_groups.delete(actor, g.id, move_to=other.id)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

import peewee
from peewee import SQL, fn

from ...i18n import _
from ..models.base import now
from . import db
from .actor import Actor
from .errors import InUse, NotFound, ValidationError
from .operation import Op, operation, reader

P = ParamSpec("P")
R = TypeVar("R")

MAX_NAME = 60
TO_TOP = 0  # ``move_to`` / ``parent_id`` value meaning "no group" / "top level"


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n:,} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


@dataclass(frozen=True)
class NodeRef:
    """A node as an operation that changed it returns it."""

    id: int
    name: str
    parent_id: int | None


@dataclass(frozen=True)
class Node:
    """One node of the tree as a screen shows it."""

    id: int
    name: str
    parent_id: int | None
    depth: int
    path: str  # "parent/child"
    items: int  # items directly in this node
    total: int  # items in this node and all its sub-nodes
    children: tuple[Node, ...] = ()


def subtree_ids(nodes: Iterable[Node], node_id: int) -> set[int]:
    """``node_id`` and the ids of everything below it, from nodes already read."""
    for node in nodes:
        if node.id == node_id:
            out = {node.id}
            todo = list(node.children)
            while todo:
                child = todo.pop()
                out.add(child.id)
                todo.extend(child.children)
            return out
    return {node_id}


class Tree:
    """Operations on one tree model and the items that point at its nodes."""

    def __init__(
        self,
        model: type[peewee.Model],
        item_fk: peewee.ForeignKeyField,
        *,
        entity: str,
        label: str,
        view_permission: str,
        edit_permission: str,
    ) -> None:
        # Any: the two trees' models differ, and peewee's stubs know no ``id`` / ``parent``.
        self.model: Any = model
        self.item_fk = item_fk
        self.item_model: Any = item_fk.model
        self.entity = entity
        self.label = label  # "group", "category"
        self.view_permission = view_permission
        self.edit_permission = edit_permission
        # The operations of this tree, registered as ``<entity>.<action>``.
        self.nodes = self._operation("nodes", view_permission, self._nodes, writes=False)
        self.create = self._operation("create", edit_permission, self._create)
        self.ensure_path = self._operation("ensure_path", edit_permission, self._ensure_path)
        self.rename = self._operation("rename", edit_permission, self._rename)
        self.move = self._operation("move", edit_permission, self._move)
        self.delete = self._operation("delete", edit_permission, self._delete)

    def _operation(self, action: str, permission: str, body: Callable[Concatenate[Op, P], R],
                   *, writes: bool = True) -> Callable[Concatenate[Actor, P], R]:
        def step(op: Op, /, *args: P.args, **kwargs: P.kwargs) -> R:
            return body(op, *args, **kwargs)

        step.__signature__ = inspect.signature(body)  # type: ignore[attr-defined]
        step.__qualname__ = step.__name__ = f"{self.entity}.{action}"
        step.__doc__ = body.__doc__
        decorate = operation(permission) if writes else reader(permission)
        return decorate(step)

    # -- reading (no permission of their own: the operations that call them check it) --------

    def get(self, node_id: int) -> Any:
        node = self.model.get_or_none(self.model.id == node_id)
        if node is None:
            raise NotFound(_("{label} #{node_id} does not exist (deleted by someone else?)").format(
                             label=self.label,
                             node_id=node_id))
        return node

    def parents(self) -> dict[int, int | None]:
        """``{id: parent_id}`` of every node."""
        m = self.model
        return dict(m.select(m.id, m.parent).tuples())

    def descendants(self, node_id: int, include_self: bool = True) -> list[int]:
        """The ids of ``node_id``'s whole subtree (breadth first)."""
        children: dict[int | None, list[int]] = {}
        for nid, pid in self.parents().items():
            children.setdefault(pid, []).append(nid)
        out = [node_id] if include_self else []
        todo = list(children.get(node_id, []))
        while todo:
            nid = todo.pop(0)
            out.append(nid)
            todo.extend(children.get(nid, []))
        return out

    def find(self, path: str) -> Any:
        """A node by name or by path ``parent/child`` (names compared exactly after trim)."""
        parts = [p.strip() for p in str(path).split("/") if p.strip()]
        if not parts:
            return None
        m = self.model
        if len(parts) == 1:
            rows = list(m.select().where(m.name == parts[0]).order_by(m.id).limit(2))
            top = [r for r in rows if r.parent_id is None]
            return (top or rows or [None])[0]
        node = None
        for name in parts:
            cond = (m.name == name) & (m.parent.is_null() if node is None else m.parent == node.id)
            node = m.get_or_none(cond)
            if node is None:
                return None
        return node

    def find_child(self, parent_id: int | None, name: str) -> Any:
        m = self.model
        cond = m.parent.is_null() if parent_id is None else m.parent == parent_id
        return m.get_or_none(cond & (m.name == name))

    def item_counts(self, item_scope: Any = None) -> dict[int | None, int]:
        """``{node id: items directly in it}`` (key None: items in no node). One GROUP BY over
        the items: at a million customers it reads the whole ``group_id`` index (~100+ ms), so
        screens call it from a worker thread and paint the names first."""
        fk = self.item_fk
        counts_q = self.item_model.select(fk, fn.COUNT(SQL("*")))
        if item_scope is not None:
            counts_q = counts_q.where(item_scope)
        return dict(counts_q.group_by(fk).tuples())

    def read_nodes(self, item_scope: Any = None, *, counts: bool = True,
                   known_counts: dict[int | None, int] | None = None) -> list[Node]:
        """The whole tree in display order (depth first, siblings by name); with the item
        counts (``item_scope``: an extra WHERE on the items; ``known_counts``: as
        ``item_counts`` gave them earlier), or every count 0 (names only, instant at any
        size)."""
        m = self.model
        if known_counts is not None:
            per_node = known_counts
        else:
            per_node = self.item_counts(item_scope) if counts else {}
        rows = list(m.select(m.id, m.name, m.parent).order_by(m.name, m.id).tuples())
        by_parent: dict[int | None, list[tuple[int, str]]] = {}
        for nid, name, pid in rows:
            by_parent.setdefault(pid, []).append((nid, name))
        out: list[Node | None] = []

        def walk(pid: int | None, depth: int, prefix: str) -> list[Node]:
            level = []
            for nid, name in by_parent.get(pid, []):
                at = len(out)
                out.append(None)  # pre-order: the parent's place comes before its children
                path = f"{prefix}/{name}" if prefix else name
                children = walk(nid, depth + 1, path)
                items = per_node.get(nid, 0)
                node = Node(nid, name, pid, depth, path, items,
                            items + sum(c.total for c in children), tuple(children))
                out[at] = node
                level.append(node)
            return level

        walk(None, 0, "")
        return [n for n in out if n is not None]

    def _nodes(self, op: Op, item_scope: Any = None, *, counts: bool = True) -> list[Node]:
        """The whole tree in display order with item counts (see ``read_nodes``)."""
        return self.read_nodes(item_scope, counts=counts)

    # -- changing ----------------------------------------------------------------------

    def _clean_name(self, name: str) -> str:
        text = " ".join(str(name or "").split())
        if not text:
            raise ValidationError({"name": _("a {label} needs a name").format(label=self.label)})
        if len(text) > MAX_NAME:
            raise ValidationError({"name": _("at most {MAX_NAME} characters").format(
                                             MAX_NAME=MAX_NAME)})
        if "/" in text:
            raise ValidationError({"name": _("a name cannot contain '/'")})
        return text

    def _taken(self, name: str) -> ValidationError:
        return ValidationError({"name": _("there is already a {label} {name!r} here").format(
                                          label=self.label,
                                          name=name)})

    def _check_unique(self, name: str, parent_id: int | None, exclude: int | None = None) -> None:
        m = self.model
        q = m.select().where(
            (m.name == name) & (m.parent.is_null() if parent_id is None else m.parent == parent_id)
        )
        if exclude is not None:
            q = q.where(m.id != exclude)
        if q.exists():
            raise self._taken(name)

    def _locked(self, node_id: int, *, share: bool = False) -> Any:
        """The node, locked until the transaction ends (``share``: only against deletion)."""
        q = self.model.select().where(self.model.id == node_id)
        node = (db.for_key_share(q) if share else db.for_update(q)).first()
        if node is None:
            raise NotFound(_("{label} #{node_id} does not exist (deleted by someone else?)").format(
                             label=self.label,
                             node_id=node_id))
        return node

    def _lock_shape(self) -> None:
        """Lock every node: a move or delete reads the whole shape of the tree to refuse a
        cycle, and two concurrent moves must not each make the other's node its parent."""
        list(db.for_update(self.model.select(self.model.id)).tuples())

    def _create(self, op: Op, name: str, parent_id: int | None = None) -> NodeRef:
        """Add a node under ``parent_id`` (None or ``TO_TOP``: at the top level)."""
        clean = self._clean_name(name)
        parent = parent_id or None
        if parent is not None:
            self._locked(parent, share=True)
        self._check_unique(clean, parent)
        try:
            with db.write():  # a savepoint: a twin saved meanwhile trips the unique index
                node = self.model.create(name=clean, parent=parent)
        except peewee.IntegrityError:
            raise self._taken(clean) from None
        op.audit(self.entity, node.id, "create", {"name": clean, "parent": parent})
        return NodeRef(node.id, clean, parent)

    def _ensure_path(self, op: Op, path: str) -> int | None:
        """The id of the node at ``path`` (``parent/child``), creating the missing ones."""
        parent = None
        for part in [x.strip() for x in str(path).split("/") if x.strip()]:
            found = self.find_child(parent, part)
            parent = self._create(op, part, parent).id if found is None else found.id
        return parent

    def _rename(self, op: Op, node_id: int, name: str) -> NodeRef:
        clean = self._clean_name(name)
        node = self._locked(node_id)
        if node.name != clean:
            self._check_unique(clean, node.parent_id, exclude=node.id)
            self.model.update(name=clean).where(self.model.id == node.id).execute()
            op.audit(self.entity, node.id, "rename", {"name": (node.name, clean)})
        return NodeRef(node.id, clean, node.parent_id)

    def _move(self, op: Op, node_id: int, new_parent_id: int | None) -> NodeRef:
        """Put ``node_id`` (with its subtree) under ``new_parent_id`` (None: top level)."""
        parent = new_parent_id or None
        self._lock_shape()
        node = self._locked(node_id)
        if parent is not None:
            target = self._locked(parent)
            if parent in self.descendants(node.id):
                raise ValidationError(
                    {"parent": _("cannot move {name!r} into itself or its own sub-{label} "
                                 "{name2!r}").format(
                                 name=node.name,
                                 label=self.label,
                                 name2=target.name)}
                )
        if node.parent_id != parent:
            self._check_unique(node.name, parent, exclude=node.id)
            self.model.update(parent=parent).where(self.model.id == node.id).execute()
            op.audit(self.entity, node.id, "move", {"parent": (node.parent_id, parent)})
        return NodeRef(node.id, node.name, parent)

    def _delete(self, op: Op, node_id: int, move_to: int | None = None) -> int:
        """Delete a node. While it holds items or sub-nodes this is refused (``InUse``, with
        the counts) unless ``move_to`` says where they go: another node's id, or ``TO_TOP``
        (items lose their group, sub-nodes go to the top level). Returns the items moved."""
        self._lock_shape()
        node = self._locked(node_id)
        m, fk = self.model, self.item_fk
        items = self.item_model.select().where(fk == node.id).count()
        subs = m.select().where(m.parent == node.id).count()
        if (items or subs) and move_to is None:
            item_word = self.item_model._meta.table_name.replace("_", " ")
            held = " and ".join(
                x for x in (
                    plural(items, item_word) if items else "",
                    plural(subs, f"sub-{self.label}") if subs else "",
                ) if x
            )
            raise InUse(
                _("{label} {name!r} still holds {held}; choose where they go before deleting it").format(
                  label=self.label,
                  name=node.name,
                  held=held),
                {"items": items, "children": subs},
            )
        target: int | None = None
        if move_to not in (None, TO_TOP):
            target = move_to
            self._locked(move_to)
            if move_to in self.descendants(node.id):
                raise ValidationError(
                    {"move_to": _("cannot move them into {label} {name!r} itself or one of its "
                                  "sub-groups").format(label=self.label, name=node.name)}
                )
        if subs:
            for child in m.select().where(m.parent == node.id):
                self._check_unique(child.name, target, exclude=child.id)
            m.update(parent=target).where(m.parent == node.id).execute()
        if items:
            self._move_items(fk == node.id, target)
        m.delete().where(m.id == node.id).execute()
        op.audit(
            self.entity, node.id, "delete",
            {"name": node.name, "items_moved": items, "children_moved": subs, "to": target},
        )
        return int(items)

    def _move_items(self, where: Any, target: int | None) -> None:
        im = self.item_model
        values: dict[Any, Any] = {self.item_fk: target}
        if "version" in im._meta.fields:
            values[im.version] = im.version + 1
            values[im.updated_at] = now()
        im.update(values).where(where).execute()


def ids_of(nodes: Iterable[Node]) -> list[int]:
    return [n.id for n in nodes]


__all__ = ["MAX_NAME", "TO_TOP", "InUse", "Node", "NodeRef", "Tree", "ids_of", "plural",
           "subtree_ids"]
