"""What the catalogue operations hand out: plain frozen rows, never models.

A screen, a worker thread or the command line can hold these without a database handle and
without walking a foreign key later. ``ProductRow.cost`` is None for an actor without
``product.see_cost``: the operation decided it, so no screen or export can leak the cost by
forgetting to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core.money import fmt_qty


@dataclass(frozen=True, slots=True)
class ProductRow:
    """A product as its operations return it (the field names are the model's)."""

    id: int
    version: int
    code: str
    name: str
    spec: str
    unit: str
    category_id: int | None
    cost: Decimal | None  # None: the actor may not see cost prices
    price1: Decimal  # retail
    price2: Decimal  # wholesale
    price3: Decimal  # member
    price4: Decimal  # special
    min_stock: Decimal
    active: bool
    allow_negative: bool
    notes: str


@dataclass(frozen=True, slots=True)
class BarcodeRow:
    id: int
    product_id: int
    code: str  # normalised (GTINs as 14 digits): what lookups compare
    raw: str  # as entered
    pack_qty: Decimal  # units one scan of this code stands for (a carton: 12)

    @property
    def text(self) -> str:
        """The form's and the import's notation: ``code``, or ``12*code`` for a carton."""
        return self.raw if self.pack_qty == 1 else f"{fmt_qty(self.pack_qty)}*{self.raw}"


@dataclass(frozen=True, slots=True)
class ProductDetail:
    """A product for the edit form: its fields, barcodes and category path."""

    product: ProductRow
    barcodes: tuple[BarcodeRow, ...]
    category_path: str  # "Food/Snacks", or "" without a category

    @property
    def barcodes_text(self) -> str:
        return "; ".join(b.text for b in self.barcodes)


@dataclass(frozen=True, slots=True)
class ScanMatch:
    """What a scanned or typed code stands for: a product and how many units one scan is."""

    product: ProductRow
    pack_qty: Decimal


@dataclass(frozen=True, slots=True)
class CategoryRow:
    """One node of the category tree, in display order (depth first, siblings by name)."""

    id: int
    name: str
    parent_id: int | None
    depth: int
    path: str  # "Food/Snacks"
    items: int  # products directly in this category
    total: int  # products in it and all its sub-categories
    has_children: bool


def product_row(product: Any, *, see_cost: bool) -> ProductRow:
    """``product`` (a ``Product`` model) as a row; ``see_cost`` False leaves the cost out."""
    return ProductRow(
        id=int(product.id),
        version=int(product.version),
        code=str(product.code),
        name=str(product.name),
        spec=str(product.spec),
        unit=str(product.unit),
        category_id=None if product.category_id is None else int(product.category_id),
        cost=Decimal(product.cost) if see_cost else None,
        price1=Decimal(product.price1),
        price2=Decimal(product.price2),
        price3=Decimal(product.price3),
        price4=Decimal(product.price4),
        min_stock=Decimal(product.min_stock),
        active=bool(product.active),
        allow_negative=bool(product.allow_negative),
        notes=str(product.notes),
    )


def barcode_row(barcode: Any) -> BarcodeRow:
    return BarcodeRow(
        id=int(barcode.id),
        product_id=int(barcode.product_id),
        code=str(barcode.code),
        raw=str(barcode.raw),
        pack_qty=Decimal(barcode.pack_qty),
    )
