"""Keyset pagination over a peewee query: what every list screen pages through.

A list of a million customers must open and scroll instantly (L7). ``OFFSET`` costs time in
proportion to how far in the page is (23-36 ms in the middle of 1M rows), so a page is found
by its *key* instead: the sort values of the row next to it plus the primary key, which is
always appended as the tie-breaker so that every row has exactly one place in the order::

    SELECT ... WHERE <filters> AND (name, id) > (?, ?) ORDER BY name, id LIMIT 50

Mixed directions and NULLs cannot be written as one row-value comparison; ``keyset.py`` builds
the condition from runs of terms that can be. NULLs sort where the engine puts them natively,
so an index on the sort column still serves the ``ORDER BY``: lowest on SQLite (first when
ascending), highest on PostgreSQL.

Keys are the raw database values (never converted by a field's ``python_value``), so they go
back into the query exactly as stored. Display values are converted per column.

What a list selects and how it shows it (``Column``) and the rows a page holds (``Row``) are in
``columns.py``. No Textual here: the widget that shows these pages lives in
``tuicrm/widgets/record_table.py``.

Usage::

    from peewee import JOIN
    from tuicrm.data.models import Customer, CustomerGroup
    from tuicrm.data.lists.columns import Column
    from tuicrm.data.lists.paging import PagedQuery

    query = Customer.select().join(CustomerGroup, JOIN.LEFT_OUTER)
    columns = [
        Column("code", Customer.code, "Code", width=10),
        Column("name", Customer.name, "Name"),
        Column("group", CustomerGroup.name, "Group"),
        Column("credit", Customer.credit_limit, "Credit limit"),
    ]
    pq = PagedQuery(query, columns, sort=[("name", False)])
    page = pq.first(50)            # list[Row]; Row.id, Row.key, Row.values
    more = pq.after(page[-1].key, 50)
    pq.count(), pq.position(more[0].key)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import peewee
from peewee import Field

from ..core.kept import Kept
from .columns import Column, Row, unwrap
from .keyset import SortTerm, after_key, models_in

# A sort as asked: ``(column name or expression, descending)`` per term.
SortSpec = Sequence[tuple[Any, bool]]


class PagedQuery:
    """A peewee ``ModelSelect`` read one page at a time, in a fixed total order.

    ``sort`` is a list of ``(column name or expression, descending)``; the model's primary key
    is appended as the last tie-breaker, in the direction of the last sort term (so that
    ``ORDER BY name DESC, id DESC`` can walk the ``name`` index backwards). The query keeps its
    joins and WHERE clauses; its own selection, order, LIMIT and OFFSET are replaced.

    ``first``, ``last``, ``after`` and ``before`` return rows in display order and never use
    OFFSET. ``count`` and ``position`` count rows, so they cost time in proportion to the
    table: call them off the UI thread. Instances are immutable; ``with_sort``/``with_query``
    make new ones.
    """

    # True when a search matched so many rows that they are listed in the order added
    # instead of the chosen sort (the customers' full-text search); the screen says so.
    broad: bool = False

    def __init__(
        self,
        query: peewee.ModelSelect[Any],
        columns: Sequence[Column],
        sort: SortSpec = (),
        *,
        nulls_low: bool | None = None,
        count_query: peewee.ModelSelect[Any] | None = None,
    ) -> None:
        """``nulls_low``: None follows the engine (SQLite: NULL lowest, PostgreSQL: highest);
        True/False forces NULL to sort lowest/highest with explicit NULLS FIRST/LAST.

        ``count_query``: the same rows selected from the listed table alone, without the
        joins that only add columns (LEFT OUTER JOINs on the joined table's key), for counts
        and positions. It matters: SQLite does not drop such a join by itself, and with it a
        count reads every table row instead of one index (``position`` at the end of 1M
        customers: 2.1 s with the join, 0.13 s without)."""
        self.query = query
        self.count_query = count_query
        self.model = query.model
        self.pk = self.model._meta.primary_key
        if not isinstance(self.pk, Field) or isinstance(self.pk, peewee.CompositeKey):
            raise ValueError(f"{self.model.__name__}: paging needs a single-column primary key")
        self.columns: tuple[Column, ...] = tuple(columns)
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate column names in {names}")
        self._by_name = {c.name: c for c in self.columns}
        self.sort: tuple[tuple[Any, bool], ...] = tuple((s, bool(d)) for s, d in sort)
        self._nulls_low_override = nulls_low
        self._terms = self._sort_terms()
        self._build_select()

    # ..................................................................... construction

    @property
    def database(self) -> peewee.Database:
        db: peewee.Database = self.model._meta.database
        return db

    @property
    def nulls_low(self) -> bool:
        """Whether NULL sorts below every value (SQLite, MySQL) or above (PostgreSQL)."""
        if self._nulls_low_override is not None:
            return self._nulls_low_override
        db = self.database
        db = getattr(db, "obj", db)  # a DatabaseProxy
        return not isinstance(db, peewee.PostgresqlDatabase)

    def column(self, name: str) -> Column:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no column {name!r}; columns are {list(self._by_name)}") from None

    def _is_nullable(self, expr: Any, declared: bool | None) -> bool:
        if declared is not None:
            return declared
        node = unwrap(expr)
        if isinstance(node, Field) and node.model is self.model:
            return bool(node.null) and node is not self.pk
        return True

    def _sort_terms(self) -> tuple[SortTerm, ...]:
        terms: list[SortTerm] = []
        for spec, desc in self.sort:
            if isinstance(spec, str):
                col = self.column(spec)
                expr = col.sort_expr if col.sort_expr is not None else col.expr
                nullable = self._is_nullable(expr, col.nullable)
            else:
                expr = spec
                nullable = self._is_nullable(expr, None)
            terms.append(SortTerm(expr, desc, nullable))
            if unwrap(expr) is self.pk:
                return tuple(terms)  # unique: anything after it cannot matter
        last_desc = terms[-1].desc if terms else False
        terms.append(SortTerm(self.pk, last_desc, False))
        return tuple(terms)

    def _build_select(self) -> None:
        exprs: list[Any] = []
        slot_of: dict[int, int] = {}

        def slot(expr: Any) -> int:
            ident = id(expr)
            if ident not in slot_of:
                slot_of[ident] = len(exprs)
                exprs.append(expr)
            return slot_of[ident]

        self._value_slots = [slot(c.expr) for c in self.columns]
        self._converters = [c.convert for c in self.columns]
        self._key_slots = [slot(t.expr) for t in self._terms]
        self._id_slot = slot(self.pk)
        self._select_exprs = exprs
        self._base = self.query.clone().select(*exprs).limit(None).offset(None)

    def with_sort(self, sort: SortSpec) -> PagedQuery:
        """The same query and columns in another order."""
        return PagedQuery(self.query, self.columns, sort, nulls_low=self._nulls_low_override,
                          count_query=self.count_query)

    def with_query(self, query: peewee.ModelSelect[Any]) -> PagedQuery:
        """Another query (e.g. with a search filter) with the same columns and order."""
        return PagedQuery(query, self.columns, self.sort, nulls_low=self._nulls_low_override)

    def with_columns(self, columns: Sequence[Column]) -> PagedQuery:
        return PagedQuery(self.query, columns, self.sort, nulls_low=self._nulls_low_override,
                          count_query=self.count_query)

    @property
    def sort_columns(self) -> list[tuple[str, bool]]:
        """The sort terms given by column name, e.g. ``[("name", False)]``."""
        return [(s, d) for s, d in self.sort if isinstance(s, str)]

    # ..................................................................... ordering

    def _ordering(self, reverse: bool) -> list[Any]:
        # With the engine's own NULL placement no NULLS clause is written, so an index on the
        # sort column serves the ORDER BY. An explicit ``nulls_low`` asks for NULLS FIRST/LAST.
        explicit = self._nulls_low_override is not None
        nulls_low = self.nulls_low
        out = []
        for t in self._terms:
            desc = t.desc != reverse
            nulls = None
            if explicit and t.nullable:
                nulls = "first" if nulls_low != desc else "last"
            out.append(t.expr.desc(nulls=nulls) if desc else t.expr.asc(nulls=nulls))
        return out

    def _after(self, key: Sequence[Any], reverse: bool, inclusive: bool = False) -> Any:
        """The condition "strictly after ``key``" in the order (reversed: "before");
        ``inclusive`` also admits the row at ``key`` itself."""
        return after_key(self._terms, key, nulls_low=self.nulls_low, reverse=reverse,
                         inclusive=inclusive)

    # ..................................................................... fetching

    def _run(self, query: Any) -> list[Row]:
        cursor = self.database.execute(query)
        rows = cursor.fetchall()
        value_slots = self._value_slots
        converters = self._converters
        key_slots = self._key_slots
        id_slot = self._id_slot
        out = []
        for raw in rows:
            values = tuple(
                raw[s] if conv is None or raw[s] is None else conv(raw[s])
                for s, conv in zip(value_slots, converters, strict=True)
            )
            out.append(Row(raw[id_slot], tuple(raw[s] for s in key_slots), values))
        return out

    def _page(self, key: Sequence[Any] | None, n: int, reverse: bool) -> list[Row]:
        if n <= 0:
            return []
        q = self._base.order_by(*self._ordering(reverse)).limit(int(n))
        if key is not None:
            q = q.where(self._after(key, reverse))
        rows = self._run(q)
        if reverse:
            rows.reverse()
        return rows

    def first(self, n: int) -> list[Row]:
        """The first ``n`` rows."""
        return self._page(None, n, reverse=False)

    def last(self, n: int) -> list[Row]:
        """The last ``n`` rows, in display order."""
        return self._page(None, n, reverse=True)

    def after(self, key: Sequence[Any], n: int) -> list[Row]:
        """Up to ``n`` rows following the row with ``key``."""
        return self._page(key, n, reverse=False)

    def before(self, key: Sequence[Any], n: int) -> list[Row]:
        """Up to ``n`` rows preceding the row with ``key``, in display order."""
        return self._page(key, n, reverse=True)

    def get(self, row_id: Any) -> Row | None:
        """The row with primary key ``row_id`` if the query (with its filters) holds it."""
        rows = self._run(self._base.where(self.pk == row_id).limit(1))
        return rows[0] if rows else None

    def around(
        self, key: Sequence[Any], n_before: int, n_after: int
    ) -> tuple[list[Row], list[Row]]:
        """``(up to n_before rows before key, up to n_after + 1 rows from key on)``: the
        second list starts with the row at ``key`` if it still exists, else with the row that
        now takes its place."""
        before = self.before(key, n_before)
        after = self._run(
            self._base.order_by(*self._ordering(False))
            .where(self._after(key, False, inclusive=True))
            .limit(int(n_after) + 1)
        )
        return before, after

    def existing_ids(self, ids: Iterable[Any]) -> set[Any]:
        """Which of ``ids`` the query (with its filters) still holds."""
        wanted = list(ids)
        found: set[Any] = set()
        pk: Any = self.pk
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            q = (self.query.clone().select(pk).where(pk.in_(chunk))
                 .limit(None).offset(None).order_by())
            found.update(row[0] for row in q.tuples().iterator())
        return found

    def count(self) -> int:
        """How many rows the query holds (a full count: run it in a worker). A count of
        ``kept.KEEP_FROM`` rows or more is kept a minute (``core.kept``): shown at every
        open of a list, it was a scan of 500k-1M index entries each time."""
        sql, params = self._counting_query(False).order_by().sql()
        return _kept_counts.read((sql, tuple(params)), lambda: self._count(None), int)

    def position(self, key: Sequence[Any]) -> int:
        """How many rows come before ``key`` (0 for the first row). Exact; costs like a count
        of the rows before it, so run it in a worker."""
        return self._count(self._after(key, True))

    def _count(self, cond: Any) -> int:
        q = self._counting_query(cond is not None)
        if cond is not None:
            q = q.where(cond)
        return int(q.order_by().count())

    def _counting_query(self, with_key: bool) -> peewee.ModelSelect[Any]:
        """The query to count with: ``count_query`` when one was given and (for ``position``)
        every sort term is a column of the listed table; else the list's own query."""
        lean = self.count_query
        if lean is not None and with_key:
            used: set[Any] = set()
            known = all(models_in(t.expr, used) for t in self._terms)
            if not known or not used <= {self.model}:
                lean = None
        query = lean if lean is not None else self.query
        return query.clone().limit(None).offset(None)

    def iterate(self, batch: int = 1000) -> Iterator[Row]:
        """Every row in order, ``batch`` rows per query (for exports and reports)."""
        page = self.first(batch)
        while page:
            yield from page
            if len(page) < batch:
                return
            page = self.after(page[-1].key, batch)

    def sql(self, n: int = 50, key: Sequence[Any] | None = None) -> tuple[str, list[Any]]:
        """The SQL of one forward page (for EXPLAIN and debugging)."""
        q = self._base.order_by(*self._ordering(False)).limit(n)
        if key is not None:
            q = q.where(self._after(key, False))
        return q.sql()


_kept_counts: Kept[int] = Kept(max_age=60.0, entries=64)


__all__ = ["PagedQuery", "SortSpec"]
