"""Expenses and other income (SPEC M4): the category tree on the left, the money documents on
the right with every list tool (search, filter F, dates D, columns C, export x, print P).

**a** records an expense (or, after **i**, other income) in the highlighted category, from a
cash box or account; **n** adds a category (a path such as ``Expenses/Rent``). Reading the
tree and every write run in thread workers.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Tree

from ..data.core import clock
from ..data.core.tree import Node
from ..data.core.vocab import DocKind
from ..data.money import expenses
from ..data.money.lists import EXPENSES, METHOD_TITLES
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog
from ..widgets.tree_labels import fitted_label, label_room
from .list_screen import ListScreen

TREE_WIDTH = 22  # cells, with the border on the right (the labels are fitted to it)


class ExpensesScreen(ListScreen):
    LIST = EXPENSES
    TITLE_TEXT = N_("Expenses and other income")
    HELP = N_(
        "Money paid out (rent, wages, transport, ...) and other income, by category. The tree "
        "narrows the list to a category and its sub-categories. a records one, i switches "
        "between expenses and other income, n adds a category (a path like Expenses/Rent)."
    )
    BINDINGS = [
        Binding("a", "add", "Add", id="expenses.add"),
        Binding("i", "toggle_kind", "Expenses/income", id="expenses.kind"),
        Binding("n", "new_category", "New category", id="expenses.category"),
    ]
    DEFAULT_CSS = ("ExpensesScreen #categories { width: " + str(TREE_WIDTH) + "; "
                   "border-right: solid $primary; overflow-x: hidden; }")

    def __init__(self) -> None:
        super().__init__()
        self.kind = DocKind.EXPENSE
        self.category_id: int | None = None
        self.nodes: list[Node] = []
        self.accounts: list[tuple[str, str]] = []  # (code, name) of the cash boxes / accounts

    def title_text(self) -> str:
        return _("Expenses") if self.kind == DocKind.EXPENSE else _("Other income")

    def list_options(self) -> dict[str, Any]:
        ids = None
        if self.category_id is not None:
            ids = [n.id for n in self.nodes if n.id == self.category_id
                   or n.path.startswith(self._path(self.category_id) + "/")]
        return {"kind": self.kind.value, "category_ids": ids}

    def _path(self, node_id: int | None) -> str:
        return next((n.path for n in self.nodes if n.id == node_id), "")

    def compose_left(self) -> ComposeResult:
        yield Tree(Text(_("All categories")), id="categories")

    def on_mount(self) -> None:
        self.load_tree()

    def status_parts(self) -> list[str]:
        parts = super().status_parts()
        parts.append(self.title_text().lower())
        if self.category_id is not None:
            parts.append(_("category: ") + self._path(self.category_id))
        return parts

    # -- the tree ------------------------------------------------------------------------------

    def load_tree(self, select: int | None = None) -> None:
        user = self.user
        def read() -> tuple[list[Node], list[tuple[str, str]]]:
            return expenses.money_categories.nodes(user), expenses.account_choices(user)

        run_in_thread(self, read, lambda got: self._show_tree(*got, select=select),
                      lambda e: self.notify_error(str(e)), name="money-categories",
                      exclusive=True)

    def _show_tree(self, nodes: list[Node], accounts: list[tuple[str, str]],
                   select: int | None) -> None:
        self.accounts = accounts
        tree = self.query_one("#categories", Tree)
        tree.clear()
        tree.root.data = None
        tree.root.expand()
        by_id: dict[int, Any] = {}
        for node in nodes:
            parent = by_id.get(node.parent_id, tree.root) if node.parent_id else tree.root
            room = label_room(TREE_WIDTH - 1, tree.guide_depth, node.depth + 1,
                              bool(node.children))
            by_id[node.id] = parent.add(fitted_label(node.name, "", room), data=node.id,
                                        expand=True, allow_expand=bool(node.children))
        self.nodes = nodes
        if select is not None and select in by_id:
            tree.move_cursor(by_id[select])

    @on(Tree.NodeHighlighted, "#categories")
    def _category_chosen(self, event: Tree.NodeHighlighted[int | None]) -> None:
        if event.node.data != self.category_id:
            self.category_id = event.node.data
            if self.ready:
                self.reload()

    # -- keys ----------------------------------------------------------------------------------

    def action_toggle_kind(self) -> None:
        self.kind = DocKind.INCOME if self.kind == DocKind.EXPENSE else DocKind.EXPENSE
        self.reload()

    def action_new_category(self) -> None:
        actor = self.user
        form = SavingFormDialog(
            _("New category"), [FormField("path", _("Category"), self._path(self.category_id)
                                          + "/" if self.category_id else "")],
            submit=lambda v: expenses.money_categories.ensure_path(actor, v["path"]),
            submit_label=_("Add"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.load_tree(select=form.result)

        self.app.push_screen(form, done)

    def action_add(self) -> None:
        actor, kind = self.user, self.kind
        accounts = [(_("(the method's usual one)"), "")] + [
            (f"{code}  {name}", code) for code, name in self.accounts]
        categories = [(n.path, str(n.id)) for n in self.nodes]
        record = expenses.record_expense if kind == DocKind.EXPENSE else expenses.record_income

        def save(v: dict[str, str]) -> Any:  # in a worker
            category = int(v["category"]) if v["category"] else None
            return record(actor, v["amount"], v["method"], category_id=category,
                          account=v["account"] or None, date=_date(v["date"]),
                          reference=v["reference"], notes=v["notes"])

        form = SavingFormDialog(
            _("Record an expense") if kind == DocKind.EXPENSE else _("Record other income"),
            [FormField("amount", _("Amount")),
             FormField("method", _("Method"), "cash", kind="choice",
                       choices=[(_(t), m) for m, t in METHOD_TITLES.items()]),
             FormField("account", _("Cash box / account"), "", kind="choice",
                       choices=accounts),
             FormField("category", _("Category"), str(self.category_id or ""), kind="choice",
                       choices=categories),
             FormField("date", _("Date"), clock.today().isoformat()),
             FormField("reference", _("Reference")),
             FormField("notes", _("Notes"))],
            submit=save, submit_label=_("Record"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None and form.result is not None:
                self.notify(_("{number} recorded").format(number=form.result.number),
                            markup=False)
                self.reload()

        self.app.push_screen(form, done)


def _date(text: str) -> Any:
    import datetime as dt

    from ..data.core.errors import ValidationError

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError({"date": _("a date as YYYY-MM-DD")}) from None
