"""Products (P1): the category tree on the left, the product list on the right.

The list is a ``RecordTable`` over ``product_lists.product_query`` (category subtree and quick
search on code, name, spec and barcode applied in SQL, one page at a time). The form edits a
product with all its barcodes on one line (``4006381333931; 12*14006381333938``: a carton code
standing for 12 units), prices, minimum stock and the active flag; a bad GTIN check digit is
shown next to the barcode field. The cost column and field exist only for roles with
``product.see_cost`` (the operations and exports enforce it too).

Note: built on ``RecordTable`` directly (quick search and export here); the shared
``ListScreen`` tools (custom filter, columns, print) were not committed when this was written.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static, Tree

from ..data import product_edit, product_lists, products
from ..data.categories import product_categories
from ..data.errors import TuicrmError
from ..data.models import Product, ProductCategory
from ..data.money import fmt_money, fmt_qty
from ..data.paging import Column, PagedQuery
from ..widgets.dialogs import ConfirmDialog
from ..widgets.form import FormDialog, FormField, PlainInput
from ..widgets.record_table import RecordTable
from .base import AppScreen

YES_NO = [("yes", "yes"), ("no", "no")]


def product_columns(see_cost: bool) -> list[Column]:
    cols = [
        Column("code", Product.code, "Code", min_width=6, max_width=14),
        Column("name", Product.name, "Name", min_width=20, max_width=24),
        Column("unit", Product.unit, "Unit", max_width=6),
        Column("price1", Product.price1, "Retail", min_width=7),
    ]
    if see_cost:
        cols.append(Column("cost", Product.cost, "Cost", min_width=7))
    cols += [
        Column("min_stock", Product.min_stock, "Min", min_width=4),
        Column("category", ProductCategory.name, "Category", max_width=14),
        Column("active", Product.active, "Active", width=6,
               format=lambda v: "yes" if v else "NO"),
    ]
    return cols


class ExportDialog(FormDialog):
    """Ask for a file name (.xlsx or .csv) and run ``export(path) -> rows``."""

    def __init__(self, what: str, default: str, export) -> None:  # noqa: ANN001 - a callable
        super().__init__(
            f"Export {what} (the list as shown)",
            [FormField("file", "File (.xlsx/.csv)", default)],
            submit=lambda v: export(v["file"].strip()),
            submit_label="Export",
        )


def run_export(screen: AppScreen, what: str, default: str, export) -> None:  # noqa: ANN001
    dialog = ExportDialog(what, default, export)

    def done(values: dict[str, str] | None) -> None:
        if values is not None:
            screen.notify(f"Exported {dialog.result} {what} to {values['file'].strip()}.",
                          markup=False)

    screen.app.push_screen(dialog, done)


class ProductsScreen(AppScreen):
    TITLE_TEXT = "Products"
    HELP = (
        "Categories on the left (Enter or the arrows choose one; its sub-categories are "
        "included), products on the right. Type in the search line to find a product by code, "
        "name or any of its barcodes. A product may have several barcodes: write them on one "
        "line separated by ';', and a carton code as 12*code (one scan = 12 units). "
        "Deactivated products stay in the history but can no longer be sold."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="products.back"),
        Binding("slash,f", "search", "Search", id="products.search"),
        Binding("a", "add", "Add", id="products.add"),
        Binding("e", "edit", "Edit", id="products.edit"),
        Binding("d", "deactivate", "Deactivate", id="products.deactivate"),
        Binding("n", "new_category", "New category", id="products.category"),
        Binding("x", "export", "Export", id="products.export"),
    ]
    DEFAULT_CSS = """
    ProductsScreen #body { height: 1fr; }
    ProductsScreen #categories { width: 22; border-right: solid $primary; overflow-x: hidden; }
    ProductsScreen #search { height: 1; border: none; padding: 0 1; }
    ProductsScreen #products { height: 1fr; }
    ProductsScreen #status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.category_id: int | None = None
        self.see_cost = False

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with Horizontal(id="body"):
            yield Tree(Text("All products"), id="categories")
            with Vertical():
                yield PlainInput(placeholder="Search: code, name or barcode  (/)", id="search")
                yield RecordTable(id="products", empty_text="No products here", show_marks=False)
        yield Static("", id="status", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        try:
            query = product_lists.product_query(self.user)
        except TuicrmError as e:
            self.notify_error(str(e))
            self.app.call_later(self.tuicrm.go_back)
            return
        self.see_cost = products.can_see_cost(self.user)
        table = self.query_one(RecordTable)
        table.set_query(PagedQuery(query, product_columns(self.see_cost), sort=[("code", False)]))
        self.load_tree()
        table.focus()

    # -- the tree ---------------------------------------------------------------------------

    def load_tree(self) -> None:
        tree = self.query_one(Tree)
        tree.clear()
        tree.root.data = None
        tree.root.expand()
        by_id: dict[int, Any] = {}
        for node in product_categories.nodes(self.user):
            parent = by_id.get(node.parent_id, tree.root) if node.parent_id else tree.root
            label = Text(f"{node.name} ({node.total})")
            by_id[node.id] = parent.add(label, data=node.id, expand=True,
                                        allow_expand=bool(node.children))
        if self.category_id is not None and self.category_id in by_id:
            tree.move_cursor(by_id[self.category_id])

    @on(Tree.NodeHighlighted, "#categories")
    def _category_chosen(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data != self.category_id:
            self.category_id = event.node.data
            self.reload()

    # -- the list ---------------------------------------------------------------------------

    def reload(self) -> None:
        table = self.query_one(RecordTable)
        if table.paged_query is None:
            return
        search = self.query_one("#search", Input).value
        query = product_lists.product_query(self.user, category_id=self.category_id,
                                            search=search)
        table.set_query(table.paged_query.with_query(query))

    def refresh_data(self) -> None:
        self.query_one(RecordTable).refresh_data()

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.reload()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one(RecordTable).focus()

    def on_record_table_position_changed(self, event: RecordTable.PositionChanged) -> None:
        self.query_one("#status", Static).update(Text(event.text))

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.edit_product(event.row_id)

    def selected_id(self) -> int | None:
        return self.query_one(RecordTable).cursor_row_id

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    # -- add / edit -------------------------------------------------------------------------

    def _fields(self, p: Product | None) -> list[FormField]:
        cats = [("(none)", "0")] + [
            (n.path, str(n.id)) for n in product_categories.nodes(self.user)
        ]
        cat = str(p.category_id or 0) if p is not None else str(self.category_id or 0)

        def m(v: Any) -> str:
            return "" if v is None else f"{v}"

        fields = [
            FormField("code", "Code", p.code if p else ""),
            FormField("name", "Name", p.name if p else ""),
            FormField("barcodes", "Barcodes", product_edit.barcodes_text(p) if p else "",
                      placeholder="code; 12*carton code"),
            FormField("spec", "Spec / model", p.spec if p else ""),
            FormField("unit", "Unit", p.unit if p else "pcs"),
            FormField("category", "Category", cat, kind="choice", choices=cats),
        ]
        if self.see_cost:
            fields.append(FormField("cost", "Cost", m(p.cost) if p else ""))
        fields += [
            FormField("price1", "Retail price", m(p.price1) if p else ""),
            FormField("price2", "Wholesale price", m(p.price2) if p else ""),
            FormField("price3", "Member price", m(p.price3) if p else ""),
            FormField("price4", "Special price", m(p.price4) if p else ""),
            FormField("min_stock", "Minimum stock", fmt_qty(p.min_stock) if p else "0"),
            FormField("active", "Active", ("yes" if p.active else "no") if p else "yes",
                      kind="choice", choices=YES_NO),
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
        def create(v: dict[str, str]) -> Product:
            return product_edit.create_with_barcodes(self.user, v["barcodes"], **self._values(v))

        form = FormDialog("Add a product", self._fields(None), submit=create, submit_label="Add")
        self.app.push_screen(form, lambda v: self._saved(form, v, "added"))

    def action_edit(self) -> None:
        self.edit_product(self.selected_id())

    def edit_product(self, product_id: int | None) -> None:
        if product_id is None:
            return
        try:
            p = products.get_product(product_id)
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        version = p.version

        def save(v: dict[str, str]) -> Product:
            return product_edit.save_with_barcodes(self.user, product_id, version,
                                                   v["barcodes"], **self._values(v))

        form = FormDialog(f"Edit product {p.code}", self._fields(p), submit=save)
        self.app.push_screen(form, lambda v: self._saved(form, v, "saved"))

    def _saved(self, form: FormDialog, values: dict[str, str] | None, verb: str) -> None:
        if values is None:
            return
        p = form.result
        table = self.query_one(RecordTable)
        table.refresh_data()
        self.load_tree()
        if isinstance(p, Product):
            self.call_after_refresh(table.go_to_id, p.id)
            price = fmt_money(p.price1)
            self.notify(f"Product {p.code} {p.name} {verb} (retail {price}).", markup=False)

    def action_deactivate(self) -> None:
        pid = self.selected_id()
        if pid is None:
            return
        try:
            p = products.get_product(pid)
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        if not p.active:
            self.notify(f"{p.code} is already inactive (Edit to activate it again).",
                        markup=False)
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                products.deactivate_product(self.user, pid, p.version)
            except TuicrmError as e:
                self.notify_error(str(e))
                return
            self.query_one(RecordTable).refresh_data()
            self.notify(f"{p.code} deactivated.", markup=False)

        self.app.push_screen(
            ConfirmDialog(f"Deactivate {p.code} {p.name}? It stays in the history but can no "
                          "longer be sold or bought.", yes="Deactivate"),
            answer,
        )

    def action_new_category(self) -> None:
        parent = self.category_id
        where = ""
        if parent is not None:
            where = " under " + product_categories.get(parent).name

        def create(v: dict[str, str]):
            return product_categories.create(self.user, v["name"], parent)

        form = FormDialog(f"New category{where}", [FormField("name", "Name")], submit=create,
                          submit_label="Add")

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.load_tree()
                self.notify(f"Category {form.result.name} added.", markup=False)

        self.app.push_screen(form, done)

    def action_export(self) -> None:
        from ..reports.exports import export_data

        search = self.query_one("#search", Input).value
        category = self.category_id
        run_export(self, "products", "products.xlsx",
                   lambda path: export_data("products", path, self.user, search=search,
                                            category_id=category))
