"""What the counter does with a code nobody knows (order entry's F6, issue 17).

- ``create_at_counter``: a new product with the scanned code as its barcode, and - when the
  clerk says how many are on the shelf - its first stock received in the same transaction, so
  the product can be sold at once. Where the site allows negative stock (setting
  ``stock.allow_negative``) it sells at once without it; otherwise a product with no stock is
  refused at F10 (``InsufficientStock``), which is why the form offers the quantity.
- ``link_code``: the code becomes another barcode of an existing product (a new packaging,
  a supplier's own code), so the next scan finds it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...i18n import _
from ..catalog import product_barcodes, product_edit
from ..catalog.rows import BarcodeRow, ProductRow
from ..core import settings
from ..core.errors import ValidationError
from ..core.money import qty
from ..core.operation import Op, operation, reader
from ..stock import ledger as stock

FIRST_STOCK_NOTE = "first stock, received at the counter"


@reader(None)
def sells_without_stock(op: Op) -> bool:
    """Whether this site sells more than is on hand (then a new product needs no stock)."""
    return bool(settings.value(settings.ALLOW_NEGATIVE_STOCK))


@operation("product.edit")
def create_at_counter(op: Op, /, barcode_text: str, on_hand: Any = "",
                      **fields: Any) -> ProductRow:
    """A product for an unknown code (``create_with_barcodes``), with ``on_hand`` units
    received as its first stock (needs ``stock.adjust``); all or nothing."""
    amount = Decimal(0)
    if str(on_hand or "").strip():
        try:
            amount = qty(on_hand)
        except ValueError as e:
            raise ValidationError({"on_hand": str(e)}) from None
        if amount < 0:
            raise ValidationError({"on_hand": _("the stock on the shelf cannot be negative")})
    if amount:
        op.require("stock.adjust")
    product = product_edit.create_with_barcodes(op.actor, barcode_text, **fields)
    if amount:
        stock.adjust(op.actor, product.id, amount, FIRST_STOCK_NOTE)
    return product


@operation("product.edit")
def link_code(op: Op, product_id: int, code: str) -> BarcodeRow:
    """Make the unknown ``code`` another barcode of ``product_id`` (one unit per scan)."""
    return product_barcodes.add_barcode(op.actor, product_id, code, 1)
