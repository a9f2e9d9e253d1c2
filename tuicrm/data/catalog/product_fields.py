"""A product's fields: which an operator may set, and how each is checked and converted.

The operations validate their input here, not in the column types (SQLite would store
``'12abc'`` in an integer column and 5,000 characters in a ``CharField(max_length=10)``); the
product import runs every row through the same ``clean_fields`` so a file and the form accept
exactly the same values. Errors are ``ValidationError({field: message})``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...i18n import _
from ..core.errors import ValidationError
from ..core.money import parse_money, parse_qty
from ..models.catalog import Product, ProductCategory
from . import barcodes

MAX_CODE = 64
MAX_NAME = 200
MAX_TEXT = 200
MAX_NOTES = 4000

# Fields an operator may set, by the kind that validates and converts them.
TEXT_FIELDS = frozenset({"code", "name", "spec", "unit", "notes"})
MONEY_FIELDS = frozenset({"cost", "price1", "price2", "price3", "price4"})
QTY_FIELDS = frozenset({"min_stock"})
BOOL_FIELDS = frozenset({"active", "allow_negative"})
EDITABLE_FIELDS = TEXT_FIELDS | MONEY_FIELDS | QTY_FIELDS | BOOL_FIELDS | {"category"}

# Setting or seeing these needs ``product.see_cost``.
COST_FIELDS = frozenset({"cost"})

_LIMITS = {"code": MAX_CODE, "name": MAX_NAME, "notes": MAX_NOTES}


def _clean_text(name: str, value: Any, errors: dict[str, str]) -> str:
    text = "" if value is None else str(value)
    text = barcodes.clean(text) if name == "code" else text.strip()
    limit = _LIMITS.get(name, MAX_TEXT)
    if len(text) > limit:
        errors[name] = _("at most {limit} characters (this is {len})").format(
                         limit=limit,
                         len=len(text))
    elif name in ("code", "name") and not text:
        errors[name] = _("a product needs a {name}").format(name=name)
    elif name == "unit" and not text:
        errors[name] = _("a unit is required (pcs, kg, box, ...)")
    return text


def _clean_amount(name: str, value: Any, errors: dict[str, str]) -> Decimal | None:
    try:
        if name in MONEY_FIELDS:
            return parse_money(value, blank=Decimal("0.00"))
        return parse_qty(value, blank=Decimal("0.000"))
    except ValueError as e:
        errors[name] = str(e)
        return None


def _clean_category(value: Any, errors: dict[str, str]) -> int | None:
    cid = value.id if hasattr(value, "id") else value
    if cid in (None, "", 0):
        return None
    if not isinstance(cid, int) or isinstance(cid, bool):
        errors["category"] = _("not a category")
        return None
    if not ProductCategory.select().where(ProductCategory.id == cid).exists():
        errors["category"] = _("category #{cid} does not exist").format(cid=cid)
        return None
    return cid


def clean_fields(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """``fields`` checked and converted for ``Product``; every problem in one
    ``ValidationError``. ``creating`` also requires a code and a name."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({f: "not a product field" for f in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            values[name] = _clean_text(name, value, errors)
        elif name in MONEY_FIELDS or name in QTY_FIELDS:
            amount = _clean_amount(name, value, errors)
            if amount is not None:
                values[name] = amount
        elif name in BOOL_FIELDS:
            if not isinstance(value, bool):
                errors[name] = _("must be yes or no")
            values[name] = bool(value)
        else:  # category
            values["category"] = _clean_category(value, errors)
    if creating:
        for required in ("code", "name"):
            if required not in values and required not in errors:
                errors[required] = _("a product needs a {required}").format(required=required)
    if errors:
        raise ValidationError(errors)
    return values


def check_code_free(code: str, product_id: int | None) -> None:
    """Refuse a product code another product has (the unique index catches a race)."""
    query = Product.select(Product.id, Product.name).where(Product.code == code)
    if product_id is not None:
        query = query.where(Product.id != product_id)
    other = query.first()
    if other is not None:
        raise ValidationError({"code": _("code {code} is already used by product {name}").format(
                                         code=code,
                                         name=other.name)})


def normalised_pack(pack_qty: Any) -> Decimal:
    """How many units one scan of a barcode stands for: a quantity above 0."""
    try:
        return parse_qty(pack_qty, zero=False)
    except ValueError as e:
        raise ValidationError({"pack_qty": str(e)}) from None
