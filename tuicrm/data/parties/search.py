"""Quick search as you type (L1) over customer code, name, phone, mobile, contact names and
the pinyin of names and contact names.

``customer_search_where(text)`` turns the typed text into a peewee WHERE expression on
``Customer``, so the keyset-paged list can carry it like any other condition.
``search_customers(actor, text, limit)`` returns the first matches, by name, for a pick list.

How (see migrations 0004 and 0080, and ``core.pinyin``):

- SQLite, 2+ characters: the FTS5 trigram index ``customer_search`` over the columns as they
  are and cut into pieces (``core.pinyin.indexed``), so any piece of 2+ characters (五金,
  华兴, "cm", "55") is found with the index, case-insensitive; pinyin initials from 2
  characters (``zs``), full pinyin from 3 (``zhang``).
- SQLite, 1 character (张, "a"): the start of the customer's or a contact's name through the
  NOCASE name indexes (an index range, not a scan); a single character inside a name is
  found once a second one is typed.
- PostgreSQL: ``ILIKE '%text%'`` on each column and the pinyin (initials only for 1-2
  characters, as on SQLite), served by ``pg_trgm`` GIN indexes when the extension could be
  created, else by a scan (same results, slower).

Latin letters match regardless of case everywhere; the text is always a bound parameter.
"""

from __future__ import annotations

import json
from typing import Any

from peewee import SQL

from ..core import db as dbmod
from ..core.operation import Op, reader
from ..core.pinyin import FILL, piece_phrase
from ..lists.columns import Row
from ..lists.filters import contains_pattern, ilike
from ..lists.paging import PagedQuery
from ..models.parties import Contact, Customer
from .customers import as_rows, customer_rows
from .rows import CustomerRow
from .scope import customer_scope_where

MIN_PIECE = 2  # from this many characters the piece index serves a search (SQLite)
_TOP = "\U0010ffff"  # sorts after every other character (also as UTF-8 bytes)


def _normal(text: str) -> str:
    return " ".join(str(text or "").replace(FILL, " ").split())


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts_phrase(text: str) -> str:
    """The FTS5 query for ``text`` (2+ characters): 2 characters as one piece, 3 or more as
    they are (their trigrams are far more selective than a run of pieces)."""
    return _quoted(piece_phrase(text) if len(text) == 2 else text)


def _prefix(expr: Any, text: str) -> Any:
    """``expr`` starts with ``text``, ignoring Latin case, as an index range on NOCASE."""
    col = expr.collate("NOCASE")
    return (col >= text) & (col < text + _TOP)


def customer_search_where(text: str) -> Any:
    """A WHERE expression on ``Customer`` for the typed ``text``; None when it is blank."""
    t = _normal(text)
    if not t:
        return None
    if dbmod.is_sqlite():
        if len(t) >= MIN_PIECE:
            return Customer.id.in_(
                SQL("(SELECT rowid FROM customer_search WHERE customer_search MATCH ?)",
                    [_fts_phrase(t)])
            )
        by_name = Customer.select(Customer.id).where(_prefix(Customer.name, t))
        by_contact = Contact.select(Contact.customer).where(_prefix(Contact.name, t))
        return Customer.id.in_(by_name | by_contact)
    pattern = contains_pattern(t)
    # pinyin is "<full> <initials>": 1-2 characters only in the initials, as on SQLite.
    spelt = pattern if len(t) >= 3 else "% " + pattern
    in_contacts = Contact.select(Contact.customer).where(
        ilike(Contact.name, pattern) | ilike(Contact.pinyin, spelt))
    return (
        ilike(Customer.name, pattern)
        | ilike(Customer.code, pattern)
        | ilike(Customer.phone, pattern)
        | ilike(Customer.mobile, pattern)
        | ilike(Customer.pinyin, spelt)
        | Customer.id.in_(in_contacts)
    )


@reader("customer.view")
def search_customers(op: Op, text: str, limit: int = 50) -> list[CustomerRow]:
    """The first ``limit`` customers matching ``text`` that the actor may see, by name (a
    pick list: order entry's customer, a contact's customer).

    On SQLite a frequent trigram (say "公司", in most names) is first cut to a bounded
    candidate set, so the answer stays fast whatever is typed; ``customer_search_where`` (for
    the full, paged list) has no such cut.
    """
    t = _normal(text)
    if not t:
        return []
    scope = customer_scope_where(op.actor)
    q = customer_rows(scope)
    if dbmod.is_sqlite() and len(t) < MIN_PIECE:
        return _first_by_name(q, t, limit)
    if dbmod.is_sqlite() and len(t) >= MIN_PIECE and scope is None:
        # Bounded candidates: the FTS answers in index order; a few thousand is plenty to
        # pick the first ``limit`` by name from.
        cap = max(limit * 40, 2000)
        q = q.where(Customer.id.in_(
            SQL("(SELECT rowid FROM customer_search WHERE customer_search MATCH ? LIMIT ?)",
                [_fts_phrase(t), cap])))
    else:
        q = q.where(customer_search_where(t))
    return as_rows(q.order_by(Customer.name, Customer.id).limit(limit))


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _first_by_name(q: Any, t: str, limit: int) -> list[CustomerRow]:
    """1 character (SQLite): the first ``limit`` customers by name (Latin case ignored, as
    NOCASE) whose name or a contact's name starts with ``t``. The names' part walks the
    NOCASE index in order and stops at ``limit``; sorting every match (王: 35k customers)
    took 300-500 ms a key in the picker. The contacts' part is a few thousand rows at most."""
    name = Customer.name.collate("NOCASE")
    own = as_rows(q.where(_prefix(Customer.name, t)).order_by(name, Customer.id).limit(limit))
    found: Any = Contact.select(Contact.customer).where(_prefix(Contact.name, t)).tuples()
    ids = sorted({int(r[0]) for r in found if r[0] is not None})
    # The ids as one parameter: the planner reads them first (not the name index, probing
    # an IN list for each of a million names: 100-160 ms); the first by name are picked on
    # the customer table alone, then only they are read with their joins.
    picked: Any = Customer.select(Customer.id).where(Customer.id.in_(
        SQL("(SELECT value FROM json_each(?))", [json.dumps(ids)]))).order_by(
        name, Customer.id).limit(limit).tuples()
    first = [int(r[0]) for r in picked] if ids else []
    theirs = as_rows(q.where(Customer.id.in_(first))) if first else []
    rows = {r.id: r for r in [*own, *theirs]}.values()
    return sorted(rows, key=lambda r: (r.name.translate(_ASCII_LOWER), r.id))[:limit]


SPAN = 50_000  # ids read per window of a 1-2 character search in id order
SORT_CAP = 5000  # matches above which a search is listed by id instead of by name


def broad_search(text: str, cap: int = SORT_CAP) -> bool:
    """Whether ``text`` matches ``cap`` or more customers (SQLite; reads at most ``cap``
    index entries per part, a few ms). Sorting every match by name costs ~3-5 us a match
    per page read (有限公司: 120k matches, 170 ms), so a screen lists such a search by id,
    which reads only the page it shows; every match stays reachable by paging."""
    t = _normal(text)
    if not t or not dbmod.is_sqlite():
        return False
    db = dbmod.database
    if len(t) >= MIN_PIECE:
        n = db.execute_sql(
            "SELECT count(*) FROM (SELECT rowid FROM customer_search "
            "WHERE customer_search MATCH ? LIMIT ?)", (_fts_phrase(t), cap)).fetchone()[0]
        return bool(n >= cap)
    n = Customer.select(Customer.id).where(_prefix(Customer.name, t)).limit(cap).count()
    if n < cap:
        n += Contact.select(Contact.id).where(_prefix(Contact.name, t)).limit(cap).count()
    return n >= cap


class Match:
    """What a typed text matches (SQLite), worked out once per search by ``analyse``.

    ``broad``: ``SORT_CAP`` or more matches (list them by id, paged by windows of the match
    index, never materialising all matches). Otherwise ``ids`` holds every matching customer
    id (read while counting), so the list's page reads never evaluate the search again."""

    __slots__ = ("broad", "id_set", "ids", "kind", "text")

    def __init__(self, text: str, kind: str, broad: bool, ids: list[int] | None) -> None:
        self.text, self.kind, self.broad, self.ids = text, kind, broad, ids
        self.id_set = frozenset(ids or ())

    def where(self) -> Any:
        """The full WHERE on ``Customer`` (for counts, sorts other than by id, exports)."""
        if self.ids is not None:
            # One parameter (not thousands): the planner reads these ids first, then sorts
            # the few thousand rows, instead of walking the name index probing a long IN list.
            return Customer.id.in_(SQL("(SELECT value FROM json_each(?))",
                                       [json.dumps(self.ids)]))
        return customer_search_where(self.text)

    def window(self, bound: int | None, n: int, reverse: bool,
               inclusive: bool) -> tuple[list[int], int | None]:
        """Up to ``n`` matching ids after ``bound`` (before it when ``reverse``; ``inclusive``
        admits ``bound`` itself), in id order, and the bound to read on from (None: these
        are the last ones). Each part is read through an index with a LIMIT: the work is
        bounded by ``n`` (and ``SPAN`` ids for 1-2 characters), not by the matches."""
        db = dbmod.database
        order = "DESC" if reverse else "ASC"
        if self.kind == "fts":
            op = ("<" if reverse else ">") + ("=" if inclusive else "")
            cond, params = ("", []) if bound is None else (f" AND rowid {op} ?", [bound])
            ids = [r[0] for r in db.execute_sql(
                "SELECT rowid FROM customer_search WHERE customer_search MATCH ?" + cond
                + f" ORDER BY rowid {order} LIMIT ?", [_fts_phrase(self.text), *params, n])]
            return ids, (ids[-1] if len(ids) >= n else None)
        # 1-2 characters: a span of ids at a time, the customer rows by primary key and the
        # contacts by their customer index (``+name``: not the name index, whose range can
        # hold tens of thousands of rows to sort).
        # Two statements: ``SELECT min(id), max(id)`` in one reads the whole table.
        lo_id = db.execute_sql("SELECT min(id) FROM customer").fetchone()[0]
        hi_id = db.execute_sql("SELECT max(id) FROM customer").fetchone()[0]
        if lo_id is None:
            return [], None
        if reverse:
            hi = hi_id if bound is None else bound - (0 if inclusive else 1)
            lo = hi - SPAN + 1
        else:
            lo = lo_id if bound is None else bound + (0 if inclusive else 1)
            hi = lo + SPAN - 1
        hi_text = self.text + _TOP
        names = [r[0] for r in db.execute_sql(
            "SELECT id FROM customer WHERE id BETWEEN ? AND ? AND +name >= ? COLLATE NOCASE "
            f"AND +name < ? COLLATE NOCASE ORDER BY id {order} LIMIT ?",
            [lo, hi, self.text, hi_text, n])]
        contacts = [r[0] for r in db.execute_sql(
            "SELECT DISTINCT customer_id FROM contact WHERE customer_id BETWEEN ? AND ? "
            "AND +name >= ? COLLATE NOCASE AND +name < ? COLLATE NOCASE "
            f"ORDER BY customer_id {order} LIMIT ?", [lo, hi, self.text, hi_text, n])]
        ids = sorted(set(names) | set(contacts), reverse=reverse)
        # Past the last id of a part cut by its LIMIT, matches may be missing.
        ends = [part[-1] for part in (names, contacts) if len(part) >= n]
        if ends:
            edge = max(ends) if reverse else min(ends)
            ids = [i for i in ids if (i >= edge if reverse else i <= edge)]
        if len(ids) > n:
            ids = ids[:n]
            return ids, ids[-1]
        if ends:
            return ids, edge
        done = lo <= lo_id if reverse else hi >= hi_id
        return ids, (None if done else (lo if reverse else hi))

    def has(self, row_id: Any) -> Any:
        """A WHERE on ``Customer`` for "``row_id`` matches", read through indexes."""
        if self.kind == "fts":
            return Customer.id.in_(SQL(
                "(SELECT rowid FROM customer_search WHERE customer_search MATCH ? AND rowid = ?)",
                [_fts_phrase(self.text), row_id]))
        return _prefix(Customer.name, self.text) | Customer.id.in_(
            Contact.select(Contact.customer).where(
                (Contact.customer == row_id) & _prefix(Contact.name, self.text)))


def analyse(text: str, cap: int = SORT_CAP) -> Match | None:
    """The search for ``text`` (None: blank, or not SQLite). Reads at most ``cap`` index
    entries per part (a few ms); keeps the ids when there are fewer than ``cap``."""
    t = _normal(text)
    if not t or not dbmod.is_sqlite():
        return None
    db = dbmod.database
    ids: list[int] | None
    if len(t) >= MIN_PIECE:
        ids = [r[0] for r in db.execute_sql(
            "SELECT rowid FROM customer_search WHERE customer_search MATCH ? LIMIT ?",
            (_fts_phrase(t), cap)).fetchall()]
        broad = len(ids) >= cap
        return Match(t, "fts", broad, None if broad else ids)
    hi = t + _TOP
    names = [r[0] for r in db.execute_sql(
        "SELECT id FROM customer WHERE name >= ? COLLATE NOCASE AND name < ? COLLATE NOCASE "
        "LIMIT ?", (t, hi, cap))]
    contacts = [] if len(names) >= cap else [r[0] for r in db.execute_sql(
        "SELECT customer_id FROM contact WHERE name >= ? COLLATE NOCASE "
        "AND name < ? COLLATE NOCASE LIMIT ?", (t, hi, cap))]
    broad = len(names) + len(contacts) >= cap
    ids = None if broad else sorted(set(names) | {c for c in contacts if c is not None})
    return Match(t, "prefix", broad, ids)


class SearchPagedQuery(PagedQuery):
    """A ``PagedQuery`` over ``plain`` (every filter but the search) narrowed by ``match``.

    In id order a broad search reads each page from a window of the match index (``rowid >
    ? ORDER BY rowid LIMIT n``), growing the window while other filters drop candidates, so a
    page never collects every match (Acme, 50k matches: ~17 ms per read before). Any other
    order, counts and positions use the full condition, as ``PagedQuery`` does."""

    def __init__(self, plain: Any, columns: Any, sort: Any = (), *, match: Match,
                 nulls_low: bool | None = None, lean: Any = None) -> None:
        self.plain = plain
        self.lean = lean
        self.match = match
        count_query = lean.where(match.where()) if lean is not None else None
        super().__init__(plain.where(match.where()), columns, sort, nulls_low=nulls_low,
                         count_query=count_query)
        base = plain.clone().select(*self._select_exprs)
        base._limit = base._offset = None
        self._plain_base = base
        self.windowed = match.broad and len(self._terms) == 1 and self._terms[0].expr is self.pk

    @property
    def broad(self) -> bool:  # type: ignore[override]
        return bool(self.match.broad)

    def _again(self, columns: Any, sort: Any) -> SearchPagedQuery:
        return SearchPagedQuery(self.plain, columns, sort, match=self.match,
                                nulls_low=self._nulls_low_override, lean=self.lean)

    def with_sort(self, sort: Any) -> PagedQuery:
        return self._again(self.columns, sort)

    def with_columns(self, columns: Any) -> PagedQuery:
        return self._again(columns, self.sort)

    def refreshed(self) -> SearchPagedQuery:
        """The same search read again (after an edit: the match set may have changed)."""
        m = analyse(self.match.text) or self.match
        return SearchPagedQuery(self.plain, self.columns, self.sort, match=m,
                                nulls_low=self._nulls_low_override, lean=self.lean)

    def _windowed(self, key: Any, n: int, reverse: bool, inclusive: bool = False) -> list[Row]:
        desc = self._terms[0].desc != reverse
        bound = None if key is None else key[0]
        out: list[Row] = []
        size = max(n, 50)
        pk: Any = self.pk
        while len(out) < n:
            ids, nxt = self.match.window(bound, size, desc, inclusive)
            if ids:
                q = (self._plain_base.where(pk.in_(ids))
                     .order_by(*self._ordering(reverse)).limit(n - len(out)))
                out.extend(self._run(q))
            if nxt is None:
                break
            bound, inclusive = nxt, False
            size = min(size * 4, 5000)  # filters dropped candidates: read further at once
        return out

    def _page(self, key: Any, n: int, reverse: bool) -> list[Row]:
        if not self.windowed or n <= 0:
            return super()._page(key, n, reverse)
        rows = self._windowed(key, n, reverse)
        if reverse:
            rows.reverse()
        return rows

    def around(self, key: Any, n_before: int, n_after: int) -> tuple[list[Row], list[Row]]:
        if not self.windowed:
            return super().around(key, n_before, n_after)
        return (self.before(key, n_before),
                self._windowed(key, int(n_after) + 1, False, inclusive=True))

    def get(self, row_id: Any) -> Row | None:
        if self.match.ids is not None and row_id not in self.match.id_set:
            return None
        if self.match.ids is None:
            rows = self._run(self._plain_base.where((self.pk == row_id) & self.match.has(row_id))
                             .limit(1))
        else:
            rows = self._run(self._plain_base.where(self.pk == row_id).limit(1))
        return rows[0] if rows else None


def explain(text: str) -> list[str]:
    """The query plan of a search (SQLite), for benchmarks and tests."""
    q = Customer.select(Customer.id).where(customer_search_where(text))
    sql, params = q.sql()
    rows = dbmod.database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return [str(r[-1]) for r in rows]


__all__ = ["MIN_PIECE", "SORT_CAP", "Match", "SearchPagedQuery", "analyse", "broad_search", "customer_search_where", "explain", "search_customers"]
