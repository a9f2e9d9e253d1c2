"""What the product form reads and saves: the fields and the whole barcode list together.

The form shows a product's barcodes as one line, ``"4006381333931; 12*14006381333938"`` (the
import/export notation: a carton barcode standing for 12 units is ``12*code``). Saving it
writes the fields and adds, removes and re-packs barcodes in ONE operation (one transaction),
so a bad check digit leaves the product exactly as it was. Errors on any barcode are reported
under the field name ``barcodes``, the form's field.
"""

from __future__ import annotations

from typing import Any

from ...i18n import _
from ..core.errors import ValidationError
from ..core.operation import Op, operation, reader
from ..transfer.product_import import split_barcodes
from . import barcodes as bc
from . import products
from .categories import category_path
from .product_barcodes import barcode_models, replace_barcodes
from .rows import ProductDetail, ProductRow, barcode_row


def parse_barcodes(text: str) -> list[tuple[str, str]]:
    """``(code, pack text)`` pairs from the form's line; a code given twice is an error."""
    pairs = split_barcodes(text or "")
    seen: set[str] = set()
    for code, _pack in pairs:
        norm = bc.normalize(code)
        if norm in seen:
            raise ValidationError({"barcodes": _("{code} is given twice").format(code=code)})
        seen.add(norm)
    return pairs


def _as_barcode_error(e: ValidationError) -> ValidationError:
    errors = dict(e.errors)
    msgs = [errors.pop(k) for k in ("barcode", "pack_qty") if k in errors]
    if msgs:
        errors["barcodes"] = "; ".join(msgs)
    return ValidationError(errors)


@reader("product.view")
def product_detail(op: Op, product_id: int) -> ProductDetail:
    """A product for the edit form: fields (cost only for ``product.see_cost``), barcodes
    and category path."""
    product = products.load_product(product_id)
    return ProductDetail(
        product=products.row_for(op, product),
        barcodes=tuple(barcode_row(b) for b in barcode_models(product.id)),
        category_path=category_path(product.category_id),
    )


@operation("product.edit")
def create_with_barcodes(op: Op, /, barcode_text: str, **fields: Any) -> ProductRow:
    """Add a product with the barcodes of the form's line."""
    try:
        pairs = parse_barcodes(barcode_text)
        return products.create_product(op.actor, barcodes=pairs, **fields)
    except ValidationError as e:
        raise _as_barcode_error(e) from None


@operation("product.edit")
def save_with_barcodes(
    op: Op, /, product_id: int, version: int, barcode_text: str, **fields: Any,
) -> ProductRow:
    """Change a product's fields and make its barcodes exactly those of ``barcode_text``;
    one audit row says what changed."""
    try:
        pairs = parse_barcodes(barcode_text)
        changes: dict[str, Any] = dict(products.change_product(op, product_id, version, fields))
        before, after = replace_barcodes(product_id, pairs)
    except ValidationError as e:
        raise _as_barcode_error(e) from None
    if before != after:
        changes["barcodes"] = (before, after)
    if changes:
        op.audit("product", product_id, "update", changes)
    return products.row_for(op, products.load_product(product_id))
