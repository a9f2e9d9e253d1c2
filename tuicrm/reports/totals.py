"""Totals, percentages and top N for the report engine: a totals row is computed from the
rows (sums, and ratios of those sums), and a top N folds the rest into one "others" row, so a
total always equals the sum of its rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ..i18n import _

if TYPE_CHECKING:
    from .engine import Column

PERCENT_PLACES = Decimal("0.1")


def percent(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """100 * numerator / denominator to one decimal place (half up); None when dividing by 0."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        PERCENT_PLACES, rounding=ROUND_HALF_UP)


def _zero(column: Column) -> Any:
    return Decimal(0).quantize(Decimal("0.01")) if column.kind == "money" else (
        Decimal(0).quantize(Decimal("0.001")) if column.kind == "qty" else 0)


def _combine(columns: Sequence[Column], rows: Sequence[Sequence[Any]],
             summed: Callable[[Column], bool]) -> list[Any]:
    """One row of sums (columns with ``summed``) and ratios of those sums."""
    out: list[Any] = [None] * len(columns)
    for i, c in enumerate(columns):
        if summed(c):
            # a list, not a generator: 45,000 rows x 5 columns (and never ``None in``:
            # comparing a Decimal with None is slow)
            out[i] = sum([r[i] for r in rows if r[i] is not None], _zero(c))
    return _with_ratios(columns, out)


def _with_ratios(columns: Sequence[Column], out: list[Any]) -> list[Any]:
    """``out`` (a row of sums) with each ratio column worked out from its sums."""
    keys = {c.key: i for i, c in enumerate(columns)}
    for i, c in enumerate(columns):
        ratio = c.total
        if not isinstance(ratio, str) and ratio is not None:
            num, den = out[keys[ratio.numerator]], out[keys[ratio.denominator]]
            out[i] = percent(num, den) if num is not None and den is not None else None
    return out


def _is_ratio(column: Column) -> bool:
    from .engine import Ratio  # engine imports this module: its classes, once both are loaded

    return isinstance(column.total, Ratio)


def compute_totals(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> tuple[Any, ...]:
    """The totals row: the sum of every ``total="sum"`` column, ratios of those sums."""
    return tuple(_combine(columns, rows, lambda c: c.total == "sum"))


def label_index(columns: Sequence[Column]) -> int:
    """The column that names a row: the first text column that is not a code."""
    for i, c in enumerate(columns):
        if c.numeric:
            break
        if c.key != "code":
            return i
    return 0


def _others_summed(column: Column) -> bool:
    return column.numeric and not _is_ratio(column) and column.total == "sum"


def fold_top(columns: Sequence[Column], rows: Sequence[tuple[Any, ...]], rank_by: str,
             top: int, *, ranked: bool = False,
             totals: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
    """The ``top`` rows by ``rank_by`` (largest first), then one "others" row holding the
    rest (its sums added, its ratios recomputed), so the totals do not change.

    ``ranked``: the rows are largest first already. ``totals``: the exact sums of all the rows
    (a report that adds them up itself); the "others" row is then the totals less the top
    rows, and the rest are never read (45,000 customers' rows are made as they are read)."""
    if ranked:
        head = list(rows[:top])
        if len(head) == len(rows):
            return head
    else:
        i = [c.key for c in columns].index(rank_by)
        ordered = sorted(rows, key=lambda r: (r[i] is None, -(r[i] or 0)))
        if len(ordered) <= top:
            return ordered
        head = ordered[:top]
    rest = len(rows) - top
    if totals is not None:
        others: list[Any] = [None] * len(columns)
        for i, c in enumerate(columns):
            if _others_summed(c) and totals[i] is not None:
                others[i] = totals[i] - sum([r[i] for r in head if r[i] is not None],
                                            _zero(c))
        others = _with_ratios(columns, others)
    else:
        others = _combine(columns, ordered[top:], _others_summed)
    others[label_index(columns)] = _("(others: {n})").format(n=rest)
    return head + [tuple(others)]
