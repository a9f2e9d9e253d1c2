"""What the product form saves: the fields and the whole barcode list in ONE transaction.

The form shows a product's barcodes as one line, ``"4006381333931; 12*14006381333938"`` (the
import/export notation: a carton barcode standing for 12 units is ``12*code``). Saving it
adds, removes and re-packs barcodes with the operations of ``products`` inside one write
transaction, so a bad check digit leaves the product exactly as it was.

Errors on any barcode are reported under the field name ``barcodes``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.actor import Actor
from ..core.db import write
from ..core.errors import ValidationError
from ..core.money import fmt_qty
from ..core.permissions import require
from ..models import Barcode, Product
from ..transfer.product_import import split_barcodes
from . import barcodes as bc
from . import products


def barcodes_text(product: Product | int) -> str:
    """A product's barcodes in the form's notation."""
    out = []
    for b in products.barcodes_of(product):
        out.append(b.raw if b.pack_qty == 1 else f"{fmt_qty(b.pack_qty)}*{b.raw}")
    return "; ".join(out)


def parse_barcodes(text: str) -> list[tuple[str, str]]:
    """``(code, pack text)`` pairs from the form's line; a code given twice is an error."""
    pairs = split_barcodes(text or "")
    seen: set[str] = set()
    for code, _ in pairs:
        norm = bc.normalize(code)
        if norm in seen:
            raise ValidationError({"barcodes": f"{code} is given twice"})
        seen.add(norm)
    return pairs


def _as_barcode_error(e: ValidationError) -> ValidationError:
    errors = dict(e.errors)
    msgs = [errors.pop(k) for k in ("barcode", "pack_qty") if k in errors]
    if msgs:
        errors["barcodes"] = "; ".join(msgs)
    return ValidationError(errors)


def create_with_barcodes(actor: Actor, barcode_text: str, **fields: Any) -> Product:
    """Add a product with the barcodes of the form's line (one transaction)."""
    try:
        pairs = parse_barcodes(barcode_text)
        return products.create_product(actor, barcodes=pairs, **fields)
    except ValidationError as e:
        raise _as_barcode_error(e) from None


def save_with_barcodes(
    actor: Actor, product_id: int, version: int, barcode_text: str, **fields: Any,
) -> Product:
    """Change a product's fields and make its barcodes exactly those of ``barcode_text``."""
    require(actor, "product.edit")
    try:
        pairs = parse_barcodes(barcode_text)
        for code, pack in pairs:  # check every code before anything changes
            bc.validate_for_save(code)
            products._normalised_pack(pack)
        with write():
            product = products.update_product(actor, product_id, version, **fields)
            wanted = {bc.normalize(code): (code, Decimal(products._normalised_pack(pack)))
                      for code, pack in pairs}
            for b in products.barcodes_of(product_id):
                keep = wanted.get(b.code)
                if keep is None or keep[1] != b.pack_qty:
                    products.remove_barcode(actor, b.id)
                else:
                    del wanted[b.code]
            for code, pack in wanted.values():
                products.add_barcode(actor, product_id, code, pack)
    except ValidationError as e:
        raise _as_barcode_error(e) from None
    return products.get_product(product.id)


def barcode_count(product_id: int) -> int:
    return Barcode.select().where(Barcode.product == product_id).count()
