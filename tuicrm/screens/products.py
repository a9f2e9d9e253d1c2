"""Products (P1): the category tree on the left, the product list on the right.

A ``ListScreen``, so every list tool works here: quick search (code, name, spec or any barcode,
in SQL, one page at a time), custom filter (**F**) over the product columns, date range on
the creation date (**D**), columns shown / hidden and sort remembered per user (**C**), export
of the list as shown with progress and cancel (**x**) and a print preview (**P**). The category
tree narrows the list to a category and its sub-categories. The form edits a product with all
its barcodes on one line (``4006381333931; 12*14006381333938``: a carton code standing for 12
units), prices, minimum stock and the active flag; a bad GTIN check digit is shown next to the
barcode field. The cost column, filter and field exist only for roles with
``product.see_cost`` (the operations and exports enforce it too). Saving a product or a
category, deactivating and reading the category tree run in thread workers: a save that waits
on another terminal's lock never freezes the screen.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Tree

from ..data.catalog import categories, product_edit, products
from ..data.catalog.lists import PRODUCTS
from ..data.catalog.rows import CategoryRow, ProductDetail, ProductRow
from ..data.core.errors import TuicrmError
from ..data.core.money import fmt_money, fmt_qty
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from ..widgets.dialogs import ConfirmDialog
from ..widgets.form import FormDialog, FormField
from ..widgets.saving_form import SavingFormDialog
from ..widgets.tree_labels import fitted_label, label_room
from .list_screen import ListScreen

YES_NO = [(N_("yes"), "yes"), (N_("no"), "no")]  # labels translated where offered


TREE_WIDTH = 22  # the category tree, with its border (the labels are fitted to it)


class ProductsScreen(ListScreen):
    TITLE_TEXT = N_("Products")
    HELP = (
        N_("Categories on the left (Tab to reach them; Enter or the arrows choose one; its "
        "sub-categories are included), products on the right. Type / to find a product by "
        "code, name or any of its barcodes; F filters on any column, D on the creation date, "
        "C chooses and sorts the columns, x exports and P prints the list as shown. A product "
        "may have several barcodes: write them on one line separated by ';', and a carton code "
        "as 12*code (one scan = 12 units). Deactivated products stay in the history but can "
        "no longer be sold.")
    )
    LIST = PRODUCTS
    EMPTY_TEXT = N_("No products here")
    BINDINGS = [
        Binding("a", "add", "Add", id="products.add"),
        Binding("e", "edit", "Edit", id="products.edit"),
        Binding("d", "deactivate", "Deactivate", id="products.deactivate"),
        Binding("n", "new_category", "New category", id="products.category"),
    ]
    DEFAULT_CSS = (
        "ProductsScreen #categories { width: " + str(TREE_WIDTH) + "; "
        "border-right: solid $primary; overflow-x: hidden; }"
    )

    def __init__(self) -> None:
        super().__init__()
        self.category_id: int | None = None
        self.category_name = ""
        self._see_cost: bool | None = None
        self.categories: list[CategoryRow] = []  # the tree as last loaded

    @property
    def see_cost(self) -> bool:
        if self._see_cost is None:
            self._see_cost = products.can_see_cost(self.user)
        return self._see_cost

    # -- ListScreen hooks -----------------------------------------------------------------------

    def list_options(self) -> dict[str, Any]:
        return {"category_id": self.category_id}

    def compose_left(self) -> ComposeResult:
        tree: Tree[int | None] = Tree(Text(_("All products")), id="categories")
        tree.guide_depth = 2  # narrow column: two cells a level, the names get the room
        yield tree

    def on_mount(self) -> None:
        # ListScreen.on_mount (called after this one) builds the list.
        self.load_tree()

    def on_list_selected(self, row_id: Any) -> None:
        self.edit_product(row_id)

    def status_parts(self) -> list[str]:
        parts = super().status_parts()
        if self.category_id is not None and self.category_name:
            parts.append("category: " + self.category_name)
        return parts

    # -- the tree ---------------------------------------------------------------------------

    def load_tree(self) -> None:
        """Read the categories with their product counts in a worker, then show them."""
        user = self.user
        run_in_thread(self, lambda: categories.category_tree(user), self._show_tree,
                      lambda e: self.notify_error(str(e)), name="product-categories",
                      exclusive=True)

    def _show_tree(self, nodes: list[CategoryRow]) -> None:
        tree = self.query_one(Tree)
        tree.clear()
        tree.root.data = None
        tree.root.expand()
        by_id: dict[int, Any] = {}
        for node in nodes:
            parent = by_id.get(node.parent_id, tree.root) if node.parent_id else tree.root
            room = label_room(TREE_WIDTH - 1, tree.guide_depth, node.depth + 1,
                              node.has_children)
            label = fitted_label(node.name, f"({node.total})", room)
            by_id[node.id] = parent.add(label, data=node.id, expand=True,
                                        allow_expand=node.has_children)
        self.categories = nodes
        if self.category_id is not None and self.category_id in by_id:
            tree.move_cursor(by_id[self.category_id])

    @on(Tree.NodeHighlighted, "#categories")
    def _category_chosen(self, event: Tree.NodeHighlighted[int | None]) -> None:
        if event.node.data != self.category_id:
            self.category_id = event.node.data
            self.category_name = next(
                (n.path for n in self.categories if n.id == self.category_id), "")
            if self.ready:
                self.reload()

    # -- the list ---------------------------------------------------------------------------

    def refresh_data(self) -> None:
        self.table.refresh_data()

    def selected_id(self) -> int | None:
        row_id = self.table.cursor_row_id
        return row_id if isinstance(row_id, int) else None

    # -- add / edit -------------------------------------------------------------------------

    def _fields(self, detail: ProductDetail | None) -> list[FormField]:
        p = detail.product if detail is not None else None
        cat_id = p.category_id if p is not None else self.category_id
        nodes = self.categories
        if not nodes or (cat_id is not None and cat_id not in {n.id for n in nodes}):
            nodes = categories.category_tree(self.user)  # the tree is not loaded yet
        cats = [(_("(none)"), "0")] + [(n.path, str(n.id)) for n in nodes]
        cat = str(cat_id or 0)

        def m(v: Decimal | None) -> str:
            return "" if v is None else f"{v}"

        fields = [
            FormField("code", _("Code"), p.code if p else ""),
            FormField("name", _("Name"), p.name if p else ""),
            FormField("barcodes", _("Barcodes"), detail.barcodes_text if detail else "",
                      placeholder=_("code; 12*carton code")),
            FormField("spec", _("Spec / model"), p.spec if p else ""),
            FormField("unit", _("Unit"), p.unit if p else "pcs"),
            FormField("category", _("Category"), cat, kind="choice", choices=cats),
        ]
        if self.see_cost:
            fields.append(FormField("cost", _("Cost"), m(p.cost) if p else ""))
        fields += [
            FormField("price1", _("Retail price"), m(p.price1) if p else ""),
            FormField("price2", _("Wholesale price"), m(p.price2) if p else ""),
            FormField("price3", _("Member price"), m(p.price3) if p else ""),
            FormField("price4", _("Special price"), m(p.price4) if p else ""),
            FormField("min_stock", _("Minimum stock"), fmt_qty(p.min_stock) if p else "0"),
            FormField("active", _("Active"), ("yes" if p.active else "no") if p else "yes",
                      kind="choice", choices=[(_(label), v) for label, v in YES_NO]),
        ]
        return fields

    @staticmethod
    def _values(v: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {k: v[k] for k in ("code", "name", "spec", "unit", "price1",
                                                  "price2", "price3", "price4", "min_stock")}
        if "cost" in v:
            out["cost"] = v["cost"]
        cat = v.get("category") or "0"
        out["category"] = int(cat) if cat.isdigit() and cat != "0" else None
        out["active"] = v.get("active", "yes") != "no"
        return out

    def action_add(self) -> None:
        if self.refused(product_edit.create_with_barcodes):
            return
        user = self.user

        def create(v: dict[str, str]) -> ProductRow:
            return product_edit.create_with_barcodes(user, v["barcodes"], **self._values(v))

        form = SavingFormDialog(_("Add a product"), self._fields(None), submit=create,
                                submit_label=_("Add"))
        self.app.push_screen(form, lambda v: self._saved(form, v, True))

    def action_edit(self) -> None:
        self.edit_product(self.selected_id())

    def edit_product(self, product_id: int | None) -> None:
        if product_id is None or self.refused(product_edit.save_with_barcodes):
            return
        try:
            detail = product_edit.product_detail(self.user, product_id)
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        user, version = self.user, detail.product.version

        def save(v: dict[str, str]) -> ProductRow:
            return product_edit.save_with_barcodes(user, product_id, version, v["barcodes"],
                                                   **self._values(v))

        form = SavingFormDialog(_("Edit product {code}").format(code=detail.product.code),
                                self._fields(detail),
                                submit=save)
        self.app.push_screen(form, lambda v: self._saved(form, v, False))

    def _saved(self, form: FormDialog, values: dict[str, str] | None, added: bool) -> None:
        if values is None:
            return
        p = form.result
        table = self.table
        table.refresh_data()
        self.load_tree()
        if isinstance(p, ProductRow):
            self.call_after_refresh(table.go_to_id, p.id)
            price = fmt_money(p.price1)
            said = (_("Product {code} {name} added (retail {price}).") if added
                    else _("Product {code} {name} saved (retail {price})."))
            self.notify(said.format(code=p.code, name=p.name, price=price), markup=False)

    def action_deactivate(self) -> None:
        pid = self.selected_id()
        if pid is None or self.refused(products.deactivate_product):
            return
        try:
            p = products.get_product(self.user, pid)
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        if not p.active:
            self.notify(_("{code} is already inactive (Edit to activate it again).").format(
                code=p.code),
                        markup=False)
            return
        user = self.user

        def deactivated(row: ProductRow) -> None:
            self.table.refresh_data()
            self.notify(_("{code} deactivated.").format(code=row.code), markup=False)

        def answer(yes: bool | None) -> None:
            if yes:
                run_in_thread(self, lambda: products.deactivate_product(user, pid, p.version),
                              deactivated, lambda e: self.notify_error(str(e)),
                              name="product-deactivate")

        self.app.push_screen(
            ConfirmDialog(_("Deactivate {code} {name}? It stays in the history but can no "
                            "longer be sold or bought.").format(code=p.code, name=p.name),
                          yes=_("Deactivate")),
            answer,
        )

    def action_new_category(self) -> None:
        parent = self.category_id
        if self.refused(categories.create_category):
            return
        title = (_("New category under {parent}").format(parent=self.category_name)
                 if parent is not None else _("New category"))
        user = self.user

        def create(v: dict[str, str]) -> CategoryRow:
            return categories.create_category(user, v["name"], parent)

        form = SavingFormDialog(title, [FormField("name", _("Name"))],
                                submit=create, submit_label=_("Add"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None and isinstance(form.result, CategoryRow):
                self.load_tree()
                self.notify(_("Category {path} added.").format(path=form.result.path), markup=False)

        self.app.push_screen(form, done)
