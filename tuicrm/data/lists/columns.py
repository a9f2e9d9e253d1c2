"""A list's columns and the rows it reads: what each column selects, and how its values are
titled, sized, aligned and formatted for the screen and for exports.

Split from the paging itself (``paging.PagedQuery``) because the widgets, exports and every
domain's list definitions need only these, not how pages are found.

No Textual here: the widgets that draw columns and rows import these for their types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, NamedTuple

import peewee
from peewee import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    DateTimeField,
    DecimalField,
    Field,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Node,
    SmallIntegerField,
)

from ..core.money import MoneyField, QuantityField, fmt_money, fmt_qty

Align = str  # "left" | "right" | "center"
ALIGNS = ("left", "right", "center")

_NUMERIC_FIELDS = (
    IntegerField,
    BigIntegerField,
    SmallIntegerField,
    FloatField,
    DecimalField,
    AutoField,
    BigAutoField,
)


# --------------------------------------------------------------------------- formatting


def format_value(value: Any) -> str:
    """The display string for a value whose column has no formatter of its own."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _fmt_datetime(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return format_value(value)


def _fmt_money(value: Any) -> str:
    return fmt_money(value) if isinstance(value, Decimal) else format_value(value)


def _fmt_qty(value: Any) -> str:
    return fmt_qty(value) if isinstance(value, Decimal) else format_value(value)


def unwrap(expr: Any) -> Any:
    """The node inside a wrapper such as an alias (``Customer.name.alias("n")`` gives
    ``Customer.name``); anything else as it is."""
    return expr.unwrap() if isinstance(expr, Node) else expr


def default_formatter(expr: Any) -> Callable[[Any], str]:
    """A formatter chosen by the field type: money with separators, dates without seconds."""
    node = unwrap(expr)
    if isinstance(node, MoneyField):
        return _fmt_money
    if isinstance(node, QuantityField):
        return _fmt_qty
    if isinstance(node, DateTimeField):
        return _fmt_datetime
    return format_value


def default_align(expr: Any) -> Align:
    node = unwrap(expr)
    if isinstance(node, ForeignKeyField):
        return "left"
    if isinstance(node, _NUMERIC_FIELDS):
        return "right"
    return "left"


def python_converter(expr: Any) -> Callable[[Any], Any] | None:
    """How a raw database value of ``expr`` becomes a Python value (None: as it is): a
    field's ``python_value`` (money from cents, dates from text). Any other expression gives
    its raw value; a column that needs more says so with its own ``convert``."""
    node = unwrap(expr) if isinstance(expr, Node) else expr
    if isinstance(node, Field):
        converter: Callable[[Any], Any] = node.python_value
        return converter
    return None


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One column of a list: what to select, how to title, size, align and format it.

    ``expr`` is a peewee field (of the listed model or of a joined one, e.g.
    ``CustomerGroup.name``) or any expression (``fn.COALESCE(...)``). ``width`` fixes the width
    in terminal cells; without it the widget fits the data it first shows, between
    ``min_width`` and ``max_width``. ``format`` turns the Python value into display text (the
    default depends on the field: money ``1,234.50``, quantities ``2.5``, date-times without
    seconds). ``sort_expr`` sorts by something else than ``expr`` (e.g. a NOCASE collation).
    ``nullable`` says whether the column can be NULL; by default a field of the listed model
    answers for itself and anything else (joined fields, expressions) is taken as nullable.
    ``sortable=False`` keeps a column out of the sort keys a list offers (no index serves it).
    ``permission`` hides the column from actors without it (cost prices); ``internal``
    columns are read with every row (ids a screen needs) but never shown or exported.
    """

    name: str
    expr: Any
    title: str | None = None
    width: int | None = None
    min_width: int = 3
    max_width: int = 40
    align: Align | None = None
    format: Callable[[Any], str] | None = None
    sort_expr: Any = None
    nullable: bool | None = None
    sortable: bool = True
    permission: str | None = None
    internal: bool = False
    convert: Callable[[Any], Any] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.align is not None and self.align not in ALIGNS:
            raise ValueError(f"column {self.name!r}: align must be one of {ALIGNS}")
        if self.title is None:
            object.__setattr__(self, "title", self.name.replace("_", " ").capitalize())
        if self.align is None:
            object.__setattr__(self, "align", default_align(self.expr))
        if self.format is None:
            object.__setattr__(self, "format", default_formatter(self.expr))
        if self.convert is None:
            object.__setattr__(self, "convert", python_converter(self.expr))

    def text(self, value: Any) -> str:
        """The display text of a (converted) value of this column."""
        return self.format(value)  # type: ignore[misc]

    @property
    def export_kind(self) -> str:
        """How an export writes this column's values: money, number, int, date, datetime,
        bool or text (``reports.spreadsheet.KINDS``)."""
        node = unwrap(self.expr)
        if isinstance(node, MoneyField):
            return "money"
        if isinstance(node, QuantityField):
            return "number"
        if isinstance(node, DateTimeField):
            return "datetime"
        if isinstance(node, peewee.DateField):
            return "date"
        if isinstance(node, peewee.BooleanField):
            return "bool"
        if isinstance(node, IntegerField) and not isinstance(node, ForeignKeyField):
            return "int"
        return "text"


class Row(NamedTuple):
    """One row of a page: its primary key, its position key and its column values."""

    id: Any
    key: tuple[Any, ...]  # raw sort values + primary key: where the row sits in the order
    values: tuple[Any, ...]  # one Python value per column, in column order



def with_columns_replaced(columns: Sequence[Column], **changes: dict[str, Any]) -> list[Column]:
    """A copy of ``columns`` with some fields changed per column name, e.g.
    ``with_columns_replaced(cols, name={"width": 30})``."""
    return [replace(c, **changes[c.name]) if c.name in changes else c for c in columns]



__all__ = [
    "ALIGNS",
    "Column",
    "Row",
    "default_align",
    "default_formatter",
    "format_value",
    "python_converter",
    "unwrap",
    "with_columns_replaced",
]
