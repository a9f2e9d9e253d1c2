"""Products: find one (by id, code, scan or search), create, edit (optimistic locking),
deactivate.

The operations take an ``Actor`` and return ``ProductRow``s (``rows.py``); the cost price is
in a row only when the actor has ``product.see_cost``, and setting it needs that permission
too. Fields are validated in ``product_fields``; barcodes are kept by ``product_barcodes``.

Scans: ``parse_scan("3*4006381333931")`` splits a typed quantity from the code, and
``lookup(code)`` finds the product by any of its barcodes (normalised, so a UPC-A and the same
EAN-13 with a leading zero match) or by its product code, with the pack quantity the code
stands for (a carton barcode: 12). ``lookup`` and ``load_product`` are building blocks for
operations that already run (adding a scan to an order, counting): they return the model.
Screens use ``lookup_product``, the reader that returns a ``ScanMatch`` of plain rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from peewee import IntegrityError

from ...i18n import _
from ..core import audit
from ..core.actor import Actor
from ..core.db import for_update, write
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.money import parse_qty
from ..core.operation import Op, operation, reader
from ..core.permissions import allowed
from ..lists.filters import ilike, spelt_pattern
from ..models.base import now
from ..models.catalog import Barcode, Product
from . import barcodes
from .product_barcodes import insert_barcode
from .product_fields import COST_FIELDS, check_code_free, clean_fields
from .rows import ProductRow, ScanMatch, product_row

# --- building blocks (inside an operation's transaction) ------------------------------------


def product_id_of(product: Any) -> int:
    """The id in ``product``: an id, or anything with ``.id`` (a model, a ``ProductRow``)."""
    pid = product.id if hasattr(product, "id") else product
    if not isinstance(pid, int) or isinstance(pid, bool):
        raise TypeError(f"not a product: {product!r}")
    return pid


def load_product(product: Any, *, lock: bool = False) -> Any:
    """The ``Product`` model for an id or row; ``lock`` holds its row until the transaction
    ends (PostgreSQL), for an operation that reads it and then writes. ``NotFound`` if it is
    gone."""
    pid = product_id_of(product)
    query = Product.select().where(Product.id == pid)
    found = (for_update(query) if lock else query).first()
    if found is None:
        raise NotFound(_("product #{pid} does not exist (deleted by another user?)").format(pid=pid))
    return found


def can_see_cost(actor: Actor) -> bool:
    return allowed(actor, "product.see_cost")


def row_for(op: Op, product: Any) -> ProductRow:
    """``product`` as ``op``'s actor may see it (no cost without ``product.see_cost``)."""
    return product_row(product, see_cost=op.allowed("product.see_cost"))


def lookup(code: str) -> tuple[Any, Decimal] | None:
    """The ``Product`` a scanned or typed code stands for, and how many units one scan means.

    First by barcode (one indexed query on the normalised code), then by product code. Returns
    None for an unknown code. Inactive products are returned too: the caller decides (order
    entry refuses them with a message naming the product).
    """
    text = barcodes.clean(code or "")
    if not text:
        return None
    row = (
        Barcode.select(Barcode, Product)
        .join(Product)
        .where(Barcode.code == barcodes.normalize(text))
        .first()
    )
    if row is not None:
        return row.product, Decimal(row.pack_qty)
    product = Product.get_or_none(Product.code == text)
    if product is not None:
        return product, Decimal("1.000")
    return None


def parse_scan(text: str) -> tuple[Decimal, str]:
    """``"3*4006381333931"`` -> ``(Decimal("3"), "4006381333931")``; a bare code is quantity 1.

    The quantity may have decimals (``1.5*P001``). Raises ``ValidationError`` (field
    ``quantity`` or ``code``) for an empty code or a quantity that is not a positive number.
    """
    raw = barcodes.clean(text or "")
    count = Decimal(1)
    if "*" in raw:
        left, _star, raw = raw.partition("*")
        try:
            count = parse_qty(left, zero=False)
        except ValueError as e:
            raise ValidationError({"quantity": f"{left.strip()[:20]!r}: {e}"}) from None
        raw = raw.strip()
    if not raw:
        raise ValidationError({"code": _("no product code or barcode was given")})
    return count, raw


# --- reading ----------------------------------------------------------------------------------


@reader("product.view")
def get_product(op: Op, product_id: int) -> ProductRow:
    return row_for(op, load_product(product_id))


@reader("product.view")
def find_by_code(op: Op, code: str) -> ProductRow | None:
    """The product whose product code is exactly ``code`` (trimmed)."""
    found = Product.get_or_none(Product.code == barcodes.clean(code or ""))
    return None if found is None else row_for(op, found)


@reader("product.view")
def lookup_product(op: Op, code: str) -> ScanMatch | None:
    """``lookup`` as plain rows: the product a code stands for and its units per scan."""
    found = lookup(code)
    return None if found is None else ScanMatch(row_for(op, found[0]), found[1])


@reader("product.view")
def search_products(
    op: Op,
    text: str = "",
    *,
    limit: int = 50,
    active_only: bool = True,
    category_id: int | None = None,
) -> list[ProductRow]:
    """Products whose code starts with ``text`` or whose name/spec contains it (F4 lookup).

    A barcode (of any of the product's packs, normalised as a scan is: a UPC-A finds the
    same EAN-13) puts its product first; then code-prefix matches, then name matches, each by
    code; at most ``limit`` rows.
    """
    text = (text or "").strip()
    query = Product.select()
    if active_only:
        query = query.where(Product.active == True)  # noqa: E712 - peewee expression
    if category_id is not None:
        query = query.where(Product.category == category_id)
    see_cost = op.allowed("product.see_cost")  # once, not per row
    if not text:
        return [product_row(p, see_cost=see_cost)
                for p in query.order_by(Product.code).limit(limit)]
    by_code = list(query.where(Product.code.startswith(text)).order_by(Product.code).limit(limit))
    found = lookup(text)
    if found is not None and (found[0].active or not active_only) and (
            category_id is None or found[0].category_id == category_id):
        by_code = [found[0], *[p for p in by_code if p.id != found[0].id]]
    if len(by_code) < limit:
        by_name = (
            query.where(Product.name.contains(text) | Product.spec.contains(text)
                        | ilike(Product.pinyin, spelt_pattern(text)))
            .order_by(Product.code)
            .limit(limit)
        )
        seen = {p.id for p in by_code}
        by_code += [p for p in by_name if p.id not in seen]
    return [product_row(p, see_cost=see_cost) for p in by_code[:limit]]


# --- changing ---------------------------------------------------------------------------------


def _require_cost_right(op: Op, fields: dict[str, Any]) -> None:
    """Setting the cost price needs the right to see it."""
    if COST_FIELDS & set(fields):
        op.require("product.see_cost")


@operation("product.edit")
def create_product(
    op: Op, /,
    *,
    barcodes: list[str] | list[tuple[str, Any]] | tuple[Any, ...] = (),
    **fields: Any,
) -> ProductRow:
    """Add a product. ``barcodes`` is a list of codes or ``(code, pack_qty)`` pairs; a bad
    one leaves nothing behind (the operation is one transaction)."""
    _require_cost_right(op, fields)
    values = clean_fields(fields, creating=True)
    check_code_free(values["code"], None)
    try:
        with write():  # a savepoint: a concurrent twin's code fails here
            product = Product.create(**values)
    except IntegrityError:
        raise ValidationError({"code": _("code {value} is already used").format(
                                         value=values['code'])}) from None
    added = []
    for item in barcodes:
        code, pack = (item, 1) if isinstance(item, str) else item
        added.append(insert_barcode(product.id, code, pack).raw)
    changes = dict(values)
    if added:
        changes["barcodes"] = added
    op.audit("product", product.id, "create", changes)
    return row_for(op, load_product(product.id))


def change_product(
    op: Op, product_id: int, version: int, fields: dict[str, Any],
) -> dict[str, tuple[Any, Any]]:
    """Building block of ``update_product`` and the product form: check and write
    ``fields``, raise the version; returns the changes for the caller to audit.

    ``version`` is the one the editor read: if another user saved the product meanwhile,
    ``Conflict`` is raised and nothing changes.
    """
    _require_cost_right(op, fields)
    values = clean_fields(fields, creating=False)
    product = load_product(product_id, lock=True)
    if "code" in values:
        check_code_free(values["code"], product_id)
    changes = audit.diff(product, values)
    try:
        with write():  # a savepoint: a code taken meanwhile fails here
            # The version check and the write are one statement: no stale save slips through.
            updated = (
                Product.update(**values, version=Product.version + 1, updated_at=now())
                .where((Product.id == product_id) & (Product.version == version))
                .execute()
            )
    except IntegrityError:
        raise ValidationError({"code": _("code {get} is already used").format(
                                         get=values.get('code'))}) from None
    if updated != 1:
        raise Conflict(
            _("product {code} was changed by another user since you opened it; reload it and "
              "make your change again").format(code=product.code)
        )
    return changes


@operation("product.edit")
def update_product(op: Op, /, product_id: int, version: int, **fields: Any) -> ProductRow:
    """Change a product's fields (see ``change_product``)."""
    changes = change_product(op, product_id, version, fields)
    if changes:
        op.audit("product", product_id, "update", changes)
    return row_for(op, load_product(product_id))


@operation("product.edit")
def deactivate_product(op: Op, product_id: int, version: int | None = None) -> ProductRow:
    """Mark a product inactive (kept for history; it can no longer be sold or bought).
    Without ``version``, whatever version the product has now."""
    if version is None:
        version = int(load_product(product_id, lock=True).version)
    changes = change_product(op, product_id, version, {"active": False})
    if changes:
        op.audit("product", product_id, "update", changes)
    return row_for(op, load_product(product_id))
