"""GroupTree: the customer-group tree on the left of the Customers screen (C1).

Each node shows its name and how many customers it holds with its sub-groups (the counts are
taken in a thread worker after the names are painted, so the tree opens at once at any size).
The top node is "All customers"; the last one "(no group)". Keys while the tree has the focus:
**a** add a sub-group under the cursor (on "All customers": a top-level group), **r** rename,
**m** move under another group, **d** / **Del** delete, **s** include sub-groups or not.

Deleting a group that still holds customers or sub-groups is never silent: the operation
refuses with the counts, and the tree then asks where they should go (another group, or no
group / the top level); Esc keeps the group. Every change runs in a thread worker (the form
stays open on an error), so a write waiting on another terminal never freezes the screen.

Posts ``GroupTree.Changed(group_id, subgroups)`` when the chosen group or the sub-group toggle
changes (``group_id`` None: all customers; 0: customers without a group).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..data.core.actor import Actor
from ..data.core.errors import InUse, TuicrmError, ValidationError
from ..data.core.tree import TO_TOP, Node, subtree_ids
from ..data.parties.groups import customer_groups, group_nodes
from ..i18n import _, ngettext
from .background import WAITING, run_in_thread
from .form import FormField
from .saving_form import SavingFormDialog
from .tree_labels import fitted_label, label_room

NO_GROUP = 0


WIDTH = 24  # cells, with the border on the right (the labels are fitted to it)


class GroupTree(Tree[int | None]):
    BINDINGS = [
        Binding("a", "add_group", "Add group", id="groups.add"),
        Binding("r", "rename_group", "Rename", id="groups.rename"),
        Binding("m", "move_group", "Move", id="groups.move"),
        Binding("d,delete", "delete_group", "Delete group", id="groups.delete"),
        Binding("s", "toggle_subgroups", "Sub-groups", id="groups.subgroups"),
    ]
    # No scrollbars (the cursor scrolls the tree): Textual repaints a tree's scrollbars at
    # every relayout (each character typed in the search line), 1.4 KB of the 4 KB a search
    # character cost over SSH.
    DEFAULT_CSS = ("GroupTree { width: " + str(WIDTH) + "; border-right: solid $primary; "
                   "background: $surface; scrollbar-size: 0 0; }")

    class Changed(Message):
        def __init__(self, tree: GroupTree, group_id: int | None, subgroups: bool) -> None:
            super().__init__()
            self.tree = tree
            self.group_id = group_id
            self.subgroups = subgroups

        @property
        def control(self) -> GroupTree:
            return self.tree

    class _Counted(Message):
        def __init__(self, token: int, totals: dict[int, int]) -> None:
            super().__init__()
            self.token = token
            self.totals = totals  # group id -> customers in it and its sub-groups

    def __init__(self, actor: Actor, *, subgroups: bool = True, id: str | None = None) -> None:  # noqa: A002
        super().__init__(Text(_("All customers")), data=None, id=id)
        self.actor = actor
        self.subgroups = subgroups
        self.nodes_by_id: dict[int, Node] = {}
        self.guide_depth = 2
        self.show_guides = False
        self._last: tuple[int | None, bool] | None = None
        self._group_nodes: list[Node] = []
        self._group_tree_nodes: dict[int, TreeNode[int | None]] = {}
        self._totals: dict[int, int] | None = None  # the last counts read (none at first)
        self._count_token = 0

    def on_mount(self) -> None:
        self.reload()

    # -- reading -------------------------------------------------------------------------

    @property
    def group_id(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def reload(self, select_id: int | None | str = "keep") -> None:
        """Read the tree again; keep the cursor on the same group (or on ``select_id``).

        The names are read and painted at once; the customer counts (a GROUP BY over every
        customer: ~140 ms at a million) come from a thread worker and fill the labels when
        they arrive. Until then the last counts known are shown (none on the first open)."""
        want = self.group_id if select_id == "keep" else select_id
        nodes = group_nodes(self.actor, counts=False)
        self.nodes_by_id = {n.id: n for n in nodes}
        self._group_nodes = nodes
        self.clear()
        tree_nodes: dict[int, TreeNode[int | None]] = {}
        for n in nodes:
            parent = tree_nodes.get(n.parent_id) if n.parent_id is not None else self.root
            label = self._group_label(n)
            if n.children:
                tree_nodes[n.id] = (parent or self.root).add(label, data=n.id, expand=True)
            else:
                tree_nodes[n.id] = (parent or self.root).add_leaf(label, data=n.id)
        self._group_tree_nodes = tree_nodes
        self.root.add_leaf(Text(_("(no group)")), data=NO_GROUP)
        self.root.set_label(Text(_("All customers")))
        self.root.expand()
        target = self.root
        if want == NO_GROUP:
            target = self.root.children[-1]
        elif want is not None and want in tree_nodes:
            target = tree_nodes[want]
        self.call_after_refresh(self._go, target)
        self._recount()

    def _group_label(self, n: Node) -> Text:
        count = f"{self._totals.get(n.id, 0):,}" if self._totals is not None else ""
        room = label_room(WIDTH - 1, self.guide_depth, n.depth + 1, bool(n.children))
        return fitted_label(n.name, count, room, "dim")

    def _recount(self) -> None:
        """Count the customers per group in a thread worker (its own connection)."""
        self._count_token += 1
        token = self._count_token
        actor = self.actor

        def work() -> None:
            from ..data.core.db import worker_connection

            with worker_connection():
                nodes = group_nodes(actor, counts=True)
            self.post_message(self._Counted(token, {n.id: n.total for n in nodes}))

        self.run_worker(work, thread=True, exclusive=True, group="group-tree-count",
                        exit_on_error=False)

    def on_group_tree__counted(self, message: _Counted) -> None:
        message.stop()
        if message.token != self._count_token:
            return  # the tree was read again since (an edit): a newer count is coming
        self._totals = message.totals
        for n in self._group_nodes:
            node = self._group_tree_nodes.get(n.id)
            if node is not None:
                node.set_label(self._group_label(n))

    def _go(self, node: TreeNode[int | None]) -> None:
        self.move_cursor(node)
        self._changed()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[int | None]) -> None:
        event.stop()
        self._changed()

    def on_tree_node_selected(self, event: Tree.NodeSelected[int | None]) -> None:
        event.stop()

    def _changed(self) -> None:
        key = (self.group_id, self.subgroups)
        if key != self._last:
            self._last = key
            self.post_message(self.Changed(self, self.group_id, self.subgroups))

    # -- actions --------------------------------------------------------------------------

    def _error(self, message: str) -> None:
        self.app.bell()
        self.app.notify(message, severity="error", markup=False)

    def _real_group(self) -> Node | None:
        gid = self.group_id
        if not gid:
            self._error(_("Choose a group first (not All customers or (no group))."))
            return None
        return self.nodes_by_id.get(gid)

    def _choices(self, exclude: int | None, top_label: str) -> list[tuple[str, str]]:
        banned = subtree_ids(self._group_nodes, exclude) if exclude else set()
        out = [(top_label, str(TO_TOP))]
        out += [(n.path, str(n.id)) for n in self.nodes_by_id.values() if n.id not in banned]
        return out

    def action_toggle_subgroups(self) -> None:
        self.subgroups = not self.subgroups
        self.app.notify(_("Showing the customers of sub-groups too.") if self.subgroups
                        else _("Showing only the customers directly in the group."),
                        markup=False)
        self._changed()

    def action_add_group(self) -> None:
        parent = self.group_id or None
        where = (self.nodes_by_id[parent].path if parent in self.nodes_by_id
                 else _("the top level"))
        actor = self.actor
        form = SavingFormDialog(
            _("New group under {where}").format(where=where), [FormField("name", _("Name"))],
            submit=lambda v: customer_groups.create(actor, v["name"], parent),
            submit_label=_("Add"))

        def done(v: dict[str, str] | None) -> None:
            if v is not None:
                self.reload(select_id=form.result.id)

        self.app.push_screen(form, done)

    def action_rename_group(self) -> None:
        node = self._real_group()
        if node is None:
            return
        gid, actor = node.id, self.actor
        form = SavingFormDialog(
            _("Rename group {group}").format(group=node.path),
            [FormField("name", _("Name"), node.name)],
            submit=lambda v: customer_groups.rename(actor, gid, v["name"]))
        self.app.push_screen(form, self._reload_if_saved)

    def _reload_if_saved(self, values: dict[str, str] | None) -> None:
        if values is not None:
            self.reload()

    def action_move_group(self) -> None:
        node = self._real_group()
        if node is None:
            return
        gid, actor = node.id, self.actor
        current = str(node.parent_id or TO_TOP)

        def move(v: dict[str, str]) -> Any:
            target = int(v["parent"] or TO_TOP) or None
            return customer_groups.move(actor, gid, target)

        form = SavingFormDialog(
            _("Move group {group} (with its sub-groups) under").format(group=node.path),
            [FormField("parent", _("Under"), current, kind="choice",
                       choices=self._choices(gid, _("(top level)")))],
            submit=move, submit_label=_("Move"),
        )
        self.app.push_screen(form, self._reload_if_saved)

    def action_delete_group(self) -> None:
        node = self._real_group()
        if node is None:
            return
        from .dialogs import ConfirmDialog

        gid, actor = node.id, self.actor

        def deleted(_moved: int) -> None:
            self.app.notify(_("Group {group} deleted.").format(group=node.path), markup=False)
            self.reload(select_id=node.parent_id)

        def refused(error: TuicrmError) -> None:
            if isinstance(error, InUse):
                self._ask_where(node, error)
            else:
                self._error(str(error))

        def answer(yes: bool | None) -> None:
            if yes:
                run_in_thread(self, lambda: customer_groups.delete(actor, gid), deleted,
                              refused, name="group-delete", waiting=WAITING)

        self.app.push_screen(ConfirmDialog(_("Delete group {group}?").format(group=node.path),
                                           yes=_("Delete")), answer)

    def _ask_where(self, node: Node, refused: InUse) -> None:
        gid, actor = node.id, self.actor

        def delete(v: dict[str, str]) -> int:
            if v["move_to"] == "":
                raise ValidationError({"move_to": _("choose where they go (or Esc to keep it)")})
            return customer_groups.delete(actor, gid, move_to=int(v["move_to"]))

        form = SavingFormDialog(
            _("{problem}. Esc keeps the group.").format(problem=refused),
            [FormField("move_to", _("Move them to"), "", kind="choice",
                       choices=self._choices(gid, _("(no group / top level)")))],
            submit=delete, submit_label=_("Move and delete"),
        )

        def done(v: dict[str, str] | None) -> None:
            if v is None:
                self.app.notify(_("Group {group} kept.").format(group=node.path), markup=False)
                return
            self.app.notify(ngettext("Group {group} deleted; {n} customer moved.",
                                     "Group {group} deleted; {n} customers moved.",
                                     form.result).format(group=node.path, n=f"{form.result:,}"),
                            markup=False)
            self.reload(select_id=int(v["move_to"]) or None)

        self.app.push_screen(form, done)


__all__ = ["NO_GROUP", "GroupTree"]
