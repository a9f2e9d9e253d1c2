"""Lists owned by the data layer: each list of the app is defined once, here and in its domain.

A ``ListDef`` holds everything about one list that is not how it looks: its columns (what to
select, with their titles and default widths), the query behind it (joins, the actor's row
scope, the list's own options such as a customer group or "open orders only"), its quick
search, the columns a custom filter may use, the date a date range applies to, the sort keys
it offers (each served by an index) and the default order. The list screen, its export, its
print preview and ``tuicrm export`` all read the same definition.

What the user chose is a ``ListRequest``: plain values (the search text, a ``CustomFilter``, a
``DateRange``, the sort column, the list's options). ``open_list(actor, LIST, request)`` checks
the permission and returns a ``PagedQuery``: pages of plain ``Row``s by keyset, instant at a
million rows. Screens and widgets never see a peewee expression.

    from tuicrm.data.lists.view import ListRequest, open_list
    from tuicrm.data.parties.lists import SUPPLIERS

    pager = open_list(actor, SUPPLIERS, ListRequest(search="华兴", sort=("name", False)))
    first_page = pager.first(50)          # [Row(id, key, values), ...]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import peewee

from ...i18n import N_, _
from ..core.actor import Actor
from ..core.errors import ValidationError
from ..core.permissions import allowed, require_active, require_any
from .columns import Column
from .deferred import DeferredPager
from .filters import (
    PRESETS,
    CustomFilter,
    FilterColumn,
    date_range,
    date_where,
    filter_where,
)
from .keyset import models_in
from .paging import PagedQuery

PRESET_LABELS = {  # message ids: translated where shown
    "all": N_("All dates"),
    "today": N_("Today"),
    "this_week": N_("This week"),
    "this_month": N_("This month"),
    "custom": N_("Custom from - to"),
}


@dataclass(frozen=True)
class DateRange:
    """A date range as the user chose it (L3): a preset, or ``custom`` with from / to as typed
    (``YYYY-MM-DD``, both inclusive, either may be blank)."""

    preset: str = "all"
    start: str = ""
    end: str = ""

    def describe(self, label: str = "") -> str:
        """``Created: today`` for the status line, in the user's language (``label``: the
        date column's label, a message id)."""
        if self.preset == "all":
            return ""
        if self.preset == "custom":
            text = _("{start} to {end}").format(start=self.start or "...", end=self.end or "...")
        else:
            text = _(PRESET_LABELS.get(self.preset, self.preset)).lower()
        return f"{_(label)}: {text}" if label else text

    def check(self) -> DateRange:
        """This range, normalised (typing dates means ``custom``); ``ValidationError`` with the
        key ``start`` or ``end`` when a date is wrong or the end is before the start."""
        preset, start, end = self.preset or "all", self.start.strip(), self.end.strip()
        if preset != "custom" and (start or end):
            preset = "custom"
        if preset not in PRESETS:
            raise ValidationError({"preset": _("one of {join}").format(join=', '.join(PRESETS))})
        try:
            date_range(preset, None, start or None, end or None)
        except ValidationError as e:
            msg = e.errors.get("range", str(e))
            raise ValidationError({"end" if "end" in msg and end else "start": msg}) from None
        return DateRange(preset, start, end)


@dataclass(frozen=True)
class ListRequest:
    """What the user asked of a list: all plain values, safe to keep on a screen."""

    search: str = ""
    filter: CustomFilter | None = None
    dates: DateRange | None = None
    sort: tuple[str, bool] | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


# (actor, options) -> the unordered query with its joins, the actor's scope and the options.
QueryBuilder = Callable[[Actor, Mapping[str, Any]], "peewee.ModelSelect[Any]"]
# The quick search (L1) as a WHERE (None: the text asks for nothing).
SearchBuilder = Callable[[str], Any]
# A list that pages its own way (the customers' full-text search), given the query narrowed
# by everything but the search, its lean twin (or None), the actor's columns and the sort.
PagerBuilder = Callable[
    ["ListDef", Actor, "ListRequest", "peewee.ModelSelect[Any]", "peewee.ModelSelect[Any] | None",
     list[Column], tuple[str, bool]],
    "PagedQuery | DeferredPager",
]


@dataclass(frozen=True)
class ListDef:
    """One list (see the module docstring). ``columns`` name every column the list can show;
    a column with ``sortable=False`` is not offered as a sort key (no index serves it)."""

    name: str  # "customers": the export's default file name and the column preferences' key
    title: str
    # Any one of them lets the actor read the list; None: any active user (their own reminders).
    permission: str | tuple[str, ...] | None
    columns: tuple[Column, ...]
    query: QueryBuilder = field(repr=False)
    search: SearchBuilder | None = field(default=None, repr=False)
    filters: Mapping[str, FilterColumn] = field(default_factory=dict, repr=False)
    date: FilterColumn | None = field(default=None, repr=False)  # label + expression
    default_sort: tuple[str, bool] = ("name", False)
    default_visible: tuple[str, ...] | None = None
    search_hint: str = N_("type to search (/)")
    pager: PagerBuilder | None = field(default=None, repr=False)
    # The same rows from the listed table alone (no joins that only add columns), to count
    # with: a count of 1M customers through their group join reads the whole table.
    lean: QueryBuilder | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"list {self.name}: duplicate column names")
        if self.default_sort[0] not in names:  # it may be an internal column
            raise ValueError(f"list {self.name}: no column {self.default_sort[0]!r} to sort by")
        for name in self.default_visible or ():
            if name not in names:
                raise ValueError(f"list {self.name}: no column {name!r} to show")

    @property
    def pref_key(self) -> str:
        return f"list.{self.name}"

    @property
    def permissions(self) -> tuple[str, ...]:
        p = self.permission
        return () if p is None else (p,) if isinstance(p, str) else tuple(p)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"list {self.name} has no column {name!r}")

    @property
    def sort_keys(self) -> list[str]:
        """The columns offered as sort keys (each served by an index: a test proves it)."""
        return [c.name for c in self.columns if c.sortable and not c.internal]

    def sort_for(self, wanted: tuple[str, bool] | None) -> tuple[str, bool]:
        """``wanted`` if this list offers it, else the default order."""
        if wanted is not None and wanted[0] in self.sort_keys:
            return (wanted[0], bool(wanted[1]))
        return self.default_sort


LISTS: dict[str, ListDef] = {}


def define(listdef: ListDef) -> ListDef:
    """Register a list (by name, for ``tuicrm export`` and the tests that walk every list)."""
    if listdef.name in LISTS:
        raise ValueError(f"list {listdef.name!r} defined twice")
    LISTS[listdef.name] = listdef
    return listdef


def columns_for(actor: Actor, listdef: ListDef) -> list[Column]:
    """The columns of ``listdef`` that ``actor`` may see (internal ones included)."""
    return [c for c in listdef.columns if c.permission is None or allowed(actor, c.permission)]


def shown_columns(actor: Actor, listdef: ListDef) -> list[Column]:
    """The columns ``actor`` may choose to show: ``columns_for`` less the internal ones."""
    return [c for c in columns_for(actor, listdef) if not c.internal]


def filters_for(actor: Actor, listdef: ListDef) -> dict[str, FilterColumn]:
    """The custom-filter columns of ``listdef`` that ``actor`` may use."""
    return {name: f for name, f in listdef.filters.items()
            if f.permission is None or allowed(actor, f.permission)}


def check_filter(actor: Actor, listdef: ListDef, chosen: CustomFilter) -> None:
    """``ValidationError`` (keys ``column``, ``first``, ``second``, ``join``) unless the
    filter can run on this list for ``actor``."""
    filter_where(filters_for(actor, listdef), chosen)


def _conditions(actor: Actor, listdef: ListDef, request: ListRequest,
                with_search: bool) -> list[Any]:
    """The request's search, filter and date range as conditions on the list's query."""
    conditions = []
    text = request.search.strip()
    if with_search and text and listdef.search is not None:
        conditions.append(listdef.search(text))
    if request.filter is not None:
        conditions.append(filter_where(filters_for(actor, listdef), request.filter))
    if request.dates is not None and listdef.date is not None:
        d = request.dates.check()
        conditions.append(date_where(listdef.date.expr, d.preset, None, d.start or None,
                                     d.end or None))
    return [c for c in conditions if c is not None]


def _narrow(query: peewee.ModelSelect[Any], conditions: list[Any]) -> peewee.ModelSelect[Any]:
    for cond in conditions:
        query = query.where(cond)
    return query


def narrowed(actor: Actor, listdef: ListDef, request: ListRequest,
             *, with_search: bool = True) -> peewee.ModelSelect[Any]:
    """The list's query with the request's search, filter and date range applied (after the
    permission check)."""
    if listdef.permissions:
        require_any(actor, listdef.permissions)
    else:
        require_active(actor)
    query = listdef.query(actor, request.options)
    return _narrow(query, _conditions(actor, listdef, request, with_search))


def _lean(actor: Actor, listdef: ListDef, request: ListRequest,
          with_search: bool) -> peewee.ModelSelect[Any] | None:
    """The lean twin of ``narrowed`` to count with, when every condition is on the listed
    table (else None: counting needs the joins)."""
    if listdef.lean is None:
        return None
    conditions = _conditions(actor, listdef, request, with_search)
    lean = listdef.lean(actor, request.options)
    used: set[Any] = set()
    if not all(models_in(c, used) for c in conditions) or not used <= {lean.model}:
        return None
    return _narrow(lean, conditions)


def open_list(actor: Actor, listdef: ListDef,
              request: ListRequest | None = None) -> PagedQuery | DeferredPager:
    """The list as ``request`` asks, for ``actor``: ``PermissionDenied`` without the list's
    permission; ``ValidationError`` for a filter or date range that cannot run. A list with its
    own ``pager`` may come back deferred (``DeferredPager``: its first read builds it)."""
    request = request or ListRequest()
    sort = listdef.sort_for(request.sort)
    columns = columns_for(actor, listdef)
    if sort[0] not in {c.name for c in columns}:
        sort = listdef.default_sort
    if listdef.pager is not None:
        base = narrowed(actor, listdef, request, with_search=False)
        lean = _lean(actor, listdef, request, with_search=False)
        return listdef.pager(listdef, actor, request, base, lean, columns, sort)
    return PagedQuery(narrowed(actor, listdef, request), columns, sort=[sort],
                      count_query=_lean(actor, listdef, request, with_search=True))


def open_paged(actor: Actor, listdef: ListDef,
               request: ListRequest | None = None) -> PagedQuery:
    """``open_list``, built now where it was deferred (for callers that read it at once)."""
    pager = open_list(actor, listdef, request)
    return pager.resolved() if isinstance(pager, DeferredPager) else pager


def visible_columns(listdef: ListDef, names: Sequence[str] | None) -> list[Column]:
    """The list's columns named in ``names`` (in that order), or its default ones."""
    wanted = list(names) if names else list(listdef.default_visible or [c.name for c in
                                                                           listdef.columns])
    by_name = {c.name: c for c in listdef.columns}
    return [by_name[n] for n in wanted if n in by_name]


__all__ = [
    "LISTS",
    "PRESET_LABELS",
    "DateRange",
    "ListDef",
    "ListRequest",
    "check_filter",
    "columns_for",
    "define",
    "filters_for",
    "narrowed",
    "open_list",
    "open_paged",
    "shown_columns",
    "visible_columns",
]
