"""Quick search as you type (L1) over customer code, name, phone, mobile and contact names.

``customer_search_where(text)`` turns the typed text into a peewee WHERE expression on
``Customer``, so the keyset-paged list can carry it like any other condition.
``search_customers(text, limit)`` returns the first matches, by name, for a pick list.

How (see migration 0004):

- SQLite, 3+ characters: the FTS5 trigram index ``customer_search`` (case-insensitive, any
  substring of any of the columns): well under 1 ms at 1M customers.
- SQLite, 1-2 characters (张, 张三, "ab"): trigrams cannot serve these, so they match the start
  of the customer's or a contact's name through the NOCASE name indexes (an index range, not a
  scan). A 1-2 character piece in the *middle* of a name is found once a third character is
  typed.
- PostgreSQL: ``ILIKE '%text%'`` on each column, served by ``pg_trgm`` GIN indexes when the
  extension could be created, else by a scan (same results, slower).

Latin letters match regardless of case everywhere; the text is always a bound parameter.
"""

from __future__ import annotations

from typing import Any

from peewee import SQL

from . import db as dbmod
from .filters import contains_pattern, ilike
from .models import Contact, Customer, User

MIN_TRIGRAM = 3
_TOP = "\U0010ffff"  # sorts after every other character (also as UTF-8 bytes)


def _normal(text: str) -> str:
    return " ".join(str(text or "").split())


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


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
        if len(t) >= MIN_TRIGRAM:
            return Customer.id.in_(
                SQL("(SELECT rowid FROM customer_search WHERE customer_search MATCH ?)",
                    [_fts_phrase(t)])
            )
        by_name = Customer.select(Customer.id).where(_prefix(Customer.name, t))
        by_contact = Contact.select(Contact.customer).where(_prefix(Contact.name, t))
        return Customer.id.in_(by_name | by_contact)
    pattern = contains_pattern(t)
    in_contacts = Contact.select(Contact.customer).where(ilike(Contact.name, pattern))
    return (
        ilike(Customer.name, pattern)
        | ilike(Customer.code, pattern)
        | ilike(Customer.phone, pattern)
        | ilike(Customer.mobile, pattern)
        | Customer.id.in_(in_contacts)
    )


def search_customers(text: str, limit: int = 50, actor: User | None = None) -> list[Customer]:
    """The first ``limit`` customers matching ``text`` that ``actor`` may see, by name.

    On SQLite a frequent trigram (say "公司", in most names) is first cut to a bounded
    candidate set, so the answer stays fast whatever is typed; ``customer_search_where`` (for
    the full, paged list) has no such cut.
    """
    from .customers import customer_query

    t = _normal(text)
    if not t:
        return []
    q = customer_query(actor)
    sql_scope = q  # already carries the salesperson scope
    if dbmod.is_sqlite() and len(t) >= MIN_TRIGRAM:
        from .customers import scope

        if scope(actor) is None:
            # Bounded candidates: the FTS answers in index order; a few thousand is plenty to
            # pick the first ``limit`` by name from.
            cap = max(limit * 40, 2000)
            sql_scope = q.where(
                Customer.id.in_(
                    SQL("(SELECT rowid FROM customer_search WHERE customer_search MATCH ? "
                        "LIMIT ?)", [_fts_phrase(t), cap])
                )
            )
        else:
            sql_scope = q.where(customer_search_where(t))
    else:
        sql_scope = q.where(customer_search_where(t))
    return list(sql_scope.order_by(Customer.name, Customer.id).limit(limit))


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
    if len(t) >= MIN_TRIGRAM:
        n = db.execute_sql(
            "SELECT count(*) FROM (SELECT rowid FROM customer_search "
            "WHERE customer_search MATCH ? LIMIT ?)", (_fts_phrase(t), cap)).fetchone()[0]
        return n >= cap
    n = Customer.select(Customer.id).where(_prefix(Customer.name, t)).limit(cap).count()
    if n < cap:
        n += Contact.select(Contact.id).where(_prefix(Contact.name, t)).limit(cap).count()
    return n >= cap


def explain(text: str) -> list[str]:
    """The query plan of a search (SQLite), for benchmarks and tests."""
    q = Customer.select(Customer.id).where(customer_search_where(text))
    sql, params = q.sql()
    rows = dbmod.database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return [str(r[-1]) for r in rows]


__all__ = ["MIN_TRIGRAM", "SORT_CAP", "broad_search", "customer_search_where", "explain", "search_customers"]
