"""The Products list (P1 with L1-L6), defined once, and the product search every product
list uses (the stock lists in ``stock.lists`` too).

Quick search (L1) on products: the product code starts with the text, or the name or spec
contains it (Latin case ignored), or the text is one of the product's barcodes (normalised,
so a UPC-A finds the EAN-13 saved with a leading zero).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import peewee
from peewee import JOIN

from ...i18n import N_
from ..core.actor import Actor
from ..core.permissions import require
from ..lists.columns import Column
from ..lists.filters import (
    FilterColumn,
    contains_pattern,
    escape_like,
    filter_columns,
    ilike,
    spelt_pattern,
)
from ..lists.view import ListDef, define
from ..models import Barcode, Product, ProductCategory
from . import barcodes
from .categories import product_categories


def product_search_where(text: str) -> Any:
    """The WHERE for a quick search over code, name, spec and barcode."""
    text = (text or "").strip()
    code = barcodes.clean(text)
    cond = (ilike(Product.code, f"{escape_like(code)}%")
            | ilike(Product.name, contains_pattern(text))
            | ilike(Product.spec, contains_pattern(text))
            | ilike(Product.pinyin, spelt_pattern(text)))
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


def category_paths(actor: Actor) -> dict[int, str]:
    """``{category id: "parent/child"}`` for every category."""
    return {n.id: n.path for n in product_categories.nodes(actor)}


def barcodes_by_product(product_ids: list[int]) -> dict[int, list[tuple[str, Any]]]:
    """``{product id: [(raw code, pack_qty), ...]}`` in entry order, for a batch of products."""
    out: dict[int, list[tuple[str, Any]]] = {}
    for i in range(0, len(product_ids), 500):
        chunk = product_ids[i:i + 500]
        query: Any = (Barcode.select(Barcode.product, Barcode.raw, Barcode.pack_qty)
                      .where(Barcode.product.in_(chunk)).order_by(Barcode.id).tuples())
        for pid, raw, pack in query:
            out.setdefault(pid, []).append((raw, pack))
    return out


# -- the Products list -------------------------------------------------------------------------

SEE_COST = "product.see_cost"

PRODUCT_FILTERS = filter_columns(
    FilterColumn("code", "Code", Product.code),
    FilterColumn("name", "Name", Product.name),
    FilterColumn("spec", "Spec / model", Product.spec),
    FilterColumn("unit", "Unit", Product.unit),
    FilterColumn("category", "Category", ProductCategory.name),
    FilterColumn("price1", "Retail price", Product.price1, "money"),
    FilterColumn("price2", "Wholesale price", Product.price2, "money"),
    FilterColumn("price3", "Member price", Product.price3, "money"),
    FilterColumn("price4", "Special price", Product.price4, "money"),
    FilterColumn("cost", "Cost", Product.cost, "money", permission=SEE_COST),
    FilterColumn("min_stock", "Minimum stock", Product.min_stock, "number"),
    FilterColumn("active", "Active", Product.active, "bool"),
    FilterColumn("notes", "Notes", Product.notes),
    FilterColumn("created_at", "Created", Product.created_at, "datetime"),
    FilterColumn("updated_at", "Updated", Product.updated_at, "datetime"),
)


def _products(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    """Options: ``category_id`` (with its sub-categories), ``active_only``."""
    query: peewee.ModelSelect[Any] = product_query(
        actor, category_id=options.get("category_id"),
        active_only=bool(options.get("active_only")))
    return query


PRODUCTS = define(ListDef(
    name="products",
    title=N_("Products"),
    permission="product.view",
    columns=(
        Column("code", Product.code, "Code", min_width=6, max_width=14),
        Column("name", Product.name, "Name", min_width=20, max_width=24),
        Column("unit", Product.unit, "Unit", max_width=6, sortable=False),
        Column("price1", Product.price1, "Retail", min_width=7, sortable=False),
        Column("cost", Product.cost, "Cost", min_width=7, sortable=False, permission=SEE_COST),
        Column("min_stock", Product.min_stock, "Min", min_width=4, sortable=False),
        Column("category", ProductCategory.name, "Category", max_width=14, sortable=False),
        Column("active", Product.active, "Active", width=6, sortable=False,
               format=lambda v: "yes" if v else "NO"),
        Column("spec", Product.spec, "Spec", max_width=16, sortable=False),
        Column("price2", Product.price2, "Wholesale", min_width=7, sortable=False),
        Column("price3", Product.price3, "Member", min_width=7, sortable=False),
        Column("price4", Product.price4, "Special", min_width=7, sortable=False),
        Column("created_at", Product.created_at, "Created", sortable=False),
    ),
    query=_products,
    search=product_search_where,
    filters=PRODUCT_FILTERS,
    date=PRODUCT_FILTERS["created_at"],
    default_sort=("code", False),
    default_visible=("code", "name", "unit", "price1", "cost", "min_stock", "category",
                     "active"),
    search_hint=N_("code, name or barcode (/)"),
))
