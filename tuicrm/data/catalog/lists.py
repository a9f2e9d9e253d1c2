"""The queries behind the product, stock and adjustment-log lists (screens and exports).

Each function returns a peewee query (never executed here) that the Products and Stock
screens page through with ``PagedQuery`` and the exports iterate: the UI never builds SQL.

Quick search (L1) on products: the product code starts with the text, or the name or spec
contains it (Latin case ignored), or the text is one of the product's barcodes (normalised,
so a UPC-A finds the EAN-13 saved with a leading zero).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import JOIN, fn

from ..core.actor import Actor
from ..core.permissions import require
from ..lists.filters import FilterColumn, contains_pattern, escape_like, filter_columns, ilike
from ..models import Barcode, Location, Product, ProductCategory, StockLevel, StockMovement, User
from . import barcodes
from .categories import product_categories

ADJUST_REASONS = ("adjust", "count")


# Custom filter (L2) columns of the Products, Stock on hand and Adjustment log lists.
PRODUCT_COLUMNS = filter_columns(
    FilterColumn("code", "Code", Product.code),
    FilterColumn("name", "Name", Product.name),
    FilterColumn("spec", "Spec / model", Product.spec),
    FilterColumn("unit", "Unit", Product.unit),
    FilterColumn("category", "Category", ProductCategory.name),
    FilterColumn("price1", "Retail price", Product.price1, "money"),
    FilterColumn("price2", "Wholesale price", Product.price2, "money"),
    FilterColumn("price3", "Member price", Product.price3, "money"),
    FilterColumn("price4", "Special price", Product.price4, "money"),
    FilterColumn("min_stock", "Minimum stock", Product.min_stock, "number"),
    FilterColumn("active", "Active", Product.active, "bool"),
    FilterColumn("notes", "Notes", Product.notes),
    FilterColumn("created_at", "Created", Product.created_at, "datetime"),
    FilterColumn("updated_at", "Updated", Product.updated_at, "datetime"),
)
# Only for roles with ``product.see_cost`` (the screen adds it).
PRODUCT_COST_COLUMN = FilterColumn("cost", "Cost", Product.cost, "money")
STOCK_COLUMNS = filter_columns(
    FilterColumn("code", "Code", Product.code),
    FilterColumn("name", "Name", Product.name),
    FilterColumn("location", "Location", Location.code),
    FilterColumn("on_hand", "On hand", StockLevel.on_hand, "number"),
    FilterColumn("min_stock", "Minimum stock", Product.min_stock, "number"),
    FilterColumn("unit", "Unit", Product.unit),
)
ADJUSTMENT_COLUMNS = filter_columns(
    FilterColumn("code", "Product code", Product.code),
    FilterColumn("name", "Product name", Product.name),
    FilterColumn("quantity", "Quantity", StockMovement.quantity, "number"),
    FilterColumn("note", "Reason", StockMovement.note),
    FilterColumn("user", "Operator", User.username),
    FilterColumn("document", "Document", StockMovement.doc_number),
    FilterColumn("kind", "Kind (adjust / count)", StockMovement.reason),
    FilterColumn("location", "Location", Location.code),
    FilterColumn("at", "Time", StockMovement.at, "datetime"),
)


def product_search_where(text: str) -> Any:
    """The WHERE for a quick search over code, name, spec and barcode."""
    text = (text or "").strip()
    code = barcodes.clean(text)
    cond = (ilike(Product.code, f"{escape_like(code)}%")
            | ilike(Product.name, contains_pattern(text))
            | ilike(Product.spec, contains_pattern(text)))
    norm = barcodes.normalize(code)
    if norm:
        by_barcode = Barcode.select(Barcode.product).where(Barcode.code == norm)
        cond = cond | Product.id.in_(by_barcode)
    return cond


def product_query(
    actor: Actor,
    *,
    category_id: int | None = None,
    subcategories: bool = True,
    search: str | None = None,
    active_only: bool = False,
) -> Any:
    """Products (with their category LEFT-joined), filtered as the Products screen shows them."""
    require(actor, "product.view")
    query = Product.select().join(ProductCategory, JOIN.LEFT_OUTER)
    if category_id is not None:
        ids = (product_categories.descendants(category_id) if subcategories else [category_id])
        query = query.where(Product.category.in_(ids))
    if search and search.strip():
        query = query.where(product_search_where(search))
    if active_only:
        query = query.where(Product.active == True)  # noqa: E712 - peewee expression
    return query


def _below_min_products() -> Any:
    """Ids of active products whose total on hand (all locations) is below their minimum."""
    total = fn.COALESCE(fn.SUM(StockLevel.on_hand), 0)
    return (
        Product.select(Product.id)
        .join(StockLevel, JOIN.LEFT_OUTER, on=(StockLevel.product == Product.id))
        .where((Product.min_stock > 0) & (Product.active == True))  # noqa: E712
        .group_by(Product.id, Product.min_stock)
        .having(total < Product.min_stock)
    )


def stock_query(
    actor: Actor,
    *,
    search: str | None = None,
    below_min: bool = False,
    location_id: int | None = None,
) -> Any:
    """Stock on hand, one row per product and location (``StockLevel`` joined to ``Product``
    and ``Location``). ``below_min`` keeps products whose total on hand, over all locations,
    is under their minimum stock (P5)."""
    require(actor, "stock.view")
    query = (
        StockLevel.select()
        .join(Product, on=(StockLevel.product == Product.id))
        .switch(StockLevel)
        .join(Location, on=(StockLevel.location == Location.id))
    )
    if location_id is not None:
        query = query.where(StockLevel.location == location_id)
    if search and search.strip():
        query = query.where(product_search_where(search))
    if below_min:
        query = query.where(StockLevel.product.in_(_below_min_products()))
    return query


def movement_query(actor: Actor, product_id: int) -> Any:
    """Every movement of one product: with its location and operator (LEFT-joined)."""
    require(actor, "stock.view")
    return (
        StockMovement.select()
        .join(Location, on=(StockMovement.location == Location.id))
        .switch(StockMovement)
        .join(User, JOIN.LEFT_OUTER, on=(StockMovement.user == User.id))
        .where(StockMovement.product == product_id)
    )


def adjustment_query(
    actor: Actor,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: str | None = None,
) -> Any:
    """Every manual and count adjustment (P6) with product, location and operator."""
    require(actor, "stock.view")
    query = (
        StockMovement.select()
        .join(Product, on=(StockMovement.product == Product.id))
        .switch(StockMovement)
        .join(Location, on=(StockMovement.location == Location.id))
        .switch(StockMovement)
        .join(User, JOIN.LEFT_OUTER, on=(StockMovement.user == User.id))
        .where(StockMovement.reason.in_(ADJUST_REASONS))
    )
    if date_from is not None:
        query = query.where(StockMovement.at >= dt.datetime.combine(date_from, dt.time()))
    if date_to is not None:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
        query = query.where(StockMovement.at < end)
    if search and search.strip():
        query = query.where(product_search_where(search)
                            | ilike(StockMovement.note, contains_pattern(search.strip())))
    return query


def category_paths(actor: Actor) -> dict[int, str]:
    """``{category id: "parent/child"}`` for every category."""
    return {n.id: n.path for n in product_categories.nodes(actor)}


def barcodes_by_product(product_ids: list[int]) -> dict[int, list[tuple[str, Any]]]:
    """``{product id: [(raw code, pack_qty), ...]}`` in entry order, for a batch of products."""
    out: dict[int, list[tuple[str, Any]]] = {}
    for i in range(0, len(product_ids), 500):
        chunk = product_ids[i:i + 500]
        query = (Barcode.select(Barcode.product, Barcode.raw, Barcode.pack_qty)
                 .where(Barcode.product.in_(chunk)).order_by(Barcode.id).tuples())
        for pid, raw, pack in query:
            out.setdefault(pid, []).append((raw, pack))
    return out
