"""Exact money and quantities.

SQLite has no decimal type: a peewee ``DecimalField`` is stored as REAL there and ``SUM()``
drifts. So money is stored as integer cents and quantities as integer thousandths, on both
SQLite and PostgreSQL; Python code only ever sees ``Decimal``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from peewee import BigIntegerField, fn

MONEY_PLACES = 2
QTY_PLACES = 3
_MONEY_SCALE = 10**MONEY_PLACES
_QTY_SCALE = 10**QTY_PLACES
CENT = Decimal(1).scaleb(-MONEY_PLACES)
MILLI = Decimal(1).scaleb(-QTY_PLACES)

Number = Decimal | int | str


def parse_decimal(value: Number | float, what: str = "number") -> Decimal:
    """Parse user or file input into a Decimal; ``ValueError`` with a clear message if not."""
    if isinstance(value, float):
        value = repr(value)  # shortest repr, never the binary expansion
    if isinstance(value, str):
        value = value.strip().replace(",", "")
    try:
        d = Decimal(value)
    except (InvalidOperation, TypeError):
        raise ValueError(f"not a valid {what}: {value!r}") from None
    if not d.is_finite():
        raise ValueError(f"not a valid {what}: {value!r}")
    return d


def money(value: Number | float) -> Decimal:
    """A money amount rounded half-up to cents."""
    return parse_decimal(value, "amount").quantize(CENT, rounding=ROUND_HALF_UP)


def qty(value: Number | float) -> Decimal:
    """A quantity rounded half-up to thousandths."""
    return parse_decimal(value, "quantity").quantize(MILLI, rounding=ROUND_HALF_UP)


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
