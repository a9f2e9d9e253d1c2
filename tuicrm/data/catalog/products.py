"""Products and their barcodes: create, edit (optimistic locking), deactivate, look up a scan.

Every operation validates its input itself (``ValidationError({field: message})``), checks the
operator's permission (``product.edit``) and writes an audit row in the same transaction.

Scans: ``parse_scan("3*4006381333931")`` splits a typed quantity from the code, and
``lookup(code)`` finds the product by any of its barcodes (normalised, so a UPC-A and the same
EAN-13 with a leading zero match) or by its product code, with the pack quantity the code
stands for (a carton barcode: 12).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from peewee import IntegrityError

from ..core import audit
from ..core.actor import Actor
from ..core.db import write
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.money import money, qty
from ..core.permissions import allowed, require
from ..models import Barcode, Product, ProductCategory, User, now
from . import barcodes

MAX_CODE = 64
MAX_NAME = 200
MAX_TEXT = 200

# Fields an operator may set, with a kind used to validate and convert them.
_TEXT_FIELDS = {"code", "name", "spec", "unit", "notes"}
_MONEY_FIELDS = {"cost", "price1", "price2", "price3", "price4"}
_QTY_FIELDS = {"min_stock"}
_BOOL_FIELDS = {"active", "allow_negative"}
EDITABLE_FIELDS = _TEXT_FIELDS | _MONEY_FIELDS | _QTY_FIELDS | _BOOL_FIELDS | {"category"}

# What a user without ``product.see_cost`` never gets from ``product_view``.
COST_FIELDS = ("cost",)


# --- reading --------------------------------------------------------------------------------


def get_product(product_id: int) -> Product:
    product = Product.get_or_none(Product.id == product_id)
    if product is None:
        raise NotFound(f"product #{product_id} does not exist (deleted by another user?)")
    return product


def find_by_code(code: str) -> Product | None:
    """The product whose product code is exactly ``code`` (trimmed)."""
    return Product.get_or_none(Product.code == barcodes.clean(code or ""))


def barcodes_of(product: Product | int) -> list[Barcode]:
    pid = product.id if isinstance(product, Product) else product
    return list(Barcode.select().where(Barcode.product == pid).order_by(Barcode.id))


def lookup(code: str) -> tuple[Product, Decimal] | None:
    """The product a scanned or typed code stands for, and how many units one scan means.

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
        return row.product, row.pack_qty
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
        left, _, raw = raw.partition("*")
        try:
            count = qty(left)
        except ValueError:
            raise ValidationError({"quantity": f"{left.strip()!r} is not a quantity"}) from None
        if count <= 0:
            raise ValidationError({"quantity": "the quantity before * must be more than 0"})
        raw = raw.strip()
    if not raw:
        raise ValidationError({"code": "no product code or barcode was given"})
    return count, raw


def search_products(
    text: str = "",
    *,
    limit: int = 50,
    active_only: bool = True,
    category_id: int | None = None,
) -> list[Product]:
    """Products whose code starts with ``text`` or whose name/spec contains it (F4 lookup).

    Code-prefix matches come first, then name matches, each by code; at most ``limit`` rows.
    """
    text = (text or "").strip()
    query = Product.select()
    if active_only:
        query = query.where(Product.active == True)  # noqa: E712 - peewee expression
    if category_id is not None:
        query = query.where(Product.category == category_id)
    if not text:
        return list(query.order_by(Product.code).limit(limit))
    by_code = list(query.where(Product.code.startswith(text)).order_by(Product.code).limit(limit))
    seen = {p.id for p in by_code}
    if len(by_code) >= limit:
        return by_code
    by_name = (
        query.where(Product.name.contains(text) | Product.spec.contains(text))
        .order_by(Product.code)
        .limit(limit)
    )
    out = by_code + [p for p in by_name if p.id not in seen]
    return out[:limit]


def can_see_cost(user: User | None) -> bool:
    return allowed(user, "product.see_cost")


def product_view(user: User | None, product: Product) -> dict[str, Any]:
    """The product as a dict of what ``user`` may see: no cost without ``product.see_cost``.

    Screens and exports show this rather than the model, so a counter clerk never gets the
    cost price even through an export.
    """
    require(user, "product.view")
    data: dict[str, Any] = {
        "id": product.id,
        "version": product.version,
        "code": product.code,
        "name": product.name,
        "spec": product.spec,
        "unit": product.unit,
        "category_id": product.category_id,
        "price1": product.price1,
        "price2": product.price2,
        "price3": product.price3,
        "price4": product.price4,
        "min_stock": product.min_stock,
        "active": product.active,
        "allow_negative": product.allow_negative,
        "notes": product.notes,
        "barcodes": [(b.raw, b.pack_qty) for b in barcodes_of(product)],
    }
    if can_see_cost(user):
        data["cost"] = product.cost
    return data


def visible_fields(user: User | None) -> list[str]:
    """The product columns ``user`` may see (``cost`` only with ``product.see_cost``)."""
    fields = ["code", "name", "spec", "unit", "category", "price1", "price2", "price3",
              "price4", "min_stock", "active", "allow_negative", "notes"]
    if can_see_cost(user):
        fields.insert(5, "cost")
    return fields


# --- validation -----------------------------------------------------------------------------


def _clean_fields(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({f: "not a product field" for f in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _TEXT_FIELDS:
            text = "" if value is None else str(value)
            text = barcodes.clean(text) if name == "code" else text.strip()
            limit = MAX_CODE if name == "code" else MAX_NAME if name == "name" else None
            if name == "notes":
                limit = 4000
            if limit is None:
                limit = MAX_TEXT
            if len(text) > limit:
                errors[name] = f"at most {limit} characters (this is {len(text)})"
            elif name in ("code", "name") and not text:
                errors[name] = f"a product needs a {name}"
            elif name == "unit" and not text:
                errors[name] = "a unit is required (pcs, kg, box, ...)"
            values[name] = text
        elif name in _MONEY_FIELDS:
            try:
                amount = money(value if value not in (None, "") else 0)
            except ValueError as e:
                errors[name] = str(e)
                continue
            if amount < 0:
                errors[name] = "cannot be negative"
            elif amount >= Decimal("1e12"):
                errors[name] = "too large"
            values[name] = amount
        elif name in _QTY_FIELDS:
            try:
                amount = qty(value if value not in (None, "") else 0)
            except ValueError as e:
                errors[name] = str(e)
                continue
            if amount < 0:
                errors[name] = "cannot be negative"
            values[name] = amount
        elif name in _BOOL_FIELDS:
            if not isinstance(value, bool):
                errors[name] = "must be yes or no"
            values[name] = bool(value)
        elif name == "category":
            cid = value.id if isinstance(value, ProductCategory) else value
            if cid in (None, ""):
                values["category"] = None
            elif not isinstance(cid, int) or isinstance(cid, bool):
                errors[name] = "not a category"
            elif not ProductCategory.select().where(ProductCategory.id == cid).exists():
                errors[name] = f"category #{cid} does not exist"
            else:
                values["category"] = cid
    if creating:
        for required in ("code", "name"):
            if required not in values and required not in errors:
                errors[required] = f"a product needs a {required}"
    if errors:
        raise ValidationError(errors)
    return values


def _check_code_free(code: str, product_id: int | None) -> None:
    query = Product.select(Product.id, Product.name).where(Product.code == code)
    if product_id is not None:
        query = query.where(Product.id != product_id)
    other = query.first()
    if other is not None:
        raise ValidationError({"code": f"code {code} is already used by product {other.name}"})


def _normalised_pack(pack_qty: Any) -> Decimal:
    try:
        value = qty(pack_qty)
    except ValueError as e:
        raise ValidationError({"pack_qty": str(e)}) from None
    if value <= 0:
        raise ValidationError({"pack_qty": "units per scan must be more than 0"})
    return value


def _insert_barcode(product: Product, code: str, pack_qty: Any) -> Barcode:
    norm = barcodes.validate_for_save(code)
    pack = _normalised_pack(pack_qty)
    other = (
        Barcode.select(Barcode, Product)
        .join(Product)
        .where(Barcode.code == norm)
        .first()
    )
    if other is not None:
        if other.product_id == product.id:
            raise ValidationError(
                {"barcode": f"{barcodes.clean(code)} is already a barcode of this product"}
            )
        raise ValidationError(
            {
                "barcode": f"barcode {barcodes.clean(code)} already belongs to product "
                f"{other.product.code} {other.product.name}"
            }
        )
    try:
        with write():  # a savepoint: a concurrent twin fails here with the same message
            return Barcode.create(
                product=product.id, code=norm, raw=barcodes.clean(code), pack_qty=pack
            )
    except IntegrityError:
        raise ValidationError(
            {"barcode": f"barcode {barcodes.clean(code)} was just given to another product"}
        ) from None


# --- changing -------------------------------------------------------------------------------


def create_product(
    actor: Actor,
    *,
    barcodes: list[str | tuple[str, Any]] | tuple = (),
    **fields: Any,
) -> Product:
    """Add a product. ``barcodes`` is a list of codes or ``(code, pack_qty)`` pairs.

    ``actor`` None is for set-up code and imports run by the server's owner.
    """
    require(actor, "product.edit")
    values = _clean_fields(fields, creating=True)
    with write():
        _check_code_free(values["code"], None)
        try:
            with write():
                product = Product.create(**values)
        except IntegrityError:
            raise ValidationError({"code": f"code {values['code']} is already used"}) from None
        added = []
        for item in barcodes:
            code, pack = (item, 1) if isinstance(item, str) else item
            added.append(_insert_barcode(product, code, pack).raw)
        changes = {k: v for k, v in values.items()}
        if added:
            changes["barcodes"] = added
        audit.record(actor, "product", product.id, "create", changes)
    return get_product(product.id)


def update_product(actor: Actor, product_id: int, version: int, **fields: Any) -> Product:
    """Change a product's fields. ``version`` is the one the editor read: if another user saved
    the product meanwhile, ``Conflict`` is raised and nothing changes."""
    require(actor, "product.edit")
    values = _clean_fields(fields, creating=False)
    with write():
        product = get_product(product_id)
        if "code" in values:
            _check_code_free(values["code"], product_id)
        changes = audit.diff(product, values)
        # The version check and the write are one statement: no stale save slips through.
        updated = (
            Product.update(**values, version=Product.version + 1, updated_at=now())
            .where((Product.id == product_id) & (Product.version == version))
            .execute()
        )
        if updated != 1:
            raise Conflict(
                f"product {product.code} was changed by another user since you opened it; "
                "reload it and make your change again"
            )
        if changes:
            audit.record(actor, "product", product_id, "update", changes)
    return get_product(product_id)


def deactivate_product(actor: Actor, product_id: int, version: int | None = None) -> Product:
    """Mark a product inactive (kept for history; it can no longer be sold or bought)."""
    product = get_product(product_id)
    return update_product(
        actor, product_id, product.version if version is None else version, active=False
    )


def add_barcode(actor: Actor, product_id: int, code: str, pack_qty: Any = 1) -> Barcode:
    """Give a product another barcode (a carton code with ``pack_qty`` 12, say)."""
    require(actor, "product.edit")
    with write():
        product = get_product(product_id)
        barcode = _insert_barcode(product, code, pack_qty)
        Product.update(version=Product.version + 1, updated_at=now()).where(
            Product.id == product_id
        ).execute()
        audit.record(
            actor, "product", product_id, "add_barcode",
            {"barcode": barcode.raw, "pack_qty": barcode.pack_qty},
        )
    return barcode


def remove_barcode(actor: Actor, barcode_id: int) -> None:
    require(actor, "product.edit")
    with write():
        barcode = Barcode.get_or_none(Barcode.id == barcode_id)
        if barcode is None:
            raise NotFound(f"barcode #{barcode_id} does not exist")
        Barcode.delete().where(Barcode.id == barcode_id).execute()
        Product.update(version=Product.version + 1, updated_at=now()).where(
            Product.id == barcode.product_id
        ).execute()
        audit.record(
            actor, "product", barcode.product_id, "remove_barcode", {"barcode": barcode.raw}
        )


def create_category(actor: Actor, name: str, parent_id: int | None = None) -> ProductCategory:
    require(actor, "product.edit")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "a category needs a name"})
    with write():
        twin = ProductCategory.select().where(
            (ProductCategory.name == name)
            & (ProductCategory.parent.is_null() if parent_id is None
               else ProductCategory.parent == parent_id)
        )
        if twin.exists():
            raise ValidationError({"name": f"there is already a category {name} here"})
        category = ProductCategory.create(name=name, parent=parent_id)
        audit.record(actor, "product_category", category.id, "create",
                     {"name": name, "parent": parent_id})
    return category
