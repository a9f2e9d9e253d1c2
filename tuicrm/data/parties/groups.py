"""Trees of groups: customer groups today, product categories with the same code tomorrow.

A tree is a table with ``id``, ``name`` and a self-referencing ``parent`` (NULL at the top),
plus a table of *items* that point at a node (customers -> group, products -> category).
``Tree`` holds what differs between them (models, permission names, audit entity); the
operations are the same: add, rename, move (never under itself), delete (refused while the
node holds items or sub-nodes, unless the caller says where they go).

Trees here are small (tens to a few thousand nodes), so the whole ``(id, parent)`` list is read
at once to walk it; the items are only ever counted in SQL.

Usage::

    from tuicrm.data.parties import groups
    g = groups.customer_groups.create(actor, "华东", parent_id=None)
    groups.customer_groups.delete(actor, g.id, move_to=other.id)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import peewee
from peewee import SQL, fn

from ..core import audit
from ..core.actor import Actor
from ..core.db import write
from ..core.errors import NotFound, TuicrmError, ValidationError
from ..core.permissions import require
from ..models import Customer, CustomerGroup, now

MAX_NAME = 60
TO_TOP = 0  # ``move_to`` / ``parent_id`` value meaning "no group" / "top level"


class InUse(TuicrmError):
    """A record cannot be deleted because others refer to it; ``refs`` maps what -> count."""

    def __init__(self, message: str, refs: dict[str, int] | None = None) -> None:
        super().__init__(message)
        self.refs = dict(refs or {})


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n:,} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


@dataclass
class Node:
    """One node of the tree as the screen shows it."""

    id: int
    name: str
    parent_id: int | None
    depth: int
    items: int  # items directly in this node
    total: int  # items in this node and all its sub-nodes
    children: list[Node] = field(default_factory=list)

    @property
    def path(self) -> str:  # filled by Tree.nodes()
        return getattr(self, "_path", self.name)


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
        self.model = model
        self.item_fk = item_fk
        self.item_model = item_fk.model
        self.entity = entity
        self.label = label  # "group", "category"
        self.view_permission = view_permission
        self.edit_permission = edit_permission

    # -- reading -----------------------------------------------------------------------

    def _check(self, actor: Actor, permission: str) -> None:
        require(actor, permission)

    def get(self, node_id: int) -> peewee.Model:
        node = self.model.get_or_none(self.model.id == node_id)
        if node is None:
            raise NotFound(f"{self.label} #{node_id} does not exist (deleted by someone else?)")
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

    def find(self, path: str) -> peewee.Model | None:
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

    def find_child(self, parent_id: int | None, name: str) -> peewee.Model | None:
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

    def nodes(
        self,
        actor: Actor,
        item_scope: Any = None,
        *,
        counts: dict[int | None, int] | None | bool = True,
    ) -> list[Node]:
        """The whole tree in display order (depth first, siblings by name) with item counts.

        ``item_scope`` is an extra WHERE on the items (e.g. only a salesperson's customers).
        ``counts``: True counts the items now; a dict from ``item_counts`` uses those; False
        or None skips counting (every count 0: names only, instant at any size).
        """
        self._check(actor, self.view_permission)
        m = self.model
        if counts is True:
            counts = self.item_counts(item_scope)
        elif not counts:
            counts = {}
        rows = list(m.select(m.id, m.name, m.parent).order_by(m.name, m.id).tuples())
        by_parent: dict[int | None, list[tuple[int, str]]] = {}
        for nid, name, pid in rows:
            by_parent.setdefault(pid, []).append((nid, name))
        out: list[Node] = []

        def walk(pid: int | None, depth: int, prefix: str) -> list[Node]:
            level = []
            for nid, name in by_parent.get(pid, []):
                node = Node(nid, name, pid, depth, counts.get(nid, 0), 0)
                node._path = f"{prefix}/{name}" if prefix else name  # type: ignore[attr-defined]
                out.append(node)
                node.children = walk(nid, depth + 1, node.path)
                node.total = node.items + sum(c.total for c in node.children)
                level.append(node)
            return level

        walk(None, 0, "")
        return out

    # -- changing ----------------------------------------------------------------------

    def _clean_name(self, name: str) -> str:
        text = " ".join(str(name or "").split())
        if not text:
            raise ValidationError({"name": f"a {self.label} needs a name"})
        if len(text) > MAX_NAME:
            raise ValidationError({"name": f"at most {MAX_NAME} characters"})
        if "/" in text:
            raise ValidationError({"name": "a name cannot contain '/'"})
        return text

    def _check_unique(self, name: str, parent_id: int | None, exclude: int | None = None) -> None:
        m = self.model
        q = m.select().where(
            (m.name == name) & (m.parent.is_null() if parent_id is None else m.parent == parent_id)
        )
        if exclude is not None:
            q = q.where(m.id != exclude)
        if q.exists():
            raise ValidationError({"name": f"there is already a {self.label} {name!r} here"})

    def create(self, actor: Actor, name: str, parent_id: int | None = None) -> peewee.Model:
        self._check(actor, self.edit_permission)
        clean = self._clean_name(name)
        parent_id = parent_id or None
        with write():
            if parent_id is not None:
                self.get(parent_id)
            self._check_unique(clean, parent_id)
            node = self.model.create(name=clean, parent=parent_id)
            audit.record(actor, self.entity, node.id, "create", {"name": clean, "parent": parent_id})
        return node

    def ensure_path(self, actor: Actor, path: str) -> int | None:
        """The id of the node at ``path`` (``parent/child``), creating the missing ones."""
        parent = None
        for part in [x.strip() for x in str(path).split("/") if x.strip()]:
            node = self.find_child(parent, part)
            if node is None:
                node = self.create(actor, part, parent)
            parent = node.id
        return parent

    def rename(self, actor: Actor, node_id: int, name: str) -> peewee.Model:
        self._check(actor, self.edit_permission)
        clean = self._clean_name(name)
        with write():
            node = self.get(node_id)
            if node.name == clean:
                return node
            self._check_unique(clean, node.parent_id, exclude=node.id)
            old = node.name
            self.model.update(name=clean).where(self.model.id == node.id).execute()
            audit.record(actor, self.entity, node.id, "rename", {"name": (old, clean)})
            node.name = clean
        return node

    def move(self, actor: Actor, node_id: int, new_parent_id: int | None) -> peewee.Model:
        """Put ``node_id`` (with its subtree) under ``new_parent_id`` (None: top level)."""
        self._check(actor, self.edit_permission)
        new_parent_id = new_parent_id or None
        with write():
            node = self.get(node_id)
            if new_parent_id is not None:
                target = self.get(new_parent_id)
                if new_parent_id in self.descendants(node.id):
                    raise ValidationError(
                        {"parent": f"cannot move {node.name!r} into itself or its own "
                                   f"sub-{self.label} {target.name!r}"}
                    )
            if node.parent_id == new_parent_id:
                return node
            self._check_unique(node.name, new_parent_id, exclude=node.id)
            old = node.parent_id
            self.model.update(parent=new_parent_id).where(self.model.id == node.id).execute()
            audit.record(actor, self.entity, node.id, "move", {"parent": (old, new_parent_id)})
            node.parent = new_parent_id
        return node

    def delete(self, actor: Actor, node_id: int, move_to: int | None = None) -> int:
        """Delete a node. While it holds items or sub-nodes this is refused (``InUse``, with
        the counts) unless ``move_to`` says where they go: another node's id, or ``TO_TOP``
        (items lose their group, sub-nodes go to the top level). Returns the items moved."""
        self._check(actor, self.edit_permission)
        with write():
            node = self.get(node_id)
            m, fk = self.model, self.item_fk
            items = self.item_model.select().where(fk == node.id).count()
            subs = m.select().where(m.parent == node.id).count()
            if (items or subs) and move_to is None:
                held = " and ".join(
                    x for x in (
                        plural(items, self.item_model._meta.table_name.replace("_", " ")) if items else "",
                        plural(subs, f"sub-{self.label}") if subs else "",
                    ) if x
                )
                raise InUse(
                    f"{self.label} {node.name!r} still holds {held}; choose where they go "
                    "before deleting it",
                    {"items": items, "children": subs},
                )
            target: int | None = None
            if move_to not in (None, TO_TOP):
                target = move_to
                self.get(target)
                if target in self.descendants(node.id):
                    raise ValidationError(
                        {"move_to": f"cannot move them into {self.label} {node.name!r} itself "
                                    "or one of its sub-groups"}
                    )
            if subs:
                for child in m.select().where(m.parent == node.id):
                    self._check_unique(child.name, target, exclude=child.id)
                m.update(parent=target).where(m.parent == node.id).execute()
            if items:
                self._move_items(fk == node.id, target)
            m.delete().where(m.id == node.id).execute()
            audit.record(
                actor, self.entity, node.id, "delete",
                {"name": node.name, "items_moved": items, "children_moved": subs, "to": target},
            )
        return items

    def _move_items(self, where: Any, target: int | None) -> None:
        im = self.item_model
        values: dict[Any, Any] = {self.item_fk: target}
        if "version" in im._meta.fields:
            values[im.version] = im.version + 1
            values[im.updated_at] = now()
        im.update(values).where(where).execute()


def ids_of(nodes: Iterable[Node]) -> list[int]:
    return [n.id for n in nodes]


customer_groups = Tree(
    CustomerGroup,
    Customer.group,
    entity="customer_group",
    label="group",
    view_permission="customer.view",
    edit_permission="customer.edit",
)
