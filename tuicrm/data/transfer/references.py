"""Names in a file that stand for records: tree paths (customer groups, product categories).

A column of the ``Path`` kind holds ``parent/child``; each distinct path is looked up once (a
file of 100k customers names a few dozen groups). A path that names no node is a problem of
the row, or, when the user asked for it (``--create-groups`` / ``--create-categories``), it is
made when the import is written, in the import's transaction. Refusing is the default: a typo
would otherwise quietly grow the tree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...i18n import _
from ..core.actor import Actor
from ..core.tree import Tree

# The tree's id for a path, making the nodes it lacks (a building block with its own
# permission check and audit rows; a savepoint inside the import's transaction).
Make = Callable[[Actor, str], int | None]


class TreePaths:
    """The paths of one tree a file names: resolved, and the missing ones noted or made."""

    def __init__(self, tree: Tree, what: str, *, create: bool, make: Make | None = None) -> None:
        self.tree = tree
        self.what = what  # "group", "category": for the messages
        self.create = create
        self._make: Make = make or tree.ensure_path
        self._ids: dict[str, int | None] = {}  # path -> node id (None: not in the database)
        self._new: list[str] = []  # missing paths to make, in the order the file names them

    def resolve(self, path: str) -> int | str:
        """The node id of ``path``, or the path itself when it is to be made by the write;
        ``ValueError`` with the row's message when it is unknown and not to be made."""
        if path not in self._ids:
            node: Any = self.tree.find(path)
            self._ids[path] = int(node.id) if node is not None else None
        found = self._ids[path]
        if found is not None:
            return found
        if not self.create:
            raise ValueError(_("unknown {what} {path!r}").format(what=self.what, path=path))
        if path not in self._new:
            self._new.append(path)
        return path

    @property
    def new(self) -> list[str]:
        """The paths the import makes (or, before the write, would make)."""
        return list(self._new)

    def make_missing(self, actor: Actor) -> None:
        """Make every missing path (inside the write transaction)."""
        for path in self._new:
            self._ids[path] = self._make(actor, path)

    def id_of(self, ref: int | str | None) -> int | None:
        """The node id of what ``resolve`` returned, once ``make_missing`` has run."""
        if ref is None or isinstance(ref, int):
            return ref
        return self._ids[ref]
