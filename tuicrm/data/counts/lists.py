"""The lines of a count as lists (the Stock count screen), defined once.

Two lists, because who may see expected quantities depends on the count, not only on a
permission a column could carry (``rules.can_see_expected``):

- ``COUNT_LINES``: product, counted (blank until counted), scans, and ``extra`` for a product
  outside the scope - what every counter sees - by product code, products added to the count
  while counting last;
- ``COUNT_BOOK``: the same with the expected quantity at opening, the book the count is
  compared with and the variance; opening it is refused to a counter in a blind count.

The option ``count_id`` names the count. ``line_pages`` opens either for the screen, with the
variance marked ``!`` over the recount threshold while the count is open.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from peewee import Case

from ...i18n import N_, _
from ..core.actor import Actor
from ..core.errors import ValidationError
from ..core.money import fmt_qty, from_milli
from ..core.operation import Op, reader
from ..core.vocab import CountStatus
from ..lists.columns import Column, with_columns_replaced
from ..lists.paging import PagedQuery
from ..lists.view import ListDef, ListRequest, define, open_paged
from ..models.catalog import Product
from ..models.counts import StockCount, StockCountLine
from .rules import VIEW, can_see_expected, load_count, recount_threshold
from .variance import moved_since_opening, refuse_blind


def raw_quantity(value: Any) -> Decimal:
    """A quantity computed in SQL (raw thousandths; PostgreSQL sums them as numeric) as a
    Decimal."""
    return from_milli(int(value))


def quantity_text(value: Any) -> str:
    return "" if value is None else fmt_qty(value)


def signed_text(value: Any) -> str:
    """``+2``, ``-1.5``, ``0``; blank for a line that has no variance (never counted)."""
    if value is None:
        return ""
    text = fmt_qty(value)
    return text if text.startswith("-") or value == 0 else "+" + text


def _count_id(options: Mapping[str, Any]) -> int:
    value = options.get("count_id")
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError({"count_id": _("the list of a count's lines needs the count")})
    return value


def _lines(actor: Actor, options: Mapping[str, Any]) -> Any:
    query: Any = (
        StockCountLine.select()
        .join(Product, on=(StockCountLine.product == Product.id))
        .switch(StockCountLine)
        .join(StockCount, on=(StockCountLine.count == StockCount.id))
        .where(StockCountLine.count == _count_id(options))
    )
    return query


def _book_lines(actor: Actor, options: Mapping[str, Any]) -> Any:
    row = (StockCount.select(StockCount.mode, StockCount.number)
           .where(StockCount.id == _count_id(options)).tuples().first())
    if row is not None and not can_see_expected(actor, row[0]):
        raise refuse_blind(row[1])
    return _lines(actor, options)  # (no such count: an empty list)


_COUNTED = StockCountLine.entries > 0
_POSTED = StockCount.status == str(CountStatus.POSTED)
# What the count is compared with: for a posted count, the book it met when posted.
_BOOK = Case(None, [(_POSTED, StockCountLine.book)],
             StockCountLine.expected + moved_since_opening())
# counted - book; for a posted count what posting moved; blank: never counted (yet), and a
# never-counted line that posting left as it was (the same rule as ``VarianceLine``).
_VARIANCE = Case(None, [(_POSTED & (_COUNTED | (StockCountLine.adjustment != 0)),
                         StockCountLine.adjustment),
                        (_POSTED, None),
                        (_COUNTED, StockCountLine.counted - _BOOK)], None)


def _quantity(name: str, expr: Any, title: str, **kw: Any) -> Column:
    """A right-aligned quantity computed in SQL (raw thousandths), blank when NULL."""
    kw.setdefault("format", quantity_text)
    return Column(name, expr, title, align="right", convert=raw_quantity, nullable=True,
                  sortable=False, **kw)


_COLUMNS = (
    # Lines are listed as the count made them, which is by product code (``opening``), then
    # products added later: the order the count's own index serves (a sort by code would sort
    # every line of the count for each page).
    Column("line", StockCountLine.id, "Line", internal=True),
    Column("code", Product.code, "Code", min_width=6, max_width=14, sortable=False),
    Column("name", Product.name, "Name", min_width=14, max_width=30, sortable=False),
    _quantity("counted", Case(None, [(_COUNTED, StockCountLine.counted)], None), "Counted",
              min_width=7),
    Column("entries", StockCountLine.entries, "Scans", min_width=5, sortable=False),
)
_TAIL = (
    Column("scope", StockCountLine.in_scope, "", width=5, sortable=False,
           format=lambda v: "" if v else "extra"),
    Column("unit", Product.unit, "Unit", internal=True, sortable=False),
    Column("product_id", StockCountLine.product, "Product id", internal=True, sortable=False),
)

COUNT_LINES = define(ListDef(
    name="count_lines",
    title=N_("Stock count lines"),
    permission=VIEW,
    columns=_COLUMNS + _TAIL,
    query=_lines,
    default_sort=("line", False),
))

COUNT_BOOK = define(ListDef(
    name="count_book",
    title=N_("Stock count lines with book and variance"),
    permission=VIEW,
    columns=_COLUMNS + (
        Column("expected", StockCountLine.expected, "Expected", min_width=8, sortable=False),
        _quantity("book", _BOOK, "Book", min_width=6),
        _quantity("variance", _VARIANCE, "Variance", min_width=8, format=signed_text),
    ) + _TAIL,
    query=_book_lines,
    default_sort=("line", False),
    default_visible=("code", "name", "counted", "entries", "book", "variance", "scope"),
))


@reader(VIEW)
def line_pages(op: Op, count_id: int, *, book: bool = False) -> PagedQuery:
    """The lines of a count for the screen: ``COUNT_LINES``, or ``COUNT_BOOK`` with ``book``
    (refused in a blind count to counters), its variance marked ``!`` over the recount
    threshold while the count is open."""
    pages = open_paged(op.actor, COUNT_BOOK if book else COUNT_LINES,
                       ListRequest(options={"count_id": count_id}))
    if not book or load_count(count_id).status != CountStatus.OPEN:
        return pages
    limit = recount_threshold()

    def marked(value: Any) -> str:
        text = signed_text(value)
        return text + " !" if value is not None and abs(value) > limit else text

    return pages.with_columns(with_columns_replaced(pages.columns, variance={"format": marked}))
