"""A product's barcodes: add one, remove one, or make them exactly a given list.

Codes are stored normalised (``barcodes.normalize``: GTINs as 14 digits) in a unique column,
so a code belongs to one product only; the message for a taken code names the product that
has it. Every change raises the product's ``version``, so an editor open on the product sees
its save refused instead of silently putting the old list back.

``insert_barcode`` and ``replace_barcodes`` are building blocks for operations that already
hold a transaction (creating a product, saving the product form); ``add_barcode`` and
``remove_barcode`` are operations of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from peewee import IntegrityError

from ...i18n import _
from ..core.db import write
from ..core.errors import NotFound, ValidationError
from ..core.operation import Op, operation, reader
from ..models.base import now
from ..models.catalog import Barcode, Product
from . import barcodes
from .product_fields import normalised_pack
from .rows import BarcodeRow, barcode_row


def barcode_models(product_id: int) -> list[Any]:
    """The product's ``Barcode`` rows in entry order (inside an operation)."""
    return list(Barcode.select().where(Barcode.product == product_id).order_by(Barcode.id))


def barcodes_text(rows: Iterable[BarcodeRow]) -> str:
    return "; ".join(b.text for b in rows)


def insert_barcode(product_id: int, code: str, pack_qty: Any) -> BarcodeRow:
    """Give ``product_id`` the barcode ``code`` (``pack_qty`` units per scan).

    ``ValidationError`` (field ``barcode`` or ``pack_qty``) for a bad check digit, a bad pack
    quantity, or a code another product (or this one) already has.
    """
    norm = barcodes.validate_for_save(code)
    pack = normalised_pack(pack_qty)
    raw = barcodes.clean(code)
    other = (
        Barcode.select(Barcode.product, Product.code, Product.name)
        .join(Product)
        .where(Barcode.code == norm)
        .tuples()
        .first()
    )
    if other is not None:
        owner, owner_code, owner_name = other
        if owner == product_id:
            raise ValidationError({"barcode": _("{raw} is already a barcode of this product").format(
                                                raw=raw)})
        raise ValidationError(
            {"barcode": _("barcode {raw} already belongs to product {owner_code} {owner_name}").format(
                          raw=raw,
                          owner_code=owner_code,
                          owner_name=owner_name)}
        )
    try:
        with write():  # a savepoint: a concurrent twin fails here with the same message
            created = Barcode.create(product=product_id, code=norm, raw=raw, pack_qty=pack)
    except IntegrityError:
        raise ValidationError(
            {"barcode": _("barcode {raw} was just given to another product").format(raw=raw)}
        ) from None
    return barcode_row(created)


def replace_barcodes(product_id: int, pairs: Iterable[tuple[str, Any]]) -> tuple[str, str]:
    """Make the product's barcodes exactly ``pairs`` (``(code, pack_qty)``): codes kept with
    the same pack stay as they are, the others are removed or added. Returns the barcode
    line before and after (equal when nothing changed). Every code is checked before
    anything changes."""
    wanted: dict[str, tuple[str, Decimal]] = {}
    for code, pack in pairs:
        wanted[barcodes.validate_for_save(code)] = (code, normalised_pack(pack))
    old = [barcode_row(b) for b in barcode_models(product_id)]
    gone = []
    for b in old:
        keep = wanted.get(b.code)
        if keep is None or keep[1] != b.pack_qty:
            gone.append(b.id)
        else:
            del wanted[b.code]
    if gone:
        Barcode.delete().where(Barcode.id.in_(gone)).execute()
    for code, pack in wanted.values():
        insert_barcode(product_id, code, pack)
    new = [barcode_row(b) for b in barcode_models(product_id)]
    return barcodes_text(old), barcodes_text(new)


def bump_version(product_id: int) -> None:
    """The product changed (its barcodes): a form open on it must reload before saving."""
    changed = Product.update(version=Product.version + 1, updated_at=now()).where(
        Product.id == product_id
    ).execute()
    if changed != 1:
        raise NotFound(_("product #{product_id} does not exist (deleted by another user?)").format(
                         product_id=product_id))


@reader("product.view")
def barcodes_of(op: Op, product_id: int) -> list[BarcodeRow]:
    """The product's barcodes in entry order."""
    return [barcode_row(b) for b in barcode_models(product_id)]


@operation("product.edit")
def add_barcode(op: Op, product_id: int, code: str, pack_qty: Any = 1) -> BarcodeRow:
    """Give a product another barcode (a carton code with ``pack_qty`` 12, say)."""
    bump_version(product_id)  # first: locks the product row and proves it exists
    added = insert_barcode(product_id, code, pack_qty)
    op.audit("product", product_id, "add_barcode",
             {"barcode": added.raw, "pack_qty": added.pack_qty})
    return added


@operation("product.edit")
def remove_barcode(op: Op, barcode_id: int) -> None:
    found = Barcode.select(Barcode.product, Barcode.raw).where(Barcode.id == barcode_id).tuples()
    row = found.first()
    if row is None or Barcode.delete().where(Barcode.id == barcode_id).execute() != 1:
        raise NotFound(_("barcode #{barcode_id} does not exist (removed by another user?)").format(
                         barcode_id=barcode_id))
    product_id, raw = row
    bump_version(product_id)
    op.audit("product", product_id, "remove_barcode", {"barcode": raw})
