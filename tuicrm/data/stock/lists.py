"""The Stock on hand, Movements and Adjustment log lists (P2, P3, P5, P6 with L1-L6), defined
once: the screens, their exports and ``tuicrm export stock|adjustments`` read them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import peewee
from peewee import JOIN, fn

from ...i18n import N_, _
from ..catalog.lists import product_search_where
from ..core.actor import Actor
from ..core.money import fmt_qty
from ..core.vocab import MovementReason
from ..lists.columns import Column
from ..lists.filters import FilterColumn, contains_pattern, filter_columns, ilike
from ..lists.view import ListDef, define
from ..models import Location, Product, StockLevel, StockMovement, User
from .ledger import REASONS

ADJUST_REASONS = (MovementReason.ADJUST, MovementReason.COUNT)


def reason_text(value: object) -> str:
    """``sale`` -> ``Sale``: a movement reason as people say it."""
    return REASONS.get(str(value), str(value or ""))


def reason_shown(value: object) -> str:
    """The reason in the user's language (``reason_text`` stays English for exports)."""
    return _(reason_text(value))


def signed(value: object) -> str:
    """A movement quantity with its sign: ``+5``, ``-2.5``."""
    text = fmt_qty(value) if isinstance(value, Decimal) else str(value or "")
    return text if text.startswith("-") else f"+{text}"


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


# -- stock on hand -----------------------------------------------------------------------------

BELOW_MIN_MARK = "!"  # a mark, not a colour: legible with NO_COLOR and on a monochrome screen


def _below_min_mark() -> Any:
    """``!`` on the rows of a product whose total on hand (all locations, as the **b** view
    counts it) is under its minimum; read per row of a page through the (product, location)
    index."""
    others = StockLevel.alias("all_levels")
    total = (others.select(fn.COALESCE(fn.SUM(others.on_hand), 0))
             .where(others.product == StockLevel.product))
    below = (Product.min_stock > 0) & (total < Product.min_stock)
    return peewee.Case(None, [(below, BELOW_MIN_MARK)], "")


def stock_query(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    """One row per product and location. Options: ``below_min`` keeps products whose total
    on hand, over all locations, is under their minimum stock (P5); ``location_id``."""
    query = (
        StockLevel.select()
        .join(Product, on=(StockLevel.product == Product.id))
        .switch(StockLevel)
        .join(Location, on=(StockLevel.location == Location.id))
    )
    if options.get("location_id") is not None:
        query = query.where(StockLevel.location == options["location_id"])
    if options.get("below_min"):
        query = query.where(StockLevel.product.in_(_below_min_products()))
    return query


STOCK_FILTERS = filter_columns(
    FilterColumn("code", "Code", Product.code),
    FilterColumn("name", "Name", Product.name),
    FilterColumn("location", "Location", Location.code),
    FilterColumn("on_hand", "On hand", StockLevel.on_hand, "number"),
    FilterColumn("min_stock", "Minimum stock", Product.min_stock, "number"),
    FilterColumn("unit", "Unit", Product.unit),
)

STOCK = define(ListDef(
    name="stock",
    title=N_("Stock on hand"),
    permission="stock.view",
    columns=(
        # The default order (by product code) is the only one: the levels are sorted through
        # their product, which no index on stock_level serves (a few ms at 50k products).
        Column("low", _below_min_mark(), "!", width=1, sortable=False, nullable=False),
        Column("code", Product.code, "Code", min_width=6, max_width=14, sortable=False),
        Column("name", Product.name, "Name", min_width=20, max_width=26, sortable=False),
        Column("location", Location.code, "Location", max_width=10, sortable=False),
        Column("on_hand", StockLevel.on_hand, "On hand", min_width=7, sortable=False),
        Column("min_stock", Product.min_stock, "Min", min_width=5, sortable=False),
        Column("unit", Product.unit, "Unit", max_width=6, sortable=False),
        Column("product_id", StockLevel.product, "Product id", internal=True),
        Column("location_id", StockLevel.location, "Location id", internal=True),
    ),
    query=stock_query,
    search=product_search_where,
    filters=STOCK_FILTERS,
    default_sort=("code", False),
    default_visible=("low", "code", "name", "location", "on_hand", "min_stock", "unit"),
    search_hint=N_("code, name or barcode (/)"),
))


# -- one product's movements ---------------------------------------------------------------------


def _movements(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    """Every movement of one product (option ``product_id``), with location and operator."""
    return (
        StockMovement.select()
        .join(Location, on=(StockMovement.location == Location.id))
        .switch(StockMovement)
        .join(User, JOIN.LEFT_OUTER, on=(StockMovement.user == User.id))
        .where(StockMovement.product == options.get("product_id"))
    )


def _movement_search(text: str) -> Any:
    pattern = contains_pattern(text)
    return ilike(StockMovement.doc_number, pattern) | ilike(StockMovement.note, pattern)


MOVEMENT_FILTERS = filter_columns(
    FilterColumn("quantity", "Quantity", StockMovement.quantity, "number"),
    FilterColumn("reason", "Reason", StockMovement.reason),
    FilterColumn("document", "Document", StockMovement.doc_number),
    FilterColumn("location", "Location", Location.code),
    FilterColumn("user", "Operator", User.username),
    FilterColumn("note", "Note", StockMovement.note),
    FilterColumn("at", "Time", StockMovement.at, "datetime"),
)

MOVEMENTS = define(ListDef(
    name="movements",
    title=N_("Stock movements"),
    permission="stock.view",
    columns=(
        # Newest first is the only order: one product's movements are few enough to sort.
        Column("at", StockMovement.at, "Time", width=16, sortable=False),
        Column("quantity", StockMovement.quantity, "Qty", min_width=5, format=signed,
               sortable=False),
        Column("reason", StockMovement.reason, "Reason", max_width=18, format=reason_shown,
               sortable=False),
        Column("document", StockMovement.doc_number, "Document", max_width=18, sortable=False),
        Column("location", Location.code, "Loc", max_width=8, sortable=False),
        Column("user", User.username, "Operator", max_width=12, sortable=False),
        Column("note", StockMovement.note, "Note", max_width=30, sortable=False),
    ),
    query=_movements,
    search=_movement_search,
    filters=MOVEMENT_FILTERS,
    date=MOVEMENT_FILTERS["at"],
    default_sort=("at", True),
    search_hint=N_("document or note (/)"),
))


# -- the adjustment log --------------------------------------------------------------------------


def _adjustments(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    """Every manual and count adjustment (P6) with product, location and operator."""
    return (
        StockMovement.select()
        .join(Product, on=(StockMovement.product == Product.id))
        .switch(StockMovement)
        .join(Location, on=(StockMovement.location == Location.id))
        .switch(StockMovement)
        .join(User, JOIN.LEFT_OUTER, on=(StockMovement.user == User.id))
        .where(StockMovement.reason.in_(ADJUST_REASONS))
    )


def _adjustment_search(text: str) -> Any:
    return product_search_where(text) | ilike(StockMovement.note, contains_pattern(text))


ADJUSTMENT_FILTERS = filter_columns(
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

ADJUSTMENTS = define(ListDef(
    name="adjustments",
    title=N_("Adjustment log"),
    permission="stock.view",
    columns=(
        Column("at", StockMovement.at, "Time", width=16),
        Column("code", Product.code, "Product", max_width=12, sortable=False),
        Column("name", Product.name, "Name", max_width=16, sortable=False),
        Column("quantity", StockMovement.quantity, "Qty", min_width=5, format=signed,
               sortable=False),
        Column("note", StockMovement.note, "Reason", max_width=24, sortable=False),
        Column("user", User.username, "Operator", max_width=10, sortable=False),
        Column("document", StockMovement.doc_number, "Document", max_width=16, sortable=False),
        Column("kind", StockMovement.reason, "Kind", max_width=18, format=reason_shown,
               sortable=False),
        Column("location", Location.code, "Loc", max_width=8, sortable=False),
        Column("product_id", StockMovement.product, "Product id", internal=True),
    ),
    query=_adjustments,
    search=_adjustment_search,
    filters=ADJUSTMENT_FILTERS,
    date=ADJUSTMENT_FILTERS["at"],
    default_sort=("at", True),
    search_hint=N_("product or reason (/)"),
))

