"""Keyset conditions: the WHERE clause that puts a row after (or before) a position key in a
list's order, so that ``paging.PagedQuery`` finds a page without OFFSET.

A key holds the raw database value of each sort term, the primary key last. Mixed directions
and NULLs cannot be written as one row-value comparison, so the condition is built from runs:
consecutive sort terms that share a direction and hold no NULL become one row value; the others
are compared one by one (``a > ? OR (a = ? AND (b, id) < (?, ?))``).

``models_in`` tells which tables a condition or sort term reads, so that a count can leave out
the joins when none of them is needed (``PagedQuery``'s ``count_query``, a list's lean twin).

Pure functions of the sort terms and a key, kept apart from the pager (``paging.py``) that runs
the queries and holds their state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee
from peewee import SQL, Field, Function, Tuple, Value


@dataclass(frozen=True)
class SortTerm:
    """One term of a list's total order: what is sorted on, which way, and whether it can be
    NULL (a NULL value cannot join a row-value comparison)."""

    expr: Any
    desc: bool
    nullable: bool


def after_key(
    terms: Sequence[SortTerm],
    key: Sequence[Any],
    *,
    nulls_low: bool,
    reverse: bool,
    inclusive: bool = False,
) -> Any:
    """The condition "strictly after ``key``" in the order of ``terms`` (reversed: "before");
    ``inclusive`` also admits the row at ``key`` itself. ``nulls_low``: NULL sorts below every
    value."""
    if len(key) != len(terms):
        raise ValueError(f"a key of this query has {len(terms)} values, got {len(key)}")
    # Group the terms into runs that one row-value comparison can express.
    groups: list[list[tuple[SortTerm, bool, Any]]] = []
    for term, value in zip(terms, key, strict=True):
        desc = term.desc != reverse
        nulls_first = nulls_low != desc
        simple = value is not None and (nulls_first or not term.nullable)
        item = (term, desc, value)
        if (
            simple
            and groups
            and groups[-1][0][1] == desc
            and _group_is_simple(groups[-1], nulls_low)
        ):
            groups[-1].append(item)
        else:
            groups.append([item])
    # Nested from the last group: after(G1) OR (eq(G1) AND (after(G2) OR (eq(G2) AND ...)))
    cond: Any = None
    for group in reversed(groups):
        # The last group always holds the primary key, never NULL: a simple group.
        after = _group_after(group, nulls_low, inclusive and cond is None)
        if cond is None:
            cond = after
            continue
        eq = _group_equal(group)
        inner = eq & cond
        cond = inner if after is None else (after | inner)
    if cond is None:  # cannot happen: the primary key is never NULL
        return SQL("1 = 0")
    if len(groups) > 1:
        # A redundant range on the first term lets the engine seek an index on it.
        lead = _at_or_after(*groups[0][0], nulls_low)
        if lead is not None:
            cond = lead & cond
    return cond


_LITERALS = (str, int, float, bool, bytes, Decimal, dt.date, dt.time, dt.timedelta)


def models_in(node: Any, out: set[Any]) -> bool:
    """Collect the models whose fields ``node`` uses; False if it holds something opaque
    (raw SQL, a subquery, a table column) that could use any table."""
    if node is None or isinstance(node, _LITERALS):
        return True
    if isinstance(node, (list, tuple, set, frozenset)):
        return all(models_in(n, out) for n in node)
    if isinstance(node, Field):
        out.add(node.model)
        return True
    if isinstance(node, Value):
        return models_in(node.value, out)
    if isinstance(node, peewee.Expression):
        return models_in(node.lhs, out) and models_in(node.rhs, out)
    if isinstance(node, peewee.NodeList):
        return models_in(node.nodes, out)
    if isinstance(node, Function):
        return models_in(node.arguments, out)
    if isinstance(node, peewee.WrappedNode):
        return models_in(node.node, out)
    if isinstance(node, peewee.Case):
        return (
            models_in(node.predicate, out)
            and all(models_in(list(pair), out) for pair in node.expression_tuples)
            and models_in(node.default, out)
        )
    return False


def _raw(value: Any) -> Value:
    # converter=False: the value is already what the database stores; a field's db_value
    # (cents for money, say) must not be applied a second time.
    return Value(value, converter=False)


def _group_is_simple(group: list[tuple[SortTerm, bool, Any]], nulls_low: bool) -> bool:
    for term, desc, value in group:
        if value is None or (term.nullable and nulls_low == desc):
            return False
    return True


def _group_after(
    group: list[tuple[SortTerm, bool, Any]], nulls_low: bool, inclusive: bool = False
) -> Any:
    """Rows strictly after the group's values (None: no row can be); ``inclusive`` (only for a
    simple group) admits equal values too."""
    if len(group) > 1:  # a row value: all simple, one direction
        desc = group[0][1]
        lhs = Tuple(*(t.expr for t, _, _ in group))
        rhs = Tuple(*(_raw(v) for _, _, v in group))
        if inclusive:
            return (lhs <= rhs) if desc else (lhs >= rhs)
        return (lhs < rhs) if desc else (lhs > rhs)
    term, desc, value = group[0]
    if inclusive and value is not None:
        return (term.expr <= _raw(value)) if desc else (term.expr >= _raw(value))
    expr = term.expr
    nulls_first = nulls_low != desc
    if value is None:
        return expr.is_null(False) if nulls_first else None
    cmp = (expr < _raw(value)) if desc else (expr > _raw(value))
    if not nulls_first and term.nullable:
        return cmp | expr.is_null()
    return cmp


def _group_equal(group: list[tuple[SortTerm, bool, Any]]) -> Any:
    cond: Any = None
    for term, _desc, value in group:
        part = term.expr.is_null() if value is None else (term.expr == _raw(value))
        cond = part if cond is None else (cond & part)
    return cond


def _at_or_after(term: SortTerm, desc: bool, value: Any, nulls_low: bool) -> Any:
    expr = term.expr
    nulls_first = nulls_low != desc
    if value is None:
        return None if nulls_first else expr.is_null()
    cmp = (expr <= _raw(value)) if desc else (expr >= _raw(value))
    if not nulls_first and term.nullable:
        return cmp | expr.is_null()
    return cmp



__all__ = ["SortTerm", "after_key", "models_in"]
