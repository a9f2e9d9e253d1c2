"""Custom filters (L2) and date ranges (L3) as peewee WHERE expressions. Pure functions;
each list declares its filter columns beside its ``ListDef``.

A custom filter is one column and one or two conditions joined by AND / OR::

    CustomFilter("credit_limit", Condition(">=", "1000"), "and", Condition("<", "5000"))
    CustomFilter("name", Condition("like", "张%"), "or", Condition("like", "%公司"))

Operators: ``=  !=  <  >  <=  >=`` and ``like``. The value is typed by the column: money and
numbers are parsed exactly (``Decimal``), dates as ``YYYY-MM-DD``, text as it is.

``like`` syntax (what the user types): ``%`` matches any run of characters, ``_`` exactly one;
``\\%``, ``\\_`` and ``\\\\`` stand for a literal ``%``, ``_`` and backslash. So ``50\\%`` finds
"50%" and not "500". ``like`` ignores the case of Latin letters (ILIKE on PostgreSQL).

Values never enter the SQL text: they are always bound parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import SQL, NodeList, Value

from ...i18n import _
from ..core import clock
from ..core import db as dbmod
from ..core.errors import ValidationError
from ..core.money import money, parse_decimal

OPERATORS = ("=", "!=", "<", ">", "<=", ">=", "like")
JOINS = ("and", "or")
KINDS = ("text", "int", "number", "money", "date", "datetime", "bool")
ESCAPE = "\\"


# -- LIKE patterns ----------------------------------------------------------------------------


def like_pattern(user_text: str) -> str:
    """The user's pattern (``%``, ``_`` wildcards, ``\\`` escapes) as a SQL LIKE pattern
    whose escape character is a backslash."""
    out: list[str] = []
    text = str(user_text)
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == ESCAPE:
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt in ("%", "_", ESCAPE):
                out.append(ESCAPE + nxt)
                i += 2
                continue
            out.append(ESCAPE + ESCAPE)  # a lone backslash is itself
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def escape_like(text: str) -> str:
    """``text`` taken literally inside a LIKE pattern (escape character backslash)."""
    return (
        str(text).replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    )


def contains_pattern(text: str) -> str:
    return f"%{escape_like(text)}%"


def spelt_pattern(text: str) -> str:
    """The LIKE pattern for ``text`` on a ``pinyin`` column (``"<full> <initials>"``, see
    ``core.pinyin``): from 3 characters anywhere, below that in the initials only."""
    t = (text or "").strip()
    return contains_pattern(t) if len(t) >= 3 else "% " + contains_pattern(t)


def ilike(expr: Any, pattern: str) -> Any:
    """``expr LIKE pattern ESCAPE '\\'``, ignoring Latin case on both engines."""
    op = "LIKE" if dbmod.is_sqlite() else "ILIKE"
    return NodeList((expr, SQL(op), Value(pattern), SQL(f"ESCAPE '{ESCAPE}'")), parens=True)


# -- columns and values -----------------------------------------------------------------------


@dataclass(frozen=True)
class FilterColumn:
    """A column the user can filter on: its key, label, peewee expression and value kind;
    ``permission`` keeps it from actors without it (cost prices)."""

    name: str
    label: str
    expr: Any
    kind: str = "text"
    permission: str | None = None


def filter_columns(*cols: FilterColumn) -> dict[str, FilterColumn]:
    """The columns of one list, by key (what ``custom_where`` and the filter bar look up)."""
    return {c.name: c for c in cols}


def parse_value(kind: str, text: Any) -> Any:
    """The typed value of ``text`` for a column of ``kind``; ``ValueError`` if it is not one."""
    s = str(text if text is not None else "").strip()
    if kind == "text":
        return str(text if text is not None else "")
    if kind == "money":
        return money(s)
    if kind == "number":
        return parse_decimal(s)
    if kind == "int":
        d = parse_decimal(s, "whole number")
        if d != d.to_integral_value():
            raise ValueError(_("not a whole number: {s!r}").format(s=s))
        return int(d)
    if kind in ("date", "datetime"):
        try:
            return dt.date.fromisoformat(s)
        except ValueError:
            raise ValueError(_("not a date (YYYY-MM-DD): {s!r}").format(s=s)) from None
    if kind == "bool":
        low = s.lower()
        if low in ("1", "yes", "y", "true", "是"):
            return True
        if low in ("0", "no", "n", "false", "否"):
            return False
        raise ValueError(_("not yes or no: {s!r}").format(s=s))
    raise ValueError(_("unknown column kind {kind!r}").format(kind=kind))


# -- conditions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    op: str
    value: str


@dataclass(frozen=True)
class CustomFilter:
    column: str
    first: Condition
    join: str = "and"
    second: Condition | None = None


def _start(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time())


def condition_where(column: FilterColumn, cond: Condition) -> Any:
    """One condition on one column as a WHERE expression (``ValueError`` if it is wrong)."""
    op = (cond.op or "").strip().lower()
    if op not in OPERATORS:
        raise ValueError(_("unknown operator {op!r}; one of {join}").format(
                           op=cond.op,
                           join=' '.join(OPERATORS)))
    e = column.expr
    if op == "like":
        if column.kind != "text":
            raise ValueError(_("'like' works on text columns; use = < > for numbers and dates"))
        return ilike(e, like_pattern(cond.value))
    value = parse_value(column.kind, cond.value)
    if column.kind == "datetime":
        # A day on a date-and-time column is the whole day: [d 00:00, d+1 00:00).
        lo, hi = _start(value), _start(value + dt.timedelta(days=1))
        return {
            "=": (e >= lo) & (e < hi),
            "!=": (e < lo) | (e >= hi),
            "<": e < lo,
            "<=": e < hi,
            ">": e >= hi,
            ">=": e >= lo,
        }[op]
    return {
        "=": e == value,
        "!=": e != value,
        "<": e < value,
        ">": e > value,
        "<=": e <= value,
        ">=": e >= value,
    }[op]


def filter_where(columns: dict[str, FilterColumn], f: CustomFilter) -> Any:
    """The custom filter as a WHERE expression; ``ValidationError`` naming what is wrong
    (keys ``column``, ``first``, ``second``, ``join``)."""
    col = columns.get(f.column)
    if col is None:
        raise ValidationError({"column": _("no column {column!r} to filter on").format(
                                           column=f.column)})
    join = (f.join or "and").strip().lower()
    if join not in JOINS:
        raise ValidationError({"join": _("AND or OR")})
    errors: dict[str, str] = {}
    parts = []
    for key, cond in (("first", f.first), ("second", f.second)):
        if cond is None:
            continue
        try:
            parts.append(condition_where(col, cond))
        except ValueError as e:
            errors[key] = str(e)
    if errors:
        raise ValidationError(errors)
    if len(parts) == 1:
        return parts[0]
    return (parts[0] & parts[1]) if join == "and" else (parts[0] | parts[1])


# -- date ranges (L3) -------------------------------------------------------------------------

PRESETS = ("today", "this_week", "this_month", "custom", "all")


def date_range(
    preset: str,
    today: dt.date | None = None,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
) -> tuple[dt.date | None, dt.date | None]:
    """``(first day, day after the last)`` of a preset; ``(None, None)`` for ``all``.

    Weeks start on Monday. ``custom`` takes ``start`` and/or ``end`` (both inclusive).
    """
    today = today or clock.today()
    if preset == "all":
        return None, None
    if preset == "today":
        return today, today + dt.timedelta(days=1)
    if preset == "this_week":
        monday = today - dt.timedelta(days=today.weekday())
        return monday, monday + dt.timedelta(days=7)
    if preset == "this_month":
        first = today.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return first, nxt
    if preset == "custom":
        try:
            lo = _day(start)
            hi = _day(end)
        except ValueError as e:
            raise ValidationError({"range": str(e)}) from None
        if lo and hi and hi < lo:
            raise ValidationError({"range": _("the end is before the start")})
        return lo, (hi + dt.timedelta(days=1)) if hi else None
    raise ValidationError({"range": _("unknown range {preset!r}; one of {join}").format(
                                      preset=preset,
                                      join=', '.join(PRESETS))})


def _day(value: dt.date | str | None) -> dt.date | None:
    """A day typed (``YYYY-MM-DD``) or given; None for blank."""
    if isinstance(value, str):
        if not value.strip():
            return None
        day: dt.date = parse_value("date", value)
        return day
    return value or None


def date_where(expr: Any, preset: str, today: dt.date | None = None,
               start: dt.date | str | None = None, end: dt.date | str | None = None) -> Any:
    """The preset as a WHERE on a date or date-time column ``expr``; None for ``all``."""
    lo, hi = date_range(preset, today, start, end)
    is_dt = getattr(expr, "field_type", "") in ("DATETIME", "TIMESTAMP")
    conv = _start if is_dt else (lambda d: d)
    cond = None
    if lo is not None:
        cond = expr >= conv(lo)
    if hi is not None:
        c = expr < conv(hi)
        cond = c if cond is None else cond & c
    return cond


__all__ = [
    "Condition", "CustomFilter", "FilterColumn",
    "OPERATORS", "PRESETS", "condition_where", "contains_pattern",
    "date_range", "date_where", "escape_like", "filter_where", "ilike", "like_pattern",
    "parse_value",
]

