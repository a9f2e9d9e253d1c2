"""Exact money and quantities.

SQLite has no decimal type: a peewee ``DecimalField`` is stored as REAL there and ``SUM()``
drifts. So money is stored as integer cents and quantities as integer thousandths, on both
SQLite and PostgreSQL; Python code only ever sees ``Decimal``.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from peewee import BigIntegerField, fn

from ...i18n import _, ngettext

MONEY_PLACES = 2
QTY_PLACES = 3
_MONEY_SCALE = 10**MONEY_PLACES
_QTY_SCALE = 10**QTY_PLACES
CENT = Decimal(1).scaleb(-MONEY_PLACES)
MILLI = Decimal(1).scaleb(-QTY_PLACES)

#: What a user may type: money below 10^12, quantities below 10^9 (the parser's limits).
MONEY_LIMIT = Decimal(10) ** 12
QUANTITY_LIMIT = Decimal(10) ** 9
#: Nothing real is this large. Refused before rounding: ``Decimal("1e30").quantize(CENT)``
#: raises ``decimal.InvalidOperation`` (28 digits of precision), which reached users as a
#: traceback.
_HARD_LIMIT = Decimal(10) ** 15

Number = Decimal | int | str


def parse_decimal(value: Number | float, what: str = "number") -> Decimal:
    """Parse user or file input into a Decimal; ``ValueError`` with a clear message if not."""
    if isinstance(value, float):
        value = repr(value)  # shortest repr, never the binary expansion
    if isinstance(value, str):
        value = value.strip().replace(",", "")
    try:
        d = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(_("not a valid {what}: {value}").format(
            what=what, value=repr(value)[:40])) from None
    if not d.is_finite():
        raise ValueError(_("not a valid {what}: {value}").format(what=what, value=repr(value)[:40]))
    if abs(d) >= _HARD_LIMIT:
        raise ValueError(_("the {what} is too large").format(what=what))
    return d


def money(value: Number | float) -> Decimal:
    """A money amount rounded half-up to cents."""
    return parse_decimal(value, "amount").quantize(CENT, rounding=ROUND_HALF_UP)


def qty(value: Number | float) -> Decimal:
    """A quantity rounded half-up to thousandths."""
    return parse_decimal(value, "quantity").quantize(MILLI, rounding=ROUND_HALF_UP)


_TYPED_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")


def parse_number(value: object, what: str, *, places: int, limit: Decimal,
                 negative: bool = False, zero: bool = True,
                 blank: Decimal | None = None) -> Decimal:
    """The one parser for a typed money amount or quantity: plain digits with an optional
    sign, decimal point and thousands commas (full-width digits too), at most ``places``
    decimals, below ``limit``; ``blank`` is what an empty field means (None: required).

    Every refusal is a ``ValueError`` whose text is fit to show beside the field; it never
    rounds silently and never raises anything else (``1e30``, ``NaN``, ``1e-400``).
    """
    if isinstance(value, bool) or value is None:
        if value is None and blank is not None:
            return blank
        raise ValueError(_("a number is required"))
    if isinstance(value, int | Decimal | float):
        d = parse_decimal(value, what)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
        text = text.replace(" ", "")
        if not text:
            if blank is None:
                raise ValueError(_("a number is required"))
            return blank
        if _TYPED_NUMBER.fullmatch(text) is None:
            raise ValueError(_("not a number: write digits such as 12.50"))
        d = Decimal(text)
    if d < 0 and not negative:
        raise ValueError(_("cannot be negative"))
    if d == 0 and not zero:
        raise ValueError(_("must be more than 0"))
    if abs(d) >= limit:
        top = fmt_money(limit - Decimal(1).scaleb(-places), places)
        raise ValueError(_("too large: at most {top}").format(top=top))
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places and d != d.quantize(
            Decimal(1).scaleb(-places)):
        if places == 0:
            raise ValueError(_("a whole number is needed"))
        raise ValueError(ngettext("at most {n} decimal place", "at most {n} decimal places",
                                  places).format(n=places))
    return d.quantize(Decimal(1).scaleb(-places))


def parse_money(value: object, what: str = "amount", *, negative: bool = False,
                zero: bool = True, blank: Decimal | None = None,
                limit: Decimal = MONEY_LIMIT) -> Decimal:
    """A typed amount (cents, below 10^12 unless ``limit`` says less): see ``parse_number``."""
    return parse_number(value, what, places=MONEY_PLACES, limit=limit, negative=negative,
                        zero=zero, blank=blank)


def parse_qty(value: object, what: str = "quantity", *, negative: bool = False,
              zero: bool = True, blank: Decimal | None = None,
              limit: Decimal = QUANTITY_LIMIT) -> Decimal:
    """A typed quantity (thousandths, below 10^9): see ``parse_number``."""
    return parse_number(value, what, places=QTY_PLACES, limit=limit, negative=negative,
                        zero=zero, blank=blank)


def to_cents(value: Number) -> int:
    return int(money(value) * _MONEY_SCALE)


def from_cents(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-MONEY_PLACES).quantize(CENT)


def to_milli(value: Number) -> int:
    return int(qty(value) * _QTY_SCALE)


def from_milli(milli: int) -> Decimal:
    return Decimal(int(milli)).scaleb(-QTY_PLACES).quantize(MILLI)


def fmt_money(value: Decimal | None, places: int = MONEY_PLACES) -> str:
    """``1234.5`` -> ``1,234.50``; empty for None."""
    if value is None:
        return ""
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,}"


def fmt_qty(value: Decimal | None) -> str:
    """Quantities without useless trailing zeros: ``3.000`` -> ``3``, ``2.500`` -> ``2.5``."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def sum_of(column: Any) -> Any:
    """``SUM(column)`` of a MoneyField or QuantityField column, read back as a ``Decimal``
    (``0.00`` when no rows match).

    peewee hands a bare ``fn.SUM(column)`` back uncoerced, i.e. as raw cents or thousandths;
    queries that total money or quantities use this instead.
    """
    return fn.COALESCE(fn.SUM(column), 0, python_value=column.python_value)


class MoneyField(BigIntegerField):
    """Money as integer cents in the database, ``Decimal`` in Python.

    Aggregates are not converted by peewee: total a column with ``sum_of(column)``.
    """

    def db_value(self, value: Any) -> int | None:
        return None if value is None else to_cents(value)

    def python_value(self, value: Any) -> Decimal | None:
        return None if value is None else from_cents(value)


class QuantityField(BigIntegerField):
    """Quantities as integer thousandths in the database, ``Decimal`` in Python."""

    def db_value(self, value: Any) -> int | None:
        return None if value is None else to_milli(value)

    def python_value(self, value: Any) -> Decimal | None:
        return None if value is None else from_milli(value)
